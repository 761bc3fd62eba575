//! `GET/POST /api/classes`, `POST /api/classes/join`, `GET /api/classes/{id}`.

use axum::extract::State;
use sqlx::SqlitePool;
use tcplab_core::api::classroom::{ClassDetail, ClassSummary, Classes, JoinClass, NewClass, QuizInfo, QuizWindow};

use super::access::{self, Relation};
use super::store::{self, QuizRow};
use super::window;
use crate::error::{AppError, Result};
use crate::json::{AppJson, AppPath};
use crate::learners::{Account, Teacher};
use crate::state::AppState;
use tcplab_core::api::ErrorCode;

/// Letters and digits that cannot be mistaken for each other when read off a board.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LEN: usize = 8;
const MAX_NAME: usize = 100;

pub async fn list(State(state): State<AppState>, account: Account) -> Result<AppJson<Classes>> {
    let teaching = if account.role.teaches() {
        store::teaching(&state.db, account.id, account.role == tcplab_core::api::auth::Role::Admin).await?
    } else {
        Vec::new()
    };
    Ok(AppJson(Classes { teaching, joined: store::joined(&state.db, account.id).await? }))
}

fn new_code() -> String {
    (0..CODE_LEN).map(|_| CODE_ALPHABET[rand::random_range(0..CODE_ALPHABET.len())] as char).collect()
}

pub async fn create(
    State(state): State<AppState>,
    Teacher(account): Teacher,
    AppJson(body): AppJson<NewClass>,
) -> Result<AppJson<ClassSummary>> {
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(AppError::Invalid { field: "name".into(), message: format!("give the class a name of 1 to {MAX_NAME} characters") });
    }
    // 31^8 codes: a clash is rare, and simply drawn again.
    for _ in 0..5 {
        let inserted: std::result::Result<i64, sqlx::Error> =
            sqlx::query_scalar("INSERT INTO classes (teacher_id, name, join_code) VALUES (?, ?, ?) RETURNING id")
                .bind(account.id)
                .bind(name)
                .bind(new_code())
                // fetch_all, not fetch_one: see the rule in crate::db.
                .fetch_all(&state.db)
                .await
                .and_then(|mut rows| rows.pop().ok_or(sqlx::Error::RowNotFound));
        match inserted {
            Ok(id) => return Ok(AppJson(store::class(&state.db, id, true).await?.ok_or_else(|| access::no_class(id))?)),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Internal("no free join code after 5 draws".into()))
}

pub async fn join(State(state): State<AppState>, account: Account, AppJson(body): AppJson<JoinClass>) -> Result<AppJson<ClassSummary>> {
    let code: String = body.code.trim().to_uppercase().chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    let class: Option<(i64, i64)> =
        sqlx::query_as("SELECT id, teacher_id FROM classes WHERE join_code = ?").bind(&code).fetch_optional(&state.db).await?;
    let Some((id, teacher)) = class else {
        return Err(AppError::Unprocessable {
            code: ErrorCode::UnknownCode,
            field: "code".into(),
            message: "no class has this code; check it with your instructor".into(),
        });
    };
    if teacher == account.id {
        return Err(AppError::Unprocessable { code: ErrorCode::OwnClass, field: "code".into(), message: "you teach this class".into() });
    }
    sqlx::query("INSERT INTO class_members (class_id, learner_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
        .bind(id)
        .bind(account.id)
        .execute(&state.db)
        .await?;
    Ok(AppJson(store::class(&state.db, id, false).await?.ok_or_else(|| access::no_class(id))?))
}

pub async fn show(State(state): State<AppState>, AppPath(id): AppPath<i64>, account: Account) -> Result<AppJson<ClassDetail>> {
    let relation = access::class(&state.db, &account, id).await?;
    let teaching = relation == Relation::Teacher;
    let class = store::class(&state.db, id, teaching).await?.ok_or_else(|| access::no_class(id))?;
    let mut quizzes = Vec::new();
    for row in store::class_quizzes(&state.db, id).await? {
        if teaching || row.quiz.published {
            quizzes.push(info(&state.db, &account, &row, teaching).await?);
        }
    }
    let members = if teaching { store::members(&state.db, id).await? } else { Vec::new() };
    Ok(AppJson(ClassDetail { class, teaching, quizzes, members }))
}

/// A quiz in a list, with the asking learner's attempts and (when visible) best score.
pub async fn info(db: &SqlitePool, account: &Account, row: &QuizRow, teaching: bool) -> Result<QuizInfo> {
    let q = &row.quiz;
    let now = crate::unix_now();
    let (used, best, last_attempt) = if teaching {
        (0, None, None)
    } else {
        // COUNT(submitted_at) counts the handed-in attempts; an open one has no score.
        let (used, best, last): (i64, Option<i64>, Option<i64>) =
            sqlx::query_as("SELECT COUNT(submitted_at), MAX(score), MAX(id) FROM quiz_attempts WHERE quiz_id = ? AND learner_id = ?")
                .bind(row.id)
                .bind(account.id)
                .fetch_one(db)
                .await?;
        (used as u32, best.filter(|_| window::scores_visible(q, now)).map(|b| b as u32), last)
    };
    Ok(QuizInfo {
        id: row.id,
        title: q.title.clone(),
        window: if q.published { window::of(q, now) } else { QuizWindow::Draft },
        opens_at: q.opens_at,
        closes_at: q.closes_at,
        questions: q.items.len() as u32,
        max_points: q.max_points(),
        attempts_allowed: q.attempts_allowed,
        show_scores: q.show_scores,
        attempts_used: used,
        best,
        last_attempt,
    })
}
