//! Multiple choice, for the tuning bank and class quizzes alike: exactly one right choice, shown
//! in an order of the learner's own, graded by the place the learner picked.

use serde::{Deserialize, Serialize};

use super::SplitMix64;
use super::answer::{Answer, AnswerError, wrong_type};
use super::grade::{Grading, WrongKind};
use crate::lang::Text;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub text: Text,
    #[serde(default)]
    pub correct: bool,
}

/// The choices' order for this seed: `order[shown] = index in the list`.
pub fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut rng = SplitMix64::new(seed);
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        order.swap(i, rng.below(i + 1));
    }
    order
}

/// The choices' texts in this learner's order.
pub fn shown(choices: &[Choice], seed: u64) -> Vec<Text> {
    shuffled(choices.len(), seed).into_iter().map(|i| choices[i].text.clone()).collect()
}

/// The right choice, by its place in this learner's order.
pub fn expected(choices: &[Choice], seed: u64) -> Answer {
    let index = shuffled(choices.len(), seed).iter().position(|&i| choices[i].correct).unwrap_or(0);
    Answer::Choice { index }
}

/// Grades a pick; a wrong one is recorded by its place in the author's list, the same for every
/// learner whatever their order.
pub fn grade(choices: &[Choice], seed: u64, answer: &Answer) -> Result<Grading, AnswerError> {
    let Answer::Choice { index } = answer else { return Err(wrong_type("choice", answer)) };
    if *index >= choices.len() {
        return Err(AnswerError { field: "index", message: format!("index must be 0 to {} (the shown choices)", choices.len() - 1) });
    }
    let order = shuffled(choices.len(), seed);
    let correct = choices[order[*index]].correct;
    let wrong = (!correct).then(|| WrongKind::Choice { index: order[*index] });
    Ok(Grading { correct, expected: expected(choices, seed), wrong, explain: None })
}
