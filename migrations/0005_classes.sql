-- Roles, instructor invites, classes and their quizzes.

-- Every account is a learner; instructors also run classes; admins also invite instructors.
ALTER TABLE learners ADD COLUMN role TEXT NOT NULL DEFAULT 'learner' CHECK (role IN ('learner', 'instructor', 'admin'));

-- One-time invite links. Only a SHA-256 of the token is kept, so a copy of the database does
-- not hold links anybody could still use. used_by is set once, in the same statement that checks
-- it is unset, so a link cannot be spent twice.
CREATE TABLE invites (
    token_hash TEXT PRIMARY KEY NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('instructor', 'admin')),
    created_by INTEGER NOT NULL REFERENCES learners (id),
    -- Unix seconds.
    expires_at INTEGER NOT NULL,
    used_by    INTEGER REFERENCES learners (id),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- AUTOINCREMENT so an id is never handed out twice: links to a class or quiz keep meaning it.
CREATE TABLE classes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    teacher_id INTEGER NOT NULL REFERENCES learners (id),
    name       TEXT NOT NULL,
    -- What learners type or follow (/join/<code>): short, unambiguous letters and digits.
    join_code  TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX classes_by_teacher ON classes (teacher_id);

CREATE TABLE class_members (
    class_id   INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    learner_id INTEGER NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
    joined_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (class_id, learner_id)
) STRICT;
CREATE INDEX class_members_by_learner ON class_members (learner_id);

-- A quiz is saved whole by the editor: its questions are one JSON document (tcplab_core's
-- classroom::Quiz items), checked by the server before every write.
CREATE TABLE class_quizzes (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    class_id         INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,
    title            TEXT NOT NULL,
    items            TEXT NOT NULL,
    published        INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
    -- Unix seconds; NULL: no limit.
    opens_at         INTEGER,
    closes_at        INTEGER,
    attempts_allowed INTEGER NOT NULL DEFAULT 1 CHECK (attempts_allowed BETWEEN 1 AND 20),
    show_scores      TEXT NOT NULL DEFAULT 'immediately' CHECK (show_scores IN ('immediately', 'after_close', 'never')),
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX class_quizzes_by_class ON class_quizzes (class_id);

-- A learner's attempt. The questions are copied in when it starts, so editing the quiz later
-- never changes what a learner was asked or how it is graded; the seed gives their numbers.
-- answers and grades are JSON arrays, one entry per question, written once at submission.
CREATE TABLE quiz_attempts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    quiz_id      INTEGER NOT NULL REFERENCES class_quizzes (id) ON DELETE CASCADE,
    learner_id   INTEGER NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
    seed         INTEGER NOT NULL,
    items        TEXT NOT NULL,
    started_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    submitted_at TEXT,
    answers      TEXT,
    grades       TEXT,
    score        INTEGER,
    CHECK ((submitted_at IS NULL) = (score IS NULL))
) STRICT;
CREATE INDEX quiz_attempts_by_quiz ON quiz_attempts (quiz_id, learner_id);
-- At most one unsubmitted attempt per learner and quiz: two tabs pressing "start" get the same.
CREATE UNIQUE INDEX quiz_attempts_one_open ON quiz_attempts (quiz_id, learner_id) WHERE submitted_at IS NULL;
