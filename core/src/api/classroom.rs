//! JSON shapes of classes, class quizzes and their results.

use serde::{Deserialize, Serialize};

use crate::classroom::results::Summary;
use crate::classroom::{Counted, ItemGrade, ItemPrompt, Quiz, ScoreVisibility};
use crate::quiz::Answer;

/// `POST /api/classes`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewClass {
    pub name: String,
}

/// `POST /api/classes/join`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinClass {
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSummary {
    pub id: i64,
    pub name: String,
    pub teacher: String,
    /// Only for the class's instructor (and admins): learners join with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_code: Option<String>,
    pub members: u32,
    /// Archived: read-only, out of the default lists, results kept.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub archived: bool,
}

/// `PUT /api/classes/{id}` (its instructor): a new name, or archived and back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassChange {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub archived: Option<bool>,
}

/// `DELETE /api/classes/{id}` and `DELETE /api/quizzes/{id}`: what went with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Deleted {
    pub quizzes: u32,
    pub attempts: u32,
    pub members: u32,
}

/// `GET /api/classes`: the classes one teaches and the ones one has joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Classes {
    pub teaching: Vec<ClassSummary>,
    pub joined: Vec<ClassSummary>,
}

/// Where a quiz stands for learners, now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuizWindow {
    Draft,
    NotYetOpen,
    Open,
    Closed,
}

/// A quiz in a class's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizInfo {
    pub id: i64,
    pub title: String,
    pub window: QuizWindow,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub questions: u32,
    pub max_points: u32,
    pub attempts_allowed: u32,
    pub show_scores: ScoreVisibility,
    /// Seconds an attempt may last, when the quiz has a time limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit_s: Option<u32>,
    /// The asking learner's submitted attempts (0 for instructors).
    pub attempts_used: u32,
    /// The asking learner's best score, when they may see it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best: Option<u32>,
    /// The asking learner's latest attempt, handed in or not, to go back to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_attempt: Option<i64>,
}

/// `GET /api/classes/{id}`: for its instructor every quiz and the members; for a member the
/// published quizzes only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassDetail {
    pub class: ClassSummary,
    /// Whether the asker teaches this class (or is an admin).
    pub teaching: bool,
    pub quizzes: Vec<QuizInfo>,
    #[serde(default)]
    pub members: Vec<String>,
}

/// `GET /api/quizzes/{id}` (instructor): the quiz as the editor holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditableQuiz {
    pub id: i64,
    pub class_id: i64,
    pub class_name: String,
    pub quiz: Quiz,
    /// Submitted attempts so far: the editor warns that edits do not change them.
    pub submitted: u32,
}

/// One question of an attempt as the learner sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptItem {
    pub points: u32,
    pub prompt: ItemPrompt,
}

/// `POST /api/quizzes/{id}/attempts` and `GET /api/attempts/{id}`: the learner's own copy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptView {
    pub attempt_id: i64,
    pub quiz_id: i64,
    pub title: String,
    pub items: Vec<AttemptItem>,
    pub max_points: u32,
    /// Closing time, Unix seconds, so the page can warn.
    pub closes_at: Option<i64>,
    /// When this attempt ends (Unix seconds): the quiz's close or the end of its time limit,
    /// whichever comes first. The server grades it then with the answers saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<i64>,
    /// The server's clock when it answered (Unix seconds): the page counts the time left from
    /// it, not from the learner's own clock.
    #[serde(default)]
    pub now: i64,
    /// The answers saved so far, one per question, while the attempt is open.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub saved: Vec<Answer>,
    /// When answers were last saved (ISO 8601, UTC), if ever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved_at: Option<String>,
    /// Set once submitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<AttemptResult>,
    /// Whose attempt, when the class's instructor reads it (who then sees everything).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learner: Option<String>,
}

/// `POST /api/attempts/{id}/submit`: one answer per question, `{"type":"blank"}` for none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptSubmission {
    pub answers: Vec<Answer>,
}

/// What the learner learns after submitting: the score and grades only when the quiz's
/// setting allows it now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptResult {
    pub submitted_at: String,
    pub answers: Vec<Answer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grades: Option<Vec<ItemGrade>>,
    /// Handed in by the server at the close or the time limit, with the answers saved by then.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub graded_at_due: bool,
    /// The instructor changed the score (`score` is theirs): the graded score and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overridden: Option<Overridden>,
}

/// An instructor's score in place of the graded one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overridden {
    pub graded: u32,
    pub reason: String,
}

/// `PUT /api/attempts/{id}/score` (the class's instructor): a score for a handed-in attempt
/// with the reason its learner will read; `score: null` puts the graded score back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreOverride {
    pub score: Option<u32>,
    #[serde(default)]
    pub reason: String,
}

/// What one learner may do beyond a quiz's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Allowance {
    /// Attempts on top of the quiz's own.
    #[serde(default)]
    pub extra_attempts: u32,
    /// Their own closing time (Unix seconds), in place of the quiz's.
    #[serde(default)]
    pub closes_at: Option<i64>,
    /// Seconds added to the quiz's time limit.
    #[serde(default)]
    pub extra_time_s: u32,
}

/// `GET /api/quizzes/{id}/exceptions`: every learner with an allowance;
/// `PUT /api/quizzes/{id}/exceptions/{username}` sets one (all zero: removed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerException {
    pub username: String,
    #[serde(flatten)]
    pub allowance: Allowance,
}

/// `GET /api/classes/{id}/gradebook` (its instructor): every member's counted score on every
/// quiz, in the class's order. `None`: nothing handed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gradebook {
    pub class_id: i64,
    pub class_name: String,
    pub quizzes: Vec<GradebookQuiz>,
    pub learners: Vec<GradebookRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradebookQuiz {
    pub id: i64,
    pub title: String,
    pub max_points: u32,
    pub counted: Counted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradebookRow {
    pub username: String,
    pub scores: Vec<Option<u32>>,
}

/// `PUT /api/attempts/{id}/answers`: the answers that changed since the last save. Saving the
/// same answer again changes nothing, so a save may be retried freely.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswersToSave {
    pub answers: Vec<SavedAnswer>,
}

/// One question's answer so far: `index` counts from 0 in the attempt's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedAnswer {
    pub index: usize,
    pub answer: Answer,
}

/// What a save came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswersSaved {
    /// When the server stored them (ISO 8601, UTC).
    pub saved_at: String,
}

/// `GET /api/quizzes/{id}/results` (instructor).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizResults {
    pub id: i64,
    pub class_id: i64,
    pub quiz: Quiz,
    pub summary: Summary,
}

/// Formats quizzes move to and from Moodle in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeFormat {
    Gift,
    MoodleXml,
}

/// `POST /api/quizzes/{id}/import`: questions in GIFT or Moodle XML, added to the quiz's end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRequest {
    pub format: ExchangeFormat,
    pub text: String,
    /// Moodle has one language per question; the text fills both of ours until translated.
    #[serde(default)]
    pub points: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub quiz: EditableQuiz,
    pub imported: u32,
}
