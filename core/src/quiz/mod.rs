//! Questions and their grading: the one answer ([`Answer`]) and verdict ([`Grading`]) shapes
//! of every question, practice questions generated from the TCP model, the tuning [`bank`] and
//! multiple [`choice`]; class quizzes (`crate::classroom`) are built of the same parts.
//!
//! A question is a pure function of a seed and a kind ([`Question::generate`]), so the server stores
//! only the seed and can always regenerate the question to grade an answer; the browser gets a
//! [`Prompt`], which shows the steps before the one asked about and never the answer. Grading
//! ([`grade`]) runs the model again: the browser's opinion is never trusted.

mod answer;
pub mod bank;
pub mod choice;
mod generate;
mod grade;
mod prompt;
mod rng;
mod topic;

#[cfg(test)]
mod tests;

pub use answer::{Answer, AnswerError, Field, parse_flags, whole_u32, wrong_type};
pub use choice::Choice;
pub use generate::{Ask, Kind, QUIZ_SCENARIOS, Question};
pub(crate) use generate::{learner_params, wrong_value};
pub use grade::{Grading, WrongKind, expected, grade};
pub use prompt::{AskedSegment, Prompt};
pub use rng::SplitMix64;
pub use topic::Topic;

/// Mastery of a kind of question is judged on this many of the learner's latest answers to it:
/// recent work counts, and an early bad day is forgotten.
pub const MASTERY_WINDOW: usize = 10;

/// The share of right answers among `latest_first`'s first [`MASTERY_WINDOW`]; 0 when empty.
pub fn mastery(latest_first: &[bool]) -> f64 {
    let window = &latest_first[..latest_first.len().min(MASTERY_WINDOW)];
    if window.is_empty() { 0.0 } else { window.iter().filter(|c| **c).count() as f64 / window.len() as f64 }
}
