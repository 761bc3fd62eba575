//! What the benchmarks share: the release server as its own process on a real SQLite file.
#![allow(dead_code)] // each bench uses a different part

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub struct Server {
    pub child: Child,
    pub addr: String,
    /// The database URL, for `tcplab admin` against the same file.
    pub database_url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the server on `dir/<name>.db` with the real content, logging warnings, and `flags`.
pub fn start(dir: &Path, name: &str, flags: &[&str]) -> Server {
    // TCPLAB_BENCH_BIN runs another build of the server instead (an older commit's, to compare
    // in the same run on the same machine).
    let bin = std::env::var("TCPLAB_BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_tcplab").to_owned());
    start_bin(&bin, dir, name, flags)
}

/// As [`start`], with the server binary at `bin`.
pub fn start_bin(bin: &str, dir: &Path, name: &str, flags: &[&str]) -> Server {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html>").unwrap();
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let database_url = format!("sqlite://{}/{name}.db", dir.display());
    let mut child = Command::new(bin)
        .args(["--bind", "127.0.0.1:0", "--log-level", "warn", "--database-url", &database_url])
        .arg("--static-dir")
        .arg(&dist)
        .arg("--content-dir")
        .arg(&content)
        .args(flags)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the tcplab binary");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.trim().strip_prefix("tcplab: listening on http://").unwrap_or_else(|| panic!("{line}")).to_owned();
    Server { child, addr, database_url }
}

fn status_kib(pid: u32, key: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix(key)).and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok()).unwrap_or(0.0)
}

/// Peak resident memory of a process in MB (VmHWM).
pub fn peak_rss_mb(pid: u32) -> f64 {
    status_kib(pid, "VmHWM:") / 1024.0
}

/// Resident memory of a process now, in MB (VmRSS).
pub fn rss_mb(pid: u32) -> f64 {
    status_kib(pid, "VmRSS:") / 1024.0
}

/// CPU time (user + system) a process has used, in seconds, from /proc/<pid>/stat.
pub fn cpu_seconds_of(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}
