//! The server's one error type for requests, and the only place that knows HTTP status codes;
//! [`StartupError`] is the other: what stops the server before it serves.
//!
//! Handlers return `Result<T, AppError>`; whatever goes wrong becomes a status and the JSON envelope
//! `{"error": {"code", "message", "field"}}` shared with the browser app through `tcplab_core::api`.
//! Internal failures are logged here with their cause and shown to the caller only as "internal".

mod startup;
pub mod texts;

pub use startup::StartupError;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tcplab_core::api::{ErrorBody, ErrorCode, ErrorDetail};
use tcplab_core::lang::{Lang, Text};

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request names something that does not exist (an unknown API path, an unknown quiz ...).
    #[error("{0}")]
    NotFound(String),

    /// An input is well-formed JSON but its value is not acceptable; `field` names it.
    #[error("{message}")]
    Invalid { field: String, message: String },

    /// Refused by a check that writes its message in every language (a quiz's check, the
    /// generator's inputs), so the answer is in the caller's: `Invalid` or `Unprocessable` with
    /// the message in both languages.
    #[error("{}", message.en)]
    Check { code: ErrorCode, field: String, message: Text },

    /// The request cannot be read at all (malformed JSON, wrong content type ...).
    #[error("{message}")]
    BadRequest { code: ErrorCode, field: Option<String>, message: String },

    /// Well-formed input that cannot be used for a reason with its own stable `code` (a pasted
    /// file that is binary data, say); `field` names the input.
    #[error("{message}")]
    Unprocessable { code: ErrorCode, field: String, message: String },

    /// Wrong credentials, or no account where one is needed. The message never says which part
    /// of a login was wrong.
    #[error("{0}")]
    Unauthorized(String),

    /// A login with a wrong username or password (`field` is `credentials`: never which one).
    #[error("wrong username or password")]
    WrongCredentials,

    /// The caller is known but may not do this (a learner creating a class, a cross-site
    /// request ...).
    #[error("{0}")]
    Forbidden(String),

    /// Too many failed attempts (logins), or too many new learners or accounts from one address;
    /// try again after this many seconds.
    #[error("too many attempts; try again in {retry_after} seconds")]
    TooManyRequests { retry_after: u64 },

    /// The server is at capacity for this kind of work (password hashing): a condition of the
    /// moment, answered 503 with `Retry-After`, not an error of the caller's.
    #[error("the server is busy; try again in {retry_after} seconds")]
    Busy { retry_after: u64 },

    /// The request clashes with what is stored (an attempt id already used elsewhere ...).
    #[error("{message}")]
    Conflict { field: String, message: String },

    /// The body is over the limit of the endpoint, in bytes.
    #[error("the request body is too large: this endpoint takes at most {}", size(*limit))]
    PayloadTooLarge { limit: usize },

    /// The database cannot be reached: a condition to report (health checks), not a bug.
    #[error("the database is unavailable")]
    DatabaseUnavailable(#[source] sqlx::Error),

    /// A database fault shared by several requests (the answer writer's batch), already logged:
    /// `full` for a full disk (`storage_full`), else the database is unusable.
    #[error("{}", if *.full { "the server's storage is full; nothing was saved, try again later" } else { "the database is unavailable; nothing was saved" })]
    Storage { full: bool },

    /// The database file was deleted or replaced under the running server ([`crate::storage`]).
    #[error("{0}")]
    StorageLost(String),

    /// A bug of ours outside the database (the TCP model refusing its own script, ...).
    #[error("internal error")]
    Internal(String),

    /// Anything else the database reports is a bug or an operational problem of ours.
    #[error("database error")]
    Database(#[from] sqlx::Error),
}

/// What kind of trouble a database error is: the disk, the file, or (anything else) a bug.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbFault {
    /// SQLITE_FULL: the disk (or the database's size limit) is full. Writes fail until space
    /// returns; reads still work.
    Full,
    /// The file cannot be used: read-only, an I/O error, gone, not a database, or no connection
    /// to be had in time.
    Unavailable,
    Other,
}

/// SQLite's primary result codes (the low byte of the extended code sqlx reports).
const SQLITE_READONLY: i64 = 8;
const SQLITE_IOERR: i64 = 10;
const SQLITE_CORRUPT: i64 = 11;
const SQLITE_FULL: i64 = 13;
const SQLITE_CANTOPEN: i64 = 14;
const SQLITE_NOTADB: i64 = 26;

/// SQLite's primary result code of a database error, if it is one.
fn sqlite_code(e: &sqlx::Error) -> Option<i64> {
    e.as_database_error()?.code()?.parse::<i64>().ok().map(|c| c & 0xff)
}

/// SQLITE_READONLY (and its extended codes): a file, folder or mount the server cannot write.
pub fn is_read_only(e: &sqlx::Error) -> bool {
    sqlite_code(e) == Some(SQLITE_READONLY)
}

/// SQLITE_CANTOPEN: the file or a file beside it (the write-ahead log) could not be opened.
pub fn cannot_open(e: &sqlx::Error) -> bool {
    sqlite_code(e) == Some(SQLITE_CANTOPEN)
}

