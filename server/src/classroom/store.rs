//! Every SQL statement of the class feature: classes, members, quizzes and attempts, as plain
//! functions over the pool. Rows are read into `FromRow` records; JSON columns (a quiz's items,
//! an attempt's answers and grades) through `sqlx::types::Json`.

use sqlx::types::Json;
use sqlx::{AssertSqlSafe, FromRow, SqlitePool};
use tcplab_core::api::classroom::{Allowance, ClassSummary, Deleted, LearnerException};
use tcplab_core::classroom::results::SubmittedAttempt;
use tcplab_core::classroom::{Counted, Item, ItemGrade, Quiz, ScoreVisibility};
use tcplab_core::quiz::Answer;

use crate::error::Result;

/// A stored class quiz.
#[derive(Debug, Clone)]
pub struct QuizRow {
    pub id: i64,
    pub class_id: i64,
    pub quiz: Quiz,
}

/// The columns of `class_quizzes`, as read.
#[derive(FromRow)]
struct QuizRecord {
    id: i64,
    class_id: i64,
    title: String,
    items: Json<Vec<Item>>,
    published: bool,
    opens_at: Option<i64>,
    closes_at: Option<i64>,
    #[sqlx(try_from = "i64")]
    attempts_allowed: u32,
    #[sqlx(try_from = "String")]
    show_scores: ScoreVisibility,
    time_limit_s: Option<i64>,
    #[sqlx(try_from = "String")]
    counted: Counted,
    draw: Option<i64>,
}

impl From<QuizRecord> for QuizRow {
    fn from(r: QuizRecord) -> QuizRow {
        let quiz = Quiz {
            title: r.title,
            items: r.items.0,
            published: r.published,
            opens_at: r.opens_at,
            closes_at: r.closes_at,
            attempts_allowed: r.attempts_allowed,
            show_scores: r.show_scores,
            // The table's CHECK keeps it within 60 s to 24 h.
            time_limit_s: r.time_limit_s.and_then(|s| u32::try_from(s).ok()),
            counted: r.counted,
            draw: r.draw.and_then(|n| u32::try_from(n).ok()),
        };
        QuizRow { id: r.id, class_id: r.class_id, quiz }
    }
}

const QUIZ_SELECT: &str = "SELECT id, class_id, title, items, published, opens_at, closes_at, attempts_allowed, show_scores, time_limit_s, counted, draw FROM class_quizzes";

pub async fn quiz(db: &SqlitePool, id: i64) -> Result<Option<QuizRow>> {
    let row: Option<QuizRecord> = sqlx::query_as(AssertSqlSafe(format!("{QUIZ_SELECT} WHERE id = ?"))).bind(id).fetch_optional(db).await?;
    Ok(row.map(QuizRow::from))
}

pub async fn class_quizzes(db: &SqlitePool, class_id: i64) -> Result<Vec<QuizRow>> {
    let rows: Vec<QuizRecord> =
        sqlx::query_as(AssertSqlSafe(format!("{QUIZ_SELECT} WHERE class_id = ? ORDER BY id"))).bind(class_id).fetch_all(db).await?;
    Ok(rows.into_iter().map(QuizRow::from).collect())
}

/// Stores a quiz: a new one (`id` None) or over quiz `id`, in one statement either way.
pub async fn save_quiz(db: &SqlitePool, id: Option<i64>, class_id: i64, quiz: &Quiz) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO class_quizzes (id, class_id, title, items, published, opens_at, closes_at, attempts_allowed, show_scores, time_limit_s, counted, draw) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, items = excluded.items, published = excluded.published, \
           opens_at = excluded.opens_at, closes_at = excluded.closes_at, attempts_allowed = excluded.attempts_allowed, \
           show_scores = excluded.show_scores, time_limit_s = excluded.time_limit_s, counted = excluded.counted, draw = excluded.draw, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
         RETURNING id",
    )
    .bind(id)
    .bind(class_id)
    .bind(quiz.title.trim())
    .bind(Json(&quiz.items))
    .bind(quiz.published)
    .bind(quiz.opens_at)
    .bind(quiz.closes_at)
    .bind(i64::from(quiz.attempts_allowed))
    .bind(quiz.show_scores.as_str())
    .bind(quiz.time_limit_s)
    .bind(quiz.counted.as_str())
    .bind(quiz.draw.map(i64::from))
    // fetch_all, not fetch_one: see the rule in crate::db.
    .fetch_all(db)
    .await?
    .pop()
    .ok_or(sqlx::Error::RowNotFound)?)
}

