//! Quizzes to and from Moodle: GIFT and Moodle XML. (Being written.)
