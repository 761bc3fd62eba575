//! Class quizzes: what an instructor writes ([`Quiz`] of [`Item`]s), what each learner is shown
//! of it ([`variant`]: their own numbers and choice order from one seed per attempt), how an
//! answer is graded, and the results an instructor reads ([`results`]).
//!
//! Everything is a pure function of the stored quiz and the attempt's seed, as with the practice
//! quiz: the server keeps only the seed and the learner's answers, and grades by regenerating.
//! The browser runs the same code for the editor's live preview, so the preview is exactly what
//! a learner will see.

pub mod calculated;
mod item;
pub mod results;
pub(crate) mod variant;

#[cfg(test)]
mod tests;

pub use item::{Counted, Item, ItemBody, MAX_ASKED, MAX_ITEMS, MAX_POINTS, Problem, Quiz, ScoreVisibility, TIME_LIMITS_S};
pub use variant::{ItemGrade, ItemPrompt, grade, grade_all, item_seed, model_item_question, model_question, pick, prompt, segment_steps};