#[derive(FromRow)]
struct ClassRecord {
    id: i64,
    name: String,
    teacher: String,
    join_code: String,
    #[sqlx(try_from = "i64")]
    members: u32,
    archived: bool,
}

impl ClassRecord {
    fn summary(self, show_code: bool) -> ClassSummary {
        ClassSummary {
            id: self.id,
            name: self.name,
            teacher: self.teacher,
            join_code: show_code.then_some(self.join_code),
            members: self.members,
            archived: self.archived,
        }
    }
}

const CLASS_SELECT: &str = "SELECT c.id, c.name, t.username AS teacher, c.join_code, \
     (SELECT COUNT(*) FROM class_members m WHERE m.class_id = c.id) AS members, c.archived_at IS NOT NULL AS archived \
     FROM classes c JOIN learners t ON t.id = c.teacher_id";

pub async fn class(db: &SqlitePool, id: i64, show_code: bool) -> Result<Option<ClassSummary>> {
    let row: Option<ClassRecord> =
        sqlx::query_as(AssertSqlSafe(format!("{CLASS_SELECT} WHERE c.id = ?"))).bind(id).fetch_optional(db).await?;
    Ok(row.map(|r| r.summary(show_code)))
}

/// Classes taught by `teacher`, or every class for an admin (`all`); archived ones too when
/// `archived`.
pub async fn teaching(db: &SqlitePool, teacher: i64, all: bool, archived: bool) -> Result<Vec<ClassSummary>> {
    let rows: Vec<ClassRecord> = sqlx::query_as(AssertSqlSafe(format!(
        "{CLASS_SELECT} WHERE (c.teacher_id = ? OR ?) AND (? OR c.archived_at IS NULL) ORDER BY c.id"
    )))
    .bind(teacher)
    .bind(all)
    .bind(archived)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| r.summary(true)).collect())
}

pub async fn joined(db: &SqlitePool, learner: i64, archived: bool) -> Result<Vec<ClassSummary>> {
    let rows: Vec<ClassRecord> = sqlx::query_as(AssertSqlSafe(format!(
        "{CLASS_SELECT} WHERE c.id IN (SELECT class_id FROM class_members WHERE learner_id = ?) AND (? OR c.archived_at IS NULL) ORDER BY c.id"
    )))
    .bind(learner)
    .bind(archived)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| r.summary(false)).collect())
}

/// The caller's relation to a class: (is its teacher, is a member); `None` when it does not exist.
pub async fn relation(db: &SqlitePool, class_id: i64, learner: i64) -> Result<Option<(bool, bool)>> {
    Ok(sqlx::query_as(
        "SELECT teacher_id = ?, EXISTS (SELECT 1 FROM class_members WHERE class_id = classes.id AND learner_id = ?) FROM classes WHERE id = ?",
    )
    .bind(learner)
    .bind(learner)
    .bind(class_id)
    .fetch_optional(db)
    .await?)
}

pub async fn members(db: &SqlitePool, class_id: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT l.username FROM class_members m JOIN learners l ON l.id = m.learner_id WHERE m.class_id = ? ORDER BY l.username",
    )
    .bind(class_id)
    .fetch_all(db)
    .await?)
}

