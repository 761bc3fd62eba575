//! The config generator and linter over HTTP: the same answers as the shared crate, and every kind
//! of bad input a clear 4xx naming what is wrong.

mod common;

use axum::http::{StatusCode, header};
use tcplab_core::api::ErrorBody;
use tcplab_core::lang::Lang;
use tcplab_core::tuning::{Inputs, Knowledge, LintReport, Report, Workload, generate_with_permalink};

use common::{TestApp, body_text, get, header_of, send, test_app};

async fn error_of(response: axum::response::Response) -> (StatusCode, ErrorBody) {
    let status = response.status();
    assert_eq!(header_of(&response, header::CONTENT_TYPE), "application/json");
    (status, serde_json::from_str(&body_text(response).await).unwrap())
}

async fn generate(app: &TestApp, body: &str) -> axum::response::Response {
    send(app, "POST", "/api/tuning", "application/json", body.to_owned()).await
}

fn knowledge() -> Knowledge {
    tcplab::tuning::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")).unwrap()
}

#[tokio::test]
async fn the_server_answers_exactly_what_the_shared_rules_compute() {
    let app = test_app().await;
    // The issue's worked example: a web server, 100,000 connections, 16 GiB, 1 Gbit/s, 50 ms.
    let body = r#"{"workload": "short", "peak_connections": 100000, "ram_mib": 16384, "nic_mbit": 1000, "rtt_ms": 50}"#;
    let response = generate(&app, body).await;
    assert_eq!(response.status(), StatusCode::OK);
    let report: Report = serde_json::from_str(&body_text(response).await).unwrap();
    let inputs = Inputs { peak_connections: 100_000, ram_mib: 16_384, nic_mbit: 1000, rtt_ms: 50, ..Inputs::preset(Workload::ShortLived) };
    assert_eq!(report, generate_with_permalink(&inputs, &knowledge(), Lang::En, "http://tcplab.test/config"));
    assert_eq!(report.figures.bdp_bytes, 6_250_000, "1 Gbit/s × 50 ms = 6.25 MB");
    assert!(report.files.sysctl_conf.contains("http://tcplab.test/config?v=1&w=short&conn=100000"), "{}", report.files.sysctl_conf);
}

#[tokio::test]
async fn left_out_fields_take_the_workload_preset_and_lang_picks_the_language() {
    let app = test_app().await;
    let response = send(&app, "POST", "/api/tuning?lang=zh-CN", "application/json", r#"{"workload":"proxy"}"#).await;
    assert_eq!(response.status(), StatusCode::OK);
    let report: Report = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!(report.inputs, Inputs::preset(Workload::Proxy));
    assert_eq!(report.lang, Lang::ZhCn);
    assert!(report.settings.iter().any(|s| s.explain.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))));
}

