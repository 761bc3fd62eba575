//! A class's gradebook for its instructor: every member's counted score on every quiz (best or
//! latest, as each quiz says, with the instructor's overrides), as JSON and as CSV for Moodle's
//! and Canvas's gradebook importers.
//!
//! The CSV columns:
//! - `format=moodle` (the default): `username`, then one column per quiz headed by its title.
//!   In Moodle: Grades > Import > CSV file; map `username` to the user field "username" and each
//!   quiz column to a grade item (or "new grade item"). An empty cell is "no grade".
//! - `format=canvas`: `Student`, `ID`, `SIS User ID`, `SIS Login ID`, `Section`, then one column
//!   per quiz, after a `Points Possible` row with each quiz's maximum. TCP Lab does not know
//!   Canvas's own ids: the username goes in `SIS Login ID`, which Canvas matches when the
//!   usernames are the same in both; new columns become new assignments.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use serde::Deserialize;
use tcplab_core::api::ErrorCode;
use tcplab_core::api::classroom::{Gradebook, GradebookQuiz, GradebookRow};

use super::access::{self, Relation};
use super::due;
use super::results::{cell, summary};
use super::store::{self, Scope};
use crate::error::{AppError, Result};
use crate::json::{AppJson, AppPath, AppQuery};
use crate::learners::Account;
use crate::state::AppState;

async fn build(state: &AppState, account: &Account, class_id: i64) -> Result<Gradebook> {
    if access::class(&state.db, account, class_id).await? != Relation::Teacher {
        return Err(AppError::Forbidden("only the class's instructor can read its gradebook".into()));
    }
    let class = store::class(&state.db, class_id, true).await?.ok_or_else(|| access::no_class(class_id))?;
    due::finish(&state.db, Scope::Class(class_id)).await?;
    let members = store::members(&state.db, class_id).await?;
    let mut learners: Vec<GradebookRow> = members.into_iter().map(|username| GradebookRow { username, scores: Vec::new() }).collect();
    let mut quizzes = Vec::new();
    for row in store::class_quizzes(&state.db, class_id).await?.into_iter().filter(|r| r.quiz.published) {
        let summary = summary(&state.db, &row).await?;
        for learner in &mut learners {
            let counted = summary.learners.iter().find(|l| l.username == learner.username).map(|l| l.best);
            learner.scores.push(counted);
        }
        quizzes.push(GradebookQuiz {
            id: row.id,
            title: row.quiz.title.clone(),
            max_points: row.quiz.max_points(),
            counted: row.quiz.counted,
        });
    }
    Ok(Gradebook { class_id, class_name: class.name, quizzes, learners })
}

pub async fn json(State(state): State<AppState>, AppPath(id): AppPath<i64>, account: Account) -> Result<AppJson<Gradebook>> {
    Ok(AppJson(build(&state, &account, id).await?))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvFormat {
    Moodle,
    Canvas,
}

/// `?format=`, read here so a wrong one is named as the parameter it is.
#[derive(Debug, Deserialize)]
pub struct CsvQuery {
    format: Option<String>,
}

impl CsvQuery {
    fn format(&self) -> Result<CsvFormat> {
        match self.format.as_deref() {
            None | Some("moodle") => Ok(CsvFormat::Moodle),
            Some("canvas") => Ok(CsvFormat::Canvas),
            Some(other) => Err(AppError::BadRequest {
                code: ErrorCode::InvalidQuery,
                field: Some("format".into()),
                message: format!("format is moodle or canvas, not {other:?}"),
            }),
        }
    }
}

/// The gradebook as CSV, in the columns the format's importer reads (see the module's doc).
pub fn csv(book: &Gradebook, format: CsvFormat) -> String {
    let mut out = String::new();
    let titles = book.quizzes.iter().map(|q| cell(&q.title)).collect::<Vec<_>>().join(",");
    let score = |s: &Option<u32>| s.map(|s| s.to_string()).unwrap_or_default();
    match format {
        CsvFormat::Moodle => {
            out.push_str(&format!("username,{titles}\n"));
            for l in &book.learners {
                let scores: Vec<String> = l.scores.iter().map(score).collect();
                out.push_str(&format!("{},{}\n", cell(&l.username), scores.join(",")));
            }
        }
        CsvFormat::Canvas => {
            out.push_str(&format!("Student,ID,SIS User ID,SIS Login ID,Section,{titles}\n"));
            let max: Vec<String> = book.quizzes.iter().map(|q| q.max_points.to_string()).collect();
            out.push_str(&format!("Points Possible,,,,,{}\n", max.join(",")));
            let section = cell(&book.class_name);
            for l in &book.learners {
                let scores: Vec<String> = l.scores.iter().map(score).collect();
                let name = cell(&l.username);
                out.push_str(&format!("{name},,,{name},{section},{}\n", scores.join(",")));
            }
        }
    }
    out
}

pub async fn csv_file(
    State(state): State<AppState>,
    AppPath(id): AppPath<i64>,
    AppQuery(query): AppQuery<CsvQuery>,
    account: Account,
) -> Result<impl IntoResponse> {
    let format = query.format()?;
    let book = build(&state, &account, id).await?;
    let name = match format {
        CsvFormat::Moodle => "moodle",
        CsvFormat::Canvas => "canvas",
    };
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"class-{id}-gradebook-{name}.csv\"")),
        ],
        csv(&book, format),
    ))
}
