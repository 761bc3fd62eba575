-- The first migration: facts about this installation itself.
--
-- Features add their own tables in later migrations (learners, attempts, quizzes ...); the spine only
-- needs to know when this database was created and which build created it, which `tcplab` records at
-- start-up and `/healthz` can report. STRICT makes SQLite enforce the declared column types.
CREATE TABLE app_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

-- The moment the schema was created, in UTC, so an operator can tell a fresh database from an old one.
INSERT INTO app_meta (key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
