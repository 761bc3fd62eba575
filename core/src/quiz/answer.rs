//! What a learner answers, and the ways an answer can be unreadable.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::tcp::{Flags, TcpState};

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

/// An answer as the browser sends it: `{"type": "number", "value": 1001}` and so on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Answer {
    /// A seq, ack or length.
    Number {
        value: u32,
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
}

impl Answer {
    pub fn type_name(&self) -> &'static str {
        match self {
            Answer::Number { .. } => "number",
            Answer::Flags { .. } => "flags",
            Answer::State { .. } => "state",
            Answer::Segment { .. } => "segment",
            Answer::Error { .. } => "error",
        }
    }
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
