//! Classes, class quizzes and their results: instructors write quizzes, learners in their classes
//! take them, each with their own numbers, and the server grades and summarizes.

pub mod exchange;
