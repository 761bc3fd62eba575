//! Learners and their sessions. A visitor becomes an anonymous learner with their first question:
//! a row in `learners` and its id in the session, whose random id is the only thing in the
//! (HttpOnly, SameSite) cookie. Registering later adds a username to that same row.

mod password;
mod routes;
mod session_store;

use sqlx::SqlitePool;
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

use crate::error::{AppError, Result};
pub use routes::router;
pub use session_store::SqliteStore;

pub const COOKIE_NAME: &str = "tcplab_session";
const LEARNER_KEY: &str = "learner_id";

/// Sessions last half a year from the last request: a learner comes back after the holidays and
/// finds their progress.
pub fn session_layer(pool: SqlitePool, secure: bool) -> SessionManagerLayer<SqliteStore> {
    SessionManagerLayer::new(SqliteStore::new(pool))
        .with_name(COOKIE_NAME)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(Duration::days(180)))
}

pub(crate) fn session_error(e: tower_sessions::session::Error) -> AppError {
    AppError::Internal(format!("session: {e}"))
}

/// The learner of this session, if it has one.
pub async fn current(session: &Session) -> Result<Option<i64>> {
    session.get::<i64>(LEARNER_KEY).await.map_err(session_error)
}

/// The learner of this session, created (anonymous) on first use.
pub async fn current_or_new(db: &SqlitePool, session: &Session) -> Result<i64> {
    if let Some(id) = current(session).await? {
        return Ok(id);
    }
    let id: i64 = sqlx::query_scalar("INSERT INTO learners DEFAULT VALUES RETURNING id").fetch_one(db).await?;
    session.insert(LEARNER_KEY, id).await.map_err(session_error)?;
    Ok(id)
}

/// The learner's username; `None` while they are anonymous (or the row is gone).
pub async fn username(db: &SqlitePool, learner: i64) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT username FROM learners WHERE id = ?").bind(learner).fetch_optional(db).await?.flatten())
}
