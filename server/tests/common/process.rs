//! The `tcplab` binary as its own process: a static folder and content to start it with, the
//! server on a port the system picks, plain HTTP/1.1 by hand, and the contract for start-up errors.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_tcplab");

/// A static folder with an index.html, the one file the server insists on.
pub fn static_dir(dir: &Path) -> PathBuf {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html>").unwrap();
    dist
}

/// A content folder with one lesson, the least the server accepts.
pub fn content_dir(dir: &Path) -> PathBuf {
    let content = dir.join("content");
    for lang in ["en", "zh-CN"] {
        std::fs::create_dir_all(content.join("lessons").join(lang)).unwrap();
    }
    std::fs::write(content.join("lessons/en/intro.md"), "+++\nid = \"intro\"\norder = 1\ntitle = \"Intro\"\nsummary = \"s\"\n+++\nText.\n")
        .unwrap();
    copy_real_content(&content);
    content
}

pub fn tcplab(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("RUST_LOG")
        .env_remove("DATABASE_URL")
        .env_remove("TCPLAB_BIND")
        .env_remove("TCPLAB_STATIC_DIR")
        .env_remove("TCPLAB_LOG")
        .env_remove("TCPLAB_CONTENT_DIR")
        .stdin(Stdio::null());
    cmd
}

/// Runs a command that is expected to exit by itself, killing it if it does not within 20 s.
pub fn run_to_exit(mut cmd: Command) -> Output {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("tcplab did not exit within 20 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// The contract for every configuration error: non-zero exit, one line naming the problem, no
/// panic, no backtrace.
pub fn assert_clear_failure(output: &Output, expected: &[&str]) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(!output.status.success(), "should fail: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "{stderr}");
    let error_lines: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).collect();
    assert_eq!(error_lines.len(), 1, "exactly one error line expected:\n{stderr}");
    for needle in expected {
        assert!(error_lines[0].contains(needle), "{needle:?} not in {:?}", error_lines[0]);
    }
    stderr
}

/// The server with this database, static folder and content, on a port the system picks.
pub fn serve(db: &str, dist: &Path, content: &Path) -> Command {
    let args = serve_args(db, dist, content);
    tcplab(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

/// The flags of [`serve`], for running the server under another program (prlimit, unshare).
pub fn serve_args(db: &str, dist: &Path, content: &Path) -> Vec<String> {
    ["--bind", "127.0.0.1:0", "--database-url", db, "--static-dir", dist.to_str().unwrap(), "--content-dir", content.to_str().unwrap()]
        .map(String::from)
        .to_vec()
}

pub fn start(dir: &Path) -> Server {
    start_with(dir, Stdio::piped())
}

/// Starts the server on `dir`'s database with its log discarded (a burst logs more than a pipe holds).
pub fn start_quiet(dir: &Path) -> Server {
    start_with(dir, Stdio::null())
}

pub fn start_with(dir: &Path, stderr: Stdio) -> Server {
    let db = format!("sqlite://{}/data/t.db", dir.display());
    launch(serve(&db, &static_dir(dir), &content_dir(dir)).stderr(stderr))
}

/// Starts a server command (its stdout piped here) and waits for the address it prints.
pub fn launch(command: &mut Command) -> Server {
    let mut child = command.stdout(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.trim().strip_prefix("tcplab: listening on http://").unwrap_or_else(|| panic!("{line}")).to_owned();
    Server { child, addr }
}

pub fn http_get(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// The real step sentences, tuning knowledge and quiz bank: the server needs them, and tests should not
/// invent their own.
pub fn copy_real_content(content: &std::path::Path) {
    for folder in ["steps", "tuning", "quiz", "errors", "ui"] {
        let real = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content").join(folder);
        std::fs::create_dir_all(content.join(folder)).unwrap();
        for entry in std::fs::read_dir(real).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, content.join(folder).join(path.file_name().unwrap())).unwrap();
        }
    }
}

/// One POST with a JSON body; the status code and the whole response, or `None` when the
/// connection fails (the server is gone).
pub fn http_post(addr: &str, path: &str, cookie: Option<&str>, body: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let cookie = cookie.map(|c| format!("Cookie: {c}\r\n")).unwrap_or_default();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\n{cookie}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split(' ').nth(1)?.parse().ok()?;
    Some((status, response))
}

pub struct Server {
    pub child: Child,
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The server's whole log once it has exited (its stderr must have been piped).
pub fn log_of(server: &mut Server) -> String {
    let mut stderr = String::new();
    if let Some(mut pipe) = server.child.stderr.take() {
        pipe.read_to_string(&mut stderr).unwrap();
    }
    stderr
}

/// Sends SIGTERM and waits for the exit, failing past `limit`; returns how long it took.
pub fn terminate(server: &mut Server, limit: Duration) -> (std::process::ExitStatus, Duration) {
    let status = Command::new("kill").args(["-TERM", &server.child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let started = Instant::now();
    loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            return (exit, started.elapsed());
        }
        assert!(started.elapsed() < limit, "no exit within {limit:?} of SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
}
