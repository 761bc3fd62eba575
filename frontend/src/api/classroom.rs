//! Classes, class quizzes, attempts, results and invites: typed calls for `/api/classes`,
//! `/api/quizzes`, `/api/attempts` and `/api/invites`. Ids are numbers, so paths built from them
//! need no filtering; a token from the address bar keeps only the characters tokens use.

use serde::Serialize;
use tcplab_core::api::auth::{
    AccountChange, AccountList, AccountRow, Invite, InviteInfo, Me, NewInvite, PasswordReset, ResetInfo, ResetLink, Role,
};
use tcplab_core::api::classroom::{
    AnswersSaved, AnswersToSave, AttemptSubmission, AttemptView, ClassChange, ClassDetail, ClassSummary, Classes, Deleted, EditableQuiz,
    ExchangeFormat, Gradebook, ImportReport, ImportRequest, JoinClass, LearnerException, NewClass, QuizResults, ScoreOverride,
};
use tcplab_core::classroom::Quiz;

use super::{ApiError, delete, get, post, put};

/// The body `{}` of calls that need none.
#[derive(Serialize)]
struct Empty {}

/// Invite tokens and join codes are letters, digits, `-` and `_`; anything else is dropped
/// before it goes into a path or a link.
pub fn token(text: &str) -> String {
    text.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

/// `GET /api/invites/{token}`: the role an invite gives (404 once used or expired).
pub async fn invite(token_text: &str) -> Result<InviteInfo, ApiError> {
    get(&format!("/api/invites/{}", token(token_text))).await
}

/// `POST /api/admin/invites` (admins): a one-time link giving `role`.
pub async fn create_invite(role: Role) -> Result<Invite, ApiError> {
    post("/api/admin/invites", &NewInvite { role }).await
}

/// `GET /api/classes`: the classes one teaches and the ones one has joined; archived ones too
/// when `archived`.
pub async fn classes(archived: bool) -> Result<Classes, ApiError> {
    get(if archived { "/api/classes?archived=true" } else { "/api/classes" }).await
}

/// `PUT /api/classes/{id}`: rename, archive or bring back.
pub async fn change_class(id: i64, change: &ClassChange) -> Result<ClassSummary, ApiError> {
    put(&format!("/api/classes/{id}"), change).await
}

/// `DELETE /api/classes/{id}`: the class and everything in it.
pub async fn delete_class(id: i64) -> Result<Deleted, ApiError> {
    delete(&format!("/api/classes/{id}")).await
}

/// `DELETE /api/quizzes/{id}`: the quiz with its attempts and results.
pub async fn delete_quiz(id: i64) -> Result<Deleted, ApiError> {
    delete(&format!("/api/quizzes/{id}")).await
}

/// `POST /api/classes/{id}/leave` (a member).
pub async fn leave_class(id: i64) -> Result<Classes, ApiError> {
    post(&format!("/api/classes/{id}/leave"), &Empty {}).await
}

/// `DELETE /api/classes/{id}/members/{username}`; the username is sent percent-encoded.
pub async fn remove_member(id: i64, username: &str) -> Result<ClassDetail, ApiError> {
    let name = String::from(js_sys::encode_uri_component(username));
    delete(&format!("/api/classes/{id}/members/{name}")).await
}

/// `POST /api/classes` (instructors and admins).
pub async fn create_class(name: String) -> Result<ClassSummary, ApiError> {
    post("/api/classes", &NewClass { name }).await
}

/// `POST /api/classes/join`: with the code the instructor gave out.
pub async fn join_class(code: String) -> Result<ClassSummary, ApiError> {
    post("/api/classes/join", &JoinClass { code }).await
}

/// `GET /api/classes/{id}`
pub async fn class(id: i64) -> Result<ClassDetail, ApiError> {
    get(&format!("/api/classes/{id}")).await
}

/// `POST /api/classes/{id}/quizzes`: a new quiz in the class.
pub async fn create_quiz(class_id: i64, quiz: &Quiz) -> Result<EditableQuiz, ApiError> {
    post(&format!("/api/classes/{class_id}/quizzes"), quiz).await
}

/// `GET /api/quizzes/{id}` (its instructor).
pub async fn quiz(id: i64) -> Result<EditableQuiz, ApiError> {
    get(&format!("/api/quizzes/{id}")).await
}

/// `PUT /api/quizzes/{id}`: the whole quiz; a 422 names the field at fault.
pub async fn save_quiz(id: i64, quiz: &Quiz) -> Result<EditableQuiz, ApiError> {
    put(&format!("/api/quizzes/{id}"), quiz).await
}

/// `POST /api/quizzes/{id}/duplicate`: a draft copy.
pub async fn duplicate_quiz(id: i64) -> Result<EditableQuiz, ApiError> {
    post(&format!("/api/quizzes/{id}/duplicate"), &Empty {}).await
}

/// `GET /api/quizzes/{id}/results`
pub async fn results(id: i64) -> Result<QuizResults, ApiError> {
    get(&format!("/api/quizzes/{id}/results")).await
}

/// Where the results download as CSV: a link, the browser saves the file.
pub fn results_csv_href(id: i64) -> String {
    format!("/api/quizzes/{id}/results.csv")
}

/// Where the quiz downloads in a Moodle format: a link, the browser saves the file.
pub fn export_href(id: i64, format: ExchangeFormat) -> String {
    let format = match format {
        ExchangeFormat::Gift => "gift",
        ExchangeFormat::MoodleXml => "moodle_xml",
    };
    format!("/api/quizzes/{id}/export?format={format}")
}

/// `POST /api/quizzes/{id}/import`: questions added at the quiz's end (422 lists the problems).
pub async fn import(id: i64, request: &ImportRequest) -> Result<ImportReport, ApiError> {
    post(&format!("/api/quizzes/{id}/import"), request).await
}

/// `POST /api/quizzes/{id}/attempts`: starts the learner's attempt, or resumes the one not yet
/// submitted.
pub async fn start_attempt(quiz_id: i64) -> Result<AttemptView, ApiError> {
    post(&format!("/api/quizzes/{quiz_id}/attempts"), &Empty {}).await
}

/// `GET /api/attempts/{id}`
pub async fn attempt(id: i64) -> Result<AttemptView, ApiError> {
    get(&format!("/api/attempts/{id}")).await
}

/// `POST /api/attempts/{id}/submit`: one answer per question; graded once, on the server.
pub async fn submit_attempt(id: i64, submission: &AttemptSubmission) -> Result<AttemptView, ApiError> {
    post(&format!("/api/attempts/{id}/submit"), submission).await
}

/// `PUT /api/attempts/{id}/answers`: the answers changed since the last save (idempotent).
pub async fn save_answers(id: i64, answers: &AnswersToSave) -> Result<AnswersSaved, ApiError> {
    put(&format!("/api/attempts/{id}/answers"), answers).await
}

/// `PUT /api/attempts/{id}/score` (the class's instructor): a score with its reason, or
/// `score: None` to put the graded one back.
pub async fn set_score(id: i64, change: &ScoreOverride) -> Result<AttemptView, ApiError> {
    put(&format!("/api/attempts/{id}/score"), change).await
}

/// `GET /api/quizzes/{id}/exceptions`: learners with their own allowance.
pub async fn exceptions(quiz_id: i64) -> Result<Vec<LearnerException>, ApiError> {
    get(&format!("/api/quizzes/{quiz_id}/exceptions")).await
}

/// `PUT /api/quizzes/{id}/exceptions`: one learner's allowance (empty: removed); the new list.
pub async fn set_exception(quiz_id: i64, exception: &LearnerException) -> Result<Vec<LearnerException>, ApiError> {
    put(&format!("/api/quizzes/{quiz_id}/exceptions"), exception).await
}

/// `GET /api/classes/{id}/gradebook`
pub async fn gradebook(class_id: i64) -> Result<Gradebook, ApiError> {
    get(&format!("/api/classes/{class_id}/gradebook")).await
}

/// Where the gradebook downloads as CSV for `format` (`moodle` or `canvas`).
pub fn gradebook_csv_href(class_id: i64, format: &str) -> String {
    format!("/api/classes/{class_id}/gradebook.csv?format={format}")
}

/// `POST /api/classes/{id}/purge-deleted`: the results deleted accounts left in the class.
pub async fn purge_deleted(class_id: i64) -> Result<Deleted, ApiError> {
    post(&format!("/api/classes/{class_id}/purge-deleted"), &Empty {}).await
}

/// Usernames are letters, digits, `.`, `-` and `_`: anything else is dropped before it goes
/// into a path.
fn name_part(username: &str) -> String {
    username.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')).collect()
}

/// `GET /api/admin/accounts` (admins): the accounts whose name starts with `search`, by name.
pub async fn accounts(search: &str, offset: u32) -> Result<AccountList, ApiError> {
    get(&format!("/api/admin/accounts?q={}&offset={offset}", name_part(search))).await
}

/// `PUT /api/admin/accounts/{username}` (admins): disable (its sessions end) or enable.
pub async fn set_disabled(username: &str, disabled: bool) -> Result<AccountRow, ApiError> {
    put(&format!("/api/admin/accounts/{}", name_part(username)), &AccountChange { disabled }).await
}

/// `POST /api/admin/accounts/{username}/reset` (admins): a one-time link that sets a new password.
pub async fn create_reset(username: &str) -> Result<ResetLink, ApiError> {
    post(&format!("/api/admin/accounts/{}/reset", name_part(username)), &Empty {}).await
}

/// `GET /api/resets/{token}`: whose password a reset link sets (404 once used or expired).
pub async fn reset_info(token_text: &str) -> Result<ResetInfo, ApiError> {
    get(&format!("/api/resets/{}", token(token_text))).await
}

/// `POST /api/auth/reset`: spends the link on a new password and logs this browser in.
pub async fn reset_password(token_text: &str, password: String) -> Result<Me, ApiError> {
    post("/api/auth/reset", &PasswordReset { token: token(token_text), password }).await
}
