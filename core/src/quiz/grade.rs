//! Grading: the question is regenerated from its seed and the answer compared with the model.
//! [`Grading`] is the verdict of every kind of question (practice, tuning bank, class quiz).

use serde::{Deserialize, Serialize};

use super::answer::{Answer, AnswerError, Field, parse_flags, whole_u32, wrong_type};
use super::generate::{Ask, Question};
use crate::lang::Text;
use crate::tcp::Segment;

/// The verdict on an answer, with what the feedback shows: the right answer, what kind of
/// mistake it was (where that can be told) and the author's explanation (where there is one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grading {
    pub correct: bool,
    /// The right answer, in the shape the question takes (a choice by its place in the
    /// learner's order).
    pub expected: Answer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrong: Option<WrongKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<Text>,
}

impl Grading {
    pub fn new(correct: bool, expected: Answer) -> Grading {
        Grading { correct, expected, wrong: None, explain: None }
    }
}

/// What kind of wrong answer it was, the same for every learner whatever their numbers, so the
/// results of a class can say which mistakes are common.
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
    /// The choice, by its place in the author's list.
    Choice {
        index: usize,
    },
    Value {
        value: String,
    },
}

/// The right answer to a question, in the shape the question asks for.
pub fn expected(q: &Question) -> Answer {
    let step = &q.run.steps[q.ask.step()];
    let seg = asked_segment(q);
    match &q.ask {
        Ask::Field { field, .. } => field.read(seg),
        Ask::State { side, .. } => Answer::State { value: step.change(*side).after },
        Ask::Next { .. } => Answer::Segment { flags: seg.flags, seq: seg.seq, ack: seg.ack, len: seg.len },
        Ask::SpotError { field, .. } => Answer::Error { field: *field, value: value_text(seg, *field) },
    }
}

fn asked_segment(q: &Question) -> &Segment {
    q.run.steps[q.ask.step()].segment().expect("questions are asked about segments")
}

fn value_text(seg: &Segment, field: Field) -> String {
    match field.read(seg) {
        Answer::Flags { value } => value.to_string(),
        Answer::Number { value } => (value as u32).to_string(),
        _ => unreachable!("a field reads as a number or flags"),
    }
}

/// Grades `answer`. An answer of the wrong shape is an error naming the part that is wrong, not a
/// wrong answer: a broken client must not cost the learner a point.
pub fn grade(q: &Question, answer: &Answer) -> Result<Grading, AnswerError> {
    let seg = asked_segment(q);
    let want = expected(q);
    let correct = match (&q.ask, answer) {
        (Ask::Field { field, .. }, answer) => return grade_field(seg, *field, answer),
        (Ask::State { .. }, Answer::State { .. }) => *answer == want,
        (Ask::State { .. }, other) => return Err(wrong_type("state", other)),
        (Ask::Next { .. }, Answer::Segment { flags, seq, ack, len }) => {
            // Without ACK the acknowledgement field carries nothing: any value is accepted.
            *flags == seg.flags && *seq == seg.seq && *len == seg.len && (!seg.flags.ack || *ack == seg.ack)
        }
        (Ask::Next { .. }, other) => return Err(wrong_type("segment", other)),
        (Ask::SpotError { field: wrong, .. }, Answer::Error { field, value }) => field == wrong && value_matches(seg, *field, value)?,
        (Ask::SpotError { .. }, other) => return Err(wrong_type("error", other)),
    };
    Ok(Grading::new(correct, want))
}

/// One field of a segment, with the kind of mistake when it is wrong.
fn grade_field(seg: &Segment, field: Field, answer: &Answer) -> Result<Grading, AnswerError> {
    let want = field.read(seg);
    let wrong = match (field, answer) {
        (Field::Flags, Answer::Flags { value }) => (*value != seg.flags).then(|| WrongKind::Flags { flags: value.to_string() }),
        (Field::Flags, other) => return Err(wrong_type("flags", other)),
        (_, Answer::Number { value }) => {
            let given = whole_u32(*value)?;
            let Answer::Number { value: right } = want else { unreachable!("a number field reads as a number") };
            let right = right as u32;
            (given != right).then(|| {
                if Some(given) == field.other_side(seg) {
                    WrongKind::OtherSide
                } else if field == Field::Len {
                    WrongKind::Off { by: i64::from(given) - i64::from(right) }
                } else {
                    WrongKind::Off { by: i64::from(given.wrapping_sub(right) as i32) }
                }
            })
        }
        (_, other) => return Err(wrong_type("number", other)),
    };
    Ok(Grading { correct: wrong.is_none(), expected: want, wrong, explain: None })
}

fn value_matches(seg: &Segment, field: Field, text: &str) -> Result<bool, AnswerError> {
    let given = match field {
        Field::Flags => Answer::Flags {
            value: parse_flags(text).ok_or_else(|| AnswerError {
                field: "value",
                message: format!("{text:?} is not a set of flags; write them like SYN+ACK"),
            })?,
        },
        _ => Answer::number(
            text.trim()
                .parse::<u32>()
                .map_err(|_| AnswerError { field: "value", message: format!("{text:?} is not a whole number from 0 to 4294967295") })?,
        ),
    };
    Ok(given == field.read(seg))
}
