//! Recording with tcpdump, reading the capture back, and comparing it with the model.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::Duration;

use tcplab_core::capture::{self, Conversation, to_run};
use tcplab_core::tcp::{Fate, ONE_WAY_MS, Run, ScenarioId, ScenarioParams, Side, StepKind, run};

pub struct Recording {
    child: Child,
    file: PathBuf,
    _dir: tempfile::TempDir,
}

/// Starts tcpdump on loopback for `filter` and waits until it is capturing.
pub fn record(filter: &str) -> Recording {
    record_with(&["-i", "lo"], filter)
}

/// Starts tcpdump with `args` (the interface, a link type, a snapshot length ...) for `filter`,
/// in the calling thread's network namespace.
pub fn record_with(args: &[&str], filter: &str) -> Recording {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("capture.pcap");
    let mut child = Command::new("tcpdump")
        .args(args)
        .args(["--immediate-mode", "-U", "-n", "-w"])
        .arg(&file)
        .arg(filter)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tcpdump must be installed (scripts/test.sh installs it) and the tests run as root");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("listening on") {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "tcpdump stopped before capturing: {line}");
    }
    thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    Recording { child, file, _dir: dir }
}

impl Recording {
    /// Stops tcpdump (it flushes on SIGINT) and reads the capture back.
    pub fn finish(mut self) -> Vec<Conversation> {
        thread::sleep(Duration::from_millis(200));
        let status = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status().unwrap();
        assert!(status.success());
        self.child.wait().unwrap();
        read_capture(&self.file)
    }
}

fn read_capture(file: &Path) -> Vec<Conversation> {
    let capture = capture::read(std::fs::File::open(file).unwrap()).unwrap();
    capture.conversations
}

/// A segment as the comparison sees it: direction, flags, seq, ack (0 without the ACK flag), length.
pub type Line = (Side, String, u32, u32, u32);

pub fn lines(run: &Run) -> Vec<Line> {
    run.steps
        .iter()
        .filter_map(|s| s.segment())
        .map(|s| (s.from, s.flags.to_string(), s.seq, if s.flags.ack { s.ack } else { 0 }, s.len))
        .collect()
}

/// When each segment of a run was sent (captures: when it was seen), in milliseconds.
pub fn sent_times(run: &Run) -> Vec<i64> {
    run.steps
        .iter()
        .filter_map(|s| match &s.kind {
            StepKind::Segment { sent_ms, .. } => Some(*sent_ms as i64),
            StepKind::Timer { .. } => None,
        })
        .collect()
}

/// Runs the model with the ISNs and payload sizes seen in the capture.
pub fn model_for(scenario: ScenarioId, captured: &Run, client_bytes: u32, server_bytes: u32) -> Run {
    let params = ScenarioParams {
        client_isn: captured.params.client_isn,
        server_isn: captured.params.server_isn,
        client_payload: client_bytes,
        server_payload: server_bytes,
        ..ScenarioParams::default()
    };
    run(scenario, &params).unwrap()
}

/// Asserts that the model's segments appear in the capture exactly, starting at `from`.
pub fn assert_matches(scenario: ScenarioId, captured: &Run, model: &Run, from: usize, whole: bool) {
    let got = lines(captured);
    let want = lines(model);
    let end = from + want.len();
    assert!(
        got.len() >= end,
        "{scenario}: the capture has {} segments, the model needs {end}:\ncapture {got:#?}\nmodel {want:#?}",
        got.len()
    );
    assert_eq!(&got[from..end], &want[..], "{scenario}: capture (left) and model (right) differ");
    if whole {
        assert_eq!(got.len(), end, "{scenario}: the capture has more segments than the model: {got:#?}");
    }
}

/// The model's segments in the order, and at the times, tcpdump at `side`'s end of a wire with
/// the model's one-way delay sees them: that end's own segments when sent, the other end's when
/// they arrive (a segment the wire loses on the way here is never seen). Segments that cross
/// are seen in a different order at each end, so captures from the wire compare in this order.
pub fn seen_at(model: &Run, side: Side) -> Vec<(i64, Line)> {
    let mut seen: Vec<(i64, Line)> = model
        .steps
        .iter()
        .filter_map(|step| match &step.kind {
            StepKind::Segment { segment: s, sent_ms, fate, .. } => {
                let line = (s.from, s.flags.to_string(), s.seq, if s.flags.ack { s.ack } else { 0 }, s.len);
                match (s.from == side, fate) {
                    (true, _) => Some((*sent_ms as i64, line)),
                    (false, Fate::Lost) => None,
                    (false, _) => Some((*sent_ms as i64 + ONE_WAY_MS as i64, line)),
                }
            }
            StepKind::Timer { .. } => None,
        })
        .collect();
    // Stable: a segment sent on another's arrival stays after it.
    seen.sort_by_key(|(ms, _)| *ms);
    seen
}

/// How much later than the model a kernel timer may fire: the timer wheel's granularity is at
/// most an eighth of a timeout, and scheduling, tcpdump and the relay's polling add a little.
/// Never earlier than the model by more than that little.
pub fn within_timer_tolerance(kernel_ms: i64, model_ms: i64) -> bool {
    const SLACK_MS: i64 = 15;
    kernel_ms >= model_ms - SLACK_MS && kernel_ms <= model_ms + model_ms / 8 + SLACK_MS
}

/// Asserts that a capture taken at `side`'s end of the wire shows the model's segments from its
/// segment `from` on, in the order that end sees them (and nothing after them), and that each gap
/// between them agrees with the model's within the timer tolerance.
pub fn assert_seen(scenario: ScenarioId, captured: &Run, model: &Run, from: usize, side: Side) {
    let seen = seen_at(model, side);
    let want: Vec<Line> = seen.iter().map(|(_, l)| l.clone()).collect();
    let got = lines(captured);
    assert!(got.len() >= from, "{scenario}: the capture has only {} segments: {got:#?}", got.len());
    assert_eq!(&got[from..], &want[..], "{scenario}: capture at the {side:?} (left) and model (right) differ");
    let kernel = sent_times(captured);
    for i in 1..seen.len() {
        let (k, m) = (kernel[from + i] - kernel[from + i - 1], seen[i].0 - seen[i - 1].0);
        assert!(
            within_timer_tolerance(k, m),
            "{scenario}: between segments {} and {} the kernel took {k} ms, the model {m} ms\nkernel {:?}\nmodel {:?}",
            i - 1,
            i,
            &kernel[from..],
            seen.iter().map(|(ms, _)| ms).collect::<Vec<_>>()
        );
    }
}

/// The one connection in a capture, and its client's and server's ports.
pub fn one_with_ports(conversations: Vec<Conversation>) -> (Run, u16, u16) {
    assert_eq!(conversations.len(), 1, "one connection expected");
    let c = &conversations[0];
    (to_run(c), c.client.port(), c.server.port())
}

pub fn one(conversations: Vec<Conversation>) -> Run {
    assert_eq!(conversations.len(), 1, "one connection expected");
    to_run(&conversations[0])
}
