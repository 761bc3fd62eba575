//! What a learner answers, and the ways an answer can be unreadable.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::tcp::{Flags, Segment, TcpState};

/// A field of a segment that a question can ask about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Seq,
    Ack,
    Len,
    Flags,
}

impl Field {
    pub const ALL: [Field; 4] = [Field::Seq, Field::Ack, Field::Len, Field::Flags];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Seq => "seq",
            Field::Ack => "ack",
            Field::Len => "len",
            Field::Flags => "flags",
        }
    }
}

impl Field {
    /// This field of `seg`, as an answer would give it: a number, or flags. The one place that
    /// reads a field of a step, for the grader, the prompt and the class quiz's mistakes.
    pub fn read(self, seg: &Segment) -> Answer {
        match self {
            Field::Seq => Answer::number(seg.seq),
            Field::Ack => Answer::number(seg.ack),
            Field::Len => Answer::number(seg.len),
            Field::Flags => Answer::Flags { value: seg.flags },
        }
    }

    /// The number the other direction carries in this field's place (the acknowledged number
    /// for a seq, and the other way round): the commonest mix-up, named in class results.
    pub fn other_side(self, seg: &Segment) -> Option<u32> {
        match self {
            Field::Seq => Some(seg.ack),
            Field::Ack => Some(seg.seq),
            Field::Len | Field::Flags => None,
        }
    }
}

/// An answer as the browser sends it, to any question: a practice question from the model, a
/// tuning bank question or a class quiz item. Each question takes some of the shapes; any other
/// is an [`AnswerError`] naming `type`. `{"type": "number", "value": 1001}` and so on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Answer {
    /// Left empty: only a class quiz takes it (counted wrong, so an unfinished quiz can be
    /// handed in).
    Blank,
    /// A seq, ack or length (whole, 0 to 2^32 - 1), or the number a bank or class question
    /// asks for. Whole numbers are written without a decimal point.
    Number {
        #[serde(serialize_with = "whole_as_integer")]
        value: f64,
    },
    Flags {
        value: Flags,
    },
    State {
        value: TcpState,
    },
    /// The whole next segment.
    Segment {
        flags: Flags,
        seq: u32,
        ack: u32,
        len: u32,
    },
    /// Which field of the shown step is wrong, and its right value (a number, or flags such as
    /// `SYN+ACK`).
    Error {
        field: Field,
        value: String,
    },
    /// A choice, by its place in the order this learner was shown.
    Choice {
        index: usize,
    },
}

impl Answer {
    pub fn number(value: impl Into<f64>) -> Answer {
        Answer::Number { value: value.into() }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Answer::Blank => "blank",
            Answer::Number { .. } => "number",
            Answer::Flags { .. } => "flags",
            Answer::State { .. } => "state",
            Answer::Segment { .. } => "segment",
            Answer::Error { .. } => "error",
            Answer::Choice { .. } => "choice",
        }
    }
}

/// `1001` rather than `1001.0`: the numbers of the model and the bank are whole, and the API
/// has always written them so.
fn whole_as_integer<S: serde::Serializer>(value: &f64, out: S) -> Result<S::Ok, S::Error> {
    if value.fract() == 0.0 && value.abs() < 9_007_199_254_740_992.0 { out.serialize_i64(*value as i64) } else { out.serialize_f64(*value) }
}

/// `value` as a seq, ack or length: a whole number from 0 to 2^32 - 1.
pub fn whole_u32(value: f64) -> Result<u32, AnswerError> {
    if value.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&value) {
        Ok(value as u32)
    } else {
        Err(AnswerError { field: "value", message: "a whole number from 0 to 4294967295".into() })
    }
}

/// The answer "this question takes another shape": names `type` and what is taken.
pub fn wrong_type(expected: &str, got: &Answer) -> AnswerError {
    AnswerError { field: "type", message: format!("this question takes a {expected} answer, not {}", got.type_name()) }
}

/// Why an answer cannot be graded; `field` names the part of the answer, for the JSON error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerError {
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for AnswerError {}

/// Reads flags as people write them: `SYN+ACK`, `syn, ack`, `FIN ACK`.
pub fn parse_flags(text: &str) -> Option<Flags> {
    let mut flags = Flags::default();
    let mut any = false;
    for word in text.split(|c: char| c == '+' || c == ',' || c == '|' || c.is_whitespace()).filter(|w| !w.is_empty()) {
        let slot = match word.to_ascii_uppercase().as_str() {
            "SYN" => &mut flags.syn,
            "ACK" => &mut flags.ack,
            "FIN" => &mut flags.fin,
            "RST" => &mut flags.rst,
            "PSH" => &mut flags.psh,
            _ => return None,
        };
        *slot = true;
        any = true;
    }
    any.then_some(flags)
}
