//! The application: its shared state and every route, in one place.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, OriginalUri};
use axum::http::{HeaderValue, StatusCode, header};
use axum::routing::{any, get};
use sqlx::SqlitePool;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::error::AppError;
use crate::routes::Routes;
use crate::lessons::Library;
use tcplab_core::quiz::bank::Bank;
use tcplab_core::tuning::Knowledge;
use crate::{classroom, health, learners, lessons, middleware, quiz, scenarios, tuning, web};

/// Largest request body any endpoint accepts. Answers and forms are small; this stops a client
/// from making the server buffer megabytes.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// A request that takes longer than this is cut off with 408, so a stuck client cannot hold a
/// connection and its resources for ever.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    /// Loaded once at start-up; content changes need a restart.
    pub lessons: Arc<Library>,
    /// `content/tuning/params.toml`, checked at start-up.
    pub tuning: Arc<Knowledge>,
    /// Whether the session cookie is marked Secure (HTTPS only).
    pub secure_cookies: bool,
    /// `content/quiz/tuning.toml`, checked at start-up.
    pub bank: Arc<Bank>,
    /// Questions cached in memory, answers written in batches.
    pub quiz: quiz::QuizStore,
    /// Failed logins, counted to slow down password guessing.
    pub logins: learners::LoginThrottle,
    /// New anonymous learners per address.
    pub newcomers: learners::Budget,
    /// Registrations per address.
    pub registrations: learners::Budget,
    /// Whether the database file is still the one opened.
    pub storage: crate::storage::FileGuard,
}

/// What the server reads from `content/` at start-up.
pub struct Content {
    pub lessons: Arc<Library>,
    pub tuning: Arc<Knowledge>,
    pub bank: Arc<Bank>,
}

impl Content {
    /// Loads and checks every content file; the first problem stops the server.
    pub fn load(content_dir: &Path) -> Result<Content, crate::lessons::ContentError> {
        Ok(Content {
            lessons: Arc::new(Library::load(content_dir)?),
            tuning: Arc::new(crate::tuning::load(content_dir)?),
            bank: Arc::new(quiz::load_bank(content_dir)?),
        })
    }
}

impl AppState {
    /// Must be called inside the tokio runtime: the quiz store starts its answer writer.
    pub fn new(db: SqlitePool, content: Content, secure_cookies: bool) -> AppState {
        let Content { lessons, tuning, bank } = content;
        learners::password::warm_up();
        AppState {
            quiz: quiz::QuizStore::new(db.clone()),
            db,
            lessons,
            tuning,
            bank,
            secure_cookies,
            logins: Default::default(),
            newcomers: learners::Budget::newcomers(),
            registrations: learners::Budget::registrations(),
            storage: Default::default(),
        }
    }

    /// Watches the database file for deletion or replacement ([`crate::storage`]).
    pub fn with_storage(self, storage: crate::storage::FileGuard) -> AppState {
        AppState { storage, ..self }
    }
}

/// Builds the whole application. Tests call this directly and drive it with `oneshot`.
pub fn app(state: AppState, static_dir: &Path) -> Router {
    let api = api_routes()
        .layer(learners::session_layer(state.db.clone(), state.secure_cookies))
        // Outside the session layer: a refused write must not save a session either.
        .layer(axum::middleware::from_fn_with_state(state.storage.clone(), middleware::writes))
        // API answers depend on who asks and when: never let a cache keep them.
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
    let routes = Router::new()
        .route("/healthz", get(health::healthz))
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
        .layer(axum::middleware::from_fn_with_state(state.secure_cookies, middleware::finish))
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
        .merge(learners::invites_router())
        .merge(classroom::router())
}

/// Every API route's method and full path, for the authorization test.
pub fn api_route_list() -> Vec<(axum::http::Method, String)> {
    features().into_parts().1.into_iter().map(|(m, p)| (m, format!("/api{p}"))).collect()
}

/// The path as logged: an invite's token is a password of sorts, and the database keeps only
/// its hash, so the log must not keep it either.
fn logged_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in ["/invite/", "/api/invites/"] {
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
        assert_eq!(super::logged_path("/api/classes/3"), "/api/classes/3");
    }
}
