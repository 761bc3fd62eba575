//! `GET /api/lessons` and `GET /api/lessons/{id}`.

use crate::json::{AppPath, AppQuery};
use axum::Json;
use axum::extract::State;
use tcplab_core::api::{LessonPage, LessonSummary, StepTexts};

use crate::error::{AppError, Result};
use crate::lang::LangQuery;
use crate::routes::Routes;
use crate::state::AppState;

pub fn router() -> Routes {
    Routes::new().get("/lessons", list).get("/lessons/{id}", page).get("/steps", steps)
}

async fn list(State(state): State<AppState>, AppQuery(q): AppQuery<LangQuery>) -> Result<Json<Vec<LessonSummary>>> {
    Ok(Json(state.lessons.list(q.lang()?)))
}

async fn page(State(state): State<AppState>, AppPath(id): AppPath<String>, AppQuery(q): AppQuery<LangQuery>) -> Result<Json<LessonPage>> {
    let lang = q.lang()?;
    state.lessons.page(&id, lang).map(Json).ok_or_else(|| AppError::NotFound(format!("no lesson with id {id:?}")))
}

async fn steps(State(state): State<AppState>, AppQuery(q): AppQuery<LangQuery>) -> Result<Json<StepTexts>> {
    let lang = q.lang()?;
    state.lessons.steps(lang).cloned().map(Json).ok_or_else(|| AppError::NotFound(format!("no step texts in {}", lang.tag())))
}
