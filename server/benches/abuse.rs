//! Figures of the resilience issue (`cargo bench -p tcplab --bench abuse`): the release server as
//! its own process, attacked over loopback. Printed, each with its target:
//!
//! - peak and settled RSS during and after 200 parallel registrations and then 200 parallel
//!   logins, from 10 loopback addresses (so per-address budgets do not hide the hashing);
//! - `/healthz` latency (p50, p99) during that storm, and during two worst-case 2 MiB imports;
//! - failed logins for a real name against unknown names (the same work, so the same time);
//! - the worst-case parse time of a 2 MiB import, beside a well-formed 2 MiB file as the
//!   baseline of this machine's speed;
//! - the time to exit after SIGTERM with 100 half-sent requests open.

mod support;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use support::{peak_rss_mb, rss_mb};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpSocket;

const STORM: usize = 200;
const ADDRESSES: u8 = 10;
const PASSWORD: &str = "a long enough password";

/// One request on its own connection from `127.0.0.<from>`: status, body and the cookie set.
async fn request(
    server: SocketAddr,
    from: u8,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: &str,
) -> (u16, String, Option<String>) {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::from((Ipv4Addr::new(127, 0, 0, from), 0))).unwrap();
    let mut stream = socket.connect(server).await.unwrap();
    let cookie = cookie.map(|c| format!("Cookie: {c}\r\n")).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {server}\r\nConnection: close\r\nContent-Type: application/json\r\n{cookie}Content-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let set_cookie = text.lines().find_map(|l| l.strip_prefix("set-cookie: ")).and_then(|c| c.split(';').next()).map(str::to_owned);
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b).to_owned();
    (status, body, set_cookie)
}

/// Polls `/healthz` every 20 ms until `stop`, returning each latency in ms.
fn poll_health(server: SocketAddr, stop: Arc<AtomicBool>) -> tokio::task::JoinHandle<Vec<f64>> {
    tokio::spawn(async move {
        let mut latencies = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            let t = Instant::now();
            let (status, body, _) = request(server, 1, "GET", "/healthz", None, "").await;
            assert_eq!(status, 200, "{body}");
            latencies.push(t.elapsed().as_secs_f64() * 1000.0);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        latencies
    })
}

fn quantile(values: &mut [f64], q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(((values.len() as f64 * q) as usize).min(values.len().saturating_sub(1))).copied().unwrap_or(0.0)
}

