//! Lessons: Markdown files under `content/lessons/`, served as safe HTML by `/api/lessons`.

mod library;
mod markdown;
mod routes;

pub use library::{ContentError, Library};
pub use routes::router;
