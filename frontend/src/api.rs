//! The one typed client for the server's HTTP API.
//!
//! Every call goes through [`get`], [`post`] or [`put`], which turn whatever the network or the server does into
//! `Result<T, ApiError>`; the server's JSON error envelope comes back as [`ApiError::Server`] with
//! its code, message and field intact, so pages can show them.

pub mod classroom;

use std::fmt;

use leptos::prelude::Get;
use serde::de::DeserializeOwned;
use tcplab_core::api::auth::{Credentials, Me};
use tcplab_core::api::{ErrorBody, Health, LessonPage, LessonSummary, StepTexts};
use tcplab_core::lang::Lang;

use crate::i18n::{I18n, Key};

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
    /// What to tell the reader, in `lang`: the server's own message when it is in that language
    /// (English messages name the value that was wrong), else the text for its code and field
    /// from `content/errors/`, which follows a language switch.
    /// Reactive: call it inside a closure of the view.
    pub fn text(&self, i18n: I18n) -> String {
        let lang = i18n.lang.get();
        match self {
            ApiError::Network(_) => crate::i18n::text(lang, Key::ClassesNetwork).to_owned(),
            ApiError::Server { body, .. } if body.error.lang == lang => body.error.message.clone(),
            ApiError::Server { body, .. } => {
                i18n.error_text(body.error.code, body.error.field.as_deref()).unwrap_or_else(|| body.error.message.clone())
            }
            ApiError::Unexpected { .. } => i18n.error_text(tcplab_core::api::ErrorCode::Unknown, None).unwrap_or_else(|| self.to_string()),
        }
    }

    /// As [`ApiError::text`] without fetching error texts: for the tutorial's pages, which are
    /// part of the first download and meet only "unreachable" and "not found" (the lesson list
    /// and a lesson come from the server as they are).
    pub fn brief(&self, i18n: I18n) -> String {
        let lang = i18n.lang.get();
        match self {
            ApiError::Server { status: 404, body } if body.error.lang != lang => crate::i18n::text(lang, Key::ClassesNotFound).to_owned(),
            ApiError::Server { body, .. } => body.error.message.clone(),
            _ => crate::i18n::text(lang, Key::ClassesNetwork).to_owned(),
        }
    }

    /// The field the server named as wrong, if any (to mark it `aria-invalid`).
    pub fn field(&self) -> Option<&str> {
        match self {
            ApiError::Server { body, .. } => body.error.field.as_deref(),
            _ => None,
        }
    }

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

/// Every request says which language the reader reads, so the server's error messages come in it.
fn headers(request: gloo_net::http::RequestBuilder) -> gloo_net::http::RequestBuilder {
    request.header("Accept", "application/json").header("Accept-Language", crate::i18n::current().tag())
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = headers(gloo_net::http::Request::get(path)).send().await.map_err(|e| ApiError::Network(e.to_string()))?;
    read(response).await
}

async fn post<B: serde::Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    send_json(gloo_net::http::Request::post(path), body).await
}

async fn put<B: serde::Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    send_json(gloo_net::http::Request::put(path), body).await
}

async fn delete<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = headers(gloo_net::http::Request::delete(path)).send().await.map_err(|e| ApiError::Network(e.to_string()))?;
    read(response).await
}

async fn send_json<B: serde::Serialize, T: DeserializeOwned>(request: gloo_net::http::RequestBuilder, body: &B) -> Result<T, ApiError> {
    let response = headers(request)
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

/// `GET /api/errors?lang=`: the error texts of one language, by `code` and `code.field`.
pub async fn error_texts(lang: Lang) -> Result<std::collections::BTreeMap<String, String>, ApiError> {
    get(&format!("/api/errors?lang={}", lang.tag())).await
}

/// `GET /api/ui`: every interface string of `lang` in key order, for those the app leaves out.
pub async fn ui_texts(lang: Lang) -> Result<Vec<String>, ApiError> {
    get(&format!("/api/ui?lang={}", lang.tag())).await
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
/// `POST /api/auth/password`: every other session of the account ends.
pub async fn change_password(change: &tcplab_core::api::auth::PasswordChange) -> Result<Me, ApiError> {
    post("/api/auth/password", change).await
}

/// `POST /api/account/delete`: answers and progress go; class results stay as a deleted learner's.
pub async fn delete_account(deletion: &tcplab_core::api::auth::AccountDeletion) -> Result<Me, ApiError> {
    post("/api/account/delete", deletion).await
}

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
