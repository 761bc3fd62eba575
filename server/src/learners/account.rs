//! An account's owner changes its password (every other session is logged out), downloads
//! everything kept about them as JSON, and deletes the account. A deleted account's answers and
//! progress go; class results it handed in stay, as "a deleted learner", until the class's
//! instructor purges them. An instructor must delete their classes first.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use tcplab_core::api::ErrorCode;
use tcplab_core::api::auth::{AccountDeletion, Me, PasswordChange};
use tcplab_core::lang::Text;
use tower_sessions::Session;

use super::routes::{ClientIp, check_password};
use super::{Account, LEARNER_KEY, password, session_error, store};
use crate::error::{AppError, Result};
use crate::json::AppJson;
use crate::routes::Routes;
use crate::state::AppState;

pub fn router() -> Routes {
    Routes::new().post("/auth/password", change_password).get("/account/export", export).post("/account/delete", delete)
}

/// The account's password checked as a login is: throttled per name and address, the same
/// answer for every kind of wrong.
async fn confirm(state: &AppState, addr: Option<std::net::IpAddr>, account: &Account, given: String, field: &str) -> Result<()> {
    state.logins.attempt(&account.username, addr)?;
    let stored = store::login(&state.db, &account.username).await?.and_then(|r| r.password_hash);
    if !password::verify(given, stored).await? {
        return Err(AppError::Check {
            code: ErrorCode::Forbidden,
            field: field.into(),
            message: Text::new("that is not this account's password", "这不是这个账户的密码"),
        });
    }
    state.logins.succeeded(&account.username, addr);
    Ok(())
}

async fn change_password(
    State(state): State<AppState>,
    ClientIp(addr): ClientIp,
    session: Session,
    account: Account,
    AppJson(body): AppJson<PasswordChange>,
) -> Result<AppJson<Me>> {
    check_password(&body.new).map_err(|_| AppError::Check {
        code: ErrorCode::Invalid,
        field: "new".into(),
        message: Text::new("a password is 8 to 256 characters", "密码为 8 到 256 个字符"),
    })?;
    confirm(&state, addr, &account, body.current, "current").await?;
    let hash = password::hash(body.new).await?;
    store::set_password(&state.db, account.id, &hash).await?;
    // Every session of the account ends, this one too; this browser gets a new one.
    state.sessions.forget_learner(account.id).await?;
    session.cycle_id().await.map_err(session_error)?;
    session.insert(LEARNER_KEY, account.id).await.map_err(session_error)?;
    Ok(AppJson(Me { username: Some(account.username), role: account.role }))
}

/// Everything kept about the account, as one JSON file to download.
async fn export(State(state): State<AppState>, account: Account) -> Result<impl IntoResponse> {
    let data = store::export(&state.db, account.id).await?;
    let name = account.username;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"tcplab-{name}.json\"")),
        ],
        serde_json::to_string_pretty(&data).map_err(|e| AppError::Internal(e.to_string()))?,
    ))
}

async fn delete(
    State(state): State<AppState>,
    ClientIp(addr): ClientIp,
    session: Session,
    account: Account,
    AppJson(body): AppJson<AccountDeletion>,
) -> Result<AppJson<Me>> {
    confirm(&state, addr, &account, body.password, "password").await?;
    let teaching = store::classes_taught(&state.db, account.id).await?;
    if teaching > 0 {
        return Err(AppError::Check {
            code: ErrorCode::Conflict,
            field: "classes".into(),
            message: Text::new(
                format!("you teach {teaching} classes: delete them first (their results go with them)"),
                format!("你正在教 {teaching} 个班级：请先删除它们（其结果会一并删除）"),
            ),
        });
    }
    store::delete_account(&state.db, account.id).await?;
    state.quiz.forget_learner(account.id);
    state.sessions.forget_learner(account.id).await?;
    session.flush().await.map_err(session_error)?;
    Ok(AppJson(Me::default()))
}
