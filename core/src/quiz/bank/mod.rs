//! Questions from a bank in `content/quiz/`, for the tuning lessons: numeric questions whose
//! numbers differ per learner, and multiple-choice questions whose choices come in a different
//! order per learner. Like the model questions, each is a pure function of the bank entry and a
//! seed, so the server stores only `(id, seed)` and grades by regenerating.
//!
//! The server parses the TOML into [`Bank`] and calls [`Bank::check`] at start-up; this crate
//! never parses TOML, so it stays small for wasm. A numeric answer is computed by a named
//! [`Formula`] in code, the same functions the config generator uses, so the quiz and the
//! generator cannot disagree about a kernel fact.

mod formula;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use formula::Formula;

use super::choice::{self, Choice};
use super::{Answer, AnswerError, Grading, SplitMix64};
use crate::lang::Text;

/// `content/quiz/tuning.toml`: `[[question]]` entries.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, Default)]
pub struct Bank {
    #[serde(rename = "question", default)]
    pub questions: Vec<BankQuestion>,
}

// No deny_unknown_fields here: serde does not support it next to `flatten`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct BankQuestion {
    /// Stable: stored with every learner's copy of the question.
    pub id: String,
    /// The question; a numeric one writes its numbers as `{name}`.
    pub text: Text,
    /// Why the answer is what it is, shown after grading.
    pub explain: Text,
    #[serde(flatten)]
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    /// `numeric = { formula = "keepalive_detect", unit = {...}, params = { time = [...], ... } }`
    Numeric(Numeric),
    /// `choice = [{ text = {...}, correct = true }, ...]`: exactly one is right.
    Choice(Vec<Choice>),
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Numeric {
    pub formula: Formula,
    pub unit: Text,
    /// For each of the formula's inputs, the values a learner may be given.
    pub params: BTreeMap<String, Vec<u64>>,
}

/// What the browser sees of a bank question: never the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankPrompt {
    /// The bank entry's id.
    pub id: String,
    pub text: Text,
    /// Numeric questions: the unit of the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Text>,
    /// Multiple choice: the choices in this learner's order; empty for numeric questions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Text>,
}

/// The numbers of a numeric question, in the params' (alphabetical) order.
fn pick_values(numeric: &Numeric, seed: u64) -> BTreeMap<&str, u64> {
    let mut rng = SplitMix64::new(seed);
    numeric.params.iter().map(|(name, values)| (name.as_str(), values[rng.below(values.len())])).collect()
}

/// The first value of each param, to check a text's placeholders.
fn first_values(numeric: &Numeric) -> BTreeMap<&str, u64> {
    numeric.params.iter().filter_map(|(name, values)| Some((name.as_str(), *values.first()?))).collect()
}

/// Every combination of the params' values (banks keep the lists short).
fn combinations(params: &BTreeMap<String, Vec<u64>>) -> Vec<BTreeMap<&str, u64>> {
    params.iter().fold(vec![BTreeMap::new()], |sofar, (name, values)| {
        sofar
            .iter()
            .flat_map(|partial| {
                values.iter().map(move |v| {
                    let mut next = partial.clone();
                    next.insert(name.as_str(), *v);
                    next
                })
            })
            .collect()
    })
}

fn fill(text: &str, values: &BTreeMap<&str, u64>) -> String {
    values.iter().fold(text.to_owned(), |t, (name, v)| t.replace(&format!("{{{name}}}"), &v.to_string()))
}

impl BankQuestion {
    pub fn prompt(&self, seed: u64) -> BankPrompt {
        match &self.body {
            Body::Numeric(numeric) => {
                let values = pick_values(numeric, seed);
                BankPrompt {
                    id: self.id.clone(),
                    text: Text { en: fill(&self.text.en, &values), zh_cn: fill(&self.text.zh_cn, &values) },
                    unit: Some(numeric.unit.clone()),
                    choices: Vec::new(),
                }
            }
            Body::Choice(choices) => {
                BankPrompt { id: self.id.clone(), text: self.text.clone(), unit: None, choices: choice::shown(choices, seed) }
            }
        }
    }

    /// The right answer for this seed.
    pub fn expected(&self, seed: u64) -> Answer {
        match &self.body {
            Body::Numeric(numeric) => Answer::number(numeric.formula.compute(&pick_values(numeric, seed)) as f64),
            Body::Choice(choices) => choice::expected(choices, seed),
        }
    }

