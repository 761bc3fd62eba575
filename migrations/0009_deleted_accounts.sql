-- An account its owner deleted: the name, password, answers and progress are gone; the row
-- stays only so the class results it handed in keep counting, as "a deleted learner", until
-- the class's instructor purges them.
ALTER TABLE learners ADD COLUMN deleted_at TEXT;
