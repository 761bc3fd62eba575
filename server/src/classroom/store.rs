//! The class tables as plain functions over the pool.

use sqlx::SqlitePool;
use tcplab_core::api::classroom::ClassSummary;
use tcplab_core::classroom::{Item, Quiz, ScoreVisibility};

use crate::error::{AppError, Result};

/// A stored class quiz.
#[derive(Debug, Clone)]
pub struct QuizRow {
    pub id: i64,
    pub class_id: i64,
    pub quiz: Quiz,
}

type QuizColumns = (i64, i64, String, String, bool, Option<i64>, Option<i64>, i64, String);

fn quiz_row(c: QuizColumns) -> Result<QuizRow> {
    let (id, class_id, title, items, published, opens_at, closes_at, attempts, show) = c;
    let items: Vec<Item> = serde_json::from_str(&items).map_err(|e| AppError::Internal(format!("quiz {id} items: {e}")))?;
    let show_scores = ScoreVisibility::parse(&show).ok_or_else(|| AppError::Internal(format!("quiz {id}: show_scores {show:?}")))?;
    Ok(QuizRow {
        id,
        class_id,
        quiz: Quiz { title, items, published, opens_at, closes_at, attempts_allowed: attempts as u32, show_scores },
    })
}

pub async fn quiz(db: &SqlitePool, id: i64) -> Result<Option<QuizRow>> {
    let row: Option<QuizColumns> = sqlx::query_as(
        "SELECT id, class_id, title, items, published, opens_at, closes_at, attempts_allowed, show_scores FROM class_quizzes WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    row.map(quiz_row).transpose()
}

pub async fn class_quizzes(db: &SqlitePool, class_id: i64) -> Result<Vec<QuizRow>> {
    let rows: Vec<QuizColumns> = sqlx::query_as(
        "SELECT id, class_id, title, items, published, opens_at, closes_at, attempts_allowed, show_scores FROM class_quizzes \
         WHERE class_id = ? ORDER BY id",
    )
    .bind(class_id)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(quiz_row).collect()
}

fn items_json(quiz: &Quiz) -> Result<String> {
    serde_json::to_string(&quiz.items).map_err(|e| AppError::Internal(e.to_string()))
}

/// Stores a quiz: a new one (`id` None) or over quiz `id`, in one statement either way.
pub async fn save_quiz(db: &SqlitePool, id: Option<i64>, class_id: i64, quiz: &Quiz) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO class_quizzes (id, class_id, title, items, published, opens_at, closes_at, attempts_allowed, show_scores) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, items = excluded.items, published = excluded.published, \
           opens_at = excluded.opens_at, closes_at = excluded.closes_at, attempts_allowed = excluded.attempts_allowed, \
           show_scores = excluded.show_scores, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
         RETURNING id",
    )
    .bind(id)
    .bind(class_id)
    .bind(quiz.title.trim())
    .bind(items_json(quiz)?)
    .bind(quiz.published)
    .bind(quiz.opens_at)
    .bind(quiz.closes_at)
    .bind(i64::from(quiz.attempts_allowed))
    .bind(quiz.show_scores.as_str())
    // fetch_all, not fetch_one: see the rule in crate::db.
    .fetch_all(db)
    .await?
    .pop()
    .ok_or(sqlx::Error::RowNotFound)?)
}

type ClassColumns = (i64, String, String, String, i64);

fn summary((id, name, teacher, code, members): ClassColumns, show_code: bool) -> ClassSummary {
    ClassSummary { id, name, teacher, join_code: show_code.then_some(code), members: members as u32 }
}

const CLASS_SELECT: &str = "SELECT c.id, c.name, t.username, c.join_code, \
     (SELECT COUNT(*) FROM class_members m WHERE m.class_id = c.id) FROM classes c JOIN learners t ON t.id = c.teacher_id";

pub async fn class(db: &SqlitePool, id: i64, show_code: bool) -> Result<Option<ClassSummary>> {
    let row: Option<ClassColumns> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{CLASS_SELECT} WHERE c.id = ?"))).bind(id).fetch_optional(db).await?;
    Ok(row.map(|r| summary(r, show_code)))
}

/// Classes taught by `teacher`, or every class for an admin (`all`).
pub async fn teaching(db: &SqlitePool, teacher: i64, all: bool) -> Result<Vec<ClassSummary>> {
    let rows: Vec<ClassColumns> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{CLASS_SELECT} WHERE c.teacher_id = ? OR ? ORDER BY c.id")))
        .bind(teacher)
        .bind(all)
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(|r| summary(r, true)).collect())
}

pub async fn joined(db: &SqlitePool, learner: i64) -> Result<Vec<ClassSummary>> {
    let rows: Vec<ClassColumns> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{CLASS_SELECT} WHERE c.id IN (SELECT class_id FROM class_members WHERE learner_id = ?) ORDER BY c.id"
    )))
    .bind(learner)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| summary(r, false)).collect())
}

/// The caller's relation to a class: (is its teacher, is a member); `None` when it does not exist.
pub async fn relation(db: &SqlitePool, class_id: i64, learner: i64) -> Result<Option<(bool, bool)>> {
    Ok(sqlx::query_as(
        "SELECT teacher_id = ?, EXISTS (SELECT 1 FROM class_members WHERE class_id = classes.id AND learner_id = ?) FROM classes WHERE id = ?",
    )
    .bind(learner)
    .bind(learner)
    .bind(class_id)
    .fetch_optional(db)
    .await?)
}

pub async fn members(db: &SqlitePool, class_id: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT l.username FROM class_members m JOIN learners l ON l.id = m.learner_id WHERE m.class_id = ? ORDER BY l.username",
    )
    .bind(class_id)
    .fetch_all(db)
    .await?)
}
