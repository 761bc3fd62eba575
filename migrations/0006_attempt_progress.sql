-- Class attempts that never lose an answer, and time limits.

-- Seconds an attempt may last from its start; NULL: no limit.
ALTER TABLE class_quizzes ADD COLUMN time_limit_s INTEGER CHECK (time_limit_s IS NULL OR time_limit_s BETWEEN 60 AND 86400);

-- The answers of an attempt as the learner works: a JSON array with one answer per question
-- ({"type":"blank"} for none), changed a question at a time by json_set, so two devices saving
-- different questions never undo each other. At the hand-in, answers is what was graded.
ALTER TABLE quiz_attempts ADD COLUMN saved TEXT;
ALTER TABLE quiz_attempts ADD COLUMN saved_at TEXT;
-- Unix seconds when the attempt's time limit runs out; NULL: none. The quiz's close may come
-- first; the attempt is due at whichever is earlier.
ALTER TABLE quiz_attempts ADD COLUMN time_due INTEGER;
-- 1 when the server handed the attempt in at its due time, with the answers saved by then.
ALTER TABLE quiz_attempts ADD COLUMN graded_at_due INTEGER NOT NULL DEFAULT 0 CHECK (graded_at_due IN (0, 1));

UPDATE quiz_attempts
SET saved = (SELECT json_group_array(json('{"type":"blank"}')) FROM json_each(quiz_attempts.items))
WHERE submitted_at IS NULL;
