//! Taking a class quiz: `POST /api/quizzes/{id}/attempts` starts (or resumes) the learner's
//! attempt, `GET /api/attempts/{id}` shows it again on any device (and to the class's
//! instructor, with everything), `POST /api/attempts/{id}/submit` grades every answer and stores
//! them with the score in one statement.

use axum::extract::State;
use sqlx::SqlitePool;
use sqlx::types::Json;
use tcplab_core::api::classroom::{AttemptItem, AttemptResult, AttemptSubmission, AttemptView, QuizWindow};
use tcplab_core::classroom::{ItemGrade, Quiz, grade, item_seed, prompt};

use super::access::{self, Relation};
use super::store::{self, AttemptRow};
use super::window;
use crate::error::{AppError, Result};
use crate::json::{AppJson, AppPath};
use crate::learners::{self, Account};
use crate::state::AppState;

fn no_attempt(id: i64) -> AppError {
    AppError::NotFound(format!("no attempt {id} for this account"))
}

/// The learner's own attempt; anybody else's is "not found".
async fn own_attempt(db: &SqlitePool, account: &Account, id: i64) -> Result<AttemptRow> {
    store::attempt(db, id).await?.filter(|a| a.learner_id == account.id).ok_or_else(|| no_attempt(id))
}

/// Who reads an attempt: its learner, or the class's instructor (by the learner's name).
enum Reader {
    Learner(i64),
    Teacher(String),
}

/// The attempt as its reader sees it. For its learner the score shows when the quiz's setting
/// allows; the right answers only once no attempt is left or the quiz has closed, or the next
/// attempt would be a copy of them. The instructor sees everything.
async fn view(db: &SqlitePool, reader: Reader, quiz: Quiz, attempt: AttemptRow) -> Result<AttemptView> {
    let items = attempt
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let prompt = prompt(item, item_seed(attempt.seed(), i)).map_err(|e| AppError::Internal(e.to_string()))?;
            Ok(AttemptItem { points: item.points, prompt })
        })
        .collect::<Result<Vec<_>>>()?;
    let (visible, answers_visible, learner) = match reader {
        Reader::Teacher(name) => (true, true, Some(name)),
        Reader::Learner(id) => {
            let now = crate::unix_now();
            let visible = window::scores_visible(&quiz, now);
            let used = store::attempts_of(db, attempt.quiz_id, id).await?.submitted;
            let done = used >= i64::from(quiz.attempts_allowed) || window::of(&quiz, now) != QuizWindow::Open;
            (visible, visible && done, None)
        }
    };
    let result = match (attempt.submitted_at, attempt.answers) {
        (Some(submitted_at), Some(answers)) => Some(AttemptResult {
            submitted_at,
            answers: answers.0,
            score: attempt.score.filter(|_| visible).map(|s| s as u32),
            grades: attempt.grades.filter(|_| answers_visible).map(|g| g.0),
        }),
        _ => None,
    };
    Ok(AttemptView {
        attempt_id: attempt.id,
        quiz_id: attempt.quiz_id,
        title: quiz.title,
        max_points: attempt.items.iter().map(|i| i.points).sum(),
        items,
        closes_at: quiz.closes_at,
        result,
        learner,
    })
}

fn not_open(window: QuizWindow) -> AppError {
    let message = match window {
        QuizWindow::NotYetOpen => "this quiz is not open yet",
        _ => "this quiz is closed",
    };
    AppError::Conflict { field: "quiz".into(), message: message.into() }
}