/// A new class with `code`; `None` when another class has that code already.
pub async fn create_class(db: &SqlitePool, teacher: i64, name: &str, code: &str) -> Result<Option<i64>> {
    let inserted = sqlx::query_scalar("INSERT INTO classes (teacher_id, name, join_code) VALUES (?, ?, ?) RETURNING id")
        .bind(teacher)
        .bind(name)
        .bind(code)
        // fetch_all, not fetch_one: see the rule in crate::db.
        .fetch_all(db)
        .await;
    match inserted {
        Ok(mut ids) => Ok(Some(ids.pop().ok_or(sqlx::Error::RowNotFound)?)),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The class with this join code: its id and its instructor's.
pub async fn class_by_code(db: &SqlitePool, code: &str) -> Result<Option<(i64, i64)>> {
    Ok(sqlx::query_as("SELECT id, teacher_id FROM classes WHERE join_code = ?").bind(code).fetch_optional(db).await?)
}

/// Makes `learner` a member of the class; joining twice is joining once.
pub async fn join(db: &SqlitePool, class_id: i64, learner: i64) -> Result<()> {
    sqlx::query("INSERT INTO class_members (class_id, learner_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
        .bind(class_id)
        .bind(learner)
        .execute(db)
        .await?;
    Ok(())
}

/// One learner's attempts at a quiz: how many were handed in, the score that counts, the latest id.
#[derive(FromRow)]
pub struct AttemptsOf {
    pub submitted: i64,
    pub best: Option<i64>,
    pub last: Option<i64>,
}

/// `best` is the score that counts, as `counted` says, with the instructor's override.
pub async fn attempts_of(db: &SqlitePool, quiz_id: i64, learner: i64, counted: Counted) -> Result<AttemptsOf> {
    // COUNT(submitted_at) counts the handed-in attempts; an open one has no score.
    Ok(sqlx::query_as(
        "SELECT COUNT(submitted_at) AS submitted, \
           CASE WHEN ?3 = 'latest' THEN (SELECT coalesce(override_score, score) FROM quiz_attempts \
               WHERE quiz_id = ?1 AND learner_id = ?2 AND submitted_at IS NOT NULL ORDER BY submitted_at DESC, id DESC LIMIT 1) \
             ELSE MAX(coalesce(override_score, score)) END AS best, \
           MAX(id) AS last FROM quiz_attempts WHERE quiz_id = ?1 AND learner_id = ?2",
    )
    .bind(quiz_id)
    .bind(learner)
    .bind(counted.as_str())
    .fetch_one(db)
    .await?)
}

/// How many attempts at a quiz have been handed in, by anybody.
pub async fn submitted_count(db: &SqlitePool, quiz_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM quiz_attempts WHERE quiz_id = ? AND submitted_at IS NOT NULL")
        .bind(quiz_id)
        .fetch_one(db)
        .await?)
}

/// A learner's attempt at a class quiz, with its own copy of the questions.
#[derive(FromRow)]
pub struct AttemptRow {
    pub id: i64,
    pub learner_id: i64,
    pub quiz_id: i64,
    /// The seed as SQLite holds it (an i64 of the same bits): read it with [`AttemptRow::seed`].
    #[sqlx(rename = "seed")]
    pub seed_bits: i64,
    pub items: Json<Vec<Item>>,
    pub submitted_at: Option<String>,
    pub answers: Option<Json<Vec<Answer>>>,
    pub grades: Option<Json<Vec<ItemGrade>>>,
    pub score: Option<i64>,
    /// The answers so far of an open attempt (`NULL` in rows from before they were saved).
    pub saved: Option<Json<Vec<Answer>>>,
    pub saved_at: Option<String>,
    /// When its time limit runs out, Unix seconds.
    pub time_due: Option<i64>,
    pub graded_at_due: bool,
    /// The instructor's score in place of `score`, and why.
    pub override_score: Option<i64>,
    pub override_reason: Option<String>,
}

impl AttemptRow {
    /// The attempt's seed, from which every learner's numbers and choice order follow.
    pub fn seed(&self) -> u64 {
        self.seed_bits as u64
    }

    /// The answers saved so far, one per question: blanks where none was.
    pub fn saved_answers(&self) -> Vec<Answer> {
        let mut answers = self.saved.as_ref().map(|s| s.0.clone()).unwrap_or_default();
        answers.resize(self.items.len(), Answer::Blank);
        answers
    }
}

const ATTEMPT_COLUMNS: &str = "a.id, a.learner_id, a.quiz_id, a.seed, a.items, a.submitted_at, a.answers, a.grades, a.score, a.saved, a.saved_at, a.time_due, a.graded_at_due, a.override_score, a.override_reason";

pub async fn attempt(db: &SqlitePool, id: i64) -> Result<Option<AttemptRow>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!("SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts a WHERE a.id = ?")))
        .bind(id)
        .fetch_optional(db)
        .await?)
}

