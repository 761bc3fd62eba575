//! One-time invite links for instructor (and admin) accounts: `POST /api/admin/invites` makes
//! one, `GET /api/invites/{token}` tells the invite page what it gives, and registering with the
//! token spends it. Only a SHA-256 of the token is stored.

use axum::extract::State;
use sha2::{Digest, Sha256};
use sqlx::{Sqlite, SqlitePool, Transaction};
use tcplab_core::api::auth::{Invite, InviteInfo, NewInvite, Role};

use super::{Account, store};
use crate::error::{AppError, Result};
use crate::json::{AppJson, AppPath};
use crate::routes::Routes;
use crate::state::AppState;

/// An invite works for a week: long enough to reach someone, short enough that a forgotten
/// link in a mailbox dies.
pub const INVITE_DAYS: i64 = 7;

pub fn router() -> Routes {
    Routes::new().post("/admin/invites", new_invite).get("/invites/{token}", show)
}

pub fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.trim().as_bytes()))
}

fn dead() -> AppError {
    AppError::Invalid { field: "invite".into(), message: "this invite link was already used or has expired; ask for a new one".into() }
}

/// Stores a new invite made by `admin` and returns it with its token (shown this once).
pub async fn create_invite(db: &SqlitePool, admin: i64, role: Role) -> Result<Invite> {
    if role == Role::Learner {
        return Err(AppError::Invalid {
            field: "role".into(),
            message: "invites are for instructor or admin accounts; learners register freely".into(),
        });
    }
    let token = format!("{:032x}", rand::random::<u128>());
    let expires_at = crate::unix_now() + INVITE_DAYS * 86_400;
    store::insert_invite(db, &token_hash(&token), role, admin, expires_at).await?;
    Ok(Invite { path: format!("/invite/{token}"), role, expires_at })
}

async fn new_invite(State(state): State<AppState>, account: Account, AppJson(body): AppJson<NewInvite>) -> Result<AppJson<Invite>> {
    if account.role != Role::Admin {
        return Err(AppError::Forbidden("only admins can invite instructors".into()));
    }
    Ok(AppJson(create_invite(&state.db, account.id, body.role).await?))
}

/// The role a live (unused, unexpired) invite gives.
pub async fn live_role(db: &SqlitePool, hash: &str) -> Result<InviteInfo> {
    let live = store::live_invite(db, hash, crate::unix_now()).await?.ok_or_else(dead)?;
    Ok(InviteInfo { role: Role::parse(&live.role).ok_or_else(dead)?, expires_at: live.expires_at })
}

async fn show(State(state): State<AppState>, AppPath(token): AppPath<String>) -> Result<AppJson<InviteInfo>> {
    live_role(&state.db, &token_hash(&token)).await.map(AppJson).map_err(|e| match e {
        AppError::Invalid { message, .. } => AppError::NotFound(message),
        other => other,
    })
}

/// Spends the invite for `learner` and gives them its role, inside the registration's
/// transaction: a link used twice at once gives one account, and a failed registration spends
/// nothing.
pub async fn spend(tx: &mut Transaction<'_, Sqlite>, hash: &str, learner: i64) -> Result<Role> {
    store::spend_invite(tx, hash, learner, crate::unix_now()).await?.ok_or_else(dead)
}
