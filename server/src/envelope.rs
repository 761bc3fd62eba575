//! The last word on errors: any error response that is not already the JSON envelope (axum's
//! own rejections: a method the route does not take, a path or query it cannot decode, a body
//! over the limit; the request timeout's 408) is rewritten into it, keeping its status and its
//! headers (`Allow`, `Retry-After`). Handlers never rely on this: their errors are [`AppError`]s.
//! It exists so that no response of the server, whatever refused it, is something a client
//! cannot read.

use axum::body::Body;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tcplab_core::api::{ErrorBody, ErrorCode, ErrorDetail};

/// A rejection's own text is short; anything longer is not shown.
const MAX_TEXT: usize = 1024;

/// `response` as sent: unchanged unless it is an error that is not the envelope yet.
pub async fn rewrite(response: Response, method: &Method, path: &str) -> Response {
    let status = response.status();
    let is_json =
        response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| ct.starts_with("application/json"));
    if status.as_u16() < 400 || is_json || response.headers().contains_key(header::CONTENT_ENCODING) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = match axum::body::to_bytes(body, MAX_TEXT).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).trim().to_owned(),
        Err(_) => String::new(),
    };
    let allow = parts.headers.get(header::ALLOW).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let (code, message) = describe(status, method, path, &allow, text);
    let body = serde_json::to_vec(&ErrorBody { error: ErrorDetail { code, message, field: None, lang: tcplab_core::lang::Lang::En } })
        .unwrap_or_default();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body)).into_response()
}

fn describe(status: StatusCode, method: &Method, path: &str, allow: &str, text: String) -> (ErrorCode, String) {
    let or = |fallback: &str| if text.is_empty() { fallback.to_owned() } else { text.clone() };
    match status {
        StatusCode::METHOD_NOT_ALLOWED => (
            ErrorCode::MethodNotAllowed,
            if allow.is_empty() {
                format!("{method} is not allowed at {path}")
            } else {
                format!("{method} is not allowed at {path}; it takes {allow}")
            },
        ),
        StatusCode::NOT_FOUND => (ErrorCode::NotFound, or(&format!("nothing at {path}"))),
        StatusCode::REQUEST_TIMEOUT => (
            ErrorCode::RequestTimeout,
            "the request took too long and was stopped; nothing was saved unless a later request shows it".into(),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (ErrorCode::PayloadTooLarge, or("the request body is too large for this endpoint")),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            (ErrorCode::UnsupportedMediaType, or("the body's Content-Type is not one this endpoint takes"))
        }
        StatusCode::BAD_REQUEST => (ErrorCode::BadRequest, or("the request cannot be read")),
        StatusCode::UNPROCESSABLE_ENTITY => (ErrorCode::Invalid, or("the request's values cannot be used")),
        StatusCode::SERVICE_UNAVAILABLE => (ErrorCode::Unavailable, or("the server cannot take this request now; try again shortly")),
        s if s.is_server_error() => (ErrorCode::Internal, "something went wrong on the server; it has been logged".into()),
        s => (ErrorCode::BadRequest, or(s.canonical_reason().unwrap_or("the request was refused"))),
    }
}
