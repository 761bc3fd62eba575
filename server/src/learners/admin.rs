//! `tcplab admin ...`: account administration from the server's own shell, for the first admin
//! and for fixing a role without the web interface.

use sqlx::SqlitePool;
use tcplab_core::api::auth::Role;

use super::routes::{check_password, check_username};
use crate::error::AppError;

/// The operator sees what the database said.
fn database(e: AppError) -> String {
    match e {
        AppError::Database(e) => format!("database: {e}"),
        other => other.to_string(),
    }
}

/// Creates an account with a role; the name must be free.
pub async fn create_user(db: &SqlitePool, username: &str, password: &str, role: Role) -> Result<String, String> {
    let username = check_username(username).map_err(|e| e.to_string())?;
    check_password(password).map_err(|e| e.to_string())?;
    let hash = super::password::hash(password.to_owned()).await.map_err(|e| e.to_string())?;
    super::store::insert_account(db, &username, &hash, role).await.map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => format!("the username {username:?} is taken"),
        _ => format!("database: {e}"),
    })?;
    Ok(format!("created {} {username}\n", role.as_str()))
}

/// Changes an existing account's role.
pub async fn set_role(db: &SqlitePool, username: &str, role: Role) -> Result<String, String> {
    let username = username.trim().to_lowercase();
    if !super::store::set_role(db, &username, role).await.map_err(database)? {
        return Err(format!("there is no account {username:?}"));
    }
    Ok(format!("{username} is now {}\n", role.as_str()))
}

/// An invite link made on behalf of the admin `by`.
pub async fn invite(db: &SqlitePool, by: &str, role: Role, base_url: &str) -> Result<String, String> {
    let admin = super::store::id_and_role(db, &by.trim().to_lowercase()).await.map_err(database)?;
    let Some((id, "admin")) = admin.as_ref().map(|(id, r)| (*id, r.as_str())) else {
        return Err(format!("{by:?} is not an admin account; create one with `tcplab admin create-user --role admin`"));
    };
    let invite = super::create_invite(db, id, role).await.map_err(|e| e.to_string())?;
    Ok(format!(
        "{}{}\n(one use, for a {} account, valid {} days)\n",
        base_url.trim_end_matches('/'),
        invite.path,
        role.as_str(),
        super::invites::INVITE_DAYS
    ))
}
