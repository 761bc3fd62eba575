//! The application: every route and the layers around them, in one place. What handlers share
//! is in [`crate::state`].

use std::path::Path;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, OriginalUri};
use axum::http::{HeaderValue, StatusCode, header};
use axum::routing::{any, get};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::error::AppError;
use crate::routes::Routes;
use crate::state::AppState;
use crate::{classroom, health, learners, lessons, middleware, quiz, scenarios, tuning, web};

/// Largest request body any endpoint accepts. Answers and forms are small; this stops a client
/// from making the server buffer megabytes.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// A request that takes longer than this is cut off with 408, so a stuck client cannot hold a
/// connection and its resources for ever.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Builds the whole application. Tests call this directly and drive it with `oneshot`.
pub fn app(state: AppState, static_dir: &Path) -> Router {
    let api = api_routes()
        .layer(learners::session_layer(state.sessions.clone(), state.secure_cookies))
        // Outside the session layer: a refused write must not save a session either.
        .layer(axum::middleware::from_fn_with_state(state.storage.clone(), middleware::writes))
        // API answers depend on who asks and when: never let a cache keep them.
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
    let routes = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/robots.txt", get(web::robots))
        .route("/instructor", get(web::instructor))
        .merge(api)
        .nest_service("/assets", web::assets(static_dir))
        .fallback_service(web::spa(static_dir))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .with_state(state.clone());
    // The layers below wrap the router as a whole (a router's own `.layer` wraps each route, and
    // a 405's `Allow` header is added outside a route), so they see every response as sent.
    Router::new()
        .fallback_service(routes)
        .layer(axum::middleware::from_fn_with_state(
            middleware::Finish { https: state.secure_cookies, errors: state.errors.clone() },
            middleware::finish,
        ))
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &axum::http::Request<_>| {
                    tracing::info_span!("request", method = %request.method(), path = %logged_path(request.uri().path()))
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO))
                // The response line above already has the status; a 503 storm (busy, by design)
                // must not also write one error line per request. Real faults log themselves.
                .on_failure(DefaultOnFailure::new().level(Level::DEBUG)),
        )
}

/// Every API route, by feature (paths below `/api`). Features add their routers here.
fn features() -> Routes {
    Routes::new()
        .merge(lessons::router())
        .merge(scenarios::router())
        .merge(tuning::router())
        .merge(quiz::router())
        .merge(learners::router())
        .merge(learners::account_router())
        .merge(learners::invites_router())
        .merge(learners::manage_router())
        .merge(classroom::router())
        .merge(crate::error::texts::router())
        .merge(crate::ui_texts::router())
}

/// Every API route's method and full path, for the authorization test.
pub fn api_route_list() -> Vec<(axum::http::Method, String)> {
    features().into_parts().1.into_iter().map(|(m, p)| (m, format!("/api{p}"))).collect()
}

/// The path as logged: an invite's or a password reset's token is a password of sorts, and the
/// database keeps only its hash, so the log must not keep it either.
fn logged_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in ["/invite/", "/api/invites/", "/reset/", "/api/resets/"] {
        if path.starts_with(prefix) {
            return format!("{prefix}<token>").into();
        }
    }
    path.into()
}

/// The JSON API.
fn api_routes() -> Router<AppState> {
    let features = features().into_parts().0.fallback(api_not_found);
    Router::new()
        .nest("/api", features)
        // The nested router's catch-all needs at least one character after `/api/`.
        .route("/api/", any(api_not_found))
}

/// Nested routers see the path without `/api`; the caller should see the path they asked for.
async fn api_not_found(OriginalUri(uri): OriginalUri) -> AppError {
    AppError::NotFound(format!("no API endpoint at {}", uri.path()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn invite_tokens_stay_out_of_the_log() {
        assert_eq!(super::logged_path("/invite/0123abcd"), "/invite/<token>");
        assert_eq!(super::logged_path("/api/invites/0123abcd"), "/api/invites/<token>");
        assert_eq!(super::logged_path("/reset/0123abcd"), "/reset/<token>");
        assert_eq!(super::logged_path("/api/resets/0123abcd"), "/api/resets/<token>");
        assert_eq!(super::logged_path("/api/classes/3"), "/api/classes/3");
    }
}
