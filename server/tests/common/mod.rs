//! What the in-process HTTP tests share: the real router and middleware over a real SQLite file
//! in a temporary folder, a static folder laid out the way `cargo xtask dist` writes it, and the
//! real step texts and tuning knowledge from `content/`.
#![allow(dead_code)] // each test file uses a different part

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use http_body_util::BodyExt;
use std::sync::Arc;
use tcplab_core::api::ErrorBody;

use tcplab::lessons::Library;
use tcplab::{AppState, Content, app, db};
use tempfile::TempDir;
use tower::ServiceExt;

pub const INDEX: &str = "<!doctype html><title>TCP Lab test index</title>";
pub const ASSET: &str = "tcplab-0123456789abcdef.js";

pub struct TestApp {
    pub router: Router,
    pub pool: sqlx::SqlitePool,
    _dir: TempDir,
}

pub async fn test_app() -> TestApp {
    test_app_with(false).await
}

/// As [`test_app`], with `--secure-cookies` on or off.
pub async fn test_app_with(secure_cookies: bool) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    std::fs::write(dist.join("index.html"), INDEX).unwrap();
    std::fs::write(dist.join("index.html.gz"), b"gzip of index").unwrap();
    std::fs::write(dist.join("assets").join(ASSET), "console.log('plain')").unwrap();
    std::fs::write(dist.join("assets").join(format!("{ASSET}.br")), "brotli bytes").unwrap();
    std::fs::write(dist.join("assets").join(format!("{ASSET}.gz")), "gzip bytes").unwrap();
    let url = format!("sqlite://{}/data/test.db", dir.path().display());
    let pool = db::open(&url).await.unwrap();
    let content = dir.path().join("content");
    for (lang, id, title) in [("en", "handshake", "Handshake"), ("en", "close", "Close"), ("zh-CN", "handshake", "三次握手")] {
        let folder = content.join("lessons").join(lang);
        std::fs::create_dir_all(&folder).unwrap();
        let order = if id == "handshake" { 1 } else { 2 };
        std::fs::write(
            folder.join(format!("{id}.md")),
            format!("+++\nid = \"{id}\"\norder = {order}\ntitle = \"{title}\"\nsummary = \"s\"\n+++\n# {title}\n\n<script>x</script>\n"),
        )
        .unwrap();
    }
    copy_steps(&content);
    let lessons = Arc::new(Library::load(&content).unwrap());
    let real_content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let tuning = Arc::new(tcplab::tuning::load(&real_content).unwrap());
    let bank = Arc::new(tcplab::quiz::load_bank(&real_content).unwrap());
    let errors = Arc::new(tcplab::error::texts::ErrorTexts::load(&real_content).unwrap());
    let ui = Arc::new(tcplab::ui_texts::UiTexts::load(&real_content).unwrap());
    TestApp {
        router: app(AppState::new(pool.clone(), Content { lessons, tuning, bank, errors, ui }, secure_cookies), &dist),
        pool,
        _dir: dir,
    }
}

pub async fn get(app: &TestApp, uri: &str, accept_encoding: Option<&str>) -> Response {
    let mut request = Request::get(uri);
    if let Some(enc) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, enc);
    }
    app.router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap()
}

pub async fn body_text(response: Response) -> String {
    String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
}

pub fn header_of(response: &Response, name: header::HeaderName) -> &str {
    response.headers().get(&name).map(|v| v.to_str().unwrap()).unwrap_or("")
}

/// The real step sentences: the server needs them, and tests should not invent their own.
fn copy_steps(content: &std::path::Path) {
    let real = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/steps");
    std::fs::create_dir_all(content.join("steps")).unwrap();
    for entry in std::fs::read_dir(real).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, content.join("steps").join(path.file_name().unwrap())).unwrap();
    }
}

/// Sends a request with a body and a content type.
pub async fn send(app: &TestApp, method: &str, uri: &str, content_type: &str, body: impl Into<Body>) -> Response {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::HOST, "tcplab.test")
        .body(body.into())
        .unwrap();
    app.router.clone().oneshot(request).await.unwrap()
}

/// A browser: keeps the session cookie the server sets.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookie: Option<String>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Browser<'a> {
        Browser { app, cookie: None }
    }

    /// A request as this browser sends it: with its cookie, and a JSON body if any.
    pub fn request(&self, method: &str, uri: &str, body: Option<String>) -> Request<Body> {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        request.body(body.map(Body::from).unwrap_or_default()).unwrap()
    }

    pub async fn send(&mut self, method: &str, uri: &str, body: Option<String>) -> Response {
        let request = self.request(method, uri, body);
        self.send_request(request).await
    }

    /// Sends a request built with [`Browser::request`] (and changed), keeping the cookie.
    pub async fn send_request(&mut self, request: Request<Body>) -> Response {
        let response = self.app.router.clone().oneshot(request).await.unwrap();
        if let Some(set) = response.headers().get(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            if set.contains("Max-Age=0") {
                // Logging out removes the cookie.
                self.cookie = None;
            } else {
                assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"), "{set}");
                self.cookie = Some(set.split(';').next().unwrap().to_owned());
            }
        }
        response
    }

    pub async fn json<T: serde::de::DeserializeOwned>(&mut self, method: &str, uri: &str, body: Option<String>) -> T {
        let response = self.send(method, uri, body).await;
        let status = response.status();
        let text = body_text(response).await;
        assert_eq!(status, StatusCode::OK, "{method} {uri}: {text}");
        serde_json::from_str(&text).unwrap()
    }

    pub async fn error(&mut self, method: &str, uri: &str, body: Option<String>) -> (StatusCode, ErrorBody) {
        let response = self.send(method, uri, body).await;
        let status = response.status();
        (status, serde_json::from_str(&body_text(response).await).unwrap())
    }
}

pub mod process;
