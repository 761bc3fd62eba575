//! Figures for the model and the capture reader (run with `cargo bench -p tcplab-core`):
//! every scenario 100,000 times with random ISNs, a 200,000-segment capture read from disk, and
//! the worst shape for a reader: 200,000 copies of one SYN and 200,000 duplicate ACKs on one
//! 4-tuple. Prints time and peak memory; the targets are each capture (read and turned into
//! steps) in under 1 s, and the first in under 50 MB.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::time::{Duration, Instant};

use etherparse::PacketBuilder;
use tcplab_core::capture::{read, to_run};
use tcplab_core::tcp::{ScenarioId, ScenarioParams, run};

/// xorshift64: enough randomness for ISNs without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 16) as u32
    }
}

/// Peak resident memory of this process in KiB (VmHWM).
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok()).unwrap_or(0)
}

/// Resets VmHWM so the next figure measures only what follows (Linux's clear_refs "5").
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn main() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    const RUNS: usize = 100_000;
    let start = Instant::now();
    let mut steps = 0usize;
    for _ in 0..RUNS {
        for &id in ScenarioId::all() {
            let params = ScenarioParams {
                client_isn: rng.next(),
                server_isn: rng.next(),
                client_payload: 1 + rng.next() % 1460,
                server_payload: rng.next() % 5840,
                reconnect_isns: (rng.next(), rng.next()),
                ..ScenarioParams::default()
            };
            steps += run(id, &params).expect("scenarios run").steps.len();
        }
    }
    let model_time = start.elapsed();
    println!(
        "model: {RUNS} x {} scenarios = {} runs, {steps} steps in {:.2} s ({:.1} µs per run)",
        ScenarioId::all().len(),
        RUNS * ScenarioId::all().len(),
        model_time.as_secs_f64(),
        model_time.as_secs_f64() * 1e6 / (RUNS * ScenarioId::all().len()) as f64
    );

    let dir = std::env::temp_dir().join(format!("tcplab-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("200k.pcap");
    let segments = write_capture(&file, 200_000, &mut rng);
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    reset_peak();
    let before = peak_kib();
    let start = Instant::now();
    let capture = read(BufReader::new(File::open(&file).expect("capture file"))).expect("capture reads");
    let read_time = start.elapsed();
    let steps: usize = capture.conversations.iter().map(|c| to_run(c).steps.len()).sum();
    let all_time = start.elapsed();
    let peak = peak_kib();
    println!(
        "capture: {segments} segments ({:.1} MB file) in {} conversations: read {:.3} s, with steps {:.3} s ({steps} steps); peak RSS {:.1} MB (was {:.1} MB before reading)",
        size as f64 / 1e6,
        capture.conversations.len(),
        read_time.as_secs_f64(),
        all_time.as_secs_f64(),
        peak as f64 / 1024.0,
        before as f64 / 1024.0
    );
    let verdict = |ok: bool| if ok { "ok" } else { "MISSED" };
    println!("target: capture under 1 s: {}; under 50 MB: {}", verdict(all_time < Duration::from_secs(1)), verdict(peak < 50 * 1024));

    let repeats = dir.join("repeats.pcap");
    let packets = write_repeats(&repeats);
    let start = Instant::now();
    let capture = read(BufReader::new(File::open(&repeats).expect("capture file"))).expect("capture reads");
    let read_time = start.elapsed();
    let steps: usize = capture.conversations.iter().map(|c| to_run(c).steps.len()).sum();
    let all_time = start.elapsed();
    println!(
        "repeats: {packets} packets (one SYN and one ACK, 200,000 times each, one 4-tuple) in {} conversations: read {:.3} s, with steps {:.3} s ({steps} steps)",
        capture.conversations.len(),
        read_time.as_secs_f64(),
        all_time.as_secs_f64(),
    );
    println!("target: repeats under 1 s: {}", verdict(all_time < Duration::from_secs(1)));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A classic pcap file of Ethernet frames (little-endian, microseconds), written as it goes.
struct PcapWriter<W: Write>(W);

impl<W: Write> PcapWriter<W> {
    fn new(mut out: W) -> PcapWriter<W> {
        let mut header = Vec::new();
        header.extend(0xA1B2_C3D4u32.to_le_bytes());
        header.extend([2, 0, 4, 0]);
        header.extend([0u8; 8]);
        header.extend(0xffffu32.to_le_bytes());
        header.extend(1u32.to_le_bytes());
        out.write_all(&header).expect("pcap header");
        PcapWriter(out)
    }

    fn write_packet(&mut self, ts: Duration, frame: &[u8]) {
        let mut record = Vec::with_capacity(16);
        record.extend((ts.as_secs() as u32).to_le_bytes());
        record.extend(ts.subsec_micros().to_le_bytes());
        record.extend((frame.len() as u32).to_le_bytes());
        record.extend((frame.len() as u32).to_le_bytes());
        self.0.write_all(&record).and_then(|()| self.0.write_all(frame)).expect("write frame");
    }
}

/// 200,000 copies of one SYN, then 200,000 copies of one ACK, all on one 4-tuple.
fn write_repeats(path: &std::path::Path) -> usize {
    let mut writer = PcapWriter::new(BufWriter::new(File::create(path).expect("create capture")));
    let mut syn = Vec::new();
    PacketBuilder::ethernet2([1; 6], [2; 6])
        .ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
        .tcp(40000, 80, 1000, 64240)
        .syn()
        .write(&mut syn, &[])
        .unwrap();
    let mut ack = Vec::new();
    PacketBuilder::ethernet2([1; 6], [2; 6])
        .ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
        .tcp(40000, 80, 1001, 502)
        .ack(5001)
        .write(&mut ack, &[])
        .unwrap();
    for i in 0..400_000u64 {
        writer.write_packet(Duration::from_micros(i * 10), if i < 200_000 { &syn } else { &ack });
    }
    400_000
}

/// Writes `count` segments of data-transfer conversations (100 segments each) as Ethernet frames.
fn write_capture(path: &std::path::Path, count: usize, rng: &mut Rng) -> usize {
    let mut writer = PcapWriter::new(BufWriter::new(File::create(path).expect("create capture")));
    let payload = [0u8; 200];
    let mut written = 0;
    let mut conversation = 0u32;
    let mut frame = Vec::with_capacity(512);
    while written < count {
        conversation += 1;
        let port = 1024 + (conversation % 60000) as u16;
        let (mut cseq, mut sseq) = (rng.next(), rng.next());
        for i in 0..100 {
            if written >= count {
                break;
            }
            frame.clear();
            let from_client = i % 2 == 0;
            let builder = PacketBuilder::ethernet2([1; 6], [2; 6]);
            let (src, dst, sp, dp) =
                if from_client { ([10, 0, 0, 1], [10, 0, 0, 2], port, 80) } else { ([10, 0, 0, 2], [10, 0, 0, 1], 80, port) };
            let ip = builder.ipv4(src, dst, 64);
            let len = if i < 3 { 0 } else { 200 };
            let tcp = match i {
                0 => ip.tcp(sp, dp, cseq, 64240).syn(),
                1 => ip.tcp(sp, dp, sseq, 65160).syn().ack(cseq.wrapping_add(1)),
                _ if from_client => ip.tcp(sp, dp, cseq, 502).ack(sseq),
                _ => ip.tcp(sp, dp, sseq, 502).ack(cseq),
            };
            if i == 0 {
                cseq = cseq.wrapping_add(1);
            }
            if i == 1 {
                sseq = sseq.wrapping_add(1);
            }
            tcp.write(&mut frame, &payload[..len]).expect("build frame");
            if i >= 3 {
                if from_client { cseq = cseq.wrapping_add(200) } else { sseq = sseq.wrapping_add(200) }
            }
            let ts = Duration::from_micros(written as u64 * 10);
            writer.write_packet(ts, &frame);
            written += 1;
        }
    }
    written
}
