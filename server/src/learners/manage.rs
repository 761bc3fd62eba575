//! Admins manage accounts: list and search them, disable one (it cannot log in and its sessions
//! end; its data stays) or enable it again, and make a one-time password-reset link to send its
//! owner (TCP Lab sends no mail). Opening the link (`/reset/<token>`) sets a new password: every
//! session of the account ends and the browser that used the link is logged in.

use axum::extract::State;
use serde::Deserialize;
use tcplab_core::api::ErrorCode;
use tcplab_core::api::auth::{ACCOUNTS_PER_PAGE, AccountChange, AccountList, AccountRow, Me, PasswordReset, ResetInfo, ResetLink, Role};
use tcplab_core::lang::Text;
use tower_sessions::Session;

use super::invites::token_hash;
use super::routes::{check_password, check_username};
use super::{Account, LEARNER_KEY, password, session_error, store};
use crate::error::{AppError, Result};
use crate::json::{AppJson, AppPath, AppQuery};
use crate::routes::Routes;
use crate::state::AppState;

/// A reset link works for a day: it is sent by hand to someone waiting for it.
pub const RESET_HOURS: i64 = 24;

pub fn router() -> Routes {
    Routes::new()
        .get("/admin/accounts", list)
        .put("/admin/accounts/{username}", change)
        .post("/admin/accounts/{username}/reset", new_reset)
        .get("/resets/{token}", show_reset)
        .post("/auth/reset", reset)
}

fn admin_only(account: &Account) -> Result<()> {
    if account.role != Role::Admin {
        return Err(AppError::Forbidden("only admins manage accounts".into()));
    }
    Ok(())
}

fn no_account(username: &str) -> AppError {
    AppError::Check {
        code: ErrorCode::NotFound,
        field: "username".into(),
        message: Text::new(format!("no account is called {username:?}"), format!("没有名为 {username:?} 的账户")),
    }
}

fn dead_link() -> AppError {
    AppError::Check {
        code: ErrorCode::Invalid,
        field: "token".into(),
        message: Text::new(
            "this password-reset link was already used or has expired; ask an admin for a new one",
            "这个重置密码的链接已被使用或已过期，请向管理员索取新的链接",
        ),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Search {
    /// The start of the names to list.
    #[serde(default)]
    q: String,
    #[serde(default)]
    offset: u32,
}

async fn list(State(state): State<AppState>, account: Account, AppQuery(search): AppQuery<Search>) -> Result<AppJson<AccountList>> {
    admin_only(&account)?;
    let prefix = search.q.trim().to_lowercase();
    if prefix.chars().count() > 32 {
        return Err(AppError::Check {
            code: ErrorCode::Invalid,
            field: "q".into(),
            message: Text::new("a username is at most 32 characters", "用户名最多 32 个字符"),
        });
    }
    let (rows, total) = store::accounts(&state.db, &prefix, search.offset, ACCOUNTS_PER_PAGE).await?;
    let accounts = rows
        .into_iter()
        .map(|r| AccountRow { username: r.username, role: r.role, created_at: r.created_at, classes: r.classes, disabled: r.disabled })
        .collect();
    Ok(AppJson(AccountList { accounts, total }))
}

/// The account named in the path, by its normalised name: id, name, disabled.
async fn named(state: &AppState, username: &str) -> Result<(i64, String, bool)> {
    let name = check_username(username).map_err(|_| no_account(username))?;
    let (id, disabled) = store::account_by_name(&state.db, &name).await?.ok_or_else(|| no_account(&name))?;
    Ok((id, name, disabled))
}

async fn change(
    State(state): State<AppState>,
    account: Account,
    AppPath(username): AppPath<String>,
    AppJson(body): AppJson<AccountChange>,
) -> Result<AppJson<AccountRow>> {
    admin_only(&account)?;
    let (id, name, _) = named(&state, &username).await?;
    if id == account.id && body.disabled {
        return Err(AppError::Check {
            code: ErrorCode::Conflict,
            field: "username".into(),
            message: Text::new("you cannot disable your own account", "不能停用自己的账户"),
        });
    }
    store::set_disabled(&state.db, id, body.disabled).await?;
    if body.disabled {
        state.sessions.forget_learner(id).await?;
    }
    let (rows, _) = store::accounts(&state.db, &name, 0, ACCOUNTS_PER_PAGE).await?;
    let row = rows.into_iter().find(|r| r.username == name).ok_or_else(|| no_account(&name))?;
    Ok(AppJson(AccountRow {
        username: row.username,
        role: row.role,
        created_at: row.created_at,
        classes: row.classes,
        disabled: row.disabled,
    }))
}

async fn new_reset(State(state): State<AppState>, account: Account, AppPath(username): AppPath<String>) -> Result<AppJson<ResetLink>> {
    admin_only(&account)?;
    let (id, name, disabled) = named(&state, &username).await?;
    if disabled {
        return Err(AppError::Check {
            code: ErrorCode::Conflict,
            field: "username".into(),
            message: Text::new("this account is disabled: enable it first", "这个账户已停用：请先启用它"),
        });
    }
    let token = format!("{:032x}", rand::random::<u128>());
    let expires_at = crate::unix_now() + RESET_HOURS * 3600;
    store::insert_reset(&state.db, &token_hash(&token), id, account.id, expires_at).await?;
    Ok(AppJson(ResetLink { path: format!("/reset/{token}"), username: name, expires_at }))
}

async fn show_reset(State(state): State<AppState>, AppPath(token): AppPath<String>) -> Result<AppJson<ResetInfo>> {
    let (_, username, expires_at) =
        store::live_reset(&state.db, &token_hash(&token), crate::unix_now()).await?.ok_or_else(|| AppError::Check {
            code: ErrorCode::NotFound,
            field: "token".into(),
            message: Text::new("no live password-reset link here", "这里没有有效的重置密码链接"),
        })?;
    Ok(AppJson(ResetInfo { username, expires_at }))
}

async fn reset(State(state): State<AppState>, session: Session, AppJson(body): AppJson<PasswordReset>) -> Result<AppJson<Me>> {
    check_password(&body.password).map_err(|_| AppError::Check {
        code: ErrorCode::Invalid,
        field: "password".into(),
        message: Text::new("a password is 8 to 256 characters", "密码为 8 到 256 个字符"),
    })?;
    // The link is looked up before the costly hash, so made-up tokens cost a lookup only.
    let token = token_hash(&body.token);
    store::live_reset(&state.db, &token, crate::unix_now()).await?.ok_or_else(dead_link)?;
    let hash = password::hash(body.password).await?;
    let (id, username) = store::spend_reset(&state.db, &token, &hash, crate::unix_now()).await?.ok_or_else(dead_link)?;
    // Whoever knew the old password is logged out everywhere; this browser is logged in.
    state.sessions.forget_learner(id).await?;
    state.logins.succeeded(&username, None);
    session.cycle_id().await.map_err(session_error)?;
    session.insert(LEARNER_KEY, id).await.map_err(session_error)?;
    let role = store::name_and_role(&state.db, id).await?.map(|r| r.role).unwrap_or_default();
    Ok(AppJson(Me { username: Some(username), role }))
}
