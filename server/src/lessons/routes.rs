//! `GET /api/lessons` and `GET /api/lessons/{id}`.

use axum::Json;
use axum::extract::{Path, Query, State};
use tcplab_core::api::{LessonPage, LessonSummary, StepTexts};

use crate::app::AppState;
use crate::routes::Routes;
use crate::error::{AppError, Result};
use crate::lang::LangQuery;

pub fn router() -> Routes {
    Routes::new().get("/lessons", list).get("/lessons/{id}", page).get("/steps", steps)
}

async fn list(State(state): State<AppState>, Query(q): Query<LangQuery>) -> Result<Json<Vec<LessonSummary>>> {
    Ok(Json(state.lessons.list(q.lang()?)))
}

async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
) -> Result<Json<LessonPage>> {
    let lang = q.lang()?;
    state.lessons.page(&id, lang).map(Json).ok_or_else(|| AppError::NotFound(format!("no lesson with id {id:?}")))
}

async fn steps(State(state): State<AppState>, Query(q): Query<LangQuery>) -> Result<Json<StepTexts>> {
    let lang = q.lang()?;
    state.lessons.steps(lang).cloned().map(Json).ok_or_else(|| AppError::NotFound(format!("no step texts in {}", lang.tag())))
}