#[tokio::test]
async fn bad_inputs_are_422_naming_the_field_and_its_range() {
    let app = test_app().await;
    for (body, field, needle) in [
        (r#"{"peak_connections": 0}"#, "peak_connections", "from 1 to 10000000"),
        (r#"{"peak_connections": "many"}"#, "peak_connections", "whole number"),
        (r#"{"rtt_ms": 2.5}"#, "rtt_ms", "from 1 to 2000"),
        (r#"{"active_close_percent": -1}"#, "active_close_percent", "from 0 to 100"),
        (r#"{"workload": "database"}"#, "workload", "short, proxy, long, bulk, client"),
        (r#"{"kernel": "two"}"#, "kernel", "such as 6.18"),
        (r#"{"ram_gb": 16}"#, "ram_gb", "unknown field"),
        (r#"{"container": [true]}"#, "container", "not [true]"),
    ] {
        let (status, err) = error_of(generate(&app, body).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(err.error.field.as_deref(), Some(field), "{body}: {}", err.error.message);
        assert!(err.error.message.contains(needle), "{body}: {}", err.error.message);
    }
    let (status, err) = error_of(generate(&app, "[1, 2]").await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err.error.field.is_some());
    let (status, err) = error_of(generate(&app, "{").await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err.error.code, "malformed_json");
}

#[tokio::test]
async fn sysctl_conf_is_plain_text_for_curl_from_the_permalink_query() {
    let app = test_app().await;
    let response = get(&app, "/api/tuning/sysctl.conf?v=1&w=long&conn=300000&lang=zh-CN", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header_of(&response, header::CONTENT_TYPE), "text/plain; charset=utf-8");
    let text = body_text(response).await;
    let inputs = Inputs { peak_connections: 300_000, ..Inputs::preset(Workload::LongLived) };
    let want = generate_with_permalink(&inputs, &knowledge(), Lang::ZhCn, tcplab_core::tuning::files::PERMALINK_BASE);
    assert_eq!(text, want.files.sysctl_conf, "no Host header: the neutral placeholder address");
    for line in text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let (key, value) = line.split_once(" = ").unwrap_or_else(|| panic!("not `key = value`: {line:?}"));
        assert!(key.starts_with("net.") || key.starts_with("fs."), "{line}");
        assert!(!value.trim().is_empty(), "{line}");
    }

    for (uri, field) in [
        ("/api/tuning/sysctl.conf?conn=lots", "peak_connections"),
        ("/api/tuning/sysctl.conf?w=short&colour=blue", "colour"),
        ("/api/tuning/sysctl.conf?lang=fr", "lang"),
    ] {
        let (status, err) = error_of(get(&app, uri, None).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
        assert_eq!(err.error.field.as_deref(), Some(field), "{uri}: {}", err.error.message);
    }
}

#[tokio::test]
async fn the_linter_reads_a_pasted_file_and_says_what_is_wrong_per_line() {
    let app = test_app().await;
    let pasted = "# from a blog post\nnet.ipv4.tcp_tw_recycle = 1\nnet.ipv4.tcp_max_tw_buckets = 5000\nnet.ipv4.tcp_rmem = 4096 87380\n";
    let response = send(&app, "POST", "/api/tuning/lint?kernel=6.1&ram_mib=8192", "text/plain", pasted).await;
    assert_eq!(response.status(), StatusCode::OK);
    let report: LintReport = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!(report.lines.len(), 4);
    assert_eq!(report.context.ram_mib, 8192);
    let recycle = report.find("removed_key").expect("tcp_tw_recycle was removed in Linux 4.12");
    assert_eq!(recycle.line, 2);
    assert_eq!(report.find("lowers_default").map(|f| f.line), Some(3));
    assert!(report.findings.iter().any(|f| f.line == 4), "a triplet with two numbers: {:?}", report.findings);
}

#[tokio::test]
async fn the_linter_refuses_junk_clearly() {
    let app = test_app().await;
    let lint = |body: Vec<u8>| send(&app, "POST", "/api/tuning/lint", "text/plain", body);

    let (status, err) = error_of(lint(vec![b'x'; 10 * 1024 * 1024]).await).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(err.error.message.contains("256 KiB"), "{}", err.error.message);

    let (status, err) = error_of(lint((0..=255u8).cycle().take(4096).collect()).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err.error.code, "binary");
    assert_eq!(err.error.field.as_deref(), Some("body"));

    let (status, err) = error_of(lint(b"Dear reader,\nthis is a letter.\n".to_vec()).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err.error.code, "nothing_recognised");

    let lines = "net.core.somaxconn = 4096\n".repeat(6000).into_bytes();
    let (status, err) = error_of(lint(lines).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err.error.code, "too_many_lines");

    let (status, err) = error_of(send(&app, "POST", "/api/tuning/lint?kernel=2.4", "text/plain", "a = 1\n").await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err.error.field.as_deref(), Some("kernel"));
}

#[tokio::test]
async fn the_browser_gets_the_same_knowledge_the_server_uses() {
    let app = test_app().await;
    let response = get(&app, "/api/tuning/knowledge", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let k: Knowledge = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!(k, knowledge());
    assert!(k.check().is_empty());
}
