//! The server's own middleware: two thin shells, so each request passes two layers instead of
//! five (every layer moves the response once more, and that showed in the load benchmark).
//! What they do lives in the modules they call.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::storage::FileGuard;
use crate::{csrf, envelope, security_headers, unread_body};

/// Around everything: plain rejections become the JSON envelope ([`envelope`]), an unread body
/// closes the connection ([`unread_body`]), and the security headers go on ([`security_headers`]).
/// `https`: `--secure-cookies`.
pub async fn finish(State(https): State<bool>, request: Request, next: Next) -> Response {
    let (method, uri) = (request.method().clone(), request.uri().clone());
    let (request, read) = unread_body::watch(request);
    let response = next.run(request).await;
    let mut response = envelope::rewrite(response, &method, uri.path()).await;
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
