//! The `tcplab` binary as an operator meets it: help, bad configuration, start and stop.

mod common;

use std::io::Read;
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::process::*;

#[test]
fn help_explains_every_setting_and_its_environment_variable() {
    let output = run_to_exit(tcplab(&["--help"]));
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for needle in [
        "--bind",
        "TCPLAB_BIND",
        "127.0.0.1:8080",
        "--database-url",
        "DATABASE_URL",
        "sqlite://data/tcplab.db",
        "--static-dir",
        "TCPLAB_STATIC_DIR",
        "--log-level",
        "RUST_LOG",
    ] {
        assert!(help.contains(needle), "help lacks {needle}:\n{help}");
    }
}

#[test]
fn an_unknown_flag_is_named() {
    let output = run_to_exit(tcplab(&["--frobnicate"]));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--frobnicate"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_port_in_use_is_reported_with_the_address_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let db = format!("sqlite://{}/t.db", dir.path().display());
    let dist = static_dir(dir.path());
    let content = content_dir(dir.path());
    let output = run_to_exit(tcplab(&[
        "--bind",
        &addr,
        "--database-url",
        &db,
        "--static-dir",
        dist.to_str().unwrap(),
        "--content-dir",
        content.to_str().unwrap(),
    ]));
    assert_clear_failure(&output, &["cannot listen on", &addr, "--bind"]);
    // Nothing was created on disk: the port is checked before the database is touched.
    assert!(!dir.path().join("t.db").exists());
}

#[test]
fn a_database_folder_that_cannot_be_created_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    // A regular file where a folder should be: fails for root too, unlike permission bits.
    std::fs::write(dir.path().join("not-a-folder"), "").unwrap();
    let db = format!("sqlite://{}/not-a-folder/sub/t.db", dir.path().display());
    let output = run_to_exit(serve(&db, &static_dir(dir.path()), &content_dir(dir.path())));
    assert_clear_failure(&output, &["cannot create the database folder", "not-a-folder", "DATABASE_URL"]);
}

#[test]
fn an_unwritable_database_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    // /proc refuses new files whoever asks.
    let output = run_to_exit(serve("sqlite:///proc/tcplab-test.db", &static_dir(dir.path()), &content_dir(dir.path())));
    assert_clear_failure(&output, &["cannot open the database", "/proc/tcplab-test.db", "--database-url"]);
}

#[test]
fn a_static_folder_without_the_app_is_reported_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/t.db", dir.path().display());
    let output = run_to_exit(tcplab(&["--bind", "127.0.0.1:0", "--database-url", &db, "--static-dir", "/nonexistent"]));
    assert_clear_failure(&output, &["/nonexistent", "cargo xtask dist"]);
}

#[test]
fn a_bad_log_filter_is_reported() {
    let output = run_to_exit(tcplab(&["--log-level", "info,[[[", "--bind", "127.0.0.1:0"]));
    assert_clear_failure(&output, &["invalid log filter", "--log-level"]);
}

#[test]
fn it_serves_until_sigterm_then_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = start(dir.path());
    let response = http_get(&server.addr, "/healthz");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"database\":\"ok\""), "{response}");
    assert!(dir.path().join("data/t.db").exists(), "the database folder and file are created");

    let status = Command::new("kill").args(["-TERM", &server.child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "no exit within 10 s of SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}");
    let mut stderr = String::new();
    server.child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert!(stderr.contains("shutting down"), "{stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
}

#[test]
fn healthcheck_passes_against_a_running_server_and_fails_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path());
    let ok = run_to_exit(tcplab(&["healthcheck", "--url", &format!("http://{}/healthz", server.addr)]));
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let wrong_path = run_to_exit(tcplab(&["healthcheck", "--url", &format!("http://{}/api/nope", server.addr)]));
    assert_clear_failure(&wrong_path, &["health check failed", "404"]);
    drop(server);
    let free = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string();
    let down = run_to_exit(tcplab(&["healthcheck", "--url", &format!("http://{free}/healthz")]));
    assert_clear_failure(&down, &["health check failed", &free]);
}

