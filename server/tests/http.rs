//! The application over HTTP, in-process: real router, real middleware, a real SQLite file in a
//! temporary folder, and a static folder laid out the way `cargo xtask dist` writes it.

mod common;

use axum::http::{StatusCode, header};
use tcplab_core::api::{ErrorBody, Health, LessonPage, LessonSummary};
use tcplab_core::lang::Lang;

use common::{ASSET, INDEX, body_text, get, header_of, test_app};

#[tokio::test]
async fn healthz_reports_the_database_and_its_schema() {
    let app = test_app().await;
    let response = get(&app, "/healthz", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let health: Health = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!(health.status, "ok");
    assert_eq!(health.database, "ok");
    assert_eq!(health.migrations, tcplab::db::MIGRATOR.iter().count() as i64);
}

#[tokio::test]
async fn healthz_is_503_when_the_database_is_gone() {
    let app = test_app().await;
    app.pool.close().await;
    let response = get(&app, "/healthz", None).await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: ErrorBody = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!(body.error.code, "database_unavailable");
}

#[tokio::test]
async fn an_unknown_api_path_is_a_json_404_not_the_app() {
    let app = test_app().await;
    for uri in ["/api/nope", "/api/", "/api/quiz/42/answers"] {
        let response = get(&app, uri, None).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(header_of(&response, header::CONTENT_TYPE), "application/json", "{uri}");
        assert_eq!(header_of(&response, header::CACHE_CONTROL), "no-store", "{uri}");
        let body: ErrorBody = serde_json::from_str(&body_text(response).await).unwrap();
        assert_eq!(body.error.code, "not_found");
        assert!(body.error.message.contains(uri), "{}", body.error.message);
    }
}

#[tokio::test]
async fn client_side_routes_get_the_app_which_browsers_must_revalidate() {
    let app = test_app().await;
    for uri in ["/", "/quiz", "/progress", "/classes", "/config", "/some/deep/link?step=3"] {
        let response = get(&app, uri, None).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert_eq!(header_of(&response, header::CACHE_CONTROL), "no-cache", "{uri}");
        assert!(header_of(&response, header::CONTENT_TYPE).starts_with("text/html"), "{uri}");
        assert_eq!(body_text(response).await, INDEX, "{uri}");
    }
}

#[tokio::test]
async fn the_old_instructor_address_moves_permanently_to_the_classes() {
    let app = test_app().await;
    let response = get(&app, "/instructor", None).await;
    assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(header_of(&response, header::LOCATION), "/classes");
}

#[tokio::test]
async fn robots_txt_is_text_that_keeps_crawlers_out_of_the_api_and_personal_pages() {
    let app = test_app().await;
    let response = get(&app, "/robots.txt", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header_of(&response, header::CONTENT_TYPE).starts_with("text/plain"));
    let text = body_text(response).await;
    assert!(text.starts_with("User-agent: *\n"), "{text}");
    for private in ["/api/", "/attempts/", "/invite/"] {
        assert!(text.contains(&format!("Disallow: {private}\n")), "{text}");
    }
}

#[tokio::test]
async fn index_html_is_sent_precompressed_when_the_browser_accepts_it() {
    let app = test_app().await;
    let response = get(&app, "/quiz", Some("gzip")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header_of(&response, header::CONTENT_ENCODING), "gzip");
    assert_eq!(body_text(response).await, "gzip of index");
}

#[tokio::test]
async fn hashed_assets_are_precompressed_and_cached_for_a_year() {
    let app = test_app().await;
    let uri = format!("/assets/{ASSET}");
    for (accept, encoding, body) in
        [("br, gzip", "br", "brotli bytes"), ("gzip", "gzip", "gzip bytes"), ("identity", "", "console.log('plain')")]
    {
        let response = get(&app, &uri, Some(accept)).await;
        assert_eq!(response.status(), StatusCode::OK, "{accept}");
        assert_eq!(header_of(&response, header::CONTENT_ENCODING), encoding, "{accept}");
        assert_eq!(header_of(&response, header::CACHE_CONTROL), tcplab::web::IMMUTABLE, "{accept}");
        assert!(header_of(&response, header::CONTENT_TYPE).contains("javascript"), "{accept}");
        assert_eq!(body_text(response).await, body, "{accept}");
    }
}

#[tokio::test]
async fn a_missing_asset_is_a_404_that_is_not_cached() {
    let app = test_app().await;
    let response = get(&app, "/assets/tcplab-ffffffffffffffff.js", None).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(header_of(&response, header::CACHE_CONTROL), "no-store");
    assert_ne!(body_text(response).await, INDEX);
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let app = test_app().await;
    for uri in ["/", "/quiz", "/healthz", "/api/nope", &format!("/assets/{ASSET}"), "/assets/missing.js"] {
        let response = get(&app, uri, None).await;
        let csp = header_of(&response, header::CONTENT_SECURITY_POLICY);
        assert!(csp.contains("default-src 'self'"), "{uri}: {csp}");
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"), "{uri}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{uri}: {csp}");
        assert_eq!(header_of(&response, header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{uri}");
        assert_eq!(header_of(&response, header::X_FRAME_OPTIONS), "DENY", "{uri}");
        assert_eq!(header_of(&response, header::REFERRER_POLICY), "no-referrer", "{uri}");
    }
}

#[tokio::test]
async fn api_json_is_compressed_on_the_fly() {
    let app = test_app().await;
    let response = get(&app, "/api/this/path/is/long/enough/to/be/worth/compressing/or/not", Some("gzip")).await;
    // The compression layer only compresses bodies over a small threshold; the 404 envelope for a
    // long path is over it.
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(header_of(&response, header::CONTENT_ENCODING), "gzip");
}

#[tokio::test]
async fn lessons_are_listed_in_order_in_the_asked_language_with_fallback() {
    let app = test_app().await;
    let response = get(&app, "/api/lessons?lang=zh-CN", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let list: Vec<LessonSummary> = serde_json::from_str(&body_text(response).await).unwrap();
    let got: Vec<(&str, &str, Lang)> = list.iter().map(|l| (l.id.as_str(), l.title.as_str(), l.lang)).collect();
    assert_eq!(got, [("handshake", "三次握手", Lang::ZhCn), ("close", "Close", Lang::En)]);
}

#[tokio::test]
async fn a_lesson_page_is_safe_html() {
    let app = test_app().await;
    let response = get(&app, "/api/lessons/handshake?lang=en", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page: LessonPage = serde_json::from_str(&body_text(response).await).unwrap();
    assert!(page.html.contains("<h1>Handshake</h1>"), "{}", page.html);
    assert!(page.html.contains("&lt;script&gt;") && !page.html.contains("<script>"), "{}", page.html);
}

#[tokio::test]
async fn lesson_errors_name_what_is_wrong() {
    let app = test_app().await;
    let response = get(&app, "/api/lessons/nope", None).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: ErrorBody = serde_json::from_str(&body_text(response).await).unwrap();
    assert!(body.error.message.contains("nope"));

    let response = get(&app, "/api/lessons?lang=fr", None).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: ErrorBody = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!(body.error.field.as_deref(), Some("lang"));
}

#[tokio::test]
async fn scenarios_come_from_the_model_with_the_callers_isns() {
    let app = test_app().await;
    let response = get(&app, "/api/scenarios/refused?client_isn=4294967295&server_isn=1", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let run: tcplab_core::tcp::Run = serde_json::from_str(&body_text(response).await).unwrap();
    let rst = run.steps[1].segment().unwrap();
    assert_eq!((rst.flags.rst, rst.seq, rst.ack), (true, 0, 0));
    let list = body_text(get(&app, "/api/scenarios", None).await).await;
    assert!(list.contains("\"close-fin-ack\""), "{list}");
}

#[tokio::test]
async fn bad_scenario_requests_name_the_field() {
    let app = test_app().await;
    for (path, status, field) in [
        ("/api/scenarios/handshake?client_isn=-1", StatusCode::UNPROCESSABLE_ENTITY, Some("client_isn")),
        ("/api/scenarios/handshake?server_isn=4294967296", StatusCode::UNPROCESSABLE_ENTITY, Some("server_isn")),
        ("/api/scenarios/data-transfer?client_bytes=99999", StatusCode::UNPROCESSABLE_ENTITY, Some("client_bytes")),
        ("/api/scenarios/fast-open?client_bytes=0", StatusCode::UNPROCESSABLE_ENTITY, Some("client_bytes")),
        ("/api/scenarios/nope", StatusCode::NOT_FOUND, None),
    ] {
        let response = get(&app, path, None).await;
        assert_eq!(response.status(), status, "{path}");
        let body: ErrorBody = serde_json::from_str(&body_text(response).await).unwrap();
        assert_eq!(body.error.field.as_deref(), field, "{path}: {}", body.error.message);
    }
}

#[tokio::test]
async fn step_texts_cover_every_key_in_both_languages() {
    let app = test_app().await;
    for lang in ["en", "zh-CN"] {
        let texts: tcplab_core::api::StepTexts =
            serde_json::from_str(&body_text(get(&app, &format!("/api/steps?lang={lang}"), None).await).await).unwrap();
        for key in tcplab_core::tcp::StepKey::ALL {
            assert!(texts.steps.get(key.as_str()).is_some_and(|s| !s.trim().is_empty()), "{lang}: {}", key.as_str());
        }
        assert_eq!(texts.scenarios.len(), tcplab_core::tcp::ScenarioId::all().len());
    }
}

/// What a learner reads never points at notes they have not seen, and the numbers the states
/// lesson gives for `tcp_max_tw_buckets` are the generator's own, from the kernel's formula.
#[test]
fn lessons_stand_alone_and_agree_with_the_generator() {
    use tcplab_core::tuning::{KernelDefaults, KernelVersion};
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let mut texts = Vec::new();
    for lang in ["en", "zh-CN"] {
        for entry in std::fs::read_dir(content.join("lessons").join(lang)).unwrap() {
            let path = entry.unwrap().path();
            texts.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
        }
    }
    let params = content.join("tuning/params.toml");
    texts.push((params.display().to_string(), std::fs::read_to_string(&params).unwrap()));
    for (file, text) in &texts {
        for word in ["the notes", "original notes", "seed notes", "笔记"] {
            assert!(!text.contains(word), "{file} speaks of {word:?}, which a learner never saw");
        }
    }
    let states = std::fs::read_to_string(content.join("lessons/en/states.md")).unwrap();
    let states_zh = std::fs::read_to_string(content.join("lessons/zh-CN/states.md")).unwrap();
    for gib in [4, 16, 32, 64] {
        let buckets = KernelDefaults::new(KernelVersion::new(6, 18), gib * 1024).tcp_max_tw_buckets;
        assert!(states.contains(&format!("{buckets} on")) || states.contains(&format!("{buckets} from")), "{gib} GiB: {buckets}");
        assert!(states_zh.contains(&buckets.to_string()), "zh-CN, {gib} GiB: {buckets}");
    }
}
