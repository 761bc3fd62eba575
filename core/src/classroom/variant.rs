//! One learner's copy of a quiz, and grading: a quiz item and a seed give the prompt and the
//! right answer, always the same way.

use serde::{Deserialize, Serialize};

use super::item::{Item, ItemBody};
use crate::quiz::bank::shuffled;
use crate::quiz::{Answer, AnswerError, Ask, Field, Kind, Prompt, Question, SplitMix64};
use crate::tcp::{Flags, MSS, ScenarioId, ScenarioParams, run};
use crate::tuning::Text;

/// The seed of item `index` of an attempt seeded with `seed`: items draw their numbers apart.
pub fn item_seed(seed: u64, index: usize) -> u64 {
    SplitMix64::new(seed ^ (index as u64).wrapping_mul(0xd1b5_4a32_d192_ed03)).next_u64()
}

/// A model question about `field` of step `step` of `scenario`, with numbers from `seed`. An
/// error names the part of the item that cannot work (a step that is not a segment, an ack
/// asked of a segment without ACK).
pub fn model_question(seed: u64, scenario: ScenarioId, step: usize, field: Field) -> Result<Question, AnswerError> {
    if !crate::quiz::QUIZ_SCENARIOS.contains(&scenario) {
        return Err(AnswerError { field: "scenario", message: format!("{} cannot be asked about in a quiz", scenario.as_str()) });
    }
    let params = learner_params(seed);
    let run = run(scenario, &params).map_err(|e| AnswerError { field: "scenario", message: e.to_string() })?;
    let Some(segment) = run.steps.get(step).and_then(|s| s.segment()) else {
        return Err(AnswerError { field: "step", message: format!("step {step} of {} is not a segment", scenario.as_str()) });
    };
    if field == Field::Ack && !segment.flags.ack {
        return Err(AnswerError { field: "field", message: format!("the segment of step {step} has no ACK flag, so no ack number") });
    }
    Ok(Question { seed, kind: Kind::Field, scenario, params, run, ask: Ask::Field { step, field } })
}

/// A learner's numbers: their ISNs and how many bytes each end writes.
pub(crate) fn learner_params(seed: u64) -> ScenarioParams {
    let mut rng = SplitMix64::new(seed);
    ScenarioParams {
        client_isn: rng.isn(),
        server_isn: rng.isn(),
        client_payload: 1 + (rng.next_u32() % MSS),
        server_payload: 1 + (rng.next_u32() % MSS),
        reconnect_isns: (rng.isn(), rng.isn()),
    }
}

/// What a learner is shown of an item: never the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum ItemPrompt {
    Model {
        prompt: Prompt,
    },
    /// The choices in this learner's order.
    Choice {
        text: Text,
        choices: Vec<Text>,
    },
    Numeric {
        text: Text,
        unit: Option<Text>,
    },
}

/// A learner's answer to one item. `choice.index` is in the order the learner was shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum ItemAnswer {
    /// Left empty: counted wrong, never an error, so a learner can hand in an unfinished quiz.
    Blank,
    Number {
        value: f64,
    },
    Flags {
        value: Flags,
    },
    Choice {
        index: usize,
    },
}