/// Sends `bodies` to `path` all at once, spread over the loopback addresses; the statuses seen.
async fn storm(server: SocketAddr, path: &'static str, bodies: Vec<String>) -> Vec<u16> {
    let tasks: Vec<_> = bodies
        .into_iter()
        .enumerate()
        .map(|(i, body)| {
            tokio::spawn(async move { request(server, 10 + (i % ADDRESSES as usize) as u8, "POST", path, None, &body).await.0 })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    statuses
}

fn counts(statuses: &[u16]) -> String {
    let mut seen: Vec<(u16, usize)> = Vec::new();
    for s in statuses {
        match seen.iter_mut().find(|(k, _)| k == s) {
            Some((_, n)) => *n += 1,
            None => seen.push((*s, 1)),
        }
    }
    seen.sort_unstable();
    seen.iter().map(|(s, n)| format!("{n} x {s}")).collect::<Vec<_>>().join(", ")
}

/// The worst 2 MiB files: GIFT whose text has a `<` that never closes over and over, and Moodle
/// XML with the most unnamed questions the limit allows and texts of the same.
fn worst_files() -> Vec<(&'static str, &'static str, String)> {
    let limit = tcplab::classroom::exchange::MAX_FILE_QUESTIONS;
    let size = 2 * 1024 * 1024 - 4096;
    let gift = format!("::q:: {} {{=a ~b}}\n", "<a".repeat(size / 2));
    let per_question = size / limit;
    let text = "&lt;a".repeat((per_question - 120) / 5);
    let xml = format!(
        "<quiz>{}</quiz>",
        format!("<question type=\"multichoice\"><questiontext><text>{text}</text></questiontext></question>\n").repeat(limit)
    );
    let blank = "a\n\n".repeat(size / 3);
    vec![
        ("gift", "GIFT, one text of 1 M unclosed '<'", gift),
        ("moodle_xml", "Moodle XML, 1,000 unnamed questions of '<'", xml),
        ("gift", "GIFT, 700 k one-line paragraphs", blank),
    ]
}

/// A well-formed 2 MiB GIFT bank: the baseline of this machine's parsing speed.
fn ordinary_file() -> String {
    let question = format!("::Q:: Which flag opens a connection? {} {{=SYN ~FIN ~RST}}\n\n", "Padding text. ".repeat(140));
    question.repeat(2 * 1024 * 1024 / question.len())
}

fn time_parse(text: &str, format: &str) -> f64 {
    let t = Instant::now();
    let _ = match format {
        "gift" => tcplab::classroom::exchange::from_gift(text, 1),
        _ => tcplab::classroom::exchange::from_moodle_xml(text, 1),
    };
    t.elapsed().as_secs_f64()
}

async fn login(server: SocketAddr, from: u8, name: &str, password: &str) -> (u16, Option<String>) {
    let (status, _, cookie) =
        request(server, from, "POST", "/api/auth/login", None, &format!(r#"{{"username":"{name}","password":"{password}"}}"#)).await;
    (status, cookie)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let verdict = |ok: bool| if ok { "ok" } else { "MISSED" };
    println!("abuse benchmark: release server over loopback, 2 cores shared with this load");

    // --- Memory and health under a storm of password hashes.
    let server = support::start(dir.path(), "abuse", &[]);
    let addr: SocketAddr = server.addr.parse().unwrap();
    let pid = server.child.id();
    std::thread::sleep(Duration::from_millis(500));
    let start_rss = rss_mb(pid);
    let (storm_statuses, health, settled) = runtime.block_on(async {
        let stop = Arc::new(AtomicBool::new(false));
        let health = poll_health(addr, stop.clone());
        let registrations = (0..STORM).map(|i| format!(r#"{{"username":"storm{i}","password":"{PASSWORD}"}}"#)).collect();
        let mut statuses = storm(addr, "/api/auth/register", registrations).await;
        let logins = (0..STORM).map(|i| format!(r#"{{"username":"storm{}","password":"{PASSWORD}"}}"#, i % 50)).collect();
        statuses.extend(storm(addr, "/api/auth/login", logins).await);
        stop.store(true, Ordering::Relaxed);
        let health = health.await.unwrap();
        tokio::time::sleep(Duration::from_secs(3)).await;
        (statuses, health, rss_mb(pid))
    });
    let peak = peak_rss_mb(pid);
    let mut health = health;
    let (health_p50, health_p99) = (quantile(&mut health, 0.5), quantile(&mut health, 0.99));
    println!("storm: {STORM} registrations then {STORM} logins at once from {ADDRESSES} addresses: {}", counts(&storm_statuses));
    println!("  RSS at start {start_rss:.1} MB, peak {peak:.1} MB, settled 3 s after {settled:.1} MB");
    println!("  /healthz during the storm: p50 {health_p50:.1} ms, p99 {health_p99:.1} ms ({} polls)", health.len());
    println!("  target peak <= 128 MB: {}", verdict(peak <= 128.0));
    println!("  target settled within 16 MB of the start: {}", verdict(settled - start_rss <= 16.0));
    println!("  target /healthz p99 < 100 ms: {}", verdict(health_p99 < 100.0));

    // --- Failed logins: a real name and unknown names do the same work.
    let (real, unknown) = runtime.block_on(async {
        let mut real = Vec::new();
        let mut unknown = Vec::new();
        for round in 0..40u8 {
            // Five wrong passwords per name and address stay under the login limits.
            let t = Instant::now();
            assert_eq!(login(addr, 30 + round / 5, "storm1", "not the password").await.0, 401);
            real.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            assert_eq!(login(addr, 40 + round / 5, &format!("nobody{round}"), "not the password").await.0, 401);
            unknown.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        (real, unknown)
    });
    let (mut real, mut unknown) = (real, unknown);
    let (real_ms, unknown_ms) = (quantile(&mut real, 0.5), quantile(&mut unknown, 0.5));
    let login_ratio = unknown_ms / real_ms;
    println!("failed login, median: real name {real_ms:.1} ms, unknown name {unknown_ms:.1} ms, ratio {login_ratio:.2}");
    println!("  target within 10 %: {}", verdict((0.9..=1.1).contains(&login_ratio)));

    // --- Imports: health while two worst-case files are imported at once.
    let admin = std::process::Command::new(env!("CARGO_BIN_EXE_tcplab"))
        .args(["admin", "create-user", "--username", "teacher", "--role", "instructor", "--database-url", &server.database_url])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(format!("{PASSWORD}\n").as_bytes())?;
            child.wait()
        })
        .unwrap();
    assert!(admin.success());
    let files = worst_files();
    let (import_health, import_statuses) = runtime.block_on(async {
        let (status, cookie) = login(addr, 50, "teacher", PASSWORD).await;
        assert_eq!(status, 200);
        let cookie = cookie.unwrap();
        let (_, class, _) = request(addr, 50, "POST", "/api/classes", Some(&cookie), r#"{"name":"Bench"}"#).await;
        let class: serde_json::Value = serde_json::from_str(&class).unwrap();
        let quiz = r#"{"title":"Bench","items":[]}"#;
        let (_, quiz, _) = request(addr, 50, "POST", &format!("/api/classes/{}/quizzes", class["id"]), Some(&cookie), quiz).await;
        let quiz: serde_json::Value = serde_json::from_str(&quiz).unwrap_or_else(|e| panic!("{e}: {quiz}"));
        let path = format!("/api/quizzes/{}/import", quiz["id"]);
        let stop = Arc::new(AtomicBool::new(false));
        let health = poll_health(addr, stop.clone());
        let mut statuses = Vec::new();
        for _ in 0..3 {
            let imports: Vec<_> = files[..2]
                .iter()
                .map(|(format, _, text)| {
                    let body = serde_json::json!({"format": format, "text": text}).to_string();
                    let (path, cookie) = (path.clone(), cookie.clone());
                    tokio::spawn(async move { request(addr, 51, "POST", &path, Some(&cookie), &body).await })
                })
                .collect();
            for i in imports {
                let (status, body, _) = i.await.unwrap();
                assert!(body.len() < 16 * 1024, "a {} byte answer", body.len());
                statuses.push(status);
            }
        }
        stop.store(true, Ordering::Relaxed);
        (health.await.unwrap(), statuses)
    });
    let mut import_health = import_health;
    let import_p99 = quantile(&mut import_health, 0.99);
    println!("two worst-case 2 MiB imports at once, three times: {}", counts(&import_statuses));
    println!("  /healthz meanwhile: p50 {:.1} ms, p99 {import_p99:.1} ms", quantile(&mut import_health, 0.5));
    println!("  target /healthz p99 < 100 ms: {}", verdict(import_p99 < 100.0));
    drop(server);

    // --- Parse time of the worst files, against an ordinary bank of the same size.
    let ordinary = ordinary_file();
    let baseline = (0..3).map(|_| time_parse(&ordinary, "gift")).fold(f64::MAX, f64::min);
    println!("import parse, 2 MiB: well-formed GIFT bank {:.0} ms (the baseline)", baseline * 1000.0);
    let mut worst: f64 = 0.0;
    for (format, what, text) in &files {
        let took = (0..3).map(|_| time_parse(text, format)).fold(f64::MAX, f64::min);
        worst = worst.max(took);
        println!("  {what}: {:.0} ms, {:.1} x the baseline", took * 1000.0, took / baseline);
    }
    println!("  target worst case under 1 s: {}", verdict(worst < 1.0));

    // --- Shutdown with 100 half-sent requests.
    let mut server = support::start(dir.path(), "shutdown", &[]);
    let addr: SocketAddr = server.addr.parse().unwrap();
    let half_sent: Vec<std::net::TcpStream> = (0..100)
        .map(|_| {
            use std::io::Write;
            let mut s = std::net::TcpStream::connect(addr).unwrap();
            s.write_all(b"POST /api/quiz/questions HTTP/1.1\r\nHost: x\r\nContent-Le").unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let t = Instant::now();
    std::process::Command::new("kill").args(["-TERM", &server.child.id().to_string()]).status().unwrap();
    let exit = server.child.wait().unwrap();
    let took = t.elapsed().as_secs_f64();
    drop(half_sent);
    println!("SIGTERM with 100 half-sent requests open: exited ({exit}) after {took:.2} s");
    println!("  target within the 10 s deadline: {}", verdict(took < 10.0 && exit.success()));
}
