//! Answers are written by one task, in batches: while one batch commits, the next requests queue,
//! and then they all go in together as one INSERT and one commit (group commit). A request still
//! gets its verdict only after its own row is committed.
//!
//! Why: each statement sent to sqlx's SQLite driver is a handoff to the connection's worker thread
//! and back, and profiling the load benchmark showed those handoffs, not SQLite, taking most of
//! the server's time. One statement per batch makes the cost per answer small at high load and
//! changes nothing at low load (a batch of one).

use std::collections::HashSet;

use serde::Serialize;
use sqlx::SqlitePool;
use tcplab_core::quiz::Topic;
use tokio::sync::{mpsc, oneshot};

use crate::error::{AppError, DbFault, Result, db_fault};

/// Most rows in one statement; the queue behind it holds a few batches.
const MAX_BATCH: usize = 512;
const QUEUE: usize = 4 * MAX_BATCH;

/// One answer to store, owned so it can wait in the queue.
#[derive(Serialize)]
pub struct PendingAnswer {
    #[serde(rename = "a")]
    pub attempt_id: String,
    #[serde(rename = "l")]
    pub learner: i64,
    #[serde(rename = "q")]
    pub question_id: String,
    /// Serialized as its `as_str` name, as the column holds it.
    #[serde(rename = "k")]
    pub kind: Topic,
    #[serde(rename = "j")]
    pub answer_json: String,
    #[serde(rename = "c")]
    pub correct: u8,
}

struct Job {
    row: PendingAnswer,
    /// `true` when the row was stored, `false` when its attempt id was already taken.
    done: oneshot::Sender<Result<bool>>,
}

/// What the writer task is asked: to store an answer, or to say when everything queued before
/// has been committed (at shutdown).
enum Message {
    Answer(Job),
    Flush(oneshot::Sender<()>),
}

#[derive(Clone)]
pub struct AnswerWriter {
    queue: mpsc::Sender<Message>,
}

impl AnswerWriter {
    /// Starts the writer task on the current tokio runtime. It stops when every handle is gone.
    pub fn spawn(db: SqlitePool) -> AnswerWriter {
        let (queue, jobs) = mpsc::channel(QUEUE);
        tokio::spawn(run(db, jobs));
        AnswerWriter { queue }
    }

    /// Stores the answer and returns once it is committed: `false` when its attempt id was
    /// already taken (a retry), in which case nothing was written.
    pub async fn insert(&self, row: PendingAnswer) -> Result<bool> {
        let (done, verdict) = oneshot::channel();
        let stopped = || AppError::Internal("the answer writer has stopped".into());
        self.queue.send(Message::Answer(Job { row, done })).await.map_err(|_| stopped())?;
        verdict.await.map_err(|_| stopped())?
    }

    /// Returns once every answer queued before the call is committed (or failed).
    pub async fn flush(&self) {
        let (done, flushed) = oneshot::channel();
        if self.queue.send(Message::Flush(done)).await.is_ok() {
            let _ = flushed.await;
        }
    }
}

