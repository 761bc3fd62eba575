//! Learners and their sessions. A visitor becomes an anonymous learner with their first question:
//! a row in `learners` and its id in the session, whose random id is the only thing in the
//! (HttpOnly, SameSite) cookie. Registering later adds a username to that same row.

mod account;
pub mod admin;
mod budget;
mod extract;
mod invites;
mod manage;
pub mod password;
mod routes;
mod session_store;
mod store;
mod throttle;

use sqlx::SqlitePool;
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::{Duration, OffsetDateTime};
use tower_sessions::{Expiry, Session, SessionManagerLayer};

use crate::error::{AppError, Result};
pub use account::router as account_router;
pub use budget::{Budget, client_key};
pub use extract::{MaybeAccount, Teacher};
pub use invites::{create_invite, router as invites_router};
pub use manage::router as manage_router;
pub use routes::ClientIp;
pub use routes::router;
pub use session_store::SqliteStore;
use tcplab_core::api::auth::Role;
pub use throttle::LoginThrottle;

pub const COOKIE_NAME: &str = "tcplab_session";
const LEARNER_KEY: &str = "learner_id";
/// The day (days since 1970) the session was last saved. tower-sessions saves a session, and so
/// pushes its expiry and the cookie's Max-Age forward, only when its data changes; writing the
/// day once a day makes "180 days of inactivity" true at the cost of one write per learner per day.
const SEEN_DAY_KEY: &str = "seen_day";

/// Sessions last half a year from the last request: a learner comes back after the holidays and
/// finds their progress.
pub fn session_layer(store: SqliteStore, secure: bool) -> SessionManagerLayer<SqliteStore> {
    SessionManagerLayer::new(store)
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
    let learner = session.get::<i64>(LEARNER_KEY).await.map_err(session_error)?;
    if learner.is_some() {
        keep_alive(session).await?;
    }
    Ok(learner)
}

async fn keep_alive(session: &Session) -> Result<()> {
    let today = OffsetDateTime::now_utc().unix_timestamp().div_euclid(86_400);
    if session.get::<i64>(SEEN_DAY_KEY).await.map_err(session_error)? != Some(today) {
        session.insert(SEEN_DAY_KEY, today).await.map_err(session_error)?;
    }
    Ok(())
}

/// The learner of this session, created (anonymous) on first use, within the address's
/// budget of new learners (`newcomers`).
pub async fn current_or_new(db: &SqlitePool, session: &Session, newcomers: &Budget, addr: Option<std::net::IpAddr>) -> Result<i64> {
    if let Some(id) = current(session).await? {
        return Ok(id);
    }
    newcomers.spend(addr)?;
    let id = store::new_learner(db).await?;
    session.insert(LEARNER_KEY, id).await.map_err(session_error)?;
    keep_alive(session).await?;
    Ok(id)
}

/// The learner's username; `None` while they are anonymous (or the row is gone).
pub async fn username(db: &SqlitePool, learner: i64) -> Result<Option<String>> {
    store::username(db, learner).await
}

/// A learner with an account (a username): who may join classes, teach or administer.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub role: Role,
}

/// The session's account; `None` for visitors and anonymous learners.
pub async fn account(db: &SqlitePool, session: &Session) -> Result<Option<Account>> {
    let Some(id) = current(session).await? else { return Ok(None) };
    let row = store::name_and_role(db, id).await?;
    Ok(row.and_then(|r| Some(Account { id, username: r.username?, role: r.role })))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// A session as a later request sees it: loaded from the store by id.
    async fn reloaded(store: &Arc<SqliteStore>, id: tower_sessions::session::Id) -> Session {
        Session::new(Some(id), store.clone(), Some(Expiry::OnInactivity(Duration::days(180))))
    }

    #[tokio::test]
    async fn a_session_is_saved_again_once_a_day_so_inactivity_counts_from_the_last_visit() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::open(&format!("sqlite://{}/s.db", dir.path().display())).await.unwrap();
        let store = Arc::new(SqliteStore::new(db.clone()));
        let first = Session::new(None, store.clone(), Some(Expiry::OnInactivity(Duration::days(180))));
        let learner = current_or_new(&db, &first, &Budget::newcomers(), None).await.unwrap();
        // As if last seen long ago.
        first.insert(SEEN_DAY_KEY, 0_i64).await.unwrap();
        first.save().await.unwrap();
        let id = first.id().unwrap();

        let later = reloaded(&store, id).await;
        assert_eq!(current(&later).await.unwrap(), Some(learner));
        assert!(later.is_modified(), "a stale day marks the session for saving (and a fresh cookie)");
        later.save().await.unwrap();

        let same_day = reloaded(&store, id).await;
        assert_eq!(current(&same_day).await.unwrap(), Some(learner));
        assert!(!same_day.is_modified(), "no write on every request");

        let anonymous = Session::new(None, store.clone(), None);
        assert_eq!(current(&anonymous).await.unwrap(), None);
        assert!(!anonymous.is_modified(), "a visitor without a learner gets no session");
    }
}
