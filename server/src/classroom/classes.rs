//! `GET/POST /api/classes`, `POST /api/classes/join`, `GET`/`PUT`/`DELETE /api/classes/{id}`,
//! leaving a class and removing a member.

use axum::extract::State;
use sqlx::SqlitePool;
use tcplab_core::api::classroom::{ClassChange, ClassDetail, ClassSummary, Classes, Deleted, JoinClass, NewClass, QuizInfo, QuizWindow};
use tcplab_core::lang::Text;

use super::access::{self, Relation};
use super::store::{self, QuizRow};
use super::{due, window};
use crate::error::{AppError, Result};
use crate::json::{AppJson, AppPath, AppQuery};
use crate::learners::{Account, Teacher};
use crate::state::AppState;
use tcplab_core::api::ErrorCode;

/// Letters and digits that cannot be mistaken for each other when read off a board.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LEN: usize = 8;
const MAX_NAME: usize = 100;

/// `?archived=true` lists archived classes too.
#[derive(Debug, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    archived: bool,
}

pub async fn list(State(state): State<AppState>, AppQuery(q): AppQuery<ListQuery>, account: Account) -> Result<AppJson<Classes>> {
    let teaching = if account.role.teaches() {
        store::teaching(&state.db, account.id, account.role == tcplab_core::api::auth::Role::Admin, q.archived).await?
    } else {
        Vec::new()
    };
    Ok(AppJson(Classes { teaching, joined: store::joined(&state.db, account.id, q.archived).await? }))
}

fn name_problem() -> AppError {
    AppError::Check {
        code: ErrorCode::Invalid,
        field: "name".into(),
        message: Text::new(
            format!("give the class a name of 1 to {MAX_NAME} characters"),
            format!("请给班级起一个 1 到 {MAX_NAME} 个字符的名字"),
        ),
    }
}

async fn teacher_of(state: &AppState, account: &Account, id: i64) -> Result<()> {
    match access::class(&state.db, account, id).await? {
        Relation::Teacher => Ok(()),
        Relation::Member => Err(AppError::Forbidden("only the class's instructor can do this".into())),
    }
}

/// Renames a class, or archives it (read-only, out of the default lists) or brings it back.
pub async fn change(
    State(state): State<AppState>,
    AppPath(id): AppPath<i64>,
    account: Account,
    AppJson(body): AppJson<ClassChange>,
) -> Result<AppJson<ClassSummary>> {
    teacher_of(&state, &account, id).await?;
    let name = body.name.as_deref().map(str::trim);
    if name.is_some_and(|n| n.is_empty() || n.chars().count() > MAX_NAME || n.chars().any(char::is_control)) {
        return Err(name_problem());
    }
    store::change_class(&state.db, id, name, body.archived).await?;
    Ok(AppJson(store::class(&state.db, id, true).await?.ok_or_else(|| access::no_class(id))?))
}

/// Deletes a class with everything in it: its quizzes, every attempt and result, the members
/// list. The answer says how much went; the page asked before.
pub async fn delete(State(state): State<AppState>, AppPath(id): AppPath<i64>, account: Account) -> Result<AppJson<Deleted>> {
    teacher_of(&state, &account, id).await?;
    Ok(AppJson(store::delete_class(&state.db, id).await?))
}

/// A learner leaves a class; their handed-in attempts stay in its results.
pub async fn leave(State(state): State<AppState>, AppPath(id): AppPath<i64>, account: Account) -> Result<AppJson<Classes>> {
    if access::class(&state.db, &account, id).await? == Relation::Teacher {
        return Err(AppError::Check {
            code: ErrorCode::Conflict,
            field: "class".into(),
            message: Text::new("you teach this class: archive or delete it instead", "你是这个班级的老师：请改为归档或删除它"),
        });
    }
    store::leave(&state.db, id, account.id).await?;
    Ok(AppJson(Classes { teaching: Vec::new(), joined: store::joined(&state.db, account.id, false).await? }))
}

/// The instructor takes a member out of the class; their attempts stay in the results.
pub async fn remove_member(
    State(state): State<AppState>,
    AppPath((id, username)): AppPath<(i64, String)>,
    account: Account,
) -> Result<AppJson<ClassDetail>> {
    teacher_of(&state, &account, id).await?;
    let learner = store::member_id(&state.db, id, &username).await?.ok_or_else(|| AppError::Check {
        code: ErrorCode::NotFound,
        field: "username".into(),
        message: Text::new(format!("{username:?} is not a member of this class"), format!("“{username}”不是这个班级的成员")),
    })?;
    store::leave(&state.db, id, learner).await?;
    detail(&state, &account, id).await.map(AppJson)
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
    access::unarchived(&state.db, id).await?;
    if teacher == account.id {
        return Err(AppError::Unprocessable { code: ErrorCode::OwnClass, field: "code".into(), message: "you teach this class".into() });
    }
    store::join(&state.db, id, account.id).await?;
    Ok(AppJson(store::class(&state.db, id, false).await?.ok_or_else(|| access::no_class(id))?))
}

pub async fn show(State(state): State<AppState>, AppPath(id): AppPath<i64>, account: Account) -> Result<AppJson<ClassDetail>> {
    detail(&state, &account, id).await.map(AppJson)
}

async fn detail(state: &AppState, account: &Account, id: i64) -> Result<ClassDetail> {
    let relation = access::class(&state.db, account, id).await?;
    let teaching = relation == Relation::Teacher;
    let class = store::class(&state.db, id, teaching).await?.ok_or_else(|| access::no_class(id))?;
    // Attempts whose time is up count as handed in before they are counted.
    due::finish(&state.db, store::Scope::Class(id)).await?;
    let mut quizzes = Vec::new();
    for row in store::class_quizzes(&state.db, id).await? {
        if teaching || row.quiz.published {
            quizzes.push(info(&state.db, account, &row, teaching).await?);
        }
    }
    let members = if teaching { store::members(&state.db, id).await? } else { Vec::new() };
    Ok(ClassDetail { class, teaching, quizzes, members })
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
        questions: q.asked() as u32,
        max_points: q.max_points(),
        attempts_allowed: q.attempts_allowed,
        show_scores: q.show_scores,
        time_limit_s: q.time_limit_s,
        attempts_used: used,
        best,
        last_attempt,
    })
}

/// Deletes the results deleted accounts left in the class.
pub async fn purge_deleted(State(state): State<AppState>, AppPath(id): AppPath<i64>, account: Account) -> Result<AppJson<Deleted>> {
    teacher_of(&state, &account, id).await?;
    let attempts = store::purge_deleted(&state.db, id).await? as u32;
    Ok(AppJson(Deleted { attempts, ..Deleted::default() }))
}