#[test]
fn invalid_content_is_reported_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let content = content_dir(dir.path());
    std::fs::write(content.join("lessons/en/broken.md"), "+++\nid = \"broken\"\norder = oops\n+++\nx\n").unwrap();
    let db = format!("sqlite://{}/t.db", dir.path().display());
    let output = run_to_exit(serve(&db, &static_dir(dir.path()), &content));
    assert_clear_failure(&output, &["invalid content", "lessons/en/broken.md:3:"]);
    assert!(!dir.path().join("t.db").exists(), "nothing is created when the content is invalid");
}

#[test]
fn tuning_knowledge_without_a_required_parameter_stops_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let content = content_dir(dir.path());
    let file = content.join("tuning/params.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("key = \"net.core.somaxconn\"", "key = \"net.core.somaxconn_typo\"")).unwrap();
    let db = format!("sqlite://{}/t.db", dir.path().display());
    let output = run_to_exit(serve(&db, &static_dir(dir.path()), &content));
    assert_clear_failure(&output, &["tuning/params.toml", "net.core.somaxconn is missing"]);
    assert!(!dir.path().join("t.db").exists());
}

#[test]
fn scenario_prints_the_model_and_capture_reads_it_back_the_same() {
    let output = run_to_exit(tcplab(&["scenario", "handshake", "--client-isn", "4294967295", "--server-isn", "7", "--json"]));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let steps: Vec<tcplab_core::tcp::TraceLine> = serde_json::from_slice(&output.stdout).unwrap();
    let got: Vec<(&str, &str, u32, u32, &str, &str)> =
        steps.iter().map(|s| (s.direction.as_str(), s.flags.as_str(), s.seq, s.ack, s.client.as_str(), s.server.as_str())).collect();
    assert_eq!(
        got,
        [
            ("client->server", "SYN", 4294967295, 0, "SYN-SENT", "SYN-RECEIVED"),
            ("server->client", "SYN+ACK", 7, 0, "ESTABLISHED", "SYN-RECEIVED"),
            ("client->server", "ACK", 0, 8, "ESTABLISHED", "ESTABLISHED"),
        ]
    );
    let table = run_to_exit(tcplab(&["scenario", "close-fin-ack"]));
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("FIN+ACK") && text.contains("TIME-WAIT"), "{text}");
    let list = run_to_exit(tcplab(&["scenario", "list"]));
    assert_eq!(String::from_utf8_lossy(&list.stdout).lines().count(), tcplab_core::tcp::ScenarioId::all().len());
}

#[test]
fn scenario_and_capture_errors_are_one_clear_line() {
    let output = run_to_exit(tcplab(&["scenario", "nope"]));
    assert_clear_failure(&output, &["unknown scenario", "nope", "tcplab scenario list"]);
    let output = run_to_exit(tcplab(&["scenario", "fast-open", "--client-bytes", "0"]));
    assert_clear_failure(&output, &["Fast Open SYN carries 1 to 1460 bytes"]);
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.pcap");
    let output = run_to_exit(tcplab(&["capture", missing.to_str().unwrap()]));
    assert_clear_failure(&output, &["missing.pcap"]);
    let junk = dir.path().join("junk.pcap");
    std::fs::write(&junk, "this is not a capture").unwrap();
    let output = run_to_exit(tcplab(&["capture", junk.to_str().unwrap()]));
    assert_clear_failure(&output, &["junk.pcap", "not a pcap or pcapng capture"]);
    let empty = dir.path().join("empty.pcapng");
    std::fs::write(&empty, "").unwrap();
    let output = run_to_exit(tcplab(&["capture", empty.to_str().unwrap()]));
    assert_clear_failure(&output, &["the file is empty"]);
}

