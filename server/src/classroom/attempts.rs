//! Taking a class quiz: `POST /api/quizzes/{id}/attempts` starts (or resumes) the learner's
//! attempt, `GET /api/attempts/{id}` shows it again on any device (and to the class's
//! instructor, with everything), `POST /api/attempts/{id}/submit` grades every answer and stores
//! them with the score in one statement.

use axum::extract::State;
use sqlx::SqlitePool;
use tcplab_core::api::classroom::{AttemptItem, AttemptResult, AttemptSubmission, AttemptView, QuizWindow};
use tcplab_core::classroom::{Item, ItemGrade, grade, item_seed, prompt};
use tcplab_core::quiz::Answer;

use super::access::{self, Relation};
use super::{store, window};
use crate::error::{AppError, Result};
use crate::json::{AppJson, AppPath};
use crate::learners::{self, Account};
use crate::state::AppState;

struct AttemptRow {
    id: i64,
    learner_id: i64,
    quiz_id: i64,
    seed: u64,
    items: Vec<Item>,
    submitted_at: Option<String>,
    answers: Option<String>,
    grades: Option<String>,
    score: Option<i64>,
}

type AttemptColumns = (i64, i64, i64, i64, String, Option<String>, Option<String>, Option<String>, Option<i64>);

fn internal(what: &str) -> impl Fn(serde_json::Error) -> AppError + '_ {
    move |e| AppError::Internal(format!("{what}: {e}"))
}

fn no_attempt(id: i64) -> AppError {
    AppError::NotFound(format!("no attempt {id} for this account"))
}

async fn attempt(db: &SqlitePool, id: i64) -> Result<Option<AttemptRow>> {
    let row: Option<AttemptColumns> =
        sqlx::query_as("SELECT id, learner_id, quiz_id, seed, items, submitted_at, answers, grades, score FROM quiz_attempts WHERE id = ?")
            .bind(id)
            .fetch_optional(db)
            .await?;
    let Some((id, learner_id, quiz_id, seed, items, submitted_at, answers, grades, score)) = row else { return Ok(None) };
    let items = serde_json::from_str(&items).map_err(internal("attempt items"))?;
    Ok(Some(AttemptRow { id, learner_id, quiz_id, seed: seed as u64, items, submitted_at, answers, grades, score }))
}

/// The learner's own attempt; anybody else's is "not found".
async fn own_attempt(db: &SqlitePool, account: &Account, id: i64) -> Result<AttemptRow> {
    attempt(db, id).await?.filter(|a| a.learner_id == account.id).ok_or_else(|| no_attempt(id))
}

/// Who reads an attempt: its learner, or the class's instructor (by the learner's name).
enum Reader {
    Learner(i64),
    Teacher(String),
}

