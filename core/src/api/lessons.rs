//! Lessons and the sentences of the steps.

use serde::{Deserialize, Serialize};

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
