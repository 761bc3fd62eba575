//! The error envelope of every failed request, and its codes.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

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
    /// The language `message` is in: the request's (`?lang=`, else `Accept-Language`) when the
    /// server has the text in it, else English (left out).
    #[serde(default, skip_serializing_if = "is_english")]
    pub lang: Lang,
}

fn is_english(lang: &Lang) -> bool {
    *lang == Lang::En
}

/// The text for an error of `code` naming `field`, from a table of one language keyed
/// `code` and `code.field` (`content/errors/<lang>.toml` flattened): the whole field path
/// first, then its last part (`items[2].question.choices` -> `choices`, `answers[0].value` ->
/// `value`), then the code's own text. Server and browser look texts up with this one rule.
pub fn error_text<'a>(code: ErrorCode, field: Option<&str>, get: impl Fn(&str) -> Option<&'a str>) -> Option<&'a str> {
    let code = code.as_str();
    if let Some(field) = field {
        let tail = field_tail(field);
        for key in [field, tail] {
            if let Some(text) = get(&format!("{code}.{key}")) {
                return Some(text);
            }
        }
    }
    get(code)
}

/// The last part of a field path, without an index: `items[2].question.text.zh-CN` -> `zh-CN`.
fn field_tail(field: &str) -> &str {
    let last = field.rsplit('.').next().unwrap_or(field);
    last.split('[').next().unwrap_or(last)
}

/// Declares [`ErrorCode`] from one table: each code's variant, its text in the JSON and its
/// HTTP status, so the three cannot disagree.
macro_rules! error_codes {
    ($($(#[doc = $doc:literal])* $name:ident = $text:literal, $status:literal;)*) => {
        /// Every `code` the server sends. Each has one HTTP status ([`ErrorCode::status`]): the
        /// server builds its answers from the code, and the browser tells errors apart by it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum ErrorCode {
            $($(#[doc = $doc])* #[serde(rename = $text)] $name,)*
            /// A code this build does not know (a newer server): read as such rather than failing.
            #[serde(other, rename = "unknown")]
            Unknown,
        }

        impl ErrorCode {
            /// Every code the server sends.
            pub const ALL: &[ErrorCode] = &[$(ErrorCode::$name),*];

            /// The HTTP status an error of this code is sent with.
            pub fn status(self) -> u16 {
                match self {
                    $(ErrorCode::$name => $status,)*
                    ErrorCode::Unknown => 400,
                }
            }

            /// The code as the JSON writes it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$name => $text,)*
                    ErrorCode::Unknown => "unknown",
                }
            }
        }
    };
}

error_codes! {
    // The request cannot be read.
    BadRequest = "bad_request", 400;
    MalformedJson = "malformed_json", 400;
    InvalidQuery = "invalid_query", 400;
    UnsupportedMediaType = "unsupported_media_type", 415;
    MethodNotAllowed = "method_not_allowed", 405;
    RequestTimeout = "request_timeout", 408;
    PayloadTooLarge = "payload_too_large", 413;
    // Who is asking.
    Unauthorized = "unauthorized", 401;
    Forbidden = "forbidden", 403;
    TooManyRequests = "too_many_requests", 429;
    // What is asked for.
    NotFound = "not_found", 404;
    /// A value that cannot be used; `field` names it.
    Invalid = "invalid", 422;
    Conflict = "conflict", 409;
    /// A join code no class has.
    UnknownCode = "unknown_code", 422;
    /// Joining a class one teaches.
    OwnClass = "own_class", 422;
    /// A GIFT or Moodle XML file that cannot be imported.
    ImportFailed = "import_failed", 422;
    // A sysctl file the linter cannot read.
    TooLarge = "too_large", 413;
    Binary = "binary", 422;
    TooManyLines = "too_many_lines", 422;
    NothingRecognised = "nothing_recognised", 422;
    // The server's own condition.
    Busy = "busy", 503;
    Unavailable = "unavailable", 503;
    DatabaseUnavailable = "database_unavailable", 503;
    StorageFull = "storage_full", 503;
    Internal = "internal", 500;
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
        let body =
            ErrorBody { error: ErrorDetail { code: ErrorCode::NotFound, message: "no such thing".into(), field: None, lang: Lang::En } };
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
        for &code in ErrorCode::ALL {
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&format!("\"{}\"", code.as_str())).unwrap(), code);
            assert!((400..600).contains(&code.status()), "{code:?}");
        }
        assert_eq!(serde_json::from_str::<ErrorCode>(r#""teapot""#).unwrap(), ErrorCode::Unknown);
    }

    #[test]
    fn a_text_is_found_by_the_whole_field_then_its_last_part_then_the_code() {
        let table = std::collections::BTreeMap::from([
            ("invalid", "generic"),
            ("invalid.choices", "choices"),
            ("invalid.items[0].question.choices", "the first"),
            ("invalid.zh-CN", "chinese"),
        ]);
        let get = |key: &str| table.get(key).copied();
        assert_eq!(error_text(ErrorCode::Invalid, Some("items[0].question.choices"), get), Some("the first"));
        assert_eq!(error_text(ErrorCode::Invalid, Some("items[3].question.choices"), get), Some("choices"));
        assert_eq!(error_text(ErrorCode::Invalid, Some("items[1].question.text.zh-CN"), get), Some("chinese"));
        assert_eq!(error_text(ErrorCode::Invalid, Some("answers[0]"), get), Some("generic"));
        assert_eq!(error_text(ErrorCode::Invalid, None, get), Some("generic"));
        assert_eq!(error_text(ErrorCode::Conflict, Some("choices"), get), None);
        assert_eq!(field_tail("answers[2]"), "answers");
    }
}
