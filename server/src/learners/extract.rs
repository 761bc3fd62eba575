//! Who is asking, as extractors: a handler names what it needs among its arguments ([`Account`],
//! [`Teacher`], [`MaybeAccount`]) and a request without it is refused before the handler runs,
//! so no handler can forget the check. In the style of the realworld example's `AuthUser` and
//! `MaybeAuthUser`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tower_sessions::Session;

use super::Account;
use crate::error::AppError;
use crate::state::AppState;

/// The session of a request; the session layer always provides one on API routes.
async fn session_of(parts: &mut Parts, state: &AppState) -> Result<Session, AppError> {
    Session::from_request_parts(parts, state).await.map_err(|(_, why)| AppError::Internal(format!("session: {why}")))
}

/// The session's account, if it has one (visitors and anonymous learners have none).
pub struct MaybeAccount(pub Option<Account>);

impl FromRequestParts<AppState> for MaybeAccount {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let session = session_of(parts, state).await?;
        Ok(MaybeAccount(super::account(&state.db, &session).await?))
    }
}

/// A learner with an account; 401 saying what to do otherwise.
impl FromRequestParts<AppState> for Account {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        MaybeAccount::from_request_parts(parts, state).await?.0.ok_or_else(|| AppError::Unauthorized("log in or register first".into()))
    }
}

/// An instructor's or admin's account; 401 without an account, 403 for a learner.
pub struct Teacher(pub Account);

impl FromRequestParts<AppState> for Teacher {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let account = Account::from_request_parts(parts, state).await?;
        if account.role.teaches() {
            Ok(Teacher(account))
        } else {
            Err(AppError::Forbidden("only instructors can do this; ask an admin for an invite".into()))
        }
    }
}
