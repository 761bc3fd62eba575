//! Every SQL statement of the learners feature: learners and their accounts, instructor
//! invites and password-reset links, as plain functions over the pool (or the registration's
//! transaction).

use sqlx::{FromRow, Sqlite, SqlitePool, Transaction};
use tcplab_core::api::auth::Role;

use crate::error::Result;

/// A new anonymous learner.
pub async fn new_learner(db: &SqlitePool) -> Result<i64> {
    // fetch_all, not fetch_one: see the rule in crate::db.
    Ok(sqlx::query_scalar("INSERT INTO learners DEFAULT VALUES RETURNING id").fetch_all(db).await?.pop().ok_or(sqlx::Error::RowNotFound)?)
}

/// The learner's username; `None` while they are anonymous (or the row is gone).
pub async fn username(db: &SqlitePool, learner: i64) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT username FROM learners WHERE id = ?").bind(learner).fetch_optional(db).await?.flatten())
}

/// A learner's name (none while anonymous) and role.
#[derive(FromRow)]
pub struct NameAndRole {
    pub username: Option<String>,
    #[sqlx(try_from = "String")]
    pub role: Role,
}

/// A disabled account has no name here: a session that outlived its disabling is no account's.
pub async fn name_and_role(db: &SqlitePool, learner: i64) -> Result<Option<NameAndRole>> {
    Ok(sqlx::query_as("SELECT CASE WHEN disabled_at IS NULL THEN username END AS username, role FROM learners WHERE id = ?")
        .bind(learner)
        .fetch_optional(db)
        .await?)
}

/// Whether an account has this (already normalised) username.
pub async fn name_taken(db: &SqlitePool, username: &str) -> Result<bool> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM learners WHERE username = ?").bind(username).fetch_optional(db).await?;
    Ok(id.is_some())
}

/// What a login checks: the account, its password hash, its role and whether an admin
/// disabled it.
#[derive(FromRow)]
pub struct Login {
    pub id: i64,
    pub password_hash: Option<String>,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub disabled: bool,
}

pub async fn login(db: &SqlitePool, username: &str) -> Result<Option<Login>> {
    Ok(sqlx::query_as("SELECT id, password_hash, role, disabled_at IS NOT NULL AS disabled FROM learners WHERE username = ?")
        .bind(username)
        .fetch_optional(db)
        .await?)
}

