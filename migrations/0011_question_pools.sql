-- A quiz may draw a few of its questions for each learner ("3 of these 10"). An attempt keeps
-- which of the quiz's questions it was given, in their order, as a JSON array of indexes; NULL
-- for attempts from before, which were given every question.
ALTER TABLE quiz_attempts ADD COLUMN picked TEXT;

-- How many of its questions each attempt is given; NULL: all of them.
ALTER TABLE class_quizzes ADD COLUMN draw INTEGER CHECK (draw IS NULL OR draw >= 1);
