//! `POST /api/quiz/questions`, `GET /api/quiz/questions/{id}`,
//! `POST /api/quiz/questions/{id}/answers`, the same three under `/api/quiz/tuning` for the
//! tuning bank, and `GET /api/progress`.

use axum::extract::State;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tcplab_core::api::{
    AnswerSubmission, BankFeedback, BankQuestionView, BankSubmission, Feedback, HistoryItem, LessonVisit, NewBankQuestion, NewQuestion,
    Progress, QuestionView, TopicProgress,
};
use tcplab_core::quiz::bank::BankQuestion;
use tcplab_core::quiz::{Answer, AnswerError, Grading, Prompt, Question, Topic, grade, mastery};
use tower_sessions::Session;

use super::store::{self, StoredQuestion};
use super::writer::PendingAnswer;
use crate::error::{AppError, Result};
use crate::json::{AppJson, AppPath};
use crate::learners::{self, ClientIp};
use crate::routes::Routes;
use crate::state::AppState;
use std::net::IpAddr;

/// How many answers the progress page lists.
const HISTORY: usize = 50;

pub fn router() -> Routes {
    Routes::new()
        .post("/quiz/questions", new_question)
        .get("/quiz/questions/{id}", show_question)
        .post("/quiz/questions/{id}/answers", answer)
        .post("/quiz/tuning", new_bank_question)
        .get("/quiz/tuning/{id}", show_bank_question)
        .post("/quiz/tuning/{id}/answers", bank_answer)
        .get("/progress", progress)
        .post("/progress/lessons/{id}", visit_lesson)
}

async fn new_question(
    State(state): State<AppState>,
    ClientIp(addr): ClientIp,
    session: Session,
    AppJson(body): AppJson<NewQuestion>,
) -> Result<AppJson<QuestionView>> {
    let (id, seed) = give(&state, &session, addr, body.kind.into(), None).await?;
    let prompt = Prompt::of(&Question::generate(seed, body.kind));
    Ok(AppJson(QuestionView { id, prompt }))
}

/// Stores a new question for this session's learner (made on first use): a random, unguessable
/// id and a random seed, which are returned.
async fn give(state: &AppState, session: &Session, addr: Option<IpAddr>, topic: Topic, bank_id: Option<&str>) -> Result<(String, u64)> {
    let learner = learners::current_or_new(&state.db, session, &state.newcomers, addr).await?;
    let id = format!("{:032x}", rand::random::<u128>());
    let seed = rand::random::<u64>();
    state.quiz.insert_question(&id, learner, StoredQuestion { topic, seed, bank_id: bank_id.map(Into::into) }).await?;
    Ok((id, seed))
}

fn no_question(id: &str) -> AppError {
    AppError::NotFound(format!("no question {id:?} for this learner"))
}

/// The learner's stored question; anybody else's is "not found".
async fn stored(state: &AppState, session: &Session, id: &str) -> Result<(i64, StoredQuestion)> {
    let learner = learners::current(session).await?.ok_or_else(|| no_question(id))?;
    let stored = state.quiz.question(id, learner).await?.ok_or_else(|| no_question(id))?;
    Ok((learner, stored))
}

/// The learner's model question, regenerated from its seed.
async fn load(state: &AppState, session: &Session, id: &str) -> Result<(i64, Question)> {
    let (learner, stored) = stored(state, session, id).await?;
    let kind = stored.topic.kind().ok_or_else(|| no_question(id))?;
    Ok((learner, Question::generate(stored.seed, kind)))
}

/// The prompt again, for a reload or another tab.
async fn show_question(State(state): State<AppState>, session: Session, AppPath(id): AppPath<String>) -> Result<AppJson<QuestionView>> {
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
    AppPath(id): AppPath<String>,
    AppJson(body): AppJson<AnswerSubmission>,
) -> Result<AppJson<Feedback>> {
    check_attempt_id(&body.attempt_id)?;
    let (learner, question) = load(&state, &session, &id).await?;
    let grading = grade(&question, &body.answer).map_err(invalid_answer)?;
    match record(&state, learner, &id, &body.attempt_id, question.kind.into(), &body.answer, grading.correct).await? {
        None => feedback(&question, &id, &body.attempt_id, body.answer, grading, false),
        Some(previous) => {
            let regraded = grade(&question, &previous).map_err(stale_answer)?;
            feedback(&question, &id, &body.attempt_id, previous, regraded, true)
        }
    }
}

/// The learner's answer cannot be graded (wrong type, out of range): the field is named.
fn invalid_answer(e: AnswerError) -> AppError {
    AppError::Invalid { field: format!("answer.{}", e.field), message: e.message }
}

/// A retried attempt's stored answer was graded when it was stored, so a failure to grade it now
/// is a bug of ours, not the caller's.
fn stale_answer(e: AnswerError) -> AppError {
    AppError::Internal(format!("a stored answer no longer grades: {e}"))
}

