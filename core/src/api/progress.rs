//! A learner's progress: topics, latest answers, lessons opened.

use serde::{Deserialize, Serialize};

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
