//! Who may see and do what with a class or a quiz, decided here for every route.
//!
//! Not knowing a class and not being in it look the same (404), so ids cannot be probed; a member
//! reaching for an instructor's page gets 403, since they know the quiz exists.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use sqlx::SqlitePool;
use tcplab_core::api::ErrorCode;
use tcplab_core::api::auth::Role;
use tcplab_core::lang::Text;

use super::store::{self, QuizRow};
use crate::error::{AppError, Result};
use crate::json::AppPath;
use crate::learners::Account;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The class's instructor, or an admin.
    Teacher,
    Member,
}

pub fn no_class(id: i64) -> AppError {
    AppError::NotFound(format!("no class {id} for this account"))
}

pub fn no_quiz(id: i64) -> AppError {
    AppError::NotFound(format!("no quiz {id} for this account"))
}

/// An archived class is read-only: every change to it or its quizzes is a 409 until it is
/// brought back (deleting it is still possible).
pub async fn unarchived(db: &SqlitePool, class_id: i64) -> Result<()> {
    match store::archived(db, class_id).await? {
        Some(true) => Err(AppError::Check {
            code: ErrorCode::Conflict,
            field: "class".into(),
            message: Text::new(
                "this class is archived, so it is read-only; its instructor can bring it back",
                "这个班级已归档，只能查看；老师可以取消归档",
            ),
        }),
        _ => Ok(()),
    }
}

/// The caller's relation to class `id`, or 404.
pub async fn class(db: &SqlitePool, account: &Account, id: i64) -> Result<Relation> {
    match store::relation(db, id, account.id).await? {
        // A teacher demoted to learner keeps their classes' rows but no longer runs them.
        Some((true, _)) if account.role.teaches() => Ok(Relation::Teacher),
        Some(_) if account.role == Role::Admin => Ok(Relation::Teacher),
        Some((false, true)) => Ok(Relation::Member),
        _ => Err(no_class(id)),
    }
}

/// Quiz `id` and the caller's relation to its class. A draft is invisible to members (404).
pub async fn quiz(db: &SqlitePool, account: &Account, id: i64) -> Result<(QuizRow, Relation)> {
    let row = store::quiz(db, id).await?.ok_or_else(|| no_quiz(id))?;
    let relation = class(db, account, row.class_id).await.map_err(|_| no_quiz(id))?;
    if relation == Relation::Member && !row.quiz.published {
        return Err(no_quiz(id));
    }
    Ok((row, relation))
}

/// The quiz of the route's `{id}`, for an account that teaches its class: 401 without an
/// account, 403 for a member, 404 for anybody else. The six instructor-only quiz routes take it.
pub struct TeacherQuiz(pub QuizRow);

impl FromRequestParts<AppState> for TeacherQuiz {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let AppPath(id) = AppPath::<i64>::from_request_parts(parts, state).await?;
        let account = Account::from_request_parts(parts, state).await?;
        Ok(TeacherQuiz(teacher_quiz(&state.db, &account, id).await?))
    }
}

/// Quiz `id` for its instructor (or an admin); a member gets 403.
pub async fn teacher_quiz(db: &SqlitePool, account: &Account, id: i64) -> Result<QuizRow> {
    match quiz(db, account, id).await? {
        (row, Relation::Teacher) => Ok(row),
        (_, Relation::Member) => Err(AppError::Forbidden("only the class's instructor can do this".into())),
    }
}
