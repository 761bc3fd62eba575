//! `GET /api/quizzes/{id}/results` and `.../results.csv`: for the class's instructor only.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use sqlx::SqlitePool;
use tcplab_core::api::classroom::QuizResults;
use tcplab_core::classroom::results::{Summary, summarize};

use super::access::TeacherQuiz;
use super::due;
use super::store::{self, QuizRow, Scope};
use crate::error::Result;
use crate::json::AppJson;
use crate::state::AppState;

/// Attempts whose time is up are handed in first, so the results count them.
pub(super) async fn summary(db: &SqlitePool, row: &QuizRow) -> Result<Summary> {
    due::finish(db, Scope::Quiz(row.id)).await?;
    let attempts = store::submitted_attempts(db, row).await?;
    Ok(summarize(row.quiz.max_points(), row.quiz.items.len(), &attempts, row.quiz.counted))
}

pub async fn json(State(state): State<AppState>, TeacherQuiz(row): TeacherQuiz) -> Result<AppJson<QuizResults>> {
    let summary = summary(&state.db, &row).await?;
    Ok(AppJson(QuizResults { id: row.id, class_id: row.class_id, quiz: row.quiz, summary }))
}

/// A spreadsheet cell: quoted when it holds a separator or quote, and a leading `= + - @` is
/// neutralised so a spreadsheet does not run it as a formula (CSV injection).
pub(super) fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() };
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

/// One row per learner: their best attempt, as in the results page, out of the points of the
/// questions that attempt was given.
pub fn csv(summary: &Summary, questions: usize) -> String {
    let mut out = String::from("username,attempts,best_score,max_score,percent,last_submitted_at");
    for q in 1..=questions {
        out.push_str(&format!(",q{q}_correct"));
    }
    out.push('\n');
    for l in &summary.learners {
        let percent = if l.max == 0 { 0.0 } else { f64::from(l.best) * 100.0 / f64::from(l.max) };
        out.push_str(&format!("{},{},{},{},{percent:.1},{}", cell(&l.username), l.attempts, l.best, l.max, cell(&l.last_submitted_at)));
        // An attempt on questions edited since is left blank: its question 2 may not be today's.
        for q in 0..questions {
            // Blank too where a pool did not ask the learner this question.
            out.push_str(match l.correct.get(q).copied().flatten().filter(|_| l.current) {
                Some(true) => ",1",
                Some(false) => ",0",
                None => ",",
            });
        }
        out.push('\n');
    }
    out
}

pub async fn csv_file(State(state): State<AppState>, TeacherQuiz(row): TeacherQuiz) -> Result<impl IntoResponse> {
    let id = row.id;
    let summary = summary(&state.db, &row).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"quiz-{id}-grades.csv\"")),
        ],
        csv(&summary, row.quiz.items.len()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(cell("ann"), "ann");
        assert_eq!(cell("-2-3"), "'-2-3");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("a,b"), "\"a,b\"");
    }
}
