//! The quiz tables, as plain functions over the pool, so handlers stay thin and tests can call
//! them directly.

use std::sync::Arc;

use quick_cache::sync::Cache;
use sqlx::SqlitePool;
use tcplab_core::quiz::Topic;

use super::writer::{AnswerWriter, PendingAnswer};
use crate::error::Result;

/// A stored question: enough to regenerate it.
#[derive(Clone)]
pub struct StoredQuestion {
    pub topic: Topic,
    pub seed: u64,
    /// Which entry of the tuning bank, for [`Topic::Tuning`].
    pub bank_id: Option<Arc<str>>,
}

/// Questions kept in memory: about a hundred bytes each, so a few megabytes. A learner answers
/// the question they were just given, so recent ones are nearly always here.
const CACHED_QUESTIONS: usize = 50_000;

/// The quiz's storage as the handlers use it: questions cached in front of SQLite, and answers
/// stored through the group-commit writer.
#[derive(Clone)]
pub struct QuizStore {
    db: SqlitePool,
    /// Question id -> its learner and how to regenerate it.
    questions: Arc<Cache<String, (i64, StoredQuestion)>>,
    writer: AnswerWriter,
}

impl QuizStore {
    /// Must be called inside the tokio runtime: it starts the answer writer.
    pub fn new(db: SqlitePool) -> QuizStore {
        QuizStore { writer: AnswerWriter::spawn(db.clone()), db, questions: Arc::new(Cache::new(CACHED_QUESTIONS)) }
    }

    pub async fn insert_question(&self, id: &str, learner: i64, question: StoredQuestion) -> Result<()> {
        insert_question(&self.db, id, learner, &question).await?;
        self.questions.insert(id.to_owned(), (learner, question));
        Ok(())
    }

    /// The learner's own question `id`; another learner's is as absent as a made-up one. A
    /// cached owner that differs is checked in the database: logging in moves an anonymous
    /// learner's questions to the account.
    pub async fn question(&self, id: &str, learner: i64) -> Result<Option<StoredQuestion>> {
        if let Some((owner, stored)) = self.questions.get(id)
            && owner == learner
        {
            return Ok(Some(stored));
        }
        let found = question(&self.db, id, learner).await?;
        if let Some(stored) = &found {
            self.questions.insert(id.to_owned(), (learner, stored.clone()));
        }
        Ok(found)
    }

    /// Drops the cached questions of a learner whose questions moved to another (a login merge).
    /// A scan, but logins are rare next to answers.
    /// Returns once every answer already handed to the writer is committed: the last step of a
    /// shutdown, so no acknowledged answer is left in the queue.
    pub async fn flush(&self) {
        self.writer.flush().await;
    }

    pub fn forget_learner(&self, learner: i64) {
        self.questions.retain(|_, (owner, _)| *owner != learner);
    }

    /// Stores an answer once it is committed; `false` when its attempt id was already taken.
    pub async fn insert_answer(&self, row: PendingAnswer) -> Result<bool> {
        self.writer.insert(row).await
    }
}

async fn insert_question(db: &SqlitePool, id: &str, learner: i64, q: &StoredQuestion) -> Result<()> {
    sqlx::query("INSERT INTO questions (id, learner_id, kind, seed, bank_id) VALUES (?, ?, ?, ?, ?)")
        .bind(id)
        .bind(learner)
        .bind(q.topic.as_str())
        // Bit for bit: SQLite integers are signed.
        .bind(q.seed as i64)
        .bind(q.bank_id.as_deref())
        .execute(db)
        .await?;
    Ok(())
}

async fn question(db: &SqlitePool, id: &str, learner: i64) -> Result<Option<StoredQuestion>> {
    let row: Option<(String, i64, Option<String>)> =
        sqlx::query_as("SELECT kind, seed, bank_id FROM questions WHERE id = ? AND learner_id = ?")
            .bind(id)
            .bind(learner)
            .fetch_optional(db)
            .await?;
    Ok(row.and_then(|(kind, seed, bank_id)| {
        Some(StoredQuestion { topic: Topic::parse(&kind)?, seed: seed as u64, bank_id: bank_id.map(Arc::from) })
    }))
}

/// An answer already stored under an attempt id.
pub struct StoredAnswer {
    pub learner_id: i64,
    pub question_id: String,
    pub answer: String,
}

pub async fn answer_by_attempt(db: &SqlitePool, attempt_id: &str) -> Result<Option<StoredAnswer>> {
    let row: Option<(i64, String, String)> = sqlx::query_as("SELECT learner_id, question_id, answer FROM answers WHERE attempt_id = ?")
        .bind(attempt_id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|(learner_id, question_id, answer)| StoredAnswer { learner_id, question_id, answer }))
}

pub struct AnswerRow {
    pub question_id: String,
    pub kind: Topic,
    pub correct: bool,
    pub at: String,
}

/// The learner's answers, latest first.
pub async fn answers(db: &SqlitePool, learner: i64) -> Result<Vec<AnswerRow>> {
    let rows: Vec<(String, String, bool, String)> =
        sqlx::query_as("SELECT question_id, kind, correct, created_at FROM answers WHERE learner_id = ? ORDER BY id DESC")
            .bind(learner)
            .fetch_all(db)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(question_id, kind, correct, at)| Some(AnswerRow { question_id, kind: Topic::parse(&kind)?, correct, at }))
        .collect())
}

/// Records that `learner` opened `lesson`, and finished it when `completed`. Finishing is never
/// undone by opening the lesson again.
pub async fn visit_lesson(db: &SqlitePool, learner: i64, lesson: &str, completed: bool) -> Result<()> {
    sqlx::query(
        "INSERT INTO lesson_progress (learner_id, lesson_id, completed_at) \
         VALUES (?, ?, CASE WHEN ? THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END) \
         ON CONFLICT (learner_id, lesson_id) DO UPDATE SET \
           opened_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), \
           completed_at = COALESCE(lesson_progress.completed_at, excluded.completed_at)",
    )
    .bind(learner)
    .bind(lesson)
    .bind(completed)
    .execute(db)
    .await?;
    Ok(())
}

/// The learner's lessons, the most recently opened first.
pub async fn lessons(db: &SqlitePool, learner: i64) -> Result<Vec<tcplab_core::api::LessonProgress>> {
    let rows: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT lesson_id, opened_at, completed_at FROM lesson_progress WHERE learner_id = ? ORDER BY opened_at DESC")
            .bind(learner)
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(|(id, opened_at, completed_at)| tcplab_core::api::LessonProgress { id, opened_at, completed_at }).collect())
}
