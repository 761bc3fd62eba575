-- Admins disable accounts (no login; the data stays) and make one-time password-reset links.
ALTER TABLE learners ADD COLUMN disabled_at TEXT;

-- As with invites, only a SHA-256 of the token is kept, and used_at is set once, in the
-- statement that checks it is unset, so a link cannot be spent twice. A new link for an
-- account replaces its unused ones.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY NOT NULL,
    learner_id INTEGER NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
    created_by INTEGER NOT NULL REFERENCES learners (id),
    -- Unix seconds.
    expires_at INTEGER NOT NULL,
    used_at    TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX password_resets_by_learner ON password_resets (learner_id);
