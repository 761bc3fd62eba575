//! JSON shapes of the HTTP API, shared by the server (which writes them) and the browser app
//! (which reads them), so the two cannot drift apart.

use serde::{Deserialize, Serialize};

/// The body of every error response: `{"error": {"code": "...", "message": "...", "field": "..."}}`.
///
/// `code` is stable and meant for programs; `message` is for people; `field` names the input that
/// was wrong, when one was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// `GET /healthz`: the server answers, and so does its database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub database: String,
    /// Number of schema migrations applied: lets an operator see the schema version at a glance.
    pub migrations: i64,
    pub version: String,
}

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
    pub expected: crate::quiz::Answer,
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

/// One topic in the progress page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicProgress {
    pub kind: crate::quiz::Topic,
    pub answered: u32,
    pub correct: u32,
    /// Share of the last [`crate::quiz::MASTERY_WINDOW`] answers that were right, 0 to 1.
    pub mastery: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryItem {
    pub question_id: String,
    pub kind: crate::quiz::Topic,
    pub correct: bool,
    /// UTC, ISO 8601.
    pub at: String,
}

/// A lesson the learner has opened; `completed_at` once they marked it finished. Times are UTC,
/// ISO 8601.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonProgress {
    pub id: String,
    pub opened_at: String,
    pub completed_at: Option<String>,
}

/// `POST /api/progress/lessons/{id}`: the lesson was opened, or (with `completed`) finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonVisit {
    #[serde(default)]
    pub completed: bool,
}

/// `GET /api/progress`: every kind of question (answered or not), the latest answers, and the
/// lessons opened, most recent first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub username: Option<String>,
    pub topics: Vec<TopicProgress>,
    pub history: Vec<HistoryItem>,
    pub lessons: Vec<LessonProgress>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_omits_an_absent_field() {
        let body = ErrorBody { error: ErrorDetail { code: "not_found".into(), message: "no such thing".into(), field: None } };
        assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"error":{"code":"not_found","message":"no such thing"}}"#);
    }

    #[test]
    fn error_body_reads_with_a_field() {
        let body: ErrorBody = serde_json::from_str(r#"{"error":{"code":"invalid","message":"too big","field":"port"}}"#).unwrap();
        assert_eq!(body.error.field.as_deref(), Some("port"));
    }
}

/// A lesson in the list (`GET /api/lessons?lang=...`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonSummary {
    pub id: String,
    pub order: u32,
    pub title: String,
    pub summary: String,
    /// Model scenario ids the lesson plays.
    pub scenarios: Vec<String>,
    pub topics: Vec<String>,
    /// Linux settings the lesson discusses, such as `net.core.somaxconn`.
    pub settings: Vec<String>,
    /// The language the text is in: the requested one, or English when no translation exists yet.
    pub lang: crate::lang::Lang,
}

/// One lesson (`GET /api/lessons/{id}?lang=...`). `html` is rendered on the server from Markdown
/// with raw HTML disabled, so the page may insert it as is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonPage {
    #[serde(flatten)]
    pub summary: LessonSummary,
    /// The language asked for; differs from `summary.lang` when the translation is missing.
    pub requested: crate::lang::Lang,
    pub html: String,
}

/// `GET /api/steps?lang=`: the sentence for every step key and the title of every scenario, in
/// one language. Sentences hold `{placeholders}` that [`crate::tcp::fill`] replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepTexts {
    pub lang: crate::lang::Lang,
    pub steps: std::collections::BTreeMap<String, String>,
    pub scenarios: std::collections::BTreeMap<String, String>,
}

pub mod classroom;
