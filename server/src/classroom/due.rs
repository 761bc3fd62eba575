//! Handing in attempts whose time is up. An attempt still open at the quiz's close, or at the
//! end of its time limit, is graded on the server with the answers saved by then, once the
//! hand-in grace is over: whenever somebody reads the quiz's attempts or results (so what they
//! see is never stale), and on a timer for everything else.

use std::time::Duration;

use sqlx::SqlitePool;
use tcplab_core::classroom::{Item, ItemGrade, grade, item_seed};
use tcplab_core::quiz::Answer;

use super::store::{self, Scope};
use super::window::GRACE_SECONDS;
use crate::error::Result;

/// How often the timer looks for attempts to hand in.
pub const INTERVAL: Duration = Duration::from_secs(15);
/// Attempts handed in per statement that lists them, so one pass never runs long.
const BATCH: i64 = 200;

/// Hands in every open attempt in `scope` whose due time and grace are over: the number handed
/// in (an attempt whose question cannot be graded is logged and left). Each is one statement that only touches an attempt still open, so a learner's own
/// hand-in at the same moment wins or loses cleanly.
pub async fn finish(db: &SqlitePool, scope: Scope) -> Result<u64> {
    let mut done = 0;
    loop {
        let due = store::due_attempts(db, scope, crate::unix_now() - GRACE_SECONDS, BATCH).await?;
        let listed = due.len() as i64;
        for store::DueAttempt { attempt, due } in due {
            let answers = attempt.saved_answers();
            let Some((grades, score)) = graded(&attempt.items, attempt.seed(), &answers) else {
                tracing::warn!(attempt = attempt.id, "an attempt whose time is up has a question that cannot be graded; left open");
                continue;
            };
            if store::submit_attempt(db, attempt.id, &answers, &grades, score, Some(due)).await?.is_some() {
                done += 1;
            }
        }
        if listed < BATCH {
            return Ok(done);
        }
    }
}

/// Every saved answer was checked against its question when it was saved; one that still
/// cannot be graded (a question from an older version) counts as blank rather than stopping
/// the hand-in. `None` only for a question that cannot be generated at all.
fn graded(items: &[Item], seed: u64, answers: &[Answer]) -> Option<(Vec<ItemGrade>, u32)> {
    let grades = items
        .iter()
        .zip(answers)
        .enumerate()
        .map(|(i, (item, answer))| {
            let seed = item_seed(seed, i);
            grade(item, seed, answer).or_else(|_| grade(item, seed, &Answer::Blank)).ok()
        })
        .collect::<Option<Vec<ItemGrade>>>()?;
    let score = grades.iter().map(|g| g.points).sum();
    Some((grades, score))
}

/// Runs [`finish`] over every quiz every `interval` until the runtime stops.
pub fn spawn(db: SqlitePool, interval: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match finish(&db, Scope::All).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(attempts = n, "handed in attempts whose time was up"),
                Err(e) => tracing::warn!(error = %e, "handing in attempts whose time was up failed; trying again later"),
            }
        }
    })
}
