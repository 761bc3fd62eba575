//! What the server reads from `content/` at start-up (lessons, step sentences, the tuning
//! knowledge, the quiz bank, the error texts), and the one error a bad content file gives: the file, the line
//! where there is one, and what is wrong. Every file is checked before the server listens.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tcplab_core::quiz::bank::Bank;
use tcplab_core::tuning::Knowledge;

use crate::error::texts::ErrorTexts;
use crate::lessons::Library;
use crate::quiz;

/// What the server reads from `content/` at start-up.
pub struct Content {
    pub lessons: Arc<Library>,
    pub tuning: Arc<Knowledge>,
    pub bank: Arc<Bank>,
    pub errors: Arc<ErrorTexts>,
    pub ui: Arc<crate::ui_texts::UiTexts>,
}

impl Content {
    /// Loads and checks every content file; the first problem stops the server.
    pub fn load(content_dir: &Path) -> Result<Content, ContentError> {
        Ok(Content {
            lessons: Arc::new(Library::load(content_dir)?),
            tuning: Arc::new(crate::tuning::load(content_dir)?),
            bank: Arc::new(quiz::load_bank(content_dir)?),
            errors: Arc::new(ErrorTexts::load(content_dir)?),
            ui: Arc::new(crate::ui_texts::UiTexts::load(content_dir)?),
        })
    }
}

/// What is wrong with a content file, with the place to look.
#[derive(Debug)]
pub struct ContentError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for ContentError {}

/// Reads a TOML content file into `T` and runs its `check`: any problem it lists stops the
/// server, all of them in one message with the file's name.
pub fn read_checked_toml<T: serde::de::DeserializeOwned>(
    file: &Path,
    what: &str,
    check: impl FnOnce(&T) -> Vec<String>,
) -> Result<T, ContentError> {
    let value: T = read_toml(file, what)?;
    let problems = check(&value);
    if problems.is_empty() { Ok(value) } else { Err(ContentError { file: file.to_path_buf(), line: None, message: problems.join("; ") }) }
}

/// Reads a TOML content file into `T`; a syntax or shape error names the file and the line.
fn read_toml<T: serde::de::DeserializeOwned>(file: &Path, what: &str) -> Result<T, ContentError> {
    let err = |line: Option<usize>, message: String| ContentError { file: file.to_path_buf(), line, message };
    let text = std::fs::read_to_string(file).map_err(|e| err(None, format!("cannot read {what}: {e}")))?;
    toml::from_str(&text).map_err(|e| {
        let line = e.span().map(|span| text[..span.start].lines().count().max(1));
        err(line, e.message().to_owned())
    })
}