/// Gives the anonymous learner `id` a name and password; `false` when it has one already (or
/// is gone). A name taken meanwhile is the unique-violation error, for the caller to name.
pub async fn name_anonymous(tx: &mut Transaction<'_, Sqlite>, id: i64, username: &str, hash: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE learners SET username = ?, password_hash = ? WHERE id = ? AND username IS NULL")
        .bind(username)
        .bind(hash)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A new account; a name taken is the unique-violation error, for the caller to name.
pub async fn insert_account<'c, E: sqlx::SqliteExecutor<'c>>(db: E, username: &str, hash: &str, role: Role) -> sqlx::Result<i64> {
    // fetch_all, not fetch_one: see the rule in crate::db.
    let mut ids = sqlx::query_scalar("INSERT INTO learners (username, password_hash, role) VALUES (?, ?, ?) RETURNING id")
        .bind(username)
        .bind(hash)
        .bind(role.as_str())
        .fetch_all(db)
        .await?;
    ids.pop().ok_or(sqlx::Error::RowNotFound)
}

/// Moves an anonymous learner's questions, answers and lessons into an account, in one transaction.
/// The emptied anonymous row stays: without AUTOINCREMENT SQLite hands the highest deleted id to
/// the next new learner, and anything still naming the old id (a cached question's owner) would
/// then name a stranger.
pub async fn merge(db: &SqlitePool, anonymous: i64, account: i64) -> Result<()> {
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

/// Sets the role of the account with this name; `false` when there is none.
pub async fn set_role(db: &SqlitePool, username: &str, role: Role) -> Result<bool> {
    let done = sqlx::query("UPDATE learners SET role = ? WHERE username = ?").bind(role.as_str()).bind(username).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

/// The id and role of the account with this name.
pub async fn id_and_role(db: &SqlitePool, username: &str) -> Result<Option<(i64, String)>> {
    Ok(sqlx::query_as("SELECT id, role FROM learners WHERE username = ?").bind(username).fetch_optional(db).await?)
}

pub async fn insert_invite(db: &SqlitePool, token_hash: &str, role: Role, admin: i64, expires_at: i64) -> Result<()> {
    sqlx::query("INSERT INTO invites (token_hash, role, created_by, expires_at) VALUES (?, ?, ?, ?)")
        .bind(token_hash)
        .bind(role.as_str())
        .bind(admin)
        .bind(expires_at)
        .execute(db)
        .await?;
    Ok(())
}

/// A live (unused, unexpired at `now`) invite: the role it gives and when it expires.
#[derive(FromRow)]
pub struct LiveInvite {
    pub role: String,
    pub expires_at: i64,
}

pub async fn live_invite(db: &SqlitePool, token_hash: &str, now: i64) -> Result<Option<LiveInvite>> {
    Ok(sqlx::query_as("SELECT role, expires_at FROM invites WHERE token_hash = ? AND used_by IS NULL AND expires_at > ?")
        .bind(token_hash)
        .bind(now)
        .fetch_optional(db)
        .await?)
}

/// Spends a live invite for `learner` and gives them its role, inside the registration's
/// transaction; `None` when the invite is no longer live.
pub async fn spend_invite(tx: &mut Transaction<'_, Sqlite>, token_hash: &str, learner: i64, now: i64) -> Result<Option<Role>> {
    // fetch_all, not fetch_optional: see the rule in crate::db.
    let role: Vec<String> =
        sqlx::query_scalar("UPDATE invites SET used_by = ? WHERE token_hash = ? AND used_by IS NULL AND expires_at > ? RETURNING role")
            .bind(learner)
            .bind(token_hash)
            .bind(now)
            .fetch_all(&mut **tx)
            .await?;
    let Some(role) = role.first().and_then(|r| Role::parse(r)) else { return Ok(None) };
    sqlx::query("UPDATE learners SET role = ? WHERE id = ?").bind(role.as_str()).bind(learner).execute(&mut **tx).await?;
    Ok(Some(role))
}

pub async fn set_password(db: &SqlitePool, learner: i64, hash: &str) -> Result<()> {
    sqlx::query("UPDATE learners SET password_hash = ? WHERE id = ?").bind(hash).bind(learner).execute(db).await?;
    Ok(())
}

/// How many classes the learner teaches.
pub async fn classes_taught(db: &SqlitePool, learner: i64) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM classes WHERE teacher_id = ?").bind(learner).fetch_one(db).await?)
}

/// Everything kept about a learner, as JSON: the account, practice answers, lessons, classes
/// joined and taught, and class attempts with their questions and answers.
pub async fn export(db: &SqlitePool, learner: i64) -> Result<serde_json::Value> {
    let part = |sql: &'static str| async move {
        let text: Option<String> = sqlx::query_scalar(sql).bind(learner).fetch_one(db).await?;
        Ok::<serde_json::Value, crate::error::AppError>(text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or(serde_json::Value::Null))
    };
    Ok(serde_json::json!({
        "account": part("SELECT json_object('username', username, 'role', role, 'created_at', created_at) FROM learners WHERE id = ?").await?,
        "practice_answers": part(
            "SELECT json_group_array(json_object('kind', kind, 'answer', json(answer), 'correct', json(CASE correct WHEN 1 THEN 'true' ELSE 'false' END), \
               'at', created_at)) FROM (SELECT * FROM answers WHERE learner_id = ? ORDER BY id)"
        ).await?,
        "lessons": part(
            "SELECT json_group_array(json_object('lesson', lesson_id, 'opened_at', opened_at, 'completed_at', completed_at)) \
             FROM lesson_progress WHERE learner_id = ?"
        ).await?,
        "classes_joined": part(
            "SELECT json_group_array(json_object('class', c.name, 'teacher', t.username, 'joined_at', m.joined_at)) \
             FROM class_members m JOIN classes c ON c.id = m.class_id JOIN learners t ON t.id = c.teacher_id WHERE m.learner_id = ?"
        ).await?,
        "classes_taught": part("SELECT json_group_array(json_object('class', name, 'created_at', created_at)) FROM classes WHERE teacher_id = ?").await?,
        "class_attempts": part(
            "SELECT json_group_array(json_object('class', c.name, 'quiz', q.title, 'started_at', a.started_at, 'submitted_at', a.submitted_at, \
               'score', coalesce(a.override_score, a.score), 'graded_score', a.score, 'override_reason', a.override_reason, \
               'questions', json(a.items), 'answers', json(coalesce(a.answers, a.saved)))) \
             FROM quiz_attempts a JOIN class_quizzes q ON q.id = a.quiz_id JOIN classes c ON c.id = q.class_id WHERE a.learner_id = ?"
        ).await?,
    }))
}

/// Deletes an account in one transaction: its answers, questions, progress, memberships,
/// exceptions and open attempts go (its sessions are the session store's: `SqliteStore::forget_learner`); the row stays nameless, marked deleted, so the
/// class results it handed in keep counting until an instructor purges them.
pub async fn delete_account(db: &SqlitePool, learner: i64) -> Result<()> {
    let mut tx = db.begin().await?;
    for sql in [
        "DELETE FROM answers WHERE learner_id = ?",
        "DELETE FROM questions WHERE learner_id = ?",
        "DELETE FROM lesson_progress WHERE learner_id = ?",
        "DELETE FROM class_members WHERE learner_id = ?",
        "DELETE FROM quiz_exceptions WHERE learner_id = ?",
        "DELETE FROM quiz_attempts WHERE learner_id = ? AND submitted_at IS NULL",
        "DELETE FROM password_resets WHERE learner_id = ?",
        "UPDATE learners SET username = NULL, password_hash = NULL, role = 'learner', \
           deleted_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
    ] {
        sqlx::query(sql).bind(learner).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// One page of accounts whose name starts with `prefix` (already lower-cased, as names are),
/// by name, and how many match in all.
pub async fn accounts(db: &SqlitePool, prefix: &str, offset: u32, limit: u32) -> Result<(Vec<AccountRow>, u32)> {
    // A search is text, not a pattern: LIKE's wildcards in it match only themselves.
    let pattern = format!("{}%", prefix.replace('\\', "\\\\").replace('_', "\\_").replace('%', "\\%"));
    let rows = sqlx::query_as(
        "SELECT username, role, created_at, disabled_at IS NOT NULL AS disabled, \
           (SELECT COUNT(*) FROM classes WHERE teacher_id = learners.id) AS classes \
         FROM learners WHERE username IS NOT NULL AND username LIKE ? ESCAPE '\\' \
         ORDER BY username LIMIT ? OFFSET ?",
    )
    .bind(&pattern)
    .bind(limit)
    .bind(offset)
    .fetch_all(db)
    .await?;
    let total: u32 = sqlx::query_scalar("SELECT COUNT(*) FROM learners WHERE username IS NOT NULL AND username LIKE ? ESCAPE '\\'")
        .bind(&pattern)
        .fetch_one(db)
        .await?;
    Ok((rows, total))
}

#[derive(FromRow)]
pub struct AccountRow {
    pub username: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub created_at: String,
    pub disabled: bool,
    pub classes: u32,
}

/// Disables (`true`) or enables an account; a second disable keeps the first time.
pub async fn set_disabled(db: &SqlitePool, learner: i64, disabled: bool) -> Result<()> {
    let sql = if disabled {
        "UPDATE learners SET disabled_at = COALESCE(disabled_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) WHERE id = ?"
    } else {
        "UPDATE learners SET disabled_at = NULL WHERE id = ?"
    };
    sqlx::query(sql).bind(learner).execute(db).await?;
    Ok(())
}

/// The account of this name: its id and whether it is disabled.
pub async fn account_by_name(db: &SqlitePool, username: &str) -> Result<Option<(i64, bool)>> {
    Ok(sqlx::query_as("SELECT id, disabled_at IS NOT NULL FROM learners WHERE username = ?").bind(username).fetch_optional(db).await?)
}

/// A new reset link for `learner`, replacing the unused ones it had.
pub async fn insert_reset(db: &SqlitePool, token_hash: &str, learner: i64, admin: i64, expires_at: i64) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM password_resets WHERE learner_id = ? AND used_at IS NULL").bind(learner).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO password_resets (token_hash, learner_id, created_by, expires_at) VALUES (?, ?, ?, ?)")
        .bind(token_hash)
        .bind(learner)
        .bind(admin)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Whose password a live (unused, unexpired at `now`) reset link sets: id, name, expiry.
pub async fn live_reset(db: &SqlitePool, token_hash: &str, now: i64) -> Result<Option<(i64, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT l.id, l.username, r.expires_at FROM password_resets r JOIN learners l ON l.id = r.learner_id \
         WHERE r.token_hash = ? AND r.used_at IS NULL AND r.expires_at > ? AND l.username IS NOT NULL AND l.disabled_at IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db)
    .await?)
}

/// Spends a live reset link and sets the password it was for, in one transaction; the
/// account's id and name, or `None` when the link is no longer live (or the account was
/// disabled since: nothing is spent then).
pub async fn spend_reset(db: &SqlitePool, token_hash: &str, hash: &str, now: i64) -> Result<Option<(i64, String)>> {
    let mut tx = db.begin().await?;
    // fetch_all, not fetch_optional: see the rule in crate::db.
    let spent: Vec<i64> = sqlx::query_scalar(
        "UPDATE password_resets SET used_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
         WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING learner_id",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    let Some(learner) = spent.first().copied() else { return Ok(None) };
    let named: Vec<String> = sqlx::query_scalar(
        "UPDATE learners SET password_hash = ? WHERE id = ? AND username IS NOT NULL AND disabled_at IS NULL RETURNING username",
    )
    .bind(hash)
    .bind(learner)
    .fetch_all(&mut *tx)
    .await?;
    let Some(username) = named.into_iter().next() else { return Ok(None) };
    tx.commit().await?;
    Ok(Some((learner, username)))
}
