//! Per-learner exceptions to a quiz's settings, for its instructor: `GET
//! /api/quizzes/{id}/exceptions` lists them, `PUT` sets one learner's (extra attempts, their own
//! closing time, extra time per attempt). An open attempt's time limit follows at once.

use axum::extract::State;
use tcplab_core::api::ErrorCode;
use tcplab_core::api::classroom::LearnerException;
use tcplab_core::classroom::TIME_LIMITS_S;
use tcplab_core::lang::Text;

use super::access::TeacherQuiz;
use super::store;
use crate::error::{AppError, Result};
use crate::json::AppJson;
use crate::state::AppState;

pub async fn list(State(state): State<AppState>, TeacherQuiz(row): TeacherQuiz) -> Result<AppJson<Vec<LearnerException>>> {
    Ok(AppJson(store::exceptions(&state.db, row.id).await?))
}

fn invalid(field: &str, en: impl Into<String>, zh_cn: impl Into<String>) -> AppError {
    AppError::Check { code: ErrorCode::Invalid, field: field.into(), message: Text::new(en, zh_cn) }
}

/// Sets one member's exception; all zero and no closing time removes it. The answer is the
/// whole list, as the page shows it.
pub async fn set(
    State(state): State<AppState>,
    TeacherQuiz(row): TeacherQuiz,
    AppJson(body): AppJson<LearnerException>,
) -> Result<AppJson<Vec<LearnerException>>> {
    super::access::unarchived(&state.db, row.class_id).await?;
    let username = body.username.trim();
    let Some(learner) = store::member_id(&state.db, row.class_id, username).await? else {
        return Err(invalid("username", format!("{username:?} is not a member of this class"), format!("“{username}”不是这个班级的成员")));
    };
    let a = &body.allowance;
    if a.extra_attempts > 20 {
        return Err(invalid("extra_attempts", "give 0 to 20 extra attempts", "额外作答次数为 0 到 20 次"));
    }
    if a.extra_time_s > *TIME_LIMITS_S.end() {
        return Err(invalid("extra_time_s", "give at most 24 hours of extra time", "额外时间最多 24 小时"));
    }
    if let (Some(close), Some(open)) = (a.closes_at, row.quiz.opens_at)
        && close <= open
    {
        return Err(invalid("closes_at", "the learner's close must come after the quiz opens", "该学习者的截止时间必须晚于测验开放时间"));
    }
    store::set_allowance(&state.db, &row, learner, a).await?;
    Ok(AppJson(store::exceptions(&state.db, row.id).await?))
}
