//! JSON shapes of the HTTP API, shared by the server (which writes them) and the browser app
//! (which reads them), so the two cannot drift apart. One module per feature; the shapes most
//! routes use are re-exported here.

pub mod auth;
pub mod classroom;
mod error;
mod health;
mod lessons;
mod progress;
mod quiz;

pub use error::{ErrorBody, ErrorCode, ErrorDetail, error_text};
pub use health::Health;
pub use lessons::{LessonPage, LessonSummary, StepTexts};
pub use progress::{HistoryItem, LessonProgress, LessonVisit, Progress, TopicProgress};
pub use quiz::{AnswerSubmission, BankFeedback, BankQuestionView, BankSubmission, Feedback, NewBankQuestion, NewQuestion, QuestionView};