/// The attempt as its reader sees it. For its learner the score shows when the quiz's setting
/// allows; the right answers only once no attempt is left or the quiz has closed, or the next
/// attempt would be a copy of them. The instructor sees everything.
async fn view(db: &SqlitePool, reader: Reader, attempt: AttemptRow) -> Result<AttemptView> {
    let quiz = store::quiz(db, attempt.quiz_id).await?.ok_or_else(|| access::no_quiz(attempt.quiz_id))?.quiz;
    let items = attempt
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let prompt = prompt(item, item_seed(attempt.seed, i)).map_err(|e| AppError::Internal(e.to_string()))?;
            Ok(AttemptItem { points: item.points, prompt })
        })
        .collect::<Result<Vec<_>>>()?;
    let (visible, answers_visible, learner) = match reader {
        Reader::Teacher(name) => (true, true, Some(name)),
        Reader::Learner(id) => {
            let now = crate::unix_now();
            let visible = window::scores_visible(&quiz, now);
            let used: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM quiz_attempts WHERE quiz_id = ? AND learner_id = ? AND submitted_at IS NOT NULL")
                    .bind(attempt.quiz_id)
                    .bind(id)
                    .fetch_one(db)
                    .await?;
            let done = used >= i64::from(quiz.attempts_allowed) || window::of(&quiz, now) != QuizWindow::Open;
            (visible, visible && done, None)
        }
    };
    let result = match (attempt.submitted_at, attempt.answers) {
        (Some(submitted_at), Some(answers)) => Some(AttemptResult {
            submitted_at,
            answers: serde_json::from_str(&answers).map_err(internal("attempt answers"))?,
            score: attempt.score.filter(|_| visible).map(|s| s as u32),
            grades: match attempt.grades.filter(|_| answers_visible) {
                Some(g) => Some(serde_json::from_str(&g).map_err(internal("attempt grades"))?),
                None => None,
            },
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
    let open_attempt = || async {
        sqlx::query_scalar::<_, i64>("SELECT id FROM quiz_attempts WHERE quiz_id = ? AND learner_id = ? AND submitted_at IS NULL")
            .bind(quiz_id)
            .bind(account.id)
            .fetch_optional(&state.db)
            .await
    };
    let window = window::of(&row.quiz, crate::unix_now());
    if window != QuizWindow::Open {
        return Err(not_open(window));
    }
    if let Some(id) = open_attempt().await? {
        return Ok(AppJson(view(&state.db, Reader::Learner(account.id), own_attempt(&state.db, &account, id).await?).await?));
    }
    let items = serde_json::to_string(&row.quiz.items).map_err(internal("quiz items"))?;
    // The count and the insert are one statement, so two starts at once cannot both slip
    // under the limit.
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO quiz_attempts (quiz_id, learner_id, seed, items) SELECT ?1, ?2, ?3, ?4 \
         WHERE (SELECT COUNT(*) FROM quiz_attempts WHERE quiz_id = ?1 AND learner_id = ?2) < ?5 RETURNING id",
    )
    .bind(quiz_id)
    .bind(account.id)
    .bind(rand::random::<u64>() as i64)
    .bind(items)
    .bind(i64::from(row.quiz.attempts_allowed))
    // fetch_all, not fetch_optional: see the rule in crate::db.
    .fetch_all(&state.db)
    .await
    .map(|mut rows| rows.pop());
    let id = match inserted {
        Ok(Some(id)) => id,
        Ok(None) => {
            return Err(AppError::Conflict {
                field: "attempts".into(),
                message: format!("you have used all {} attempts at this quiz", row.quiz.attempts_allowed),
            });
        }
        // Another tab started one a moment ago: that one it is.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            open_attempt().await?.ok_or_else(|| AppError::Internal("open attempt vanished".into()))?
        }
        Err(e) => return Err(e.into()),
    };
    Ok(AppJson(view(&state.db, Reader::Learner(account.id), own_attempt(&state.db, &account, id).await?).await?))
}

/// For its learner, or for the instructor of the quiz's class; anybody else: not found.
pub async fn show(State(state): State<AppState>, AppPath(id): AppPath<i64>, account: Account) -> Result<AppJson<AttemptView>> {
    let row = attempt(&state.db, id).await?.ok_or_else(|| no_attempt(id))?;
    if row.learner_id == account.id {
        return Ok(AppJson(view(&state.db, Reader::Learner(account.id), row).await?));
    }
    access::teacher_quiz(&state.db, &account, row.quiz_id).await.map_err(|_| no_attempt(id))?;
    let name = learners::username(&state.db, row.learner_id).await?.unwrap_or_default();
    Ok(AppJson(view(&state.db, Reader::Teacher(name), row).await?))
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
            grade(item, item_seed(attempt.seed, i), answer)
                .map_err(|e| AppError::Invalid { field: format!("answers[{i}].{}", e.field), message: e.message })
        })
        .collect::<Result<_>>()?;
    let score: u32 = grades.iter().map(|g| g.points).sum();
    let answers: &[Answer] = &body.answers;
    let done = sqlx::query(
        "UPDATE quiz_attempts SET submitted_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), answers = ?, grades = ?, score = ? \
         WHERE id = ? AND submitted_at IS NULL",
    )
    .bind(serde_json::to_string(answers).map_err(internal("answers"))?)
    .bind(serde_json::to_string(&grades).map_err(internal("grades"))?)
    .bind(i64::from(score))
    .bind(id)
    .execute(&state.db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(already());
    }
    Ok(AppJson(view(&state.db, Reader::Learner(account.id), own_attempt(&state.db, &account, id).await?).await?))
}
