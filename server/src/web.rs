//! Serving the built browser app from the static folder.
//!
//! `cargo xtask dist` writes `index.html` and, under `assets/`, files whose names carry a hash of
//! their content, each with `.gz` and `.br` siblings. That naming decides the caching: an asset's URL
//! changes whenever its content does, so browsers may keep it for a year; `index.html` names the
//! current assets, so browsers must revalidate it every time.

use std::path::Path;

use axum::http::{HeaderValue, Response, header};
use axum::routing::MethodRouter;
use tower::ServiceBuilder;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const REVALIDATE: &str = "no-cache";

/// `/assets/*`: content-hashed files, cached for a year. A missing asset is a plain 404, not the
/// app's page, so a stale reference fails visibly instead of loading HTML as a script.
pub fn assets(static_dir: &Path) -> MethodRouter {
    let dir = ServeDir::new(static_dir.join("assets")).precompressed_br().precompressed_gzip();
    axum::routing::get_service(
        ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, |res: &Response<_>| {
                Some(HeaderValue::from_static(if res.status().is_success() { IMMUTABLE } else { "no-store" }))
            }))
            .service(dir),
    )
}

/// Everything else that is not an API route: files at the top of the static folder, and for any
/// other path `index.html`, because the app routes on the client (a reload of `/quiz` must load the
/// app, which then shows the quiz page).
pub fn spa(static_dir: &Path) -> MethodRouter {
    let index = ServeFile::new(static_dir.join("index.html")).precompressed_br().precompressed_gzip();
    let dir = ServeDir::new(static_dir).precompressed_br().precompressed_gzip().fallback(index);
    axum::routing::get_service(
        ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE)))
            .service(dir),
    )
}

/// `/instructor`, the classes' old address: bookmarks still land on `/classes`. Permanent, so
/// browsers go straight there next time; answered here rather than by the app, which saves the
/// app a route in every first visit.
pub async fn instructor() -> axum::response::Redirect {
    axum::response::Redirect::permanent("/classes")
}

/// `/robots.txt`: crawlers may read the lessons and tools; the API and the personal pages
/// (attempts, invites, joins) are nobody's to index. Without it the app's page would answer.
pub async fn robots() -> impl axum::response::IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "User-agent: *\nDisallow: /api/\nDisallow: /attempts/\nDisallow: /invite/\nDisallow: /join/\nDisallow: /quizzes/\nDisallow: /reset/\n",
    )
}