/// What kind of wrong answer it was, the same for every learner whatever their numbers, so the
/// results can say which mistakes are common.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum WrongKind {
    Blank,
    /// A model number off the right one by this much (seq and ack wrap around 2^32).
    Off {
        by: i64,
    },
    /// The number the other side would send in this field (the acked number for a seq ...).
    OtherSide,
    Flags {
        flags: String,
    },
    /// The choice, by its place in the instructor's list.
    Choice {
        index: usize,
    },
    Value {
        value: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemGrade {
    pub correct: bool,
    pub points: u32,
    /// The right answer as it would be written (a number, flags such as `SYN+ACK`, or the
    /// choice's index in the learner's order).
    pub expected: ItemAnswer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrong: Option<WrongKind>,
    /// The instructor's explanation, shown with the right answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<Text>,
}

fn broken(e: AnswerError) -> AnswerError {
    AnswerError { field: "item", message: format!("this question cannot be generated: {e}") }
}

/// The prompt of item `item` for an attempt's item seed.
pub fn prompt(item: &Item, seed: u64) -> Result<ItemPrompt, AnswerError> {
    Ok(match &item.question {
        ItemBody::Model { scenario, step, field } => {
            ItemPrompt::Model { prompt: Prompt::of(&model_question(seed, *scenario, *step, *field).map_err(broken)?) }
        }
        ItemBody::Choice { text, choices, .. } => ItemPrompt::Choice {
            text: text.clone(),
            choices: shuffled(choices.len(), seed).into_iter().map(|i| choices[i].text.clone()).collect(),
        },
        ItemBody::Numeric { text, unit, .. } => ItemPrompt::Numeric { text: text.clone(), unit: unit.clone() },
    })
}

fn type_error(want: &str) -> AnswerError {
    AnswerError { field: "type", message: format!("this question takes {want}") }
}

/// Grades one answer. A blank is wrong; an answer of the wrong shape is an error naming the
/// part, so a broken client cannot cost a learner a point silently.
pub fn grade(item: &Item, seed: u64, answer: &ItemAnswer) -> Result<ItemGrade, AnswerError> {
    let (correct, expected, wrong) = match &item.question {
        ItemBody::Model { scenario, step, field } => {
            let q = model_question(seed, *scenario, *step, *field).map_err(broken)?;
            let seg = q.run.steps[*step].segment().expect("checked to be a segment").clone();
            let (right, other) = match field {
                Field::Seq => (seg.seq, Some(seg.ack)),
                Field::Ack => (seg.ack, Some(seg.seq)),
                Field::Len => (seg.len, None),
                Field::Flags => (0, None),
            };
            match (field, answer) {
                (_, ItemAnswer::Blank) => {
                    let expected = if *field == Field::Flags {
                        ItemAnswer::Flags { value: seg.flags }
                    } else {
                        ItemAnswer::Number { value: f64::from(right) }
                    };
                    (false, expected, Some(WrongKind::Blank))
                }
                (Field::Flags, ItemAnswer::Flags { value }) => {
                    let ok = *value == seg.flags;
                    (ok, ItemAnswer::Flags { value: seg.flags }, (!ok).then(|| WrongKind::Flags { flags: value.to_string() }))
                }
                (Field::Flags, _) => return Err(type_error("flags: {\"type\":\"flags\",\"value\":{...}}")),
                (_, ItemAnswer::Number { value }) => {
                    let Some(given) = whole_u32(*value) else {
                        return Err(AnswerError { field: "value", message: "a whole number from 0 to 4294967295".into() });
                    };
                    let ok = given == right;
                    let wrong = (!ok).then(|| {
                        if Some(given) == other {
                            WrongKind::OtherSide
                        } else {
                            let by = if *field == Field::Len {
                                i64::from(given) - i64::from(right)
                            } else {
                                i64::from(given.wrapping_sub(right) as i32)
                            };
                            WrongKind::Off { by }
                        }
                    });
                    (ok, ItemAnswer::Number { value: f64::from(right) }, wrong)
                }
                _ => return Err(type_error("a number: {\"type\":\"number\",\"value\":...}")),
            }
        }
        ItemBody::Choice { choices, .. } => {
            let order = shuffled(choices.len(), seed);
            let right = order.iter().position(|&i| choices[i].correct).unwrap_or(0);
            let expected = ItemAnswer::Choice { index: right };
            match answer {
                ItemAnswer::Blank => (false, expected, Some(WrongKind::Blank)),
                ItemAnswer::Choice { index } if *index < choices.len() => {
                    (*index == right, expected, (*index != right).then(|| WrongKind::Choice { index: order[*index] }))
                }
                ItemAnswer::Choice { .. } => {
                    return Err(AnswerError { field: "index", message: format!("index must be 0 to {}", choices.len() - 1) });
                }
                _ => return Err(type_error("a choice: {\"type\":\"choice\",\"index\":...}")),
            }
        }
        ItemBody::Numeric { answer: right, tolerance, .. } => {
            let expected = ItemAnswer::Number { value: *right };
            match answer {
                ItemAnswer::Blank => (false, expected, Some(WrongKind::Blank)),
                ItemAnswer::Number { value } if value.is_finite() => {
                    // A hair of slack so 0.1 + 0.2 style decimals are not marked wrong.
                    let ok = (value - right).abs() <= tolerance + 1e-9 * right.abs().max(1.0);
                    (ok, expected, (!ok).then(|| WrongKind::Value { value: value.to_string() }))
                }
                ItemAnswer::Number { .. } => return Err(AnswerError { field: "value", message: "the answer must be a number".into() }),
                _ => return Err(type_error("a number: {\"type\":\"number\",\"value\":...}")),
            }
        }
    };
    let explain = match &item.question {
        ItemBody::Choice { explain, .. } | ItemBody::Numeric { explain, .. } => explain.clone(),
        ItemBody::Model { .. } => None,
    };
    Ok(ItemGrade { correct, points: if correct { item.points } else { 0 }, expected, wrong, explain })
}

fn whole_u32(value: f64) -> Option<u32> {
    (value.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&value)).then_some(value as u32)
}

/// The model answer in the practice quiz's shape, for the preview's answer form.
impl From<&Answer> for ItemAnswer {
    fn from(answer: &Answer) -> ItemAnswer {
        match answer {
            Answer::Number { value } => ItemAnswer::Number { value: f64::from(*value) },
            Answer::Flags { value } => ItemAnswer::Flags { value: *value },
            _ => ItemAnswer::Blank,
        }
    }
}
