//! `GET /api/quizzes/{id}/export?format=gift|moodle_xml` and `POST /api/quizzes/{id}/import`:
//! moving questions to and from Moodle. An import adds every question or none.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use serde::Deserialize;
use tcplab_core::api::classroom::{ExchangeFormat, ImportReport, ImportRequest};
use tcplab_core::lang::Text;

use super::access::{self, TeacherQuiz};
use super::{exchange, quizzes, store};
use crate::error::{AppError, Result};
use crate::json::AppJson;
use crate::state::AppState;
use tcplab_core::api::ErrorCode;

/// Largest GIFT or Moodle XML file taken: a bank of a few hundred questions.
pub const MAX_IMPORT_BYTES: usize = 2 * 1024 * 1024;

#[derive(Deserialize)]
pub struct ExportQuery {
    format: ExchangeFormat,
}

pub async fn export(
    State(state): State<AppState>,
    TeacherQuiz(row): TeacherQuiz,
    query: std::result::Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<impl IntoResponse> {
    let Query(query) =
        query.map_err(|_| AppError::Invalid { field: "format".into(), message: "format must be gift or moodle_xml".into() })?;
    let id = row.id;
    let (body, mime, ext) = match query.format {
        ExchangeFormat::Gift => (exchange::to_gift(&row.quiz), "text/plain; charset=utf-8", "gift.txt"),
        ExchangeFormat::MoodleXml => (
            exchange::to_moodle_xml(&row.quiz, state.lessons.steps(tcplab_core::lang::Lang::ZhCn).map(|t| &t.scenarios)),
            "application/xml; charset=utf-8",
            "moodle.xml",
        ),
    };
    Ok((
        [(header::CONTENT_TYPE, mime.to_owned()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"quiz-{id}-{ext}\""))],
        body,
    ))
}

/// The file's question number (from 1) of a problem at `items[i]...`, when `i` is past the
/// quiz's own `before` items.
fn imported_question(field: &str, before: usize) -> Option<usize> {
    let i: usize = field.strip_prefix("items[")?.split_once(']')?.0.parse().ok()?;
    i.checked_sub(before).map(|n| n + 1)
}

pub async fn import(
    State(state): State<AppState>,
    TeacherQuiz(row): TeacherQuiz,
    AppJson(body): AppJson<ImportRequest>,
) -> Result<AppJson<ImportReport>> {
    let id = row.id;
    access::unarchived(&state.db, row.class_id).await?;
    let points = body.points.unwrap_or(1);
    if !(1..=tcplab_core::classroom::MAX_POINTS).contains(&points) {
        return Err(AppError::Invalid {
            field: "points".into(),
            message: format!("points must be 1 to {}", tcplab_core::classroom::MAX_POINTS),
        });
    }
    // Up to 2 MiB of text to parse: on a blocking thread, so the async workers keep answering.
    let (format, text) = (body.format, body.text);
    let parsed = tokio::task::spawn_blocking(move || exchange::import(format, &text, points))
        .await
        .map_err(|e| AppError::Internal(format!("import task: {e}")))?;
    let (items, labels) = parsed.map_err(|e| AppError::Check { code: ErrorCode::ImportFailed, field: "text".into(), message: e.text() })?;
    let imported = items.len() as u32;
    let before = row.quiz.items.len();
    let mut quiz = row.quiz.clone();
    quiz.items.extend(items);
    // A problem in an imported question is named by its place in the file, not in the quiz.
    let quiz = quizzes::checked(quiz).map_err(|e| match e {
        AppError::Check { code: ErrorCode::Invalid, field, message } => match imported_question(&field, before) {
            Some(n) => {
                let tail = field.split_once("].").map_or("", |(_, t)| t);
                // ` "Name"` or ` (line 12)`: where the instructor finds it in their file.
                let label = labels.get(n - 1).map_or("", String::as_str);
                AppError::Check {
                    code: ErrorCode::ImportFailed,
                    field: "text".into(),
                    message: Text::new(
                        format!("question {n}{label} of the file: {tail}: {}", message.en),
                        format!("文件中的第 {n} 道题{label}：{tail}：{}", message.zh_cn),
                    ),
                }
            }
            None => AppError::Check { code: ErrorCode::Invalid, field, message },
        },
        other => other,
    })?;
    store::save_quiz(&state.db, Some(id), row.class_id, &quiz).await?;
    Ok(AppJson(ImportReport { quiz: quizzes::editable(&state.db, store::QuizRow { quiz, ..row }).await?, imported }))
}
