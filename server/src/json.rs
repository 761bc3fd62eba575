//! `AppJson`: axum's `Json`, but a body that cannot be read becomes the app's own JSON error
//! (naming the field where serde can tell) instead of axum's plain-text rejection.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use tcplab_core::api::ErrorCode;

pub struct AppJson<T>(pub T);

/// The body limit of the route a request reached, put in its extensions by
/// [`crate::routes::Routes`], so a 413 can name the limit that refused it.
#[derive(Clone, Copy)]
pub struct BodyLimit(pub usize);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AppJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let limit = request.extensions().get::<BodyLimit>().map_or(crate::app::BODY_LIMIT_BYTES, |l| l.0);
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(AppJson(value)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(AppError::PayloadTooLarge { limit }),
            Err(rejection) => Err(rejection.into()),
        }
    }
}

/// axum's `Query`, but a query that cannot be read (`?lang=en&lang=en`, a number that is not
/// one) is the JSON envelope naming the parameter, not a plain-text 400.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct AppQuery<T>(pub T);

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        let text = rejection.body_text();
        let detail = text.split_once("query string: ").map_or(text.as_str(), |(_, d)| d).to_owned();
        // "duplicate field `lang`" names the parameter; "unknown variant `x`" names a value, and
        // which parameter held it serde does not say.
        let named = !detail.starts_with("unknown variant") && !detail.starts_with("invalid value");
        let field = detail
            .split_once('`')
            .and_then(|(_, rest)| rest.split_once('`'))
            .filter(|_| named)
            .map_or("query", |(name, _)| name)
            .to_owned();
        AppError::BadRequest { code: ErrorCode::InvalidQuery, field: Some(field), message: format!("the query cannot be read: {detail}") }
    }
}

/// axum's `Path`, but a segment of the wrong type (`/api/classes/abc`) is a JSON 404 naming the
/// id, not a plain-text 400.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct AppPath<T>(pub T);

impl From<axum::extract::rejection::PathRejection> for AppError {
    fn from(rejection: axum::extract::rejection::PathRejection) -> Self {
        AppError::NotFound(format!("not a valid id in the path: {}", rejection.body_text()))
    }
}

impl<T: Serialize> IntoResponse for AppJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        let text = rejection.body_text();
        match rejection {
            // Well-formed JSON of the wrong shape: serde's message starts with the path of the
            // offending field ("peak_connections: invalid type ...").
            JsonRejection::JsonDataError(_) => {
                let detail = text.split_once("target type: ").map_or(text.as_str(), |(_, d)| d);
                let (field, message) = match detail.split_once(": ") {
                    Some((path, msg)) if !path.contains(' ') => (path.to_owned(), msg.to_owned()),
                    _ => (field_from_missing(detail).unwrap_or_else(|| "body".into()), detail.to_owned()),
                };
                AppError::Invalid { field, message }
            }
            JsonRejection::JsonSyntaxError(_) => {
                AppError::BadRequest { code: ErrorCode::MalformedJson, field: Some("body".into()), message: text }
            }
            JsonRejection::MissingJsonContentType(_) => AppError::BadRequest {
                code: ErrorCode::UnsupportedMediaType,
                field: Some("content-type".into()),
                message: "send the body as JSON with Content-Type: application/json".into(),
            },
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge { limit: crate::app::BODY_LIMIT_BYTES },
            _ => AppError::BadRequest { code: ErrorCode::BadRequest, field: Some("body".into()), message: text },
        }
    }
}

/// serde reports a missing field as "missing field `name` at line ..." with no path.
fn field_from_missing(detail: &str) -> Option<String> {
    let rest = detail.split_once("missing field `")?.1;
    Some(rest.split_once('`')?.0.to_owned())
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::http::{Request, header};
    use axum::routing::post;
    use serde::Deserialize;
    use tcplab_core::api::ErrorBody;
    use tower::ServiceExt;

    use super::*;

    #[derive(Deserialize, Serialize)]
    struct Input {
        peak_connections: u32,
    }

    async fn echo(AppJson(input): AppJson<Input>) -> AppJson<Input> {
        AppJson(input)
    }

    async fn send(content_type: Option<&str>, body: impl Into<Body>) -> (StatusCode, String) {
        let app = Router::new().route("/", post(echo)).layer(axum::extract::DefaultBodyLimit::max(crate::app::BODY_LIMIT_BYTES));
        let mut request = Request::post("/");
        if let Some(ct) = content_type {
            request = request.header(header::CONTENT_TYPE, ct);
        }
        let response = app.oneshot(request.body(body.into()).unwrap()).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (status, String::from_utf8(bytes.to_vec()).unwrap())
    }

    fn error(body: &str) -> ErrorBody {
        serde_json::from_str(body).unwrap_or_else(|e| panic!("not the JSON envelope ({e}): {body}"))
    }

    #[tokio::test]
    async fn a_good_body_passes_through() {
        let (status, body) = send(Some("application/json"), r#"{"peak_connections": 5}"#).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, r#"{"peak_connections":5}"#);
    }

    #[tokio::test]
    async fn a_wrong_type_names_the_field() {
        let (status, body) = send(Some("application/json"), r#"{"peak_connections": "many"}"#).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let e = error(&body);
        assert_eq!(e.error.field.as_deref(), Some("peak_connections"), "{body}");
        assert!(e.error.message.contains("invalid type"), "{body}");
    }

    #[tokio::test]
    async fn a_missing_field_is_named() {
        let (status, body) = send(Some("application/json"), "{}").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error(&body).error.field.as_deref(), Some("peak_connections"), "{body}");
    }

    #[tokio::test]
    async fn malformed_json_wrong_type_and_oversize_each_get_the_envelope() {
        let (status, body) = send(Some("application/json"), "{not json").await;
        assert_eq!((status, error(&body).error.code.as_str()), (StatusCode::BAD_REQUEST, "malformed_json"));
        let (status, body) = send(None, r#"{"peak_connections": 5}"#).await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(error(&body).error.field.as_deref(), Some("content-type"));
        let huge = format!(r#"{{"peak_connections": 5, "pad": "{}"}}"#, "x".repeat(crate::app::BODY_LIMIT_BYTES));
        let (status, body) = send(Some("application/json"), huge).await;
        assert_eq!((status, error(&body).error.code.as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"));
    }
}
