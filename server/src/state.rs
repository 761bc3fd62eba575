//! What every handler can reach: the database, the content loaded at start-up, the in-memory
//! stores and limits. Its own module so features import it from here, not from `app`, which
//! imports the features.

use std::sync::Arc;

use sqlx::SqlitePool;
use tcplab_core::quiz::bank::Bank;
use tcplab_core::tuning::Knowledge;

use crate::content::Content;
use crate::error::texts::ErrorTexts;
use crate::lessons::Library;
use crate::{learners, quiz};

#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    /// Loaded once at start-up; content changes need a restart.
    pub lessons: Arc<Library>,
    /// `content/tuning/params.toml`, checked at start-up.
    pub tuning: Arc<Knowledge>,
    /// Whether the session cookie is marked Secure (HTTPS only).
    pub secure_cookies: bool,
    /// `content/quiz/tuning.toml`, checked at start-up.
    pub bank: Arc<Bank>,
    /// Questions cached in memory, answers written in batches.
    pub quiz: quiz::QuizStore,
    /// Failed logins, counted to slow down password guessing.
    pub logins: learners::LoginThrottle,
    /// New anonymous learners per address.
    pub newcomers: learners::Budget,
    /// Registrations per address.
    pub registrations: learners::Budget,
    /// `content/errors/`: what a failed request says in each language.
    pub errors: Arc<ErrorTexts>,
    /// `content/ui/`: the interface strings the class pages fetch.
    pub ui: Arc<crate::ui_texts::UiTexts>,
    /// The sessions (SQLite, with a copy in memory): shared with the session layer so that a
    /// password change can end an account's other sessions in both.
    pub sessions: learners::SqliteStore,
    /// Whether the database file is still the one opened.
    pub storage: crate::storage::FileGuard,
}

impl AppState {
    /// Must be called inside the tokio runtime: the quiz store starts its answer writer.
    pub fn new(db: SqlitePool, content: Content, secure_cookies: bool) -> AppState {
        let Content { lessons, tuning, bank, errors, ui } = content;
        learners::password::warm_up();
        AppState {
            quiz: quiz::QuizStore::new(db.clone()),
            sessions: learners::SqliteStore::new(db.clone()),
            db,
            lessons,
            tuning,
            bank,
            errors,
            ui,
            secure_cookies,
            logins: Default::default(),
            newcomers: learners::Budget::newcomers(),
            registrations: learners::Budget::registrations(),
            storage: Default::default(),
        }
    }

    /// Watches the database file for deletion or replacement ([`crate::storage`]).
    pub fn with_storage(self, storage: crate::storage::FileGuard) -> AppState {
        AppState { storage, ..self }
    }
}
