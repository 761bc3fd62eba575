//! Quiz questions generated from the TCP model, and their grading.
//!
//! A question is a pure function of a seed and a kind ([`Question::generate`]), so the server stores
//! only the seed and can always regenerate the question to grade an answer; the browser gets a
//! [`Prompt`], which shows the steps before the one asked about and never the answer. Grading
//! ([`grade`]) runs the model again: the browser's opinion is never trusted.

mod answer;
mod generate;
mod grade;
mod prompt;
mod rng;

#[cfg(test)]
mod tests;

pub use answer::{Answer, AnswerError, Field};
pub use generate::{Ask, Kind, Question};
pub use grade::{Grading, grade};
pub use prompt::{AskedSegment, Prompt};
pub use rng::SplitMix64;