/// An open attempt whose time is up, with the moment it was due.
#[derive(FromRow)]
pub struct DueAttempt {
    #[sqlx(flatten)]
    pub attempt: AttemptRow,
    pub due: i64,
}

/// Which open attempts to look at for being due.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    All,
    Quiz(i64),
    Class(i64),
}

/// Up to `limit` open attempts in `scope` that were due at or before `before` (Unix seconds):
/// at the quiz's close (or the learner's own, from an exception) or at the end of their own
/// time limit, whichever is earlier.
pub async fn due_attempts(db: &SqlitePool, scope: Scope, before: i64, limit: i64) -> Result<Vec<DueAttempt>> {
    let (quiz, class) = match scope {
        Scope::All => (None, None),
        Scope::Quiz(id) => (Some(id), None),
        Scope::Class(id) => (None, Some(id)),
    };
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {ATTEMPT_COLUMNS}, due FROM (SELECT a.*, CASE WHEN a.time_due IS NULL THEN coalesce(e.closes_at, q.closes_at) \
           WHEN coalesce(e.closes_at, q.closes_at) IS NULL THEN a.time_due ELSE min(a.time_due, coalesce(e.closes_at, q.closes_at)) END AS due \
           FROM quiz_attempts a JOIN class_quizzes q ON q.id = a.quiz_id \
           LEFT JOIN quiz_exceptions e ON e.quiz_id = a.quiz_id AND e.learner_id = a.learner_id \
           WHERE a.submitted_at IS NULL AND (?1 IS NULL OR a.quiz_id = ?1) AND (?2 IS NULL OR q.class_id = ?2)) a \
         WHERE due <= ?3 ORDER BY due LIMIT ?4"
    )))
    .bind(quiz)
    .bind(class)
    .bind(before)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Saves answers into an open attempt, each at its question's place, in one statement: the
/// time they were saved, or `None` when the attempt was handed in meanwhile.
pub async fn save_answers(db: &SqlitePool, id: i64, answers: &[(usize, Answer)]) -> Result<Option<String>> {
    // `$[i]` paths with numbers the caller checked against the attempt's questions; the answers
    // themselves are bound.
    let paths: String = answers.iter().map(|(i, _)| format!(", '$[{i}]', json(?)")).collect();
    let mut query = sqlx::query_scalar(AssertSqlSafe(format!(
        "UPDATE quiz_attempts SET saved = json_set(saved{paths}), saved_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
         WHERE id = ? AND submitted_at IS NULL RETURNING saved_at"
    )));
    for (_, answer) in answers {
        query = query.bind(Json(answer));
    }
    // fetch_all, not fetch_optional: see the rule in crate::db.
    let saved: Vec<String> = query.bind(id).fetch_all(db).await?;
    Ok(saved.into_iter().next())
}

/// The learner's attempt at the quiz that is not handed in yet, if any.
pub async fn open_attempt(db: &SqlitePool, quiz_id: i64, learner: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM quiz_attempts WHERE quiz_id = ? AND learner_id = ? AND submitted_at IS NULL")
        .bind(quiz_id)
        .bind(learner)
        .fetch_optional(db)
        .await?)
}

/// What starting an attempt came to.
pub enum Started {
    New(i64),
    /// Every allowed attempt is used.
    NoneLeft,
    /// Another request opened one a moment ago (the unique open attempt).
    Raced,
}

