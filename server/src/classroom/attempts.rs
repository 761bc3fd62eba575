//! Taking a class quiz: `POST /api/quizzes/{id}/attempts` starts (or resumes) the learner's
//! attempt, `GET /api/attempts/{id}` shows it again on any device with the answers saved so far
//! (and to the class's instructor, with everything), `PUT /api/attempts/{id}/answers` saves
//! answers as the learner works, `POST /api/attempts/{id}/submit` grades every answer and stores
//! them with the score in one statement. An attempt nobody hands in is handed in by [`super::due`].

use axum::extract::State;
use sqlx::SqlitePool;
use sqlx::types::Json;
use tcplab_core::api::ErrorCode;
use tcplab_core::api::classroom::{
    AnswersSaved, AnswersToSave, AttemptItem, AttemptResult, AttemptSubmission, AttemptView, Overridden, QuizWindow, ScoreOverride,
};
use tcplab_core::classroom::{ItemGrade, Quiz, grade, grade_all, item_seed, prompt};
use tcplab_core::lang::Text;

use super::access::{self, Relation};
use super::due;
use super::store::{self, AttemptRow, Scope};
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
            let used = store::attempts_of(db, attempt.quiz_id, id, quiz.counted).await?.submitted;
            let done = used >= i64::from(quiz.attempts_allowed) || window::of(&quiz, now) != QuizWindow::Open;
            (visible, visible && done, None)
        }
    };
    let open = attempt.submitted_at.is_none();
    let saved = if open { attempt.saved_answers() } else { Vec::new() };
    let saved_at = attempt.saved_at.clone().filter(|_| open);
    let due_at = window::due(&quiz, attempt.time_due);
    let graded = attempt.score.map(|s| s as u32);
    let overridden = attempt.override_score.map(|s| s as u32);
    let result = match (attempt.submitted_at, attempt.answers) {
        (Some(submitted_at), Some(answers)) => Some(AttemptResult {
            submitted_at,
            answers: answers.0,
            score: overridden.or(graded).filter(|_| visible),
            grades: attempt.grades.filter(|_| answers_visible).map(|g| g.0),
            graded_at_due: attempt.graded_at_due,
            overridden: overridden
                .and(graded)
                .filter(|_| visible)
                .map(|graded| Overridden { graded, reason: attempt.override_reason.clone().unwrap_or_default() }),
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
        due_at,
        now: crate::unix_now(),
        saved,
        saved_at,
        result,
        learner,
    })
}

fn conflict(field: &str, en: impl Into<String>, zh_cn: impl Into<String>) -> AppError {
    AppError::Check { code: ErrorCode::Conflict, field: field.into(), message: Text::new(en, zh_cn) }
}

fn not_open(window: QuizWindow) -> AppError {
    match window {
        QuizWindow::NotYetOpen => conflict("quiz", "this quiz is not open yet", "这个测验还没有开放"),
        _ => conflict(
            "quiz",
            "this attempt's time is over; the answers saved so far are handed in",
            "这次作答的时间已到，已保存的答案会被提交",
        ),
    }
}

fn already_submitted() -> AppError {
    conflict("attempt", "this attempt was already handed in", "这次作答已经提交过了")
}

/// The quiz as this learner has it, with their allowance.
async fn learners_quiz(db: &SqlitePool, quiz_id: i64, learner: i64) -> Result<Quiz> {
    let quiz = store::quiz(db, quiz_id).await?.ok_or_else(|| access::no_quiz(quiz_id))?.quiz;
    Ok(window::for_learner(quiz, &store::allowance(db, quiz_id, learner).await?))
}

