//! The error envelope of every failed request, and its codes.

use serde::{Deserialize, Serialize};

/// The body of every error response: `{"error": {"code": "...", "message": "...", "field": "..."}}`.
///
/// `code` is stable and meant for programs; `message` is for people; `field` names the input that
/// was wrong, when one was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Every `code` the server sends, written as snake_case text. Each has one HTTP status
/// ([`ErrorCode::status`]): the server builds its answers from the code, and the browser tells
/// errors apart by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    // The request cannot be read.
    BadRequest,
    MalformedJson,
    InvalidQuery,
    UnsupportedMediaType,
    MethodNotAllowed,
    RequestTimeout,
    PayloadTooLarge,
    // Who is asking.
    Unauthorized,
    Forbidden,
    TooManyRequests,
    // What is asked for.
    NotFound,
    /// A value that cannot be used; `field` names it.
    Invalid,
    Conflict,
    /// A join code no class has.
    UnknownCode,
    /// Joining a class one teaches.
    OwnClass,
    /// A GIFT or Moodle XML file that cannot be imported.
    ImportFailed,
    // A sysctl file the linter cannot read.
    TooLarge,
    Binary,
    TooManyLines,
    NothingRecognised,
    // The server's own condition.
    Busy,
    Unavailable,
    DatabaseUnavailable,
    StorageFull,
    Internal,
    /// A code this build does not know (a newer server): read as such rather than failing.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// The HTTP status an error of this code is sent with.
    pub fn status(self) -> u16 {
        use ErrorCode::*;
        match self {
            BadRequest | MalformedJson | InvalidQuery | Unknown => 400,
            Unauthorized => 401,
            Forbidden => 403,
            NotFound => 404,
            MethodNotAllowed => 405,
            RequestTimeout => 408,
            Conflict => 409,
            PayloadTooLarge => 413,
            UnsupportedMediaType => 415,
            Invalid | UnknownCode | OwnClass | ImportFailed | TooLarge | Binary | TooManyLines | NothingRecognised => 422,
            TooManyRequests => 429,
            Internal => 500,
            Busy | Unavailable | DatabaseUnavailable | StorageFull => 503,
        }
    }

    /// The code as the JSON writes it.
    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            BadRequest => "bad_request",
            MalformedJson => "malformed_json",
            InvalidQuery => "invalid_query",
            UnsupportedMediaType => "unsupported_media_type",
            MethodNotAllowed => "method_not_allowed",
            RequestTimeout => "request_timeout",
            PayloadTooLarge => "payload_too_large",
            Unauthorized => "unauthorized",
            Forbidden => "forbidden",
            TooManyRequests => "too_many_requests",
            NotFound => "not_found",
            Invalid => "invalid",
            Conflict => "conflict",
            UnknownCode => "unknown_code",
            OwnClass => "own_class",
            ImportFailed => "import_failed",
            TooLarge => "too_large",
            Binary => "binary",
            TooManyLines => "too_many_lines",
            NothingRecognised => "nothing_recognised",
            Busy => "busy",
            Unavailable => "unavailable",
            DatabaseUnavailable => "database_unavailable",
            StorageFull => "storage_full",
            Internal => "internal",
            Unknown => "unknown",
        }
    }

    /// Every code, for tests and for the texts the browser shows for each.
    pub const ALL: [ErrorCode; 26] = {
        use ErrorCode::*;
        [
            BadRequest,
            MalformedJson,
            InvalidQuery,
            UnsupportedMediaType,
            MethodNotAllowed,
            RequestTimeout,
            PayloadTooLarge,
            Unauthorized,
            Forbidden,
            TooManyRequests,
            NotFound,
            Invalid,
            Conflict,
            UnknownCode,
            OwnClass,
            ImportFailed,
            TooLarge,
            Binary,
            TooManyLines,
            NothingRecognised,
            Busy,
            Unavailable,
            DatabaseUnavailable,
            StorageFull,
            Internal,
            Unknown,
        ]
    };
}

/// Tests and callers compare a code with the text the JSON has: `code == "not_found"`.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_omits_an_absent_field() {
        let body = ErrorBody { error: ErrorDetail { code: ErrorCode::NotFound, message: "no such thing".into(), field: None } };
        assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"error":{"code":"not_found","message":"no such thing"}}"#);
    }

    #[test]
    fn error_body_reads_with_a_field() {
        let body: ErrorBody = serde_json::from_str(r#"{"error":{"code":"invalid","message":"too big","field":"port"}}"#).unwrap();
        assert_eq!(body.error.field.as_deref(), Some("port"));
        assert_eq!(body.error.code, ErrorCode::Invalid);
    }

    #[test]
    fn codes_are_written_as_their_text_and_an_unknown_one_still_reads() {
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&format!("\"{}\"", code.as_str())).unwrap(), code);
            assert!((400..600).contains(&code.status()), "{code:?}");
        }
        assert_eq!(serde_json::from_str::<ErrorCode>(r#""teapot""#).unwrap(), ErrorCode::Unknown);
    }
}