/// A new attempt on the quiz's questions as they are now. The count and the insert are one
/// statement, so two starts at once cannot both slip under the limit.
/// Its answers start blank; `time_due` is when its time limit runs out, if the quiz has one.
pub async fn start_attempt(db: &SqlitePool, quiz: &QuizRow, learner: i64, seed: u64, time_due: Option<i64>) -> Result<Started> {
    // A pool's pick follows from the seed; it is stored all the same, for the results.
    let picked = tcplab_core::classroom::pick(quiz.quiz.items.len(), quiz.quiz.draw, seed);
    let items: Vec<&Item> = picked.iter().filter_map(|i| quiz.quiz.items.get(*i)).collect();
    let blanks = vec![Answer::Blank; items.len()];
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO quiz_attempts (quiz_id, learner_id, seed, items, saved, time_due, picked) SELECT ?1, ?2, ?3, ?4, ?6, ?7, ?8 \
         WHERE (SELECT COUNT(*) FROM quiz_attempts WHERE quiz_id = ?1 AND learner_id = ?2) < ?5 RETURNING id",
    )
    .bind(quiz.id)
    .bind(learner)
    .bind(seed as i64)
    .bind(Json(&items))
    .bind(i64::from(quiz.quiz.attempts_allowed))
    .bind(Json(blanks))
    .bind(time_due)
    .bind(Json(&picked))
    // fetch_all, not fetch_optional: see the rule in crate::db.
    .fetch_all(db)
    .await;
    match inserted {
        Ok(mut ids) => Ok(ids.pop().map_or(Started::NoneLeft, Started::New)),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(Started::Raced),
        Err(e) => Err(e.into()),
    }
}

/// Hands in an attempt with its answers, grades and score, in one statement: the time it was
/// handed in, or `None` when it already had been. `at_due` is the due time (Unix seconds) when
/// the server hands it in because time is up; the attempt is then handed in as of that time.
pub async fn submit_attempt(
    db: &SqlitePool,
    id: i64,
    answers: &[Answer],
    grades: &[ItemGrade],
    score: u32,
    at_due: Option<i64>,
) -> Result<Option<String>> {
    let submitted = sqlx::query_scalar(
        "UPDATE quiz_attempts SET submitted_at = CASE WHEN ?4 IS NULL THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
           ELSE strftime('%Y-%m-%dT%H:%M:%fZ', ?4, 'unixepoch') END, \
           answers = ?1, saved = ?1, grades = ?2, score = ?3, graded_at_due = ?4 IS NOT NULL \
         WHERE id = ?5 AND submitted_at IS NULL RETURNING submitted_at",
    )
    .bind(Json(answers))
    .bind(Json(grades))
    .bind(i64::from(score))
    .bind(at_due)
    .bind(id)
    // fetch_all, not fetch_optional: see the rule in crate::db.
    .fetch_all(db)
    .await?;
    Ok(submitted.into_iter().next())
}

#[derive(FromRow)]
struct SubmittedRecord {
    attempt_id: i64,
    username: String,
    #[sqlx(try_from = "i64")]
    score: u32,
    submitted_at: String,
    grades: Json<Vec<ItemGrade>>,
    items: Json<Vec<Item>>,
    picked: Option<Json<Vec<usize>>>,
}

/// Every handed-in attempt at a quiz by a learner with an account (a deleted account's named
/// `#<id>`: usernames never start with `#`), oldest first, with the
/// instructor's score where they gave one; `current`
/// when the attempt was on the quiz's questions as they are now.
pub async fn submitted_attempts(db: &SqlitePool, quiz: &QuizRow) -> Result<Vec<SubmittedAttempt>> {
    let rows: Vec<SubmittedRecord> = sqlx::query_as(
        "SELECT a.id AS attempt_id, coalesce(l.username, '#' || l.id) AS username, coalesce(a.override_score, a.score) AS score, \
           a.submitted_at, a.grades, a.items, a.picked \
         FROM quiz_attempts a JOIN learners l ON l.id = a.learner_id \
         WHERE a.quiz_id = ? AND a.submitted_at IS NOT NULL AND (l.username IS NOT NULL OR l.deleted_at IS NOT NULL) ORDER BY a.id",
    )
    .bind(quiz.id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            // Attempts from before pools were given every question, in order.
            let picked = r.picked.map_or_else(|| (0..r.items.len()).collect(), |p| p.0);
            let current =
                picked.len() == r.items.len() && picked.iter().zip(r.items.iter()).all(|(i, item)| quiz.quiz.items.get(*i) == Some(item));
            SubmittedAttempt {
                attempt_id: r.attempt_id,
                username: r.username,
                score: r.score,
                max_points: r.items.iter().map(|i| i.points).sum(),
                submitted_at: r.submitted_at,
                grades: r.grades.0,
                picked,
                current,
            }
        })
        .collect())
}