/// An answer is acknowledged only once it is committed: kill the server with SIGKILL in the middle
/// of a burst, start it again, and every answer that got a 2xx must be there, in an intact file.
#[test]
fn answers_acknowledged_before_a_sigkill_survive_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = start_quiet(dir.path());
    let (status, response) = http_post(&server.addr, "/api/quiz/questions", None, r#"{"kind":"state"}"#).unwrap();
    assert_eq!(status, 200, "{response}");
    let cookie = response
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no session cookie: {response}"))
        .to_owned();
    let body = response.split("\r\n\r\n").nth(1).unwrap();
    let question: serde_json::Value = serde_json::from_str(body).unwrap();
    let path = format!("/api/quiz/questions/{}/answers", question["id"].as_str().unwrap());

    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let workers: Vec<_> = (0..6)
        .map(|w| {
            let (addr, cookie, path, acknowledged) = (server.addr.clone(), cookie.clone(), path.clone(), acknowledged.clone());
            std::thread::spawn(move || {
                for i in 0.. {
                    let attempt = format!("w{w}-{i}");
                    let body = format!(r#"{{"attempt_id":"{attempt}","answer":{{"type":"state","value":"ESTABLISHED"}}}}"#);
                    match http_post(&addr, &path, Some(&cookie), &body) {
                        Some((200, _)) => acknowledged.lock().unwrap().push(attempt),
                        Some((status, response)) => panic!("{status}: {response}"),
                        None => return,
                    }
                }
            })
        })
        .collect();
    // Let the burst run, then pull the plug while requests are in flight.
    let deadline = Instant::now() + Duration::from_secs(20);
    while acknowledged.lock().unwrap().len() < 200 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    for w in workers {
        w.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 200, "the burst got only {} answers through", acknowledged.len());

    let again = start_quiet(dir.path());
    let ok = http_get(&again.addr, "/healthz");
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let pool = tcplab::db::open(&format!("sqlite://{}/data/t.db", dir.path().display())).await.unwrap();
        let stored: Vec<String> = sqlx::query_scalar("SELECT attempt_id FROM answers").fetch_all(&pool).await.unwrap();
        let stored: std::collections::HashSet<String> = stored.into_iter().collect();
        let lost: Vec<&String> = acknowledged.iter().filter(|a| !stored.contains(*a)).collect();
        assert!(lost.is_empty(), "{} acknowledged answers were lost: {:?}", lost.len(), &lost[..lost.len().min(5)]);
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&pool).await.unwrap();
        assert_eq!(integrity, "ok");
    });
}

/// Runs `tcplab admin ...` with `stdin` piped in.
fn admin(db: &str, args: &[&str], stdin: &str) -> Output {
    let mut cmd = tcplab(&[&["admin"], args, &["--database-url", db]].concat());
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), stdin.as_bytes()).unwrap();
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

#[test]
fn admin_creates_accounts_with_roles_and_invites() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/admin.db", dir.path().display());
    let help = String::from_utf8(run_to_exit(tcplab(&["admin", "create-user", "--help"])).stdout).unwrap();
    assert!(help.contains("--role") && help.contains("standard input"), "{help}");

    let out = admin(&db, &["create-user", "--username", "Ada", "--role", "admin"], "a long password\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "created admin ada\n");

    let again = admin(&db, &["create-user", "--username", "ada"], "another password\n");
    assert_clear_failure(&again, &["\"ada\" is taken"]);
    let short = admin(&db, &["create-user", "--username", "bob"], "short\n");
    assert_clear_failure(&short, &["password must be 8 to 256 characters"]);
    let none = admin(&db, &["create-user", "--username", "bob"], "");
    assert_clear_failure(&none, &["no password on standard input"]);
    let bad_role = admin(&db, &["set-role", "--username", "ada", "--role", "king"], "");
    assert_clear_failure(&bad_role, &["\"king\" is not a role"]);

    let invite = admin(&db, &["invite", "--by", "ada", "--base-url", "https://tcplab.example"], "");
    let text = String::from_utf8_lossy(&invite.stdout);
    assert!(text.starts_with("https://tcplab.example/invite/") && text.contains("instructor"), "{text}");
    let not_admin = admin(&db, &["invite", "--by", "nobody"], "");
    assert_clear_failure(&not_admin, &["is not an admin account"]);
    let demote = admin(&db, &["set-role", "--username", "ada", "--role", "learner"], "");
    assert_eq!(String::from_utf8_lossy(&demote.stdout), "ada is now learner\n");
}
