//! Load figures for answering quiz questions (`cargo bench -p tcplab --bench load`; set
//! `LOAD_SECONDS` to shorten the 30 s phases). The release server runs as its own process on a
//! real SQLite file; the load comes from this process over loopback, each answer really graded
//! and stored. Printed, with the issue's targets:
//!
//! - saturation: 256 keep-alive connections answering as fast as they can, with the default
//!   power-loss durability and again with `--durability normal` (the ratio is the cost);
//! - classroom burst: an open-loop 1,000 answers per second (latency counted from the moment each
//!   request was due, so a slow server cannot hide its queue);
//! - the server's peak RSS and this process's CPU share (it shares the two cores);
//! - the server's CPU time per answer in each phase, steadier than the rates on a shared machine;
//! - for comparison, single-row durable inserts into SQLite with the server's settings, and a
//!   trivial route (a JSON 404 through the same middleware).

mod support;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::peak_rss_mb;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1;
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::Mutex;

const CONNECTIONS: usize = 256;
const BURST_RATE: u64 = 1000;

/// This process's CPU time (user + system) in seconds.
fn cpu_seconds() -> f64 {
    support::cpu_seconds_of(std::process::id())
}

/// A keep-alive HTTP/1.1 connection that remembers its session cookie.
struct Client {
    sender: http1::SendRequest<Full<Bytes>>,
    host: String,
    cookie: Option<String>,
}

impl Client {
    async fn connect(addr: &str) -> Client {
        let stream = TcpStream::connect(addr).await.unwrap();
        stream.set_nodelay(true).unwrap();
        let (sender, conn) = http1::handshake(TokioIo::new(stream)).await.unwrap();
        tokio::spawn(conn);
        Client { sender, host: addr.to_owned(), cookie: None }
    }

    async fn send(&mut self, method: Method, path: &str, body: String) -> (u16, Bytes) {
        // The server closes a connection idle past its header timeout, as it should; a browser
        // then opens a new one, and so does this client.
        if self.sender.is_closed() {
            let cookie = self.cookie.take();
            *self = Client::connect(&self.host).await;
            self.cookie = cookie;
        }
        let mut req = Request::builder().method(method).uri(path).header("host", &self.host).header("content-type", "application/json");
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        self.sender.ready().await.unwrap();
        let response = self.sender.send_request(req.body(Full::new(Bytes::from(body))).unwrap()).await.unwrap();
        if let Some(set) = response.headers().get("set-cookie") {
            self.cookie = set.to_str().ok().and_then(|s| s.split(';').next()).map(str::to_owned);
        }
        let status = response.status().as_u16();
        (status, response.into_body().collect().await.unwrap().to_bytes())
    }
}

