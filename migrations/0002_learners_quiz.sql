-- Learners, their sessions, the questions they were given and every answer they submitted.
--
-- A learner exists from their first question, anonymous; registering later gives the same row a
-- username and a password hash, so nothing is copied and no progress is lost.
CREATE TABLE learners (
    id            INTEGER PRIMARY KEY,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    username      TEXT UNIQUE,
    password_hash TEXT
) STRICT;

-- tower-sessions' records. The cookie carries only the random session id; the data (which learner)
-- stays here. expiry_date is a Unix timestamp in seconds.
CREATE TABLE sessions (
    id          TEXT PRIMARY KEY NOT NULL,
    data        BLOB NOT NULL,
    expiry_date INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_expiry ON sessions (expiry_date);

-- A question given to a learner. The shared crate regenerates it from (kind, seed), so grading
-- never trusts anything the browser says about the question. The id is random and unguessable.
CREATE TABLE questions (
    id         TEXT PRIMARY KEY NOT NULL,
    learner_id INTEGER NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    -- The u64 seed, stored bit for bit in SQLite's signed 64-bit integer.
    seed       INTEGER NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX questions_by_learner ON questions (learner_id);

-- Every answer, graded on the server. attempt_id comes from the browser, one per press of
-- "submit": a retried request finds its row and is not counted twice.
CREATE TABLE answers (
    id          INTEGER PRIMARY KEY,
    attempt_id  TEXT NOT NULL UNIQUE,
    learner_id  INTEGER NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
    question_id TEXT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    answer      TEXT NOT NULL,
    correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX answers_by_learner ON answers (learner_id, id);
