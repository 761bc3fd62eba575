//! `POST /api/quiz/questions`, `GET /api/quiz/questions/{id}`,
//! `POST /api/quiz/questions/{id}/answers` and `GET /api/progress`.

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use tcplab_core::api::{AnswerSubmission, Feedback, HistoryItem, LessonVisit, NewQuestion, Progress, QuestionView, TopicProgress};
use tcplab_core::quiz::{Answer, Grading, Kind, Prompt, Question, grade, mastery};
use tower_sessions::Session;

use super::store;
use super::writer::PendingAnswer;
use crate::app::AppState;
use crate::error::{AppError, Result};
use crate::json::AppJson;
use crate::learners;

/// How many answers the progress page lists.
const HISTORY: usize = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quiz/questions", post(new_question))
        .route("/quiz/questions/{id}", get(show_question))
        .route("/quiz/questions/{id}/answers", post(answer))
        .route("/progress", get(progress))
        .route("/progress/lessons/{id}", post(visit_lesson))
}

async fn new_question(
    State(state): State<AppState>,
    session: Session,
    AppJson(body): AppJson<NewQuestion>,
) -> Result<AppJson<QuestionView>> {
    let learner = learners::current_or_new(&state.db, &session).await?;
    let id = format!("{:032x}", rand::random::<u128>());
    let seed = rand::random::<u64>();
    state.quiz.insert_question(&id, learner, body.kind, seed).await?;
    let prompt = Prompt::of(&Question::generate(seed, body.kind));
    Ok(AppJson(QuestionView { id, prompt }))
}

fn no_question(id: &str) -> AppError {
    AppError::NotFound(format!("no question {id:?} for this learner"))
}

/// The learner's question, regenerated from its seed; anybody else's is "not found".
async fn load(state: &AppState, session: &Session, id: &str) -> Result<(i64, Question)> {
    let learner = learners::current(session).await?.ok_or_else(|| no_question(id))?;
    let stored = state.quiz.question(id, learner).await?.ok_or_else(|| no_question(id))?;
    Ok((learner, Question::generate(stored.seed, stored.kind)))
}

/// The prompt again, for a reload or another tab.
async fn show_question(State(state): State<AppState>, session: Session, Path(id): Path<String>) -> Result<AppJson<QuestionView>> {
    let (_, question) = load(&state, &session, &id).await?;
    Ok(AppJson(QuestionView { id, prompt: Prompt::of(&question) }))
}

/// Letters, digits, `-` and `_`, at most 64: a UUID fits, and nothing odd lands in the database.
fn check_attempt_id(id: &str) -> Result<()> {
    let ok = (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(AppError::Invalid {
            field: "attempt_id".into(),
            message: "attempt_id must be 1 to 64 letters, digits, '-' or '_' (a UUID, say)".into(),
        })
    }
}

/// Grades and stores an answer, then answers with the verdict: an answer is acknowledged only
/// once it is committed. A retried attempt gets the stored verdict and writes nothing.
async fn answer(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    AppJson(body): AppJson<AnswerSubmission>,
) -> Result<AppJson<Feedback>> {
    check_attempt_id(&body.attempt_id)?;
    let (learner, question) = load(&state, &session, &id).await?;
    let grading = grade(&question, &body.answer).map_err(|e| AppError::Invalid {
        field: format!("answer.{}", e.field),
        message: e.message,
    })?;
    let answer_json = serde_json::to_string(&body.answer).map_err(|e| AppError::Internal(e.to_string()))?;
    let new = PendingAnswer {
        attempt_id: body.attempt_id.clone(),
        learner,
        question_id: id.clone(),
        kind: question.kind,
        answer_json,
        correct: u8::from(grading.correct),
    };
    if state.quiz.insert_answer(new).await? {
        return feedback(&question, &id, &body.attempt_id, grading, false);
    }
    // The attempt id was taken: a retry of a stored answer (its verdict again), or somebody
    // else's id (a conflict). The insert comes first because retries are rare.
    let previous = replayed(&state, learner, &id, &body.attempt_id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("attempt {} was taken but is not stored", body.attempt_id)))?;
    feedback(&question, &id, &body.attempt_id, regrade(&question, &previous)?, true)
}

/// The answer stored under `attempt_id` when it is this learner's attempt at this question; an
/// attempt id used by anybody else, or for another question, is a conflict.
async fn replayed(state: &AppState, learner: i64, question_id: &str, attempt_id: &str) -> Result<Option<Answer>> {
    let Some(stored) = store::answer_by_attempt(&state.db, attempt_id).await? else { return Ok(None) };
    if stored.learner_id != learner || stored.question_id != question_id {
        return Err(AppError::Conflict {
            field: "attempt_id".into(),
            message: "this attempt_id was already used for another answer; make a new one for each submission".into(),
        });
    }
    serde_json::from_str(&stored.answer).map(Some).map_err(|e| AppError::Internal(format!("stored answer: {e}")))
}

/// The verdict on a stored answer, for a retried attempt. It was graded when it was stored, so a
/// failure now is a bug of ours, not the caller's.
fn regrade(question: &Question, stored: &Answer) -> Result<Grading> {
    grade(question, stored).map_err(|e| AppError::Internal(format!("a stored answer no longer grades: {e}")))
}

fn feedback(question: &Question, id: &str, attempt_id: &str, grading: Grading, repeated: bool) -> Result<AppJson<Feedback>> {
    Ok(AppJson(Feedback {
        question_id: id.to_owned(),
        attempt_id: attempt_id.to_owned(),
        correct: grading.correct,
        expected: grading.expected,
        step: grading.step,
        key: grading.key,
        replay: question.run.steps[..=grading.step].to_vec(),
        repeated,
    }))
}

/// Reading the progress never creates a learner: a visitor who has answered nothing sees every
/// topic at zero.
async fn progress(State(state): State<AppState>, session: Session) -> Result<AppJson<Progress>> {
    let (username, rows, lessons) = match learners::current(&session).await? {
        Some(learner) => (
            learners::username(&state.db, learner).await?,
            store::answers(&state.db, learner).await?,
            store::lessons(&state.db, learner).await?,
        ),
        None => (None, Vec::new(), Vec::new()),
    };
    let topics = Kind::ALL
        .into_iter()
        .map(|kind| {
            let latest_first: Vec<bool> = rows.iter().filter(|r| r.kind == kind).map(|r| r.correct).collect();
            TopicProgress {
                kind,
                answered: latest_first.len() as u32,
                correct: latest_first.iter().filter(|c| **c).count() as u32,
                mastery: mastery(&latest_first),
            }
        })
        .collect();
    let history = rows
        .into_iter()
        .take(HISTORY)
        .map(|r| HistoryItem { question_id: r.question_id, kind: r.kind, correct: r.correct, at: r.at })
        .collect();
    Ok(AppJson(Progress { username, topics, history, lessons }))
}

/// A lesson opened (the page calls this when it shows one) or finished. Only lessons that exist
/// are recorded, so the table cannot fill with made-up ids.
async fn visit_lesson(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    AppJson(visit): AppJson<LessonVisit>,
) -> Result<AppJson<Progress>> {
    if !state.lessons.ids().any(|known| known == id) {
        return Err(AppError::NotFound(format!("no lesson with id {id:?}")));
    }
    let learner = learners::current_or_new(&state.db, &session).await?;
    store::visit_lesson(&state.db, learner, &id, visit.completed).await?;
    progress(State(state), session).await
}