/// A learner with a question to answer, on its own connection.
async fn learner(addr: &str) -> (Client, String) {
    let mut c = Client::connect(addr).await;
    let (status, body) = c.send(Method::POST, "/api/quiz/questions", r#"{"kind":"state"}"#.into()).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    (c, format!("/api/quiz/questions/{}/answers", v["id"].as_str().unwrap()))
}

fn answer_body(attempt: &str) -> String {
    format!(r#"{{"attempt_id":"{attempt}","answer":{{"type":"state","value":"ESTABLISHED"}}}}"#)
}

struct Figures {
    done: usize,
    seconds: f64,
    latencies_us: Vec<u64>,
    /// The server's CPU time over the phase, per request, in microseconds: steadier than the
    /// rate on a machine shared with the load tool.
    cpu_us_per_request: f64,
}

impl Figures {
    fn print(&mut self, what: &str) {
        self.latencies_us.sort_unstable();
        let q = |p: f64| {
            self.latencies_us
                .get(((self.latencies_us.len() as f64 * p) as usize).min(self.latencies_us.len().saturating_sub(1)))
                .copied()
                .unwrap_or(0) as f64
                / 1000.0
        };
        println!(
            "{what}: {:.0} answers/s ({} in {:.1} s), latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, server CPU {:.0} us per answer",
            self.done as f64 / self.seconds,
            self.done,
            self.seconds,
            q(0.50),
            q(0.99),
            self.latencies_us.last().copied().unwrap_or(0) as f64 / 1000.0,
            self.cpu_us_per_request
        );
    }
    /// Adds another phase's figures to these.
    fn join(&mut self, other: Figures) {
        let done = self.done + other.done;
        self.cpu_us_per_request =
            (self.cpu_us_per_request * self.done as f64 + other.cpu_us_per_request * other.done as f64) / done.max(1) as f64;
        self.done = done;
        self.seconds += other.seconds;
        self.latencies_us.extend(other.latencies_us);
    }

    fn rate(&self) -> f64 {
        self.done as f64 / self.seconds
    }
    fn p99_ms(&self) -> f64 {
        let i = ((self.latencies_us.len() as f64 * 0.99) as usize).min(self.latencies_us.len().saturating_sub(1));
        self.latencies_us.get(i).copied().unwrap_or(0) as f64 / 1000.0
    }
}

async fn saturation(addr: &str, pid: u32, seconds: u64, tag: &str) -> Figures {
    let mut learners = Vec::new();
    for _ in 0..CONNECTIONS {
        learners.push(learner(addr).await);
    }
    let start = Instant::now();
    let cpu = support::cpu_seconds_of(pid);
    let end = start + Duration::from_secs(seconds);
    let tasks: Vec<_> = learners
        .into_iter()
        .enumerate()
        .map(|(n, (mut c, path))| {
            let tag = tag.to_owned();
            tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut i = 0;
                while Instant::now() < end {
                    let t = Instant::now();
                    let (status, body) = c.send(Method::POST, &path, answer_body(&format!("{tag}-{n}-{i}"))).await;
                    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
                    lat.push(t.elapsed().as_micros() as u64);
                    i += 1;
                }
                lat
            })
        })
        .collect();
    let mut latencies_us = Vec::new();
    for t in tasks {
        latencies_us.extend(t.await.unwrap());
    }
    let cpu_us_per_request = (support::cpu_seconds_of(pid) - cpu) * 1e6 / latencies_us.len().max(1) as f64;
    Figures { done: latencies_us.len(), seconds: start.elapsed().as_secs_f64(), latencies_us, cpu_us_per_request }
}

/// Open loop: request k is due at start + k/rate whatever happened to the others. A pool of
/// connections serves them; a request that has to wait for a free connection counts the wait.
async fn burst(addr: &str, pid: u32, seconds: u64) -> Figures {
    let pool = Arc::new(Mutex::new(Vec::new()));
    for _ in 0..64 {
        pool.lock().await.push(learner(addr).await);
    }
    let total = BURST_RATE * seconds;
    let start = Instant::now();
    let cpu = support::cpu_seconds_of(pid);
    let mut tasks = Vec::with_capacity(total as usize);
    for k in 0..total {
        let due = start + Duration::from_micros(k * 1_000_000 / BURST_RATE);
        tokio::time::sleep_until(due.into()).await;
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            let mut conn = loop {
                if let Some(c) = pool.lock().await.pop() {
                    break c;
                }
                tokio::task::yield_now().await;
            };
            let (status, _) = conn.0.send(Method::POST, &conn.1, answer_body(&format!("burst-{k}"))).await;
            assert_eq!(status, 200);
            pool.lock().await.push(conn);
            due.elapsed().as_micros() as u64
        }));
    }
    let mut latencies_us = Vec::new();
    for t in tasks {
        latencies_us.push(t.await.unwrap());
    }
    let cpu_us_per_request = (support::cpu_seconds_of(pid) - cpu) * 1e6 / latencies_us.len().max(1) as f64;
    Figures { done: latencies_us.len(), seconds: start.elapsed().as_secs_f64(), latencies_us, cpu_us_per_request }
}

