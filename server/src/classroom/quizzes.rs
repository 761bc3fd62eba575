//! The quiz editor's routes: create, read, save whole, duplicate, delete. Every save is checked by the
//! shared crate's `Quiz::check`; a quiz with a problem is not saved at all.

use axum::extract::State;
use tcplab_core::api::ErrorCode;
use tcplab_core::api::classroom::{Deleted, EditableQuiz};
use tcplab_core::classroom::Quiz;

use super::access::{self, Relation, TeacherQuiz};
use super::store::{self, QuizRow};
use crate::error::{AppError, Result};
use crate::json::{AppJson, AppPath};
use crate::learners::Account;
use crate::state::AppState;

/// Largest quiz the editor may send: 50 questions with long texts in two languages.
pub const MAX_QUIZ_BYTES: usize = 2 * 1024 * 1024;

/// The quiz as it will be stored (title trimmed), or its first problem, naming its field, as
/// the 422 answer.
pub fn checked(mut quiz: Quiz) -> Result<Quiz> {
    quiz.title = quiz.title.trim().to_owned();
    match quiz.check().into_iter().next() {
        Some(p) => Err(AppError::Check { code: ErrorCode::Invalid, field: p.field, message: p.message }),
        None => Ok(quiz),
    }
}

pub async fn editable(db: &sqlx::SqlitePool, row: QuizRow) -> Result<EditableQuiz> {
    let class = store::class(db, row.class_id, true).await?.ok_or_else(|| access::no_class(row.class_id))?;
    let submitted = store::submitted_count(db, row.id).await?;
    Ok(EditableQuiz { id: row.id, class_id: row.class_id, class_name: class.name, quiz: row.quiz, submitted: submitted as u32 })
}

pub async fn create(
    State(state): State<AppState>,
    AppPath(class_id): AppPath<i64>,
    account: Account,
    AppJson(quiz): AppJson<Quiz>,
) -> Result<AppJson<EditableQuiz>> {
    if access::class(&state.db, &account, class_id).await? != Relation::Teacher {
        return Err(AppError::Forbidden("only the class's instructor can add quizzes".into()));
    }
    access::unarchived(&state.db, class_id).await?;
    let quiz = checked(quiz)?;
    let id = store::save_quiz(&state.db, None, class_id, &quiz).await?;
    Ok(AppJson(editable(&state.db, QuizRow { id, class_id, quiz }).await?))
}

pub async fn show(State(state): State<AppState>, TeacherQuiz(row): TeacherQuiz) -> Result<AppJson<EditableQuiz>> {
    Ok(AppJson(editable(&state.db, row).await?))
}

/// Saves the whole quiz. Attempts already started keep their own copy of the questions.
pub async fn save(
    State(state): State<AppState>,
    TeacherQuiz(row): TeacherQuiz,
    AppJson(quiz): AppJson<Quiz>,
) -> Result<AppJson<EditableQuiz>> {
    let id = row.id;
    access::unarchived(&state.db, row.class_id).await?;
    let quiz = checked(quiz)?;
    store::save_quiz(&state.db, Some(id), row.class_id, &quiz).await?;
    Ok(AppJson(editable(&state.db, QuizRow { quiz, ..row }).await?))
}

/// A copy as a new draft in the same class: next term's quiz from this term's.
pub async fn duplicate(State(state): State<AppState>, TeacherQuiz(row): TeacherQuiz) -> Result<AppJson<EditableQuiz>> {
    access::unarchived(&state.db, row.class_id).await?;
    let mut copy = row.quiz.clone();
    copy.published = false;
    let mut title = format!("{} (copy)", copy.title.trim());
    if title.chars().count() > 200 {
        title = title.chars().take(200).collect();
    }
    copy.title = title;
    let new_id = store::save_quiz(&state.db, None, row.class_id, &copy).await?;
    Ok(AppJson(editable(&state.db, QuizRow { id: new_id, class_id: row.class_id, quiz: copy }).await?))
}

/// Deletes a quiz with its attempts and results (a draft has none): what went.
pub async fn delete(State(state): State<AppState>, TeacherQuiz(row): TeacherQuiz) -> Result<AppJson<Deleted>> {
    access::unarchived(&state.db, row.class_id).await?;
    Ok(AppJson(store::delete_quiz(&state.db, row.id).await?))
}