async fn run(db: SqlitePool, mut messages: mpsc::Receiver<Message>) {
    let mut received = Vec::with_capacity(MAX_BATCH);
    while messages.recv_many(&mut received, MAX_BATCH).await > 0 {
        let (mut batch, mut flushes) = (Vec::with_capacity(received.len()), Vec::new());
        for message in received.drain(..) {
            match message {
                Message::Answer(job) => batch.push(job),
                Message::Flush(done) => flushes.push(done),
            }
        }
        if !batch.is_empty() {
            write(&db, batch).await;
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}

/// One statement for the whole batch, its rows passed as one JSON array: the SQL text stays
/// fixed whatever the batch size, and `RETURNING` says which attempt ids were new.
const INSERT_BATCH: &str = "INSERT INTO answers (attempt_id, learner_id, question_id, kind, answer, correct) \
     SELECT value ->> 'a', value ->> 'l', value ->> 'q', value ->> 'k', value ->> 'j', value ->> 'c' \
     FROM json_each(?) WHERE true \
     ON CONFLICT (attempt_id) DO NOTHING \
     RETURNING attempt_id";

async fn write(db: &SqlitePool, batch: Vec<Job>) {
    // The same attempt twice in one batch: the first is stored, the others are retries of it.
    let mut seen = HashSet::new();
    let (first, repeats): (Vec<Job>, Vec<Job>) = batch.into_iter().partition(|job| seen.insert(job.row.attempt_id.clone()));
    let rows: Vec<&PendingAnswer> = first.iter().map(|job| &job.row).collect();
    let outcome = insert(db, &rows).await;
    // Attempt ids whose first copy could not be stored: their repeats fail too.
    let mut failed = HashSet::new();
    match outcome {
        Ok(stored) => {
            for job in first {
                let new = stored.contains(&job.row.attempt_id);
                let _ = job.done.send(Ok(new));
            }
        }
        Err(e) if is_constraint(&e) => {
            // One bad row fails the whole statement: store the rows one by one so it fails alone.
            tracing::warn!(error = %e, rows = first.len(), "batch insert of answers failed; inserting one by one");
            for job in first {
                let result = insert(db, &[&job.row]).await.map(|stored| !stored.is_empty()).map_err(AppError::from);
                if result.is_err() {
                    failed.insert(job.row.attempt_id.clone());
                }
                let _ = job.done.send(result);
            }
        }
        Err(e) => {
            // The database itself failed (busy past the timeout, disk full): retrying row by row
            // would make every answer behind this batch wait as long again.
            let fault = db_fault(&e);
            if fault == DbFault::Full {
                tracing::error!(error = %e, rows = first.len(), "the disk holding the database is full; answers are refused until space is freed");
            } else {
                tracing::error!(error = %e, rows = first.len(), "batch insert of answers failed");
            }
            for job in first {
                failed.insert(job.row.attempt_id.clone());
                let error = match fault {
                    DbFault::Full => AppError::Storage { full: true },
                    DbFault::Unavailable => AppError::Storage { full: false },
                    DbFault::Other => AppError::Internal(format!("storing answers: {e}")),
                };
                let _ = job.done.send(Err(error));
            }
        }
    }
    for job in repeats {
        let result = if failed.contains(&job.row.attempt_id) {
            Err(AppError::Internal(format!("the first copy of attempt {} was not stored", job.row.attempt_id)))
        } else {
            Ok(false)
        };
        let _ = job.done.send(result);
    }
}

/// The attempt ids of `rows` that were new and are now stored.
async fn insert(db: &SqlitePool, rows: &[&PendingAnswer]) -> std::result::Result<HashSet<String>, sqlx::Error> {
    let json = serde_json::to_string(rows).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    Ok(sqlx::query_scalar::<_, String>(INSERT_BATCH).bind(json).fetch_all(db).await?.into_iter().collect())
}

/// A row the schema refused (a foreign key, a CHECK): the other rows of the batch are fine.
fn is_constraint(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| {
        matches!(
            d.kind(),
            sqlx::error::ErrorKind::ForeignKeyViolation
                | sqlx::error::ErrorKind::CheckViolation
                | sqlx::error::ErrorKind::NotNullViolation
                | sqlx::error::ErrorKind::UniqueViolation
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn db_with_a_question() -> (tempfile::TempDir, SqlitePool) {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::open(&format!("sqlite://{}/w.db", dir.path().display())).await.unwrap();
        sqlx::query("INSERT INTO learners (id) VALUES (1)").execute(&db).await.unwrap();
        sqlx::query("INSERT INTO questions (id, learner_id, kind, seed) VALUES ('q', 1, 'state', 7)").execute(&db).await.unwrap();
        (dir, db)
    }

    fn row(attempt: &str, question: &str) -> PendingAnswer {
        PendingAnswer {
            attempt_id: attempt.into(),
            learner: 1,
            question_id: question.into(),
            kind: Topic::State,
            answer_json: r#"{"type":"state","value":"LISTEN"}"#.into(),
            correct: 0,
        }
    }

    fn job(row: PendingAnswer) -> (Job, oneshot::Receiver<Result<bool>>) {
        let (done, verdict) = oneshot::channel();
        (Job { row, done }, verdict)
    }

    #[tokio::test]
    async fn a_bad_row_fails_alone_and_a_repeated_attempt_is_stored_once() {
        let (_dir, db) = db_with_a_question().await;
        let (good, good_verdict) = job(row("a1", "q"));
        // No such question: the foreign key refuses the row, and with it the batch statement.
        let (bad, bad_verdict) = job(row("a2", "no-such-question"));
        let (repeat, repeat_verdict) = job(row("a1", "q"));
        let (taken, taken_verdict) = job(row("a3", "q"));
        let (bad_repeat, bad_repeat_verdict) = job(row("a2", "no-such-question"));
        sqlx::query(
            "INSERT INTO answers (attempt_id, learner_id, question_id, kind, answer, correct) VALUES ('a3', 1, 'q', 'state', '{}', 1)",
        )
        .execute(&db)
        .await
        .unwrap();
        write(&db, vec![good, bad, repeat, taken, bad_repeat]).await;
        assert!(good_verdict.await.unwrap().unwrap());
        let error = bad_verdict.await.unwrap().unwrap_err();
        assert!(matches!(&error, AppError::Database(e) if e.to_string().contains("FOREIGN KEY")), "{error:?}");
        assert!(!repeat_verdict.await.unwrap().unwrap());
        assert!(!taken_verdict.await.unwrap().unwrap());
        assert!(bad_repeat_verdict.await.unwrap().is_err(), "a repeat of a row that failed is not told it was stored");
        let stored: Vec<String> = sqlx::query_scalar("SELECT attempt_id FROM answers ORDER BY attempt_id").fetch_all(&db).await.unwrap();
        assert_eq!(stored, ["a1", "a3"]);
    }

    #[tokio::test]
    async fn a_batch_stores_every_column_as_a_single_insert_would() {
        let (_dir, db) = db_with_a_question().await;
        let (a, verdict) = job(PendingAnswer { correct: 1, kind: Topic::SpotError, ..row("x", "q") });
        write(&db, vec![a]).await;
        assert!(verdict.await.unwrap().unwrap());
        let stored: (String, i64, String, String, String, bool) =
            sqlx::query_as("SELECT attempt_id, learner_id, question_id, kind, answer, correct FROM answers").fetch_one(&db).await.unwrap();
        assert_eq!(stored, ("x".into(), 1, "q".into(), "spot_error".into(), r#"{"type":"state","value":"LISTEN"}"#.into(), true));
    }
}
