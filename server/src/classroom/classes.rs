//! `GET/POST /api/classes`, `POST /api/classes/join`, `GET /api/classes/{id}`.

use axum::extract::State;
use sqlx::SqlitePool;
use tcplab_core::api::classroom::{ClassDetail, ClassSummary, Classes, JoinClass, NewClass, QuizInfo, QuizWindow};

use super::access::{self, Relation};
use super::store::{self, QuizRow};
use super::{due, window};
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
        if let Some(id) = store::create_class(&state.db, account.id, name, &new_code()).await? {
            return Ok(AppJson(store::class(&state.db, id, true).await?.ok_or_else(|| access::no_class(id))?));
        }
    }
    Err(AppError::Internal("no free join code after 5 draws".into()))
}

pub async fn join(State(state): State<AppState>, account: Account, AppJson(body): AppJson<JoinClass>) -> Result<AppJson<ClassSummary>> {
    let code: String = body.code.trim().to_uppercase().chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    let Some((id, teacher)) = store::class_by_code(&state.db, &code).await? else {
        return Err(AppError::Unprocessable {
            code: ErrorCode::UnknownCode,
            field: "code".into(),
            message: "no class has this code; check it with your instructor".into(),
        });
    };
    if teacher == account.id {
        return Err(AppError::Unprocessable { code: ErrorCode::OwnClass, field: "code".into(), message: "you teach this class".into() });
    }
    store::join(&state.db, id, account.id).await?;
    Ok(AppJson(store::class(&state.db, id, false).await?.ok_or_else(|| access::no_class(id))?))
}

pub async fn show(State(state): State<AppState>, AppPath(id): AppPath<i64>, account: Account) -> Result<AppJson<ClassDetail>> {
    let relation = access::class(&state.db, &account, id).await?;
    let teaching = relation == Relation::Teacher;
    let class = store::class(&state.db, id, teaching).await?.ok_or_else(|| access::no_class(id))?;
    // Attempts whose time is up count as handed in before they are counted.
    due::finish(&state.db, store::Scope::Class(id)).await?;
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
    let mine =
        if teaching { row.quiz.clone() } else { window::for_learner(row.quiz.clone(), &store::allowance(db, row.id, account.id).await?) };
    let q = &mine;
    let now = crate::unix_now();
    let (used, best, last_attempt) = if teaching {
        (0, None, None)
    } else {
        let mine = store::attempts_of(db, row.id, account.id, q.counted).await?;
        (mine.submitted as u32, mine.best.filter(|_| window::scores_visible(q, now)).map(|b| b as u32), mine.last)
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
        time_limit_s: q.time_limit_s,
        attempts_used: used,
        best,
        last_attempt,
    })
}
