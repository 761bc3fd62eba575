//! The one typed client for the server's HTTP API.
//!
//! Every call goes through [`get`], [`post`] or [`put`], which turn whatever the network or the server does into
//! `Result<T, ApiError>`; the server's JSON error envelope comes back as [`ApiError::Server`] with
//! its code, message and field intact, so pages can show them.

pub mod classroom;

use std::fmt;

use serde::de::DeserializeOwned;
use tcplab_core::api::auth::{Credentials, Me};
use tcplab_core::api::{ErrorBody, Health, LessonPage, LessonSummary, StepTexts};
use tcplab_core::lang::Lang;

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The request did not reach the server or no answer came back.
    Network(String),
    /// The server answered with an error status and its JSON envelope.
    Server { status: u16, body: ErrorBody },
    /// The server answered something this version of the app cannot read.
    Unexpected { status: u16, detail: String },
}

impl ApiError {
    /// The HTTP status the server answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Network(_) => None,
            ApiError::Server { status, .. } | ApiError::Unexpected { status, .. } => Some(*status),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network(detail) => write!(f, "network error: {detail}"),
            ApiError::Server { body, .. } => match &body.error.field {
                Some(field) => write!(f, "{} ({field})", body.error.message),
                None => f.write_str(&body.error.message),
            },
            ApiError::Unexpected { status, detail } => write!(f, "unexpected answer ({status}): {detail}"),
        }
    }
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = gloo_net::http::Request::get(path)
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    read(response).await
}

async fn post<B: serde::Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    send_json(gloo_net::http::Request::post(path), body).await
}

async fn put<B: serde::Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    send_json(gloo_net::http::Request::put(path), body).await
}

async fn send_json<B: serde::Serialize, T: DeserializeOwned>(request: gloo_net::http::RequestBuilder, body: &B) -> Result<T, ApiError> {
    let response = request
        .header("Accept", "application/json")
        .json(body)
        .map_err(|e| ApiError::Network(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    read(response).await
}

async fn read<T: DeserializeOwned>(response: gloo_net::http::Response) -> Result<T, ApiError> {
    let status = response.status();
    if response.ok() {
        response.json::<T>().await.map_err(|e| ApiError::Unexpected { status, detail: e.to_string() })
    } else {
        match response.json::<ErrorBody>().await {
            Ok(body) => Err(ApiError::Server { status, body }),
            Err(e) => Err(ApiError::Unexpected { status, detail: e.to_string() }),
        }
    }
}

/// `GET /healthz`
pub async fn health() -> Result<Health, ApiError> {
    get("/healthz").await
}

/// `GET /api/lessons?lang=...`
pub async fn lessons(lang: Lang) -> Result<Vec<LessonSummary>, ApiError> {
    get(&format!("/api/lessons?lang={}", lang.tag())).await
}

/// `GET /api/lessons/{id}?lang=...`
pub async fn lesson(id: &str, lang: Lang) -> Result<LessonPage, ApiError> {
    let id: String = id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    get(&format!("/api/lessons/{id}?lang={}", lang.tag())).await
}

/// `GET /api/steps?lang=...`: the sentence explaining each step, and the scenarios' titles.
pub async fn steps(lang: Lang) -> Result<StepTexts, ApiError> {
    get(&format!("/api/steps?lang={}", lang.tag())).await
}

/// `GET /api/tuning/knowledge`: what the config page needs to compute the report itself.
pub async fn tuning_knowledge() -> Result<tcplab_core::tuning::Knowledge, ApiError> {
    get("/api/tuning/knowledge").await
}

/// `POST /api/quiz/questions`: a new question of `kind`, with this learner's own numbers.
pub async fn new_question(kind: tcplab_core::quiz::Kind) -> Result<tcplab_core::api::QuestionView, ApiError> {
    post("/api/quiz/questions", &tcplab_core::api::NewQuestion { kind }).await
}

/// `POST /api/quiz/questions/{id}/answers`: graded and stored on the server.
pub async fn submit_answer(id: &str, submission: &tcplab_core::api::AnswerSubmission) -> Result<tcplab_core::api::Feedback, ApiError> {
    let id: String = id.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    post(&format!("/api/quiz/questions/{id}/answers"), submission).await
}

/// `GET /api/progress`
pub async fn progress() -> Result<tcplab_core::api::Progress, ApiError> {
    get("/api/progress").await
}

/// `GET /api/auth/me`: who is logged in here, and their role.
pub async fn me() -> Result<Me, ApiError> {
    get("/api/auth/me").await
}

/// `POST /api/auth/register`: the anonymous progress becomes the account's; with an invite's
/// token the account gets the invite's role.
pub async fn register(username: &str, password: &str, invite: Option<&str>) -> Result<Me, ApiError> {
    let invite = invite.map(classroom::token);
    post("/api/auth/register", &Credentials { username: username.to_owned(), password: password.to_owned(), invite }).await
}

/// `POST /api/auth/login`: answers given anonymously in this browser join the account.
pub async fn login(username: &str, password: &str) -> Result<Me, ApiError> {
    post("/api/auth/login", &Credentials { username: username.to_owned(), password: password.to_owned(), invite: None }).await
}

/// `POST /api/auth/logout`
pub async fn logout() -> Result<Me, ApiError> {
    post("/api/auth/logout", &()).await
}

/// `POST /api/progress/lessons/{id}`: this lesson was opened, or finished. The progress the
/// server sends back is not read here (the lesson page has no use for it, and reading it would
/// put its decoder into the first download).
pub async fn visit_lesson(id: &str, completed: bool) -> Result<(), ApiError> {
    let id: String = id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    post::<_, serde::de::IgnoredAny>(&format!("/api/progress/lessons/{id}"), &tcplab_core::api::LessonVisit { completed }).await.map(|_| ())
}

/// `POST /api/quiz/tuning`: a question from the tuning bank, with this learner's own numbers.
pub async fn new_bank_question() -> Result<tcplab_core::api::BankQuestionView, ApiError> {
    post("/api/quiz/tuning", &tcplab_core::api::NewBankQuestion::default()).await
}

/// `POST /api/quiz/tuning/{id}/answers`: graded and stored on the server.
pub async fn submit_bank_answer(
    id: &str,
    submission: &tcplab_core::api::BankSubmission,
) -> Result<tcplab_core::api::BankFeedback, ApiError> {
    let id: String = id.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    post(&format!("/api/quiz/tuning/{id}/answers"), submission).await
}
