//! Every way a request can be refused, through the real router and middleware: each answer is
//! the JSON envelope with a status and code a client can act on, and the headers that go with it.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tcplab_core::api::ErrorBody;
use tower::ServiceExt;

use common::{TestApp, body_text, header_of, test_app, test_app_with};

async fn call(app: &TestApp, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, ErrorBody) {
    let response = app.router.clone().oneshot(request).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    assert_eq!(header_of(&response, header::CONTENT_TYPE), "application/json", "{status}");
    let text = body_text(response).await;
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{status}: not the envelope ({e}): {text:?}"));
    (status, headers, body)
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn path_query_and_method_rejections_are_the_envelope() {
    let app = test_app().await;
    let (status, _, e) = call(&app, get("/api/lessons/%ff")).await;
    assert_eq!((status, e.error.code.as_str()), (StatusCode::NOT_FOUND, "not_found"), "{}", e.error.message);

    let (status, _, e) = call(&app, get("/api/lessons?lang=en&lang=en")).await;
    assert_eq!(
        (status, e.error.code.as_str(), e.error.field.as_deref()),
        (StatusCode::BAD_REQUEST, "invalid_query", Some("lang")),
        "{}",
        e.error.message
    );
    assert!(e.error.message.contains("duplicate"), "{}", e.error.message);

    let (status, headers, e) = call(&app, Request::delete("/api/lessons").body(Body::empty()).unwrap()).await;
    assert_eq!((status, e.error.code.as_str()), (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"));
    let allow = headers.get(header::ALLOW).unwrap().to_str().unwrap();
    assert!(allow.contains("GET"), "{allow}");
    assert!(e.error.message.contains("DELETE") && e.error.message.contains("GET"), "{}", e.error.message);

    let (status, headers, e) = call(&app, Request::post("/api/quiz/tuning/abc").body(Body::empty()).unwrap()).await;
    assert_eq!((status, e.error.code.as_str()), (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"));
    assert!(headers.contains_key(header::ALLOW));
}

#[tokio::test]
async fn a_413_names_the_limit_of_the_route_that_refused() {
    let app = test_app().await;
    let big_json = format!(r#"{{"kind":"state","pad":"{}"}}"#, "x".repeat(100 * 1024));
    let request = Request::post("/api/quiz/questions").header(header::CONTENT_TYPE, "application/json").body(Body::from(big_json)).unwrap();
    let (status, _, e) = call(&app, request).await;
    assert_eq!((status, e.error.code.as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"));
    assert!(e.error.message.contains("64 KiB"), "{}", e.error.message);

    let request = Request::post("/api/tuning/lint").body(Body::from("net.ipv4.tcp_fin_timeout = 30\n".repeat(12_000))).unwrap();
    let (status, _, e) = call(&app, request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(e.error.message.contains("256 KiB"), "{}", e.error.message);
}

/// A body the handler never read: the answer says the connection closes, so a client's next
/// request does not go into a socket hyper is about to close.
#[tokio::test]
async fn an_unread_body_closes_the_connection_and_says_so() {
    let app = test_app().await;
    let cross_site = Request::post("/api/quiz/questions")
        .header(header::CONTENT_TYPE, "application/json")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(r#"{"kind":"state"}"#))
        .unwrap();
    let (status, headers, _) = call(&app, cross_site).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(headers.get(header::CONNECTION).map(|v| v.to_str().unwrap()), Some("close"));

    let read = Request::post("/api/quiz/questions")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"kind":"state"}"#))
        .unwrap();
    let response = app.router.clone().oneshot(read).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(!response.headers().contains_key(header::CONNECTION), "a body read to its end keeps the connection");

    let no_body = app.router.clone().oneshot(get("/api/lessons")).await.unwrap();
    assert!(!no_body.headers().contains_key(header::CONNECTION));
}

#[tokio::test]
async fn hsts_only_with_secure_cookies_and_the_other_policies_always() {
    for secure in [false, true] {
        let app = test_app_with(secure).await;
        for uri in ["/", "/healthz", "/api/nope"] {
            let response = app.router.clone().oneshot(get(uri)).await.unwrap();
            assert_eq!(header_of(&response, header::STRICT_TRANSPORT_SECURITY).contains("max-age=31536000"), secure, "{uri}");
            assert!(header_of(&response, header::HeaderName::from_static("permissions-policy")).contains("camera=()"), "{uri}");
            assert_eq!(header_of(&response, header::HeaderName::from_static("cross-origin-opener-policy")), "same-origin", "{uri}");
        }
    }
}

/// The sweep the server runs every ten minutes: expired sessions go, and so do anonymous
/// learners no session names who never answered; everyone else stays.
#[tokio::test]
async fn housekeeping_removes_expired_sessions_and_unreachable_anonymous_learners() {
    let app = test_app().await;
    let db = &app.pool;
    let old = "2020-01-01T00:00:00.000Z";
    for (id, name, created) in
        [(1, None, old), (2, None, old), (3, Some("ada"), old), (4, None, old), (5, None, "2999-01-01T00:00:00.000Z"), (6, None, old)]
    {
        sqlx::query("INSERT INTO learners (id, username, created_at) VALUES (?, ?, ?)")
            .bind(id)
            .bind(name)
            .bind(created)
            .execute(db)
            .await
            .unwrap();
    }
    // 1: anonymous, its session expired; 2: anonymous with a live session; 3: an account;
    // 4: anonymous, session expired, but it answered; 5: too new to judge; 6: unreachable, but
    // the newest id, which must not be handed out again.
    let session = |id: &str, learner: i64, expiry: i64| {
        sqlx::query("INSERT INTO sessions (id, data, expiry_date) VALUES (?, ?, ?)")
            .bind(id.to_owned())
            .bind(format!(r#"{{"learner_id":{learner},"seen_day":1}}"#).into_bytes())
            .bind(expiry)
    };
    session("expired-1", 1, 1).execute(db).await.unwrap();
    session("live-2", 2, i64::MAX / 2).execute(db).await.unwrap();
    session("expired-4", 4, 1).execute(db).await.unwrap();
    // Not JSON at all: skipped, not a reason for the sweep to fail.
    sqlx::query("INSERT INTO sessions (id, data, expiry_date) VALUES ('garbled', x'00ff', ?)")
        .bind(i64::MAX / 2)
        .execute(db)
        .await
        .unwrap();
    sqlx::query("INSERT INTO questions (id, learner_id, kind, seed) VALUES ('q1', 1, 'state', 1), ('q4', 4, 'state', 1)")
        .execute(db)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO answers (attempt_id, learner_id, question_id, kind, answer, correct) VALUES ('a4', 4, 'q4', 'state', '{}', 1)",
    )
    .execute(db)
    .await
    .unwrap();

    // The task itself, on a short interval.
    let task = tcplab::housekeeping::spawn(db.clone(), std::time::Duration::from_millis(50));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let sessions: Vec<String> = sqlx::query_scalar("SELECT id FROM sessions ORDER BY id").fetch_all(db).await.unwrap();
        let learners: Vec<i64> = sqlx::query_scalar("SELECT id FROM learners ORDER BY id").fetch_all(db).await.unwrap();
        if sessions == ["garbled", "live-2"] && learners == [2, 3, 4, 5, 6] {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "sessions {sessions:?}, learners {learners:?}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    task.abort();
    let questions: Vec<String> = sqlx::query_scalar("SELECT id FROM questions").fetch_all(db).await.unwrap();
    assert_eq!(questions, ["q4"], "a pruned learner's questions go with it");
}

/// An error answer follows the request's language: `Accept-Language` (or `?lang=`) in Chinese
/// gets the Chinese text for the code and field, marked `lang`; English keeps the server's own
/// words. Every kind of refusal goes through it: a handler's, a rejection's, the envelope's.
#[tokio::test]
async fn errors_are_answered_in_the_requests_language() {
    let app = test_app().await;
    let login = |lang: &str| {
        Request::post("/api/auth/login")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT_LANGUAGE, lang)
            .body(Body::from(r#"{"username":"nobody","password":"wrong password"}"#))
            .unwrap()
    };
    let (status, headers, e) = call(&app, login("zh-CN,zh;q=0.9,en;q=0.8")).await;
    assert_eq!((status, e.error.code.as_str(), e.error.field.as_deref()), (StatusCode::UNAUTHORIZED, "unauthorized", Some("credentials")));
    assert_eq!(e.error.message, "用户名或密码错误。");
    assert_eq!(e.error.lang, tcplab_core::lang::Lang::ZhCn);
    assert_eq!(headers.get(header::CONTENT_LANGUAGE).unwrap(), "zh-CN");

    let (_, _, e) = call(&app, login("en-GB")).await;
    assert_eq!(e.error.message, "wrong username or password");
    assert_eq!(e.error.lang, tcplab_core::lang::Lang::En);

    // A field the table names by its last part, a rejection of axum's, and ?lang= itself.
    let register = Request::post("/api/auth/register?lang=zh-CN")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"username":"ab","password":"long enough password"}"#))
        .unwrap();
    let (status, _, e) = call(&app, register).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("username")));
    assert!(e.error.message.starts_with("用户名为 3 到 32 个字符"), "{}", e.error.message);
    let (status, _, e) =
        call(&app, Request::delete("/api/progress").header(header::ACCEPT_LANGUAGE, "zh").body(Body::empty()).unwrap()).await;
    assert_eq!((status, e.error.message.as_str()), (StatusCode::METHOD_NOT_ALLOWED, "此地址不接受这种请求。"));
}

/// The browser fetches a language's error texts when it needs one the server did not send.
#[tokio::test]
async fn the_error_texts_of_a_language_are_served() {
    let app = test_app().await;
    let response = app.router.clone().oneshot(get("/api/errors?lang=zh-CN")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let table: std::collections::BTreeMap<String, String> = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!(table.get("unauthorized.credentials").map(String::as_str), Some("用户名或密码错误。"));
    for code in tcplab_core::api::ErrorCode::ALL {
        assert!(table.contains_key(code.as_str()), "{code:?}");
    }
    let (status, _, e) = call(&app, get("/api/errors?lang=fr")).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("lang")));
}

/// The class pages fetch their interface strings: every key's text, in the order of the sorted
/// key names, the same count in both languages.
#[tokio::test]
async fn the_interface_strings_are_served_in_key_order() {
    let app = test_app().await;
    let texts = |lang: &'static str| {
        let app = &app;
        async move {
            let response = app.router.clone().oneshot(get(&format!("/api/ui?lang={lang}"))).await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            serde_json::from_str::<Vec<String>>(&body_text(response).await).unwrap()
        }
    };
    let (en, zh) = (texts("en").await, texts("zh-CN").await);
    assert_eq!(en.len(), zh.len());
    assert!(en.iter().chain(&zh).all(|t| !t.trim().is_empty()));
    // The file's own order, flattened and sorted as the app's build does it.
    let file: toml::Table =
        toml::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../content/ui/zh-CN.toml")).unwrap()).unwrap();
    let mut keys: Vec<String> = Vec::new();
    for (section, table) in &file {
        keys.extend(table.as_table().unwrap().keys().map(|k| format!("{section}.{k}")));
    }
    keys.sort();
    let at = |key: &str| keys.iter().position(|k| k == key).unwrap();
    assert_eq!((zh[at("nav.quiz")].as_str(), en[at("nav.quiz")].as_str()), ("测验", "Quiz"));
    assert_eq!(zh[at("attempt.time_left")], "剩余时间：");
}

/// A check that writes its own message in both languages (the generator's ranges, a quiz's
/// check) answers with that message in the request's language, not the table's general text.
#[tokio::test]
async fn a_checks_own_message_is_answered_in_the_requests_language() {
    let app = test_app().await;
    let sysctl = |lang: &str| {
        Request::get("/api/tuning/sysctl.conf?conn=0&rtt=9000").header(header::ACCEPT_LANGUAGE, lang).body(Body::empty()).unwrap()
    };
    let (status, headers, e) = call(&app, sysctl("zh-CN")).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("peak_connections")));
    assert!(e.error.message.contains("peak_connections 必须是 1 到 10000000 之间的整数（个连接）"), "{}", e.error.message);
    assert!(e.error.message.contains("rtt_ms 必须是 1 到 2000 之间的整数（毫秒）"), "{}", e.error.message);
    assert_eq!((e.error.lang, headers.get(header::CONTENT_LANGUAGE).unwrap().to_str().unwrap()), (tcplab_core::lang::Lang::ZhCn, "zh-CN"));
    let (_, _, e) = call(&app, sysctl("en")).await;
    assert!(e.error.message.contains("peak_connections must be a whole number from 1 to 10000000 (connections)"), "{}", e.error.message);
    assert_eq!(e.error.lang, tcplab_core::lang::Lang::En);
}