/// Stores a graded answer once it is committed: `None` when it is new, or the answer stored
/// before under the same attempt id (a retry), whose verdict the caller sends again. An attempt
/// id used by anybody else, or for another question, is a conflict. The insert comes first
/// because retries are rare.
async fn record<A: Serialize + DeserializeOwned>(
    state: &AppState,
    learner: i64,
    question_id: &str,
    attempt_id: &str,
    topic: Topic,
    answer: &A,
    correct: bool,
) -> Result<Option<A>> {
    let answer_json = serde_json::to_string(answer).map_err(|e| AppError::Internal(e.to_string()))?;
    let new = PendingAnswer {
        attempt_id: attempt_id.to_owned(),
        learner,
        question_id: question_id.to_owned(),
        kind: topic,
        answer_json,
        correct: u8::from(correct),
    };
    if state.quiz.insert_answer(new).await? {
        return Ok(None);
    }
    let stored = store::answer_by_attempt(&state.db, attempt_id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("attempt {attempt_id} was taken but is not stored")))?;
    if stored.learner_id != learner || stored.question_id != question_id {
        return Err(AppError::Conflict {
            field: "attempt_id".into(),
            message: "this attempt_id was already used for another answer; make a new one for each submission".into(),
        });
    }
    serde_json::from_str(&stored.answer).map(Some).map_err(|e| AppError::Internal(format!("stored answer: {e}")))
}

fn feedback(
    question: &Question,
    id: &str,
    attempt_id: &str,
    answer: Answer,
    grading: Grading,
    repeated: bool,
) -> Result<AppJson<Feedback>> {
    let step = question.ask.step();
    Ok(AppJson(Feedback {
        question_id: id.to_owned(),
        attempt_id: attempt_id.to_owned(),
        correct: grading.correct,
        answer,
        expected: grading.expected,
        wrong: grading.wrong,
        step,
        key: question.run.steps[step].key,
        replay: question.run.steps[..=step].to_vec(),
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
    let topics = Topic::ALL
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
    ClientIp(addr): ClientIp,
    session: Session,
    AppPath(id): AppPath<String>,
    AppJson(visit): AppJson<LessonVisit>,
) -> Result<AppJson<Progress>> {
    if !state.lessons.ids().any(|known| known == id) {
        return Err(AppError::NotFound(format!("no lesson with id {id:?}")));
    }
    let learner = learners::current_or_new(&state.db, &session, &state.newcomers, addr).await?;
    store::visit_lesson(&state.db, learner, &id, visit.completed).await?;
    progress(State(state), session).await
}

/// A question from the tuning bank: the one named by `id`, or one at random.
async fn new_bank_question(
    State(state): State<AppState>,
    ClientIp(addr): ClientIp,
    session: Session,
    AppJson(body): AppJson<NewBankQuestion>,
) -> Result<AppJson<BankQuestionView>> {
    let entry = match &body.id {
        Some(bank_id) => state.bank.get(bank_id).ok_or_else(|| AppError::Invalid {
            field: "id".into(),
            message: format!("no tuning question {bank_id:?}; leave id out for one at random"),
        })?,
        None => &state.bank.questions[rand::random_range(0..state.bank.questions.len())],
    };
    let (id, seed) = give(&state, &session, addr, Topic::Tuning, Some(&entry.id)).await?;
    Ok(AppJson(BankQuestionView { id, prompt: entry.prompt(seed) }))
}

/// The learner's bank question and its seed. A bank entry removed from the content since the
/// question was given is gone for good: "not found".
async fn load_bank<'a>(state: &'a AppState, session: &Session, id: &str) -> Result<(i64, &'a BankQuestion, u64)> {
    let (learner, stored) = stored(state, session, id).await?;
    let entry = stored.bank_id.as_deref().filter(|_| stored.topic == Topic::Tuning).and_then(|b| state.bank.get(b));
    Ok((learner, entry.ok_or_else(|| no_question(id))?, stored.seed))
}

async fn show_bank_question(
    State(state): State<AppState>,
    session: Session,
    AppPath(id): AppPath<String>,
) -> Result<AppJson<BankQuestionView>> {
    let (_, entry, seed) = load_bank(&state, &session, &id).await?;
    Ok(AppJson(BankQuestionView { id, prompt: entry.prompt(seed) }))
}

async fn bank_answer(
    State(state): State<AppState>,
    session: Session,
    AppPath(id): AppPath<String>,
    AppJson(body): AppJson<BankSubmission>,
) -> Result<AppJson<BankFeedback>> {
    check_attempt_id(&body.attempt_id)?;
    let (learner, entry, seed) = load_bank(&state, &session, &id).await?;
    let grading = entry.grade(seed, &body.answer).map_err(invalid_answer)?;
    let (grading, repeated) = match record(&state, learner, &id, &body.attempt_id, Topic::Tuning, &body.answer, grading.correct).await? {
        None => (grading, false),
        Some(previous) => (entry.grade(seed, &previous).map_err(stale_answer)?, true),
    };
    Ok(AppJson(BankFeedback {
        question_id: id,
        attempt_id: body.attempt_id,
        correct: grading.correct,
        expected: grading.expected,
        explain: entry.explain.clone(),
        repeated,
    }))
}