    /// Grades `answer`, with the bank's explanation.
    pub fn grade(&self, seed: u64, answer: &Answer) -> Result<Grading, AnswerError> {
        let mut grading = match (&self.body, answer) {
            (Body::Numeric(_), Answer::Number { value }) => {
                if value.fract() != 0.0 || *value < 0.0 {
                    return Err(AnswerError { field: "value", message: "a whole number of 0 or more".into() });
                }
                let expected = self.expected(seed);
                Grading::new(*answer == expected, expected)
            }
            (Body::Numeric(_), other) => return Err(super::answer::wrong_type("number", other)),
            (Body::Choice(choices), answer) => choice::grade(choices, seed, answer)?,
        };
        grading.explain = Some(self.explain.clone());
        Ok(grading)
    }
}

impl Bank {
    pub fn get(&self, id: &str) -> Option<&BankQuestion> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// Every problem with the bank, each naming the question; empty when the bank is sound.
    pub fn check(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut ids = std::collections::HashSet::new();
        for q in &self.questions {
            let mut problem = |p: String| problems.push(format!("question {:?}: {p}", q.id));
            if q.id.is_empty() || !q.id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                problem("id must be letters, digits and '-'".into());
            }
            if !ids.insert(q.id.as_str()) {
                problem("the id is used twice".into());
            }
            for (what, text) in [("text", &q.text), ("explain", &q.explain)] {
                if text.en.trim().is_empty() || text.zh_cn.trim().is_empty() {
                    problem(format!("{what} needs both en and zh-CN"));
                }
            }
            if q.explain.en.contains('{') || q.explain.zh_cn.contains('{') {
                problem("explain is shown as written: it cannot have {placeholders}".into());
            }
            match &q.body {
                Body::Numeric(n) => {
                    let wanted: Vec<&str> = n.formula.inputs().to_vec();
                    let given: Vec<&str> = n.params.keys().map(String::as_str).collect();
                    let mut wanted_sorted = wanted.clone();
                    wanted_sorted.sort_unstable();
                    if wanted_sorted != given {
                        problem(format!("formula {} takes params {wanted:?}, the bank gives {given:?}", n.formula.as_str()));
                    }
                    for (name, values) in &n.params {
                        if values.is_empty() {
                            problem(format!("params.{name} has no values"));
                        }
                        for (lang, text) in [("en", &q.text.en), ("zh-CN", &q.text.zh_cn)] {
                            if !text.contains(&format!("{{{name}}}")) {
                                problem(format!("text.{lang} does not show {{{name}}}"));
                            }
                        }
                    }
                    if let Err(e) = n.formula.check(&n.params) {
                        problem(e);
                    }
                    let filled = fill(&q.text.en, &first_values(n));
                    if filled.contains('{') {
                        problem(format!("text.en has a placeholder that is not a param: {filled:?}"));
                    }
                    // A zero, or a number JavaScript cannot hold exactly, would be a bad question.
                    if let Some(values) = combinations(&n.params).into_iter().find(|v| !(1..1u64 << 53).contains(&n.formula.compute(v))) {
                        problem(format!("with {values:?} the answer is {}; every answer must be 1 to 2^53", n.formula.compute(&values)));
                    }
                }
                Body::Choice(choices) => {
                    if !(2..=6).contains(&choices.len()) {
                        problem(format!("{} choices; give 2 to 6", choices.len()));
                    }
                    let right = choices.iter().filter(|c| c.correct).count();
                    if right != 1 {
                        problem(format!("{right} choices are marked correct; exactly one must be"));
                    }
                    if choices.iter().any(|c| c.text.en.trim().is_empty() || c.text.zh_cn.trim().is_empty()) {
                        problem("every choice needs both en and zh-CN".into());
                    }
                    let distinct: std::collections::HashSet<&str> = choices.iter().map(|c| c.text.en.as_str()).collect();
                    if distinct.len() != choices.len() {
                        problem("two choices have the same text".into());
                    }
                    if q.text.en.contains('{') || choices.iter().any(|c| c.text.en.contains('{')) {
                        problem("a multiple-choice text has a {placeholder}; only numeric questions fill them".into());
                    }
                }
            }
        }
        if self.questions.is_empty() {
            problems.push("the bank has no questions".into());
        }
        problems
    }
}