pub fn db_fault(e: &sqlx::Error) -> DbFault {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => DbFault::Unavailable,
        _ => match sqlite_code(e) {
            Some(SQLITE_FULL) => DbFault::Full,
            Some(SQLITE_READONLY | SQLITE_IOERR | SQLITE_CORRUPT | SQLITE_CANTOPEN | SQLITE_NOTADB) => DbFault::Unavailable,
            _ => DbFault::Other,
        },
    }
}

impl DbFault {
    /// The error a fault of the disk or the file is answered with; `None` for a bug of ours.
    fn as_storage(self) -> Option<AppError> {
        match self {
            DbFault::Full => Some(AppError::Storage { full: true }),
            DbFault::Unavailable => Some(AppError::Storage { full: false }),
            DbFault::Other => None,
        }
    }
}

/// The HTTP status of `code`, as the shared crate defines it.
pub fn status_of(code: ErrorCode) -> StatusCode {
    StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// A size in bytes as people write it: "64 KiB", "2 MiB".
fn size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / (1024 * 1024))
    } else if bytes >= 1024 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

impl AppError {
    /// The error's code, which decides its status ([`ErrorCode::status`]).
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::NotFound(_) => ErrorCode::NotFound,
            AppError::Invalid { .. } => ErrorCode::Invalid,
            AppError::BadRequest { code, .. } | AppError::Unprocessable { code, .. } | AppError::Check { code, .. } => *code,
            AppError::Conflict { .. } => ErrorCode::Conflict,
            AppError::Unauthorized(_) | AppError::WrongCredentials => ErrorCode::Unauthorized,
            AppError::Forbidden(_) => ErrorCode::Forbidden,
            AppError::TooManyRequests { .. } => ErrorCode::TooManyRequests,
            AppError::Busy { .. } => ErrorCode::Busy,
            AppError::PayloadTooLarge { .. } => ErrorCode::PayloadTooLarge,
            AppError::DatabaseUnavailable(_) | AppError::StorageLost(_) | AppError::Storage { full: false } => {
                ErrorCode::DatabaseUnavailable
            }
            AppError::Storage { full: true } => ErrorCode::StorageFull,
            AppError::Database(e) => db_fault(e).as_storage().map_or(ErrorCode::Internal, |storage| storage.code()),
            AppError::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let code = self.code();
        let status = status_of(code);
        let (message, field) = match &self {
            AppError::Invalid { field, message } => (message.clone(), Some(field.clone())),
            AppError::Check { field, message, .. } => (message.en.clone(), Some(field.clone())),
            AppError::WrongCredentials => (self.to_string(), Some("credentials".to_owned())),
            AppError::BadRequest { field, message, .. } => (message.clone(), field.clone()),
            AppError::Unprocessable { field, message, .. } | AppError::Conflict { field, message } => {
                (message.clone(), Some(field.clone()))
            }
            AppError::Database(source) => {
                let fault = db_fault(source);
                match fault {
                    DbFault::Full => {
                        tracing::error!(error = %source, "the disk holding the database is full; writes fail until space is freed")
                    }
                    DbFault::Unavailable => tracing::error!(error = %source, "the database cannot be used"),
                    DbFault::Other => tracing::error!(error = %source, "internal error"),
                }
                let message = fault
                    .as_storage()
                    .map_or_else(|| "something went wrong on the server; it has been logged".to_owned(), |s| s.to_string());
                (message, None)
            }
            AppError::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                ("something went wrong on the server; it has been logged".to_owned(), None)
            }
            AppError::DatabaseUnavailable(source) => {
                tracing::warn!(error = %source, "database unavailable");
                (self.to_string(), None)
            }
            other => (other.to_string(), None),
        };
        let retry_after = match &self {
            AppError::TooManyRequests { retry_after } | AppError::Busy { retry_after } => Some(*retry_after),
            AppError::DatabaseUnavailable(_) | AppError::StorageLost(_) => Some(5),
            AppError::Storage { .. } => Some(30),
            AppError::Database(e) if db_fault(e).as_storage().is_some() => Some(30),
            _ => None,
        };
        let body = ErrorBody { error: ErrorDetail { code, message, field, lang: Lang::En } };
        let mut response = (status, Json(body)).into_response();
        if let AppError::Check { message, .. } = self {
            // For `texts::ErrorTexts::localize`, which answers in the request's language.
            response.extensions_mut().insert(texts::Written(message));
        }
        if let Some(secs) = retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn envelope(err: AppError) -> (StatusCode, ErrorBody) {
        let response = err.into_response();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn invalid_input_names_its_field() {
        let (status, body) = envelope(AppError::Invalid { field: "ack".into(), message: "must be a number".into() }).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body.error.code, "invalid");
        assert_eq!(body.error.field.as_deref(), Some("ack"));
        assert_eq!(body.error.message, "must be a number");
    }

    #[tokio::test]
    async fn internal_errors_do_not_leak_their_cause() {
        let (status, body) = envelope(AppError::Database(sqlx::Error::Protocol("secret detail".into()))).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body.error.code, "internal");
        assert!(!body.error.message.contains("secret"), "{}", body.error.message);
    }
}
