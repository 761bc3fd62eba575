//! `POST /api/auth/register`, `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/me`.
//!
//! Registering keeps the anonymous learner's row and gives it a name: the progress made so far is
//! the account's. Logging in elsewhere brings that device's anonymous answers into the account.

use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use tower_sessions::Session;

use super::{LEARNER_KEY, current, password, session_error};
use crate::app::AppState;
use crate::error::{AppError, Result};
use crate::json::AppJson;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/register", post(register))
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/auth/me", get(me))
}

#[derive(Deserialize)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

#[derive(Serialize)]
pub struct Me {
    pub username: Option<String>,
}

/// 3 to 32 lowercase letters, digits, `.`, `-`, `_`: readable in any list, and nothing that
/// needs escaping anywhere it is shown.
fn check_username(name: &str) -> Result<String> {
    let name = name.trim().to_lowercase();
    let ok = (3..=32).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_'));
    if ok {
        Ok(name)
    } else {
        Err(AppError::Invalid {
            field: "username".into(),
            message: "username must be 3 to 32 letters, digits, '.', '-' or '_'".into(),
        })
    }
}

/// At least 8 characters (NIST SP 800-63B), at most 256 so hashing stays cheap.
fn check_password(password: &str) -> Result<()> {
    let n = password.chars().count();
    if (8..=256).contains(&n) {
        Ok(())
    } else {
        Err(AppError::Invalid { field: "password".into(), message: "password must be 8 to 256 characters".into() })
    }
}

async fn register(State(state): State<AppState>, session: Session, AppJson(c): AppJson<Credentials>) -> Result<AppJson<Me>> {
    let username = check_username(&c.username)?;
    check_password(&c.password)?;
    let hash = password::hash(c.password).await?;
    let learner = match current(&session).await? {
        Some(id) if super::username(&state.db, id).await?.is_some() => {
            return Err(AppError::Conflict {
                field: "username".into(),
                message: "this browser is already logged in to an account; log out first".into(),
            });
        }
        // The anonymous learner gets the name: their answers so far become the account's.
        Some(id) => {
            let updated = sqlx::query("UPDATE learners SET username = ?, password_hash = ? WHERE id = ? AND username IS NULL")
                .bind(&username)
                .bind(&hash)
                .bind(id)
                .execute(&state.db)
                .await
                .map_err(|e| taken(e, &username))?;
            if updated.rows_affected() == 1 { id } else { insert(&state.db, &username, &hash).await? }
        }
        None => insert(&state.db, &username, &hash).await?,
    };
    session.cycle_id().await.map_err(session_error)?;
    session.insert(LEARNER_KEY, learner).await.map_err(session_error)?;
    Ok(AppJson(Me { username: Some(username) }))
}

async fn insert(db: &SqlitePool, username: &str, hash: &str) -> Result<i64> {
    sqlx::query_scalar("INSERT INTO learners (username, password_hash) VALUES (?, ?) RETURNING id")
        .bind(username)
        .bind(hash)
        .fetch_one(db)
        .await
        .map_err(|e| taken(e, username))
}

fn taken(e: sqlx::Error, username: &str) -> AppError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            AppError::Conflict { field: "username".into(), message: format!("the username {username:?} is taken") }
        }
        _ => AppError::Database(e),
    }
}

async fn login(State(state): State<AppState>, session: Session, AppJson(c): AppJson<Credentials>) -> Result<AppJson<Me>> {
    let username = c.username.trim().to_lowercase();
    let row: Option<(i64, Option<String>)> = sqlx::query_as("SELECT id, password_hash FROM learners WHERE username = ?")
        .bind(&username)
        .fetch_optional(&state.db)
        .await?;
    let (account, stored) = match row {
        Some((id, hash)) => (Some(id), hash),
        None => (None, None),
    };
    if !password::verify(c.password, stored).await? {
        return Err(AppError::Unauthorized("wrong username or password".into()));
    }
    let account = account.ok_or_else(|| AppError::Internal("verified without an account".into()))?;
    if let Some(anonymous) = current(&session).await?.filter(|id| *id != account)
        && super::username(&state.db, anonymous).await?.is_none()
    {
        merge(&state.db, anonymous, account).await?;
        // Cached questions still name the anonymous learner as their owner.
        state.quiz.forget_learner(anonymous);
    }
    // A new session id at every login, so an id planted before it is worth nothing after.
    session.cycle_id().await.map_err(session_error)?;
    session.insert(LEARNER_KEY, account).await.map_err(session_error)?;
    Ok(AppJson(Me { username: Some(username) }))
}

/// Moves an anonymous learner's questions, answers and lessons into an account, in one transaction.
/// The emptied anonymous row stays: without AUTOINCREMENT SQLite hands the highest deleted id to
/// the next new learner, and anything still naming the old id (a cached question's owner) would
/// then name a stranger.
async fn merge(db: &SqlitePool, anonymous: i64, account: i64) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE questions SET learner_id = ? WHERE learner_id = ?").bind(account).bind(anonymous).execute(&mut *tx).await?;
    sqlx::query("UPDATE answers SET learner_id = ? WHERE learner_id = ?").bind(account).bind(anonymous).execute(&mut *tx).await?;
    // A lesson both have opened keeps the account's row; the other is dropped below.
    sqlx::query("UPDATE OR IGNORE lesson_progress SET learner_id = ? WHERE learner_id = ?")
        .bind(account)
        .bind(anonymous)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM lesson_progress WHERE learner_id = ?").bind(anonymous).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

async fn logout(session: Session) -> Result<AppJson<Me>> {
    session.flush().await.map_err(session_error)?;
    Ok(AppJson(Me { username: None }))
}

async fn me(State(state): State<AppState>, session: Session) -> Result<AppJson<Me>> {
    let username = match current(&session).await? {
        Some(id) => super::username(&state.db, id).await?,
        None => None,
    };
    Ok(AppJson(Me { username }))
}