async fn trivial_route(addr: &str, seconds: u64) -> f64 {
    let end = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let addr = addr.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut c = Client::connect(&addr).await;
            let mut n = 0u64;
            while Instant::now() < end {
                let (status, _) = c.send(Method::GET, "/api/nope", String::new()).await;
                assert_eq!(status, 404);
                n += 1;
            }
            n
        }));
    }
    let mut n = 0;
    for t in tasks {
        n += t.await.unwrap();
    }
    n as f64 / start.elapsed().as_secs_f64()
}

/// Single-row inserts, each its own transaction, with the server's connection settings.
async fn raw_sqlite(dir: &Path, seconds: u64) -> f64 {
    let pool = tcplab::db::open(&format!("sqlite://{}/raw.db", dir.display())).await.unwrap();
    sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY, attempt TEXT NOT NULL UNIQUE, body TEXT NOT NULL) STRICT")
        .execute(&pool)
        .await
        .unwrap();
    let end = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let mut n = 0u64;
    while Instant::now() < end {
        sqlx::query("INSERT INTO t (attempt, body) VALUES (?, ?)")
            .bind(format!("a{n}"))
            .bind(answer_body("x"))
            .execute(&pool)
            .await
            .unwrap();
        n += 1;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    // `cargo bench` passes --bench; a filter argument is not supported.
    let seconds: u64 = std::env::var("LOAD_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(30);
    let dir = tempfile::tempdir().unwrap();
    let server = support::start(dir.path(), "load-full", &["--durability", "full"]);
    // The same saturation with commits that survive a crash but not a power cut, as the
    // baseline of what power-loss durability costs. Both servers run side by side and take
    // turns, normal-full-full-normal in half phases, so a drift of the machine's speed during
    // the run weighs on both alike.
    let normal = support::start(dir.path(), "load-normal", &["--durability", "normal"]);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let half = (seconds / 2).max(1);
    let (cpu0, wall0) = (cpu_seconds(), Instant::now());
    let mut sat_normal = runtime.block_on(saturation(&normal.addr, normal.child.id(), half, "sat-normal-1"));
    let mut sat = runtime.block_on(saturation(&server.addr, server.child.id(), half, "sat-1"));
    let (cpu1, wall1) = (cpu_seconds(), Instant::now());
    sat.join(runtime.block_on(saturation(&server.addr, server.child.id(), half, "sat-2")));
    sat_normal.join(runtime.block_on(saturation(&normal.addr, normal.child.id(), half, "sat-normal-2")));
    drop(normal);
    let mut bur = runtime.block_on(burst(&server.addr, server.child.id(), seconds));
    let trivial = runtime.block_on(trivial_route(&server.addr, seconds.min(10)));
    let rss = peak_rss_mb(server.child.id());
    drop(server);
    let raw = runtime.block_on(raw_sqlite(dir.path(), seconds.min(10)));

    println!("load benchmark: {seconds} s phases, {CONNECTIONS} connections, release server over loopback, 2 cores shared");
    sat.print("saturation, --durability full (the default)");
    sat_normal.print("saturation, --durability normal");
    let ratio = sat.rate() / sat_normal.rate();
    println!("  full / normal: {ratio:.2}");
    let load_cpu = (cpu1 - cpu0) / (wall1 - wall0).as_secs_f64() / 2.0 * 100.0;
    println!("  load tool CPU during saturation: {load_cpu:.0} % of the two cores");
    bur.print(&format!("classroom burst ({BURST_RATE}/s open loop)"));
    println!("server peak RSS: {rss:.1} MB");
    println!("raw SQLite single-row durable inserts: {raw:.0}/s; trivial route (JSON 404): {trivial:.0} requests/s");
    let verdict = |ok: bool| if ok { "ok" } else { "MISSED" };
    println!("target saturation >= 15000/s: {}", verdict(sat.rate() >= 15000.0));
    println!("target durability full within 10 % of normal: {}", verdict(ratio >= 0.9));
    println!("target saturation >= half the raw SQLite rate ({:.0}/s): {}", raw / 2.0, verdict(sat.rate() >= raw / 2.0));
    println!("target burst p99 <= 10 ms: {}", verdict(bur.p99_ms() <= 10.0));
    println!("target RSS <= 64 MB: {}", verdict(rss <= 64.0));
}