/// Puts the instructor's score on a handed-in attempt (or takes it off with `None`): whether
/// the attempt was handed in (an open one cannot be overridden).
pub async fn set_override(db: &SqlitePool, attempt_id: i64, score: Option<u32>, reason: &str) -> Result<bool> {
    let changed = sqlx::query(
        "UPDATE quiz_attempts SET override_score = ?1, override_reason = CASE WHEN ?1 IS NULL THEN NULL ELSE ?2 END, \
           override_at = CASE WHEN ?1 IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END \
         WHERE id = ?3 AND submitted_at IS NOT NULL",
    )
    .bind(score.map(i64::from))
    .bind(reason)
    .bind(attempt_id)
    .execute(db)
    .await?;
    Ok(changed.rows_affected() == 1)
}

/// A member of the class by username: their id.
pub async fn member_id(db: &SqlitePool, class_id: i64, username: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT l.id FROM class_members m JOIN learners l ON l.id = m.learner_id WHERE m.class_id = ? AND l.username = ?",
    )
    .bind(class_id)
    .bind(username)
    .fetch_optional(db)
    .await?)
}

#[derive(FromRow)]
struct AllowanceRecord {
    #[sqlx(try_from = "i64")]
    extra_attempts: u32,
    closes_at: Option<i64>,
    #[sqlx(try_from = "i64")]
    extra_time_s: u32,
}

impl From<AllowanceRecord> for Allowance {
    fn from(r: AllowanceRecord) -> Allowance {
        Allowance { extra_attempts: r.extra_attempts, closes_at: r.closes_at, extra_time_s: r.extra_time_s }
    }
}

/// What this learner may do beyond the quiz's settings (nothing, when no row).
pub async fn allowance(db: &SqlitePool, quiz_id: i64, learner: i64) -> Result<Allowance> {
    let row: Option<AllowanceRecord> =
        sqlx::query_as("SELECT extra_attempts, closes_at, extra_time_s FROM quiz_exceptions WHERE quiz_id = ? AND learner_id = ?")
            .bind(quiz_id)
            .bind(learner)
            .fetch_optional(db)
            .await?;
    Ok(row.map(Allowance::from).unwrap_or_default())
}

#[derive(FromRow)]
struct ExceptionRecord {
    username: String,
    #[sqlx(flatten)]
    allowance: AllowanceRecord,
}

/// Every learner with an allowance on the quiz, by name.
pub async fn exceptions(db: &SqlitePool, quiz_id: i64) -> Result<Vec<LearnerException>> {
    let rows: Vec<ExceptionRecord> = sqlx::query_as(
        "SELECT l.username, e.extra_attempts, e.closes_at, e.extra_time_s FROM quiz_exceptions e \
         JOIN learners l ON l.id = e.learner_id WHERE e.quiz_id = ? AND l.username IS NOT NULL ORDER BY l.username",
    )
    .bind(quiz_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| LearnerException { username: r.username, allowance: r.allowance.into() }).collect())
}

