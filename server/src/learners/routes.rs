//! `POST /api/auth/register`, `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/me`.
//!
//! Login attempts are rate limited ([`super::throttle`]); registering with an invite token gives
//! the account the invite's role, spending the invite in the same transaction.
//!
//! Registering keeps the anonymous learner's row and gives it a name: the progress made so far is
//! the account's. Logging in elsewhere brings that device's anonymous answers into the account.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use tcplab_core::api::auth::{Credentials, Me, Role};
use tower_sessions::Session;

use super::{LEARNER_KEY, MaybeAccount, current, password, session_error, store};
use crate::error::{AppError, Result};
use crate::json::AppJson;
use crate::routes::Routes;
use crate::state::AppState;

pub fn router() -> Routes {
    Routes::new().post("/auth/register", register).post("/auth/login", login).post("/auth/logout", logout).get("/auth/me", me)
}

/// The caller's address when the server knows it (it does when serving; `oneshot` tests
/// don't), for the per-address login limit.
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> std::result::Result<Self, Self::Rejection> {
        Ok(ClientIp(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())))
    }
}

/// 3 to 32 lowercase letters, digits, `.`, `-`, `_`: readable in any list, and nothing that
/// needs escaping anywhere it is shown.
pub(super) fn check_username(name: &str) -> Result<String> {
    let name = name.trim().to_lowercase();
    let ok = (3..=32).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_'));
    if ok {
        Ok(name)
    } else {
        Err(AppError::Invalid { field: "username".into(), message: "username must be 3 to 32 letters, digits, '.', '-' or '_'".into() })
    }
}

/// At least 8 characters (NIST SP 800-63B), at most 256 so hashing stays cheap.
pub(super) fn check_password(password: &str) -> Result<()> {
    let n = password.chars().count();
    if (8..=256).contains(&n) {
        Ok(())
    } else {
        Err(AppError::Invalid { field: "password".into(), message: "password must be 8 to 256 characters".into() })
    }
}

async fn register(
    State(state): State<AppState>,
    ClientIp(addr): ClientIp,
    session: Session,
    AppJson(c): AppJson<Credentials>,
) -> Result<AppJson<Me>> {
    let username = check_username(&c.username)?;
    check_password(&c.password)?;
    // Everything that can refuse the request is checked before the slow, memory-hungry hash,
    // so a refused registration costs the server nothing much.
    let current = current(&session).await?;
    if let Some(id) = current
        && super::username(&state.db, id).await?.is_some()
    {
        return Err(AppError::Conflict {
            field: "username".into(),
            message: "this browser is already logged in to an account; log out first".into(),
        });
    }
    let invite = c.invite.as_deref().map(super::invites::token_hash);
    if let Some(hash) = &invite {
        // A dead link fails fast; a live one is spent below, atomically.
        super::invites::live_role(&state.db, hash).await?;
    }
    if store::name_taken(&state.db, &username).await? {
        return Err(AppError::Conflict { field: "username".into(), message: format!("the username {username:?} is taken") });
    }
    state.registrations.spend(addr)?;
    let hash = password::hash(c.password).await?;
    let mut tx = state.db.begin().await?;
    // The anonymous learner gets the name: their answers so far become the account's.
    let named = match current {
        Some(id) => store::name_anonymous(&mut tx, id, &username, &hash).await.map_err(|e| taken(e, &username))?,
        None => false,
    };
    let learner = match current {
        Some(id) if named => id,
        _ => store::insert_account(&mut *tx, &username, &hash, Role::Learner).await.map_err(|e| taken(e, &username))?,
    };
    let role = match &invite {
        Some(token_hash) => super::invites::spend(&mut tx, token_hash, learner).await?,
        None => Role::Learner,
    };
    tx.commit().await?;
    session.cycle_id().await.map_err(session_error)?;
    session.insert(LEARNER_KEY, learner).await.map_err(session_error)?;
    Ok(AppJson(Me { username: Some(username), role }))
}

fn taken(e: sqlx::Error, username: &str) -> AppError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            AppError::Conflict { field: "username".into(), message: format!("the username {username:?} is taken") }
        }
        _ => AppError::Database(e),
    }
}

async fn login(
    State(state): State<AppState>,
    ClientIp(addr): ClientIp,
    session: Session,
    AppJson(c): AppJson<Credentials>,
) -> Result<AppJson<Me>> {
    let wrong = || AppError::WrongCredentials;
    // A name that cannot exist is refused at once, and never takes room in the throttle.
    let username = check_username(&c.username).map_err(|_| wrong())?;
    state.logins.attempt(&username, addr)?;
    let (account, stored, role, disabled) = match store::login(&state.db, &username).await? {
        Some(row) => (Some(row.id), row.password_hash, row.role, row.disabled),
        None => (None, None, Role::Learner, false),
    };
    if !password::verify(c.password, stored).await? {
        return Err(wrong());
    }
    // Said only to whoever knows the password.
    if disabled {
        return Err(AppError::Check {
            code: tcplab_core::api::ErrorCode::Forbidden,
            field: "username".into(),
            message: tcplab_core::lang::Text::new("an admin has disabled this account", "管理员已停用这个账户"),
        });
    }
    state.logins.succeeded(&username, addr);
    let account = account.ok_or_else(|| AppError::Internal("verified without an account".into()))?;
    if let Some(anonymous) = current(&session).await?.filter(|id| *id != account)
        && super::username(&state.db, anonymous).await?.is_none()
    {
        store::merge(&state.db, anonymous, account).await?;
        // Cached questions still name the anonymous learner as their owner.
        state.quiz.forget_learner(anonymous);
    }
    // A new session id at every login, so an id planted before it is worth nothing after.
    session.cycle_id().await.map_err(session_error)?;
    session.insert(LEARNER_KEY, account).await.map_err(session_error)?;
    Ok(AppJson(Me { username: Some(username), role }))
}

async fn logout(session: Session) -> Result<AppJson<Me>> {
    session.flush().await.map_err(session_error)?;
    Ok(AppJson(Me::default()))
}

async fn me(MaybeAccount(account): MaybeAccount) -> AppJson<Me> {
    AppJson(match account {
        Some(a) => Me { username: Some(a.username), role: a.role },
        None => Me::default(),
    })
}