/// The learner's open attempt and its quiz, if answers may still go into it now: handed in,
/// or past its due time and grace (it is then handed in with what was saved), is a 409.
async fn writable(db: &SqlitePool, account: &Account, id: i64) -> Result<(AttemptRow, Quiz)> {
    let attempt = own_attempt(db, account, id).await?;
    if attempt.submitted_at.is_some() {
        return Err(already_submitted());
    }
    let row = store::quiz(db, attempt.quiz_id).await?.ok_or_else(|| access::no_quiz(attempt.quiz_id))?;
    access::unarchived(db, row.class_id).await?;
    let quiz = window::for_learner(row.quiz, &store::allowance(db, attempt.quiz_id, account.id).await?);
    if !quiz.published {
        return Err(conflict("quiz", "this quiz was taken back to a draft", "这个测验已被撤回为草稿"));
    }
    let window = window::for_hand_in(&quiz, window::due(&quiz, attempt.time_due), crate::unix_now());
    if window != QuizWindow::Open {
        due::finish(db, Scope::Quiz(attempt.quiz_id)).await?;
        return Err(not_open(window));
    }
    Ok((attempt, quiz))
}

pub async fn start(State(state): State<AppState>, AppPath(quiz_id): AppPath<i64>, account: Account) -> Result<AppJson<AttemptView>> {
    let (mut row, relation) = access::quiz(&state.db, &account, quiz_id).await?;
    if relation == Relation::Teacher {
        return Err(AppError::Forbidden(
            "instructors try their quizzes in the editor's preview, so no attempt counts in the results".into(),
        ));
    }
    access::unarchived(&state.db, row.class_id).await?;
    // An open attempt whose time is up is handed in first, so it is not resumed.
    due::finish(&state.db, Scope::Quiz(quiz_id)).await?;
    row.quiz = window::for_learner(row.quiz, &store::allowance(&state.db, quiz_id, account.id).await?);
    let now = crate::unix_now();
    let window = window::of(&row.quiz, now);
    if window != QuizWindow::Open {
        return Err(not_open(window));
    }
    let time_due = row.quiz.time_limit_s.map(|s| now + i64::from(s));
    let id = match store::open_attempt(&state.db, quiz_id, account.id).await? {
        Some(id) => id,
        None => match store::start_attempt(&state.db, &row, account.id, rand::random(), time_due).await? {
            store::Started::New(id) => id,
            store::Started::NoneLeft => {
                let n = row.quiz.attempts_allowed;
                return Err(conflict(
                    "attempts",
                    format!("you have used all {n} attempts at this quiz"),
                    format!("这个测验的 {n} 次作答机会都已用完"),
                ));
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
    let mut row = store::attempt(&state.db, id).await?.ok_or_else(|| no_attempt(id))?;
    if row.submitted_at.is_none() && due::finish(&state.db, Scope::Quiz(row.quiz_id)).await? > 0 {
        row = store::attempt(&state.db, id).await?.ok_or_else(|| no_attempt(id))?;
    }
    if row.learner_id == account.id {
        let quiz = learners_quiz(&state.db, row.quiz_id, account.id).await?;
        return Ok(AppJson(view(&state.db, Reader::Learner(account.id), quiz, row).await?));
    }
    let quiz = access::teacher_quiz(&state.db, &account, row.quiz_id).await.map_err(|_| no_attempt(id))?.quiz;
    let quiz = window::for_learner(quiz, &store::allowance(&state.db, row.quiz_id, row.learner_id).await?);
    let name = learners::username(&state.db, row.learner_id).await?.unwrap_or_default();
    Ok(AppJson(view(&state.db, Reader::Teacher(name), quiz, row).await?))
}

/// Longest reason for a score override.
const MAX_REASON: usize = 500;

/// The class's instructor puts their own score on a handed-in attempt, with a reason its
/// learner reads beside the graded score; `score: null` takes it off again.
pub async fn set_score(
    State(state): State<AppState>,
    AppPath(id): AppPath<i64>,
    account: Account,
    AppJson(body): AppJson<ScoreOverride>,
) -> Result<AppJson<AttemptView>> {
    let row = store::attempt(&state.db, id).await?.ok_or_else(|| no_attempt(id))?;
    let quiz = match access::teacher_quiz(&state.db, &account, row.quiz_id).await {
        Ok(quiz) => {
            access::unarchived(&state.db, quiz.class_id).await?;
            quiz.quiz
        }
        // Its learner knows the attempt exists: only the instructor may do this.
        Err(AppError::Forbidden(m)) if row.learner_id == account.id => return Err(AppError::Forbidden(m)),
        Err(_) => return Err(no_attempt(id)),
    };
    let max: u32 = row.items.iter().map(|i| i.points).sum();
    let reason = body.reason.trim();
    let invalid =
        |field: &str, en: String, zh: String| AppError::Check { code: ErrorCode::Invalid, field: field.into(), message: Text::new(en, zh) };
    if let Some(score) = body.score {
        if score > max {
            return Err(invalid(
                "score",
                format!("the score is 0 to {max}, the attempt's points"),
                format!("分数为 0 到 {max}（这次作答的总分）"),
            ));
        }
        if reason.is_empty() || reason.chars().count() > MAX_REASON || reason.chars().any(|c| c.is_control() && c != '\n') {
            return Err(invalid(
                "reason",
                format!("say why in 1 to {MAX_REASON} characters: the learner reads it"),
                format!("请用 1 到 {MAX_REASON} 个字符说明原因：学习者会看到"),
            ));
        }
    }
    if !store::set_override(&state.db, id, body.score, reason).await? {
        return Err(conflict("attempt", "only a handed-in attempt has a score to change", "只有已提交的作答才有可修改的分数"));
    }
    let row = store::attempt(&state.db, id).await?.ok_or_else(|| no_attempt(id))?;
    let name = learners::username(&state.db, row.learner_id).await?.unwrap_or_default();
    Ok(AppJson(view(&state.db, Reader::Teacher(name), quiz, row).await?))
}

/// Saves the answers that changed, after checking each fits its question (the same check as
/// the hand-in's, so what is saved can always be graded). Saving the same answers twice is
/// saving them once.
pub async fn save_answers(
    State(state): State<AppState>,
    AppPath(id): AppPath<i64>,
    account: Account,
    AppJson(body): AppJson<AnswersToSave>,
) -> Result<AppJson<AnswersSaved>> {
    let (attempt, _) = writable(&state.db, &account, id).await?;
    let n = attempt.items.len();
    if body.answers.is_empty() || body.answers.len() > n {
        return Err(AppError::Check {
            code: ErrorCode::Invalid,
            field: "answers".into(),
            message: Text::new(format!("send 1 to {n} answers to save"), format!("请发送 1 到 {n} 个要保存的答案")),
        });
    }
    let mut answers = Vec::with_capacity(body.answers.len());
    for (k, saved) in body.answers.into_iter().enumerate() {
        let Some(item) = attempt.items.get(saved.index) else {
            return Err(AppError::Check {
                code: ErrorCode::Invalid,
                field: format!("answers[{k}].index"),
                message: Text::new(
                    format!("this attempt has questions 0 to {}; there is no {}", n - 1, saved.index),
                    format!("这次作答的题号是 0 到 {}，没有第 {} 题", n - 1, saved.index),
                ),
            });
        };
        grade(item, item_seed(attempt.seed(), saved.index), &saved.answer)
            .map_err(|e| AppError::Invalid { field: format!("answers[{k}].answer.{}", e.field), message: e.message })?;
        answers.push((saved.index, saved.answer));
    }
    let saved_at = store::save_answers(&state.db, id, &answers).await?.ok_or_else(already_submitted)?;
    Ok(AppJson(AnswersSaved { saved_at }))
}

/// Grades every answer first: one that cannot be read fails the whole submission with its place
/// named, and nothing is stored.
pub async fn submit(
    State(state): State<AppState>,
    AppPath(id): AppPath<i64>,
    account: Account,
    AppJson(body): AppJson<AttemptSubmission>,
) -> Result<AppJson<AttemptView>> {
    let (attempt, quiz) = writable(&state.db, &account, id).await?;
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
    let (grades, score): (Vec<ItemGrade>, u32) = grade_all(&attempt.items, attempt.seed(), &body.answers)
        .map_err(|(i, e)| AppError::Invalid { field: format!("answers[{i}].{}", e.field), message: e.message })?;
    let submitted_at = store::submit_attempt(&state.db, id, &body.answers, &grades, score, None).await?.ok_or_else(already_submitted)?;
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
