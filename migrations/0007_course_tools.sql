-- Course tools: which attempt counts, score overrides, and per-learner exceptions.

-- Which of a learner's attempts counts in the results and the gradebook.
ALTER TABLE class_quizzes ADD COLUMN counted TEXT NOT NULL DEFAULT 'best' CHECK (counted IN ('best', 'latest'));

-- An instructor's score for a handed-in attempt, replacing the graded one, with the reason its
-- learner is shown. The graded score stays in score, so removing the override restores it.
ALTER TABLE quiz_attempts ADD COLUMN override_score INTEGER CHECK (override_score IS NULL OR override_score >= 0);
ALTER TABLE quiz_attempts ADD COLUMN override_reason TEXT;
ALTER TABLE quiz_attempts ADD COLUMN override_at TEXT;

-- What one learner may do beyond the quiz's settings: more attempts, their own closing time,
-- more time per attempt. A row with nothing in it is deleted rather than kept.
CREATE TABLE quiz_exceptions (
    quiz_id        INTEGER NOT NULL REFERENCES class_quizzes (id) ON DELETE CASCADE,
    learner_id     INTEGER NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
    extra_attempts INTEGER NOT NULL DEFAULT 0 CHECK (extra_attempts BETWEEN 0 AND 20),
    -- Unix seconds; NULL: the quiz's own close.
    closes_at      INTEGER,
    extra_time_s   INTEGER NOT NULL DEFAULT 0 CHECK (extra_time_s BETWEEN 0 AND 86400),
    PRIMARY KEY (quiz_id, learner_id)
) STRICT;