pub async fn start(State(state): State<AppState>, AppPath(quiz_id): AppPath<i64>, account: Account) -> Result<AppJson<AttemptView>> {
    let (row, relation) = access::quiz(&state.db, &account, quiz_id).await?;
    if relation == Relation::Teacher {
        return Err(AppError::Forbidden(
            "instructors try their quizzes in the editor's preview, so no attempt counts in the results".into(),
        ));
    }
    let window = window::of(&row.quiz, crate::unix_now());
    if window != QuizWindow::Open {
        return Err(not_open(window));
    }
    let id = match store::open_attempt(&state.db, quiz_id, account.id).await? {
        Some(id) => id,
        None => match store::start_attempt(&state.db, &row, account.id, rand::random()).await? {
            store::Started::New(id) => id,
            store::Started::NoneLeft => {
                return Err(AppError::Conflict {
                    field: "attempts".into(),
                    message: format!("you have used all {} attempts at this quiz", row.quiz.attempts_allowed),
                });
            }
            // Another tab started one a moment ago: that one it is.
            store::Started::Raced => store::open_attempt(&state.db, quiz_id, account.id)
                .await?
                .ok_or_else(|| AppError::Internal("open attempt vanished".into()))?,
        },
    };
    let attempt = own_attempt(&state.db, &account, id).await?;
    Ok(AppJson(view(&state.db, Reader::Learner(account.id), row.quiz, attempt).await?))
}

/// For its learner, or for the instructor of the quiz's class; anybody else: not found.
pub async fn show(State(state): State<AppState>, AppPath(id): AppPath<i64>, account: Account) -> Result<AppJson<AttemptView>> {
    let row = store::attempt(&state.db, id).await?.ok_or_else(|| no_attempt(id))?;
    if row.learner_id == account.id {
        let quiz = store::quiz(&state.db, row.quiz_id).await?.ok_or_else(|| access::no_quiz(row.quiz_id))?.quiz;
        return Ok(AppJson(view(&state.db, Reader::Learner(account.id), quiz, row).await?));
    }
    let quiz = access::teacher_quiz(&state.db, &account, row.quiz_id).await.map_err(|_| no_attempt(id))?.quiz;
    let name = learners::username(&state.db, row.learner_id).await?.unwrap_or_default();
    Ok(AppJson(view(&state.db, Reader::Teacher(name), quiz, row).await?))
}

/// Grades every answer first: one that cannot be read fails the whole submission with its place
/// named, and nothing is stored.
pub async fn submit(
    State(state): State<AppState>,
    AppPath(id): AppPath<i64>,
    account: Account,
    AppJson(body): AppJson<AttemptSubmission>,
) -> Result<AppJson<AttemptView>> {
    let attempt = own_attempt(&state.db, &account, id).await?;
    let already = || AppError::Conflict { field: "attempt".into(), message: "this attempt was already submitted".into() };
    if attempt.submitted_at.is_some() {
        return Err(already());
    }
    let quiz = store::quiz(&state.db, attempt.quiz_id).await?.ok_or_else(|| access::no_quiz(attempt.quiz_id))?.quiz;
    // An attempt started in time may be handed in a little after the close: the press of
    // "Submit" at 9:59:59 must not lose the work to a slow network.
    let window = window::for_hand_in(&quiz, crate::unix_now());
    if !quiz.published || window != QuizWindow::Open {
        return Err(not_open(window));
    }
    if body.answers.len() != attempt.items.len() {
        return Err(AppError::Invalid {
            field: "answers".into(),
            message: format!(
                "send {} answers, one per question ({{\"type\":\"blank\"}} for none); got {}",
                attempt.items.len(),
                body.answers.len()
            ),
        });
    }
    let grades: Vec<ItemGrade> = attempt
        .items
        .iter()
        .zip(&body.answers)
        .enumerate()
        .map(|(i, (item, answer))| {
            grade(item, item_seed(attempt.seed(), i), answer)
                .map_err(|e| AppError::Invalid { field: format!("answers[{i}].{}", e.field), message: e.message })
        })
        .collect::<Result<_>>()?;
    let score: u32 = grades.iter().map(|g| g.points).sum();
    let submitted_at = store::submit_attempt(&state.db, id, &body.answers, &grades, score).await?.ok_or_else(already)?;
    // The stored attempt is what was read, with what was just written: no second read.
    let attempt = AttemptRow {
        submitted_at: Some(submitted_at),
        answers: Some(Json(body.answers)),
        grades: Some(Json(grades)),
        score: Some(i64::from(score)),
        ..attempt
    };
    Ok(AppJson(view(&state.db, Reader::Learner(account.id), quiz, attempt).await?))
}
