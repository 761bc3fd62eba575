//! Lessons: Markdown files under `content/lessons/`, served as safe HTML by `/api/lessons`, and
//! the sentences explaining each step of the animation (`content/steps/`), served by `/api/steps`.

mod library;
mod markdown;
mod routes;
mod steps;

pub use library::Library;
pub use routes::router;
