//! Tidying the database on a timer: expired sessions are deleted, and so are anonymous learners
//! nobody can reach any more (no session names them) who never answered anything. Without it
//! every cookie-less visitor would leave a learner, a session and a question row for ever.

use std::time::Duration;

use sqlx::SqlitePool;

/// How often the sweep runs in the server.
pub const INTERVAL: Duration = Duration::from_secs(10 * 60);
/// Rows deleted per statement, so one sweep never holds the write lock for long.
const BATCH: i64 = 1000;

/// What one sweep removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub sessions: u64,
    pub learners: u64,
}

/// Runs [`sweep`] every `interval` (the first one at once) until the runtime stops.
pub fn spawn(db: SqlitePool, interval: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match sweep(&db).await {
                Ok(swept) if swept != Swept::default() => {
                    tracing::info!(sessions = swept.sessions, learners = swept.learners, "housekeeping")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "housekeeping failed; trying again later"),
            }
        }
    })
}

pub async fn sweep(db: &SqlitePool) -> Result<Swept, sqlx::Error> {
    let sessions =
        in_batches(db, "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expiry_date <= unixepoch() LIMIT ?)").await?;
    // A learner row is made just before its session is saved, at the end of the same request:
    // one younger than an hour may still be about to get its session. The newest row always
    // stays: without AUTOINCREMENT SQLite gives a deleted highest id to the next learner, and
    // a cached question may still name it (see `merge` in learners/routes.rs).
    let learners = in_batches(
        db,
        "DELETE FROM learners WHERE id IN (
            SELECT id FROM learners
            WHERE username IS NULL
              AND created_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 hour')
              AND id < (SELECT max(id) FROM learners)
              AND NOT EXISTS (SELECT 1 FROM answers WHERE answers.learner_id = learners.id)
              -- A deleted account's class results stay until its instructors purge them.
              AND NOT EXISTS (SELECT 1 FROM quiz_attempts WHERE quiz_attempts.learner_id = learners.id)
              -- A deleted account that made or used an invite or made a reset link is named by
              -- them (no ON DELETE: an invite must stay spent): the row stays.
              AND NOT EXISTS (SELECT 1 FROM invites WHERE invites.used_by = learners.id OR invites.created_by = learners.id)
              AND NOT EXISTS (SELECT 1 FROM password_resets WHERE password_resets.created_by = learners.id)
              AND id NOT IN (
                  SELECT json_extract(CAST(data AS TEXT), '$.learner_id') FROM sessions
                  WHERE json_valid(CAST(data AS TEXT)) AND json_extract(CAST(data AS TEXT), '$.learner_id') IS NOT NULL)
            LIMIT ?)",
    )
    .await?;
    Ok(Swept { sessions, learners })
}

/// Runs a `DELETE ... LIMIT ?` with [`BATCH`] until it deletes fewer; the rows deleted in all.
async fn in_batches(db: &SqlitePool, delete: &'static str) -> Result<u64, sqlx::Error> {
    let mut total = 0;
    loop {
        let n = sqlx::query(delete).bind(BATCH).execute(db).await?.rows_affected();
        total += n;
        if n < BATCH as u64 {
            return Ok(total);
        }
    }
}
