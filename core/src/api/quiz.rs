//! The practice quiz: model questions and the tuning bank.

use serde::{Deserialize, Serialize};

/// `POST /api/quiz/questions`: which kind of question to generate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewQuestion {
    pub kind: crate::quiz::Kind,
}

/// A question as the learner sees it: its id (to answer it) and the prompt, never the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionView {
    pub id: String,
    pub prompt: crate::quiz::Prompt,
}

/// `POST /api/quiz/questions/{id}/answers`. `attempt_id` is made by the browser once per press of
/// "submit" (a UUID, say), so a retried request is recognised and not counted twice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerSubmission {
    pub attempt_id: String,
    pub answer: crate::quiz::Answer,
}

/// The verdict on an answer, with what the feedback shows: the right answer, and the steps up to
/// and including the one asked about, to replay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    pub question_id: String,
    pub attempt_id: String,
    pub correct: bool,
    /// What the learner answered, shown beside the right answer.
    pub answer: crate::quiz::Answer,
    pub expected: crate::quiz::Answer,
    /// The kind of mistake, when it can be told (off by one, the other side's number ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrong: Option<crate::quiz::WrongKind>,
    pub step: usize,
    pub key: crate::tcp::StepKey,
    pub replay: Vec<crate::tcp::Step>,
    /// True when this attempt had been submitted before: nothing new was stored.
    pub repeated: bool,
}

/// `POST /api/quiz/tuning`: a given bank question, or (without `id`) one at random.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NewBankQuestion {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// A question from the tuning bank as the learner sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankQuestionView {
    pub id: String,
    pub prompt: crate::quiz::bank::BankPrompt,
}

/// `POST /api/quiz/tuning/{id}/answers`; `attempt_id` as in [`AnswerSubmission`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankSubmission {
    pub attempt_id: String,
    pub answer: crate::quiz::Answer,
}

/// The verdict on a bank answer: the right answer (a number, or the index of the right choice in
/// the learner's order) and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankFeedback {
    pub question_id: String,
    pub attempt_id: String,
    pub correct: bool,
    pub expected: crate::quiz::Answer,
    pub explain: crate::lang::Text,
    pub repeated: bool,
}
