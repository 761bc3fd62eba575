//! Grading: the question is regenerated from its seed and the answer compared with the model.

use serde::{Deserialize, Serialize};

use super::answer::{Answer, AnswerError, Field, parse_flags};
use super::generate::{Ask, Question};
use crate::tcp::{Segment, StepKey};

/// The verdict, with what the feedback needs: the right answer and the step to replay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grading {
    pub correct: bool,
    pub expected: Answer,
    /// The step asked about; the feedback replays it and explains it with its key's sentence.
    pub step: usize,
    pub key: StepKey,
}

fn wrong_type(expected: &str, got: &Answer) -> AnswerError {
    AnswerError { field: "type", message: format!("this question takes a {expected} answer, not {}", got.type_name()) }
}

/// The right answer to a question, in the shape the question asks for.
pub fn expected(q: &Question) -> Answer {
    let step = &q.run.steps[q.ask.step()];
    let seg = step.segment().expect("questions are asked about segments");
    match &q.ask {
        Ask::Field { field, .. } => field_answer(seg, *field),
        Ask::State { side, .. } => Answer::State { value: step.change(*side).after },
        Ask::Next { .. } => Answer::Segment { flags: seg.flags, seq: seg.seq, ack: seg.ack, len: seg.len },
        Ask::SpotError { field, .. } => Answer::Error { field: *field, value: value_text(seg, *field) },
    }
}

fn field_answer(seg: &Segment, field: Field) -> Answer {
    match field {
        Field::Seq => Answer::Number { value: seg.seq },
        Field::Ack => Answer::Number { value: seg.ack },
        Field::Len => Answer::Number { value: seg.len },
        Field::Flags => Answer::Flags { value: seg.flags },
    }
}

fn value_text(seg: &Segment, field: Field) -> String {
    match field {
        Field::Seq => seg.seq.to_string(),
        Field::Ack => seg.ack.to_string(),
        Field::Len => seg.len.to_string(),
        Field::Flags => seg.flags.to_string(),
    }
}

/// Grades `answer`. An answer of the wrong shape is an error naming the part that is wrong, not a
/// wrong answer: a broken client must not cost the learner a point.
pub fn grade(q: &Question, answer: &Answer) -> Result<Grading, AnswerError> {
    let step = &q.run.steps[q.ask.step()];
    let seg = step.segment().expect("questions are asked about segments");
    let want = expected(q);
    let correct = match (&q.ask, answer) {
        (Ask::Field { field: Field::Flags, .. }, Answer::Flags { value }) => *value == seg.flags,
        (Ask::Field { field: Field::Flags, .. }, other) => return Err(wrong_type("flags", other)),
        (Ask::Field { .. }, Answer::Number { value }) => Answer::Number { value: *value } == want,
        (Ask::Field { .. }, other) => return Err(wrong_type("number", other)),
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
    Ok(Grading { correct, expected: want, step: step.index, key: step.key })
}

fn value_matches(seg: &Segment, field: Field, text: &str) -> Result<bool, AnswerError> {
    match field {
        Field::Flags => parse_flags(text)
            .map(|f| f == seg.flags)
            .ok_or_else(|| AnswerError { field: "value", message: format!("{text:?} is not a set of flags; write them like SYN+ACK") }),
        _ => {
            let n: u32 = text
                .trim()
                .parse()
                .map_err(|_| AnswerError { field: "value", message: format!("{text:?} is not a whole number from 0 to 4294967295") })?;
            Ok(Answer::Number { value: n } == field_answer(seg, field))
        }
    }
}
