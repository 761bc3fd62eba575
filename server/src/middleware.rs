//! The server's own middleware: two thin shells, so each request passes two layers instead of
//! five (every layer moves the response once more, and that showed in the load benchmark).
//! What they do lives in the modules they call.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use std::sync::Arc;

use crate::error::texts::{ErrorTexts, request_lang};
use crate::storage::FileGuard;
use crate::{csrf, envelope, security_headers, unread_body};

/// What [`finish`] needs: whether cookies are HTTPS-only (`--secure-cookies`), for the
/// security headers, and the error texts.
#[derive(Clone)]
pub struct Finish {
    pub https: bool,
    pub errors: Arc<ErrorTexts>,
}

/// Around everything: plain rejections become the JSON envelope ([`envelope`]) in the
/// request's language ([`ErrorTexts::localize`]), an unread body closes the connection
/// ([`unread_body`]), and the security headers go on ([`security_headers`]).
pub async fn finish(State(Finish { https, errors }): State<Finish>, request: Request, next: Next) -> Response {
    let (method, uri) = (request.method().clone(), request.uri().clone());
    let lang = request_lang(&uri, request.headers());
    let (request, read) = unread_body::watch(request);
    let response = next.run(request).await;
    let response = envelope::rewrite(response, &method, uri.path()).await;
    let mut response = errors.localize(response, lang).await;
    unread_body::mark(&mut response, read.as_deref());
    security_headers::add(response.headers_mut(), https);
    response
}

/// Around the API: a state-changing request is refused when it comes from another site
/// ([`csrf`]) or when the database file is lost ([`crate::storage`]); reads always pass.
pub async fn writes(State(storage): State<FileGuard>, request: Request, next: Next) -> Response {
    if !csrf::is_safe(request.method()) {
        if let Some(refusal) = csrf::refusal(&request) {
            return refusal.into_response();
        }
        if let Err(lost) = storage.check() {
            return lost.into_response();
        }
    }
    next.run(request).await
}
