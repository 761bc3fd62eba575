-- Which lessons each learner has opened and finished, so the progress page can say where to
-- continue. One row per learner and lesson; completed_at stays NULL until "completed" is pressed.
CREATE TABLE lesson_progress (
    learner_id   INTEGER NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
    lesson_id    TEXT NOT NULL,
    opened_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    completed_at TEXT,
    PRIMARY KEY (learner_id, lesson_id)
) STRICT;
