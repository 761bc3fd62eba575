//! The release of the resilience issue, against the real binary over real sockets: slow and
//! silent clients, more connections than the cap, shutdown with requests half sent, and the
//! database file deleted, read-only or on a full disk. Each test stops its server by itself.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::process::*;

/// The server on `dir`'s database with extra flags, its log kept.
fn start_flags(dir: &Path, flags: &[&str]) -> Server {
    let db = format!("sqlite://{}/data/t.db", dir.display());
    launch(serve(&db, &static_dir(dir), &content_dir(dir)).args(flags).stderr(Stdio::piped()))
}

/// Reads until the server closes the connection (or `limit` passes); what it sent.
fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, Duration) {
    let started = Instant::now();
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut got = Vec::new();
    let _ = stream.read_to_end(&mut got);
    (String::from_utf8_lossy(&got).into_owned(), started.elapsed())
}

/// A connection that has sent the start of a request and nothing more.
fn half_sent(addr: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "POST /api/quiz/questions HTTP/1.1\r\nHost: {addr}\r\nContent-Ty").unwrap();
    stream
}

#[test]
fn slow_headers_and_idle_connections_are_closed_after_the_header_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_flags(dir.path(), &["--header-timeout", "1"]);

    // Headers a byte at a time, slower than the timeout allows in all.
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    let started = Instant::now();
    let mut cut = None;
    for byte in format!("GET /healthz HTTP/1.1\r\nHost: {}\r\nX-Slow: {}\r\n", server.addr, "a".repeat(40)).bytes() {
        if slow.write_all(&[byte]).is_err() {
            cut = Some(started.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let cut = cut.unwrap_or_else(|| read_until_closed(&mut slow, Duration::from_secs(5)).1 + started.elapsed());
    assert!(cut < Duration::from_secs(4), "a dribbling client was cut off after {cut:?}");

    // A kept-alive connection that goes quiet after its answer.
    let mut idle = TcpStream::connect(&server.addr).unwrap();
    write!(idle, "GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).unwrap();
    let (response, took) = read_until_closed(&mut idle, Duration::from_secs(5));
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(took < Duration::from_secs(4), "idle for {took:?} and still open");
}

#[test]
fn half_sent_requests_do_not_hold_up_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    // The default header timeout (10 s) is longer than the shutdown grace: it is the grace
    // that must end these.
    let mut server = start_flags(dir.path(), &[]);
    let open: Vec<TcpStream> = (0..100).map(|_| half_sent(&server.addr)).collect();
    std::thread::sleep(Duration::from_millis(200));
    let (exit, took) = terminate(&mut server, Duration::from_secs(10));
    assert!(exit.success(), "{exit:?}");
    let log = log_of(&mut server);
    assert!(log.contains("stopped"), "{log}");
    assert!(took < Duration::from_secs(9), "took {took:?}");
    drop(open);
}

#[test]
fn past_the_connection_cap_health_still_answers_and_the_rest_get_503() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_flags(dir.path(), &["--max-connections", "20"]);
    let silent: Vec<TcpStream> = (0..30).map(|_| TcpStream::connect(&server.addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(200));
    let health = http_get(&server.addr, "/healthz");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let (status, response) = http_post(&server.addr, "/api/quiz/questions", None, r#"{"kind":"state"}"#).unwrap();
    assert_eq!(status, 503, "{response}");
    assert!(response.contains("\"code\":\"busy\"") && response.to_ascii_lowercase().contains("retry-after: 1"), "{response}");
    drop(silent);
    // Once the silent ones are gone, everything is served again.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (status, _) = http_post(&server.addr, "/api/quiz/questions", None, r#"{"kind":"state"}"#).unwrap();
        if status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "still {status} after the silent connections closed");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The server on `dir`'s database under an open-files limit of `soft:hard`.
fn start_limited(dir: &Path, nofile: &str, stderr: Stdio) -> Server {
    let db = format!("sqlite://{}/data/t.db", dir.display());
    let mut command = Command::new("prlimit");
    command.arg(format!("--nofile={nofile}")).args(["--", BIN]).args(serve_args(&db, &static_dir(dir), &content_dir(dir))).stderr(stderr);
    launch(&mut command)
}

#[test]
fn under_a_256_file_limit_silent_sockets_do_not_silence_health() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_limited(dir.path(), "256:256", Stdio::null());
    let silent: Vec<TcpStream> = (0..240).filter_map(|_| TcpStream::connect(&server.addr).ok()).collect();
    assert_eq!(silent.len(), 240, "the listener's backlog takes them all");
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let mut stream = TcpStream::connect(&server.addr).unwrap();
        write!(stream, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
        let (response, _) = read_until_closed(&mut stream, Duration::from_secs(2));
        if response.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(Instant::now() < deadline, "no health answer past 240 silent sockets: {response:?}");
    }
    drop(silent);
}

#[test]
fn the_open_files_limit_is_raised_to_the_hard_limit_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = start_limited(dir.path(), "128:2048", Stdio::piped());
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", server.child.id())).unwrap();
    let line = limits.lines().find(|l| l.starts_with("Max open files")).unwrap().to_owned();
    // "Max open files  <soft>  <hard>  files"
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(fields[3..5], ["2048", "2048"], "{line}");
    terminate(&mut server, Duration::from_secs(10));
    let log = log_of(&mut server);
    assert!(log.contains("raised the open-files limit") && log.contains("before=128") && log.contains("after=2048"), "{log}");
}

#[test]
fn a_deleted_database_turns_health_red_and_refuses_writes() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = start_flags(dir.path(), &[]);
    let file = dir.path().join("data/t.db");
    let register = |name: &str| {
        http_post(&server.addr, "/api/auth/register", None, &format!(r#"{{"username":"{name}","password":"long enough pw"}}"#)).unwrap()
    };
    assert_eq!(register("before").0, 200);
    std::fs::remove_file(&file).unwrap();
    let health = http_get(&server.addr, "/healthz");
    assert!(health.starts_with("HTTP/1.1 503") && health.contains("database_unavailable"), "{health}");
    for i in 0..3 {
        let (status, response) = register(&format!("after{i}"));
        assert_eq!(status, 503, "{response}");
        assert!(response.contains("database_unavailable"), "{response}");
    }
    let (status, _) = http_post(&server.addr, "/api/quiz/questions", None, r#"{"kind":"state"}"#).unwrap();
    assert_eq!(status, 503);
    assert!(!file.exists(), "no empty database was made in its place");
    terminate(&mut server, Duration::from_secs(10));
    let log = log_of(&mut server);
    assert!(log.contains("was deleted while the server was running"), "{log}");
    assert_eq!(log.matches("was deleted while the server was running").count(), 1, "said once:\n{log}");
}

#[test]
fn a_replaced_database_turns_health_red() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_flags(dir.path(), &[]);
    let file = dir.path().join("data/t.db");
    std::fs::copy(&file, dir.path().join("copy.db")).unwrap();
    std::fs::rename(dir.path().join("copy.db"), &file).unwrap();
    let health = http_get(&server.addr, "/healthz");
    assert!(health.starts_with("HTTP/1.1 503"), "{health}");
    let (status, _) = http_post(&server.addr, "/api/quiz/questions", None, r#"{"kind":"state"}"#).unwrap();
    assert_eq!(status, 503);
}

/// A read-only database is a configuration problem: one clear line at start-up, not a server
/// that starts and fails every save. Read-only here means a read-only mount (root ignores file
/// modes), made in a private mount namespace, and a URL asking for read-only mode.
#[test]
fn a_read_only_database_stops_the_start_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut first = start_flags(dir.path(), &[]);
    terminate(&mut first, Duration::from_secs(10));
    // With and without the write-ahead log beside the file: SQLite reports the two differently
    // (SQLITE_READONLY, or "unable to open" when it cannot create the log).
    for leftover in ["t.db-wal", "t.db-shm"] {
        let _ = std::fs::remove_file(data.join(leftover));
    }
    let db = format!("sqlite://{}/t.db", data.display());
    let args = serve_args(&db, &static_dir(dir.path()), &content_dir(dir.path()));
    let script = format!("mount --bind {d} {d} && mount -o remount,bind,ro {d} && exec \"$0\" \"$@\"", d = data.display());
    let mut command = Command::new("unshare");
    command.args(["-m", "sh", "-c", &script, BIN]).args(&args);
    let output = run_to_exit(command);
    assert_clear_failure(&output, &["is read-only", "t.db", "DATABASE_URL"]);

    let output = run_to_exit(serve(&format!("{db}?mode=ro"), &static_dir(dir.path()), &content_dir(dir.path())));
    assert_clear_failure(&output, &["is read-only"]);
}

/// A full disk: the write that does not fit is a 503 `storage_full` (logged as such), health goes
/// red, and both recover once space is freed. The disk is a 4 MiB tmpfs in the server's own
/// mount namespace, filled and emptied from inside it with nsenter.
#[test]
fn a_full_disk_is_a_503_and_the_server_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    std::fs::create_dir_all(&disk).unwrap();
    let db = format!("sqlite://{}/t.db", disk.display());
    let script = format!("mount -t tmpfs -o size=4m tmpfs {} && exec \"$0\" \"$@\"", disk.display());
    let mut command = Command::new("unshare");
    command
        .args(["-m", "sh", "-c", &script, BIN])
        .args(serve_args(&db, &static_dir(dir.path()), &content_dir(dir.path())))
        .stderr(Stdio::piped());
    let mut server = launch(&mut command);
    let pid = server.child.id().to_string();
    let inside = |cmd: &str| Command::new("nsenter").args(["-t", &pid, "-m", "sh", "-c", cmd]).output().unwrap();
    // A question asked before the disk fills, to answer once it is full.
    let (status, asked) = http_post(&server.addr, "/api/quiz/questions", None, r#"{"kind":"state"}"#).unwrap();
    assert_eq!(status, 200, "{asked}");
    let cookie = asked.lines().find_map(|l| l.strip_prefix("set-cookie: ")).and_then(|c| c.split(';').next()).unwrap().to_owned();
    let question: serde_json::Value = serde_json::from_str(asked.split_once("\r\n\r\n").unwrap().1).unwrap();
    let answers = format!("/api/quiz/questions/{}/answers", question["id"].as_str().unwrap());
    let fill = format!("{}/fill", disk.display());
    inside(&format!("dd if=/dev/zero of={fill} bs=64k 2>/dev/null; true"));
    let mut full = None;
    for _ in 0..300 {
        let (status, response) = http_post(&server.addr, "/api/quiz/questions", None, r#"{"kind":"state"}"#).unwrap();
        if status != 200 {
            full = Some((status, response));
            break;
        }
    }
    let (status, response) = full.expect("every write still fitted on a full disk");
    if status != 503 {
        terminate(&mut server, Duration::from_secs(10));
        panic!("{response}\n{}", log_of(&mut server));
    }
    assert_eq!(status, 503, "{response}");
    assert!(response.contains("\"code\":\"storage_full\""), "{response}");
    let health = http_get(&server.addr, "/healthz");
    assert!(health.starts_with("HTTP/1.1 503") && health.contains("storage_full"), "{health}");
    // Answers go through the batch writer: the same answer there.
    let answer = |attempt: &str| format!(r#"{{"attempt_id":"{attempt}","answer":{{"type":"state","value":"ESTABLISHED"}}}}"#);
    let (status, response) = http_post(&server.addr, &answers, Some(&cookie), &answer("on-a-full-disk")).unwrap();
    assert_eq!(status, 503, "{response}");
    assert!(response.contains("\"code\":\"storage_full\""), "{response}");
    inside(&format!("rm -f {fill}"));
    let health = http_get(&server.addr, "/healthz");
    assert!(health.starts_with("HTTP/1.1 200"), "after freeing space: {health}");
    let (status, response) = http_post(&server.addr, "/api/quiz/questions", None, r#"{"kind":"state"}"#).unwrap();
    assert_eq!(status, 200, "{response}");
    let (status, response) = http_post(&server.addr, &answers, Some(&cookie), &answer("after-space-returned")).unwrap();
    assert_eq!(status, 200, "{response}");
    terminate(&mut server, Duration::from_secs(10));
    let log = log_of(&mut server);
    assert!(log.contains("disk holding the database is full"), "{log}");
    assert!(!log.contains("FOREIGN KEY"), "{log}");
}