/// Sets a learner's allowance (an empty one deletes the row). An open attempt's time limit
/// follows at once: its due time becomes its start plus the quiz's limit plus the extra time.
pub async fn set_allowance(db: &SqlitePool, quiz: &QuizRow, learner: i64, allowance: &Allowance) -> Result<()> {
    let mut tx = db.begin().await?;
    if *allowance == Allowance::default() {
        sqlx::query("DELETE FROM quiz_exceptions WHERE quiz_id = ? AND learner_id = ?")
            .bind(quiz.id)
            .bind(learner)
            .execute(&mut *tx)
            .await?;
    } else {
        sqlx::query(
            "INSERT INTO quiz_exceptions (quiz_id, learner_id, extra_attempts, closes_at, extra_time_s) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (quiz_id, learner_id) DO UPDATE SET extra_attempts = excluded.extra_attempts, \
               closes_at = excluded.closes_at, extra_time_s = excluded.extra_time_s",
        )
        .bind(quiz.id)
        .bind(learner)
        .bind(i64::from(allowance.extra_attempts))
        .bind(allowance.closes_at)
        .bind(i64::from(allowance.extra_time_s))
        .execute(&mut *tx)
        .await?;
    }
    if let Some(limit) = quiz.quiz.time_limit_s {
        sqlx::query(
            "UPDATE quiz_attempts SET time_due = CAST(unixepoch(started_at) AS INTEGER) + ? \
             WHERE quiz_id = ? AND learner_id = ? AND submitted_at IS NULL",
        )
        .bind(i64::from(limit) + i64::from(allowance.extra_time_s))
        .bind(quiz.id)
        .bind(learner)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Renames and/or archives (or unarchives) a class.
pub async fn change_class(db: &SqlitePool, id: i64, name: Option<&str>, archived: Option<bool>) -> Result<()> {
    sqlx::query(
        "UPDATE classes SET name = coalesce(?1, name), archived_at = CASE WHEN ?2 IS NULL THEN archived_at \
           WHEN ?2 THEN coalesce(archived_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) ELSE NULL END WHERE id = ?3",
    )
    .bind(name)
    .bind(archived)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Whether the class is archived (and so read-only); `None` when there is no such class.
pub async fn archived(db: &SqlitePool, class_id: i64) -> Result<Option<bool>> {
    Ok(sqlx::query_scalar("SELECT archived_at IS NOT NULL FROM classes WHERE id = ?").bind(class_id).fetch_optional(db).await?)
}

/// Deletes a class with its quizzes, their attempts and exceptions, and its members' rows
/// (the schema's cascades), in one transaction: what went.
pub async fn delete_class(db: &SqlitePool, id: i64) -> Result<Deleted> {
    let mut tx = db.begin().await?;
    let (quizzes, attempts, members): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM class_quizzes WHERE class_id = ?1), \
           (SELECT COUNT(*) FROM quiz_attempts WHERE quiz_id IN (SELECT id FROM class_quizzes WHERE class_id = ?1)), \
           (SELECT COUNT(*) FROM class_members WHERE class_id = ?1)",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM classes WHERE id = ?").bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(Deleted { quizzes: quizzes as u32, attempts: attempts as u32, members: members as u32 })
}

/// Deletes a quiz with its attempts and exceptions: what went.
pub async fn delete_quiz(db: &SqlitePool, id: i64) -> Result<Deleted> {
    let mut tx = db.begin().await?;
    let attempts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM quiz_attempts WHERE quiz_id = ?").bind(id).fetch_one(&mut *tx).await?;
    sqlx::query("DELETE FROM class_quizzes WHERE id = ?").bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(Deleted { quizzes: 1, attempts: attempts as u32, members: 0 })
}

/// Takes a learner out of a class: whether they were in it. Their attempts stay in the results.
pub async fn leave(db: &SqlitePool, class_id: i64, learner: i64) -> Result<bool> {
    let gone =
        sqlx::query("DELETE FROM class_members WHERE class_id = ? AND learner_id = ?").bind(class_id).bind(learner).execute(db).await?;
    Ok(gone.rows_affected() == 1)
}

/// Deletes the handed-in attempts of deleted accounts at the class's quizzes: how many went.
pub async fn purge_deleted(db: &SqlitePool, class_id: i64) -> Result<u64> {
    Ok(sqlx::query(
        "DELETE FROM quiz_attempts WHERE quiz_id IN (SELECT id FROM class_quizzes WHERE class_id = ?) \
           AND learner_id IN (SELECT id FROM learners WHERE deleted_at IS NOT NULL)",
    )
    .bind(class_id)
    .execute(db)
    .await?
    .rows_affected())
}
