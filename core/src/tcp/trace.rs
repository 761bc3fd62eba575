//! One flat line per step: the shape `tcplab scenario --json` and `tcplab capture --json` print,
//! so teachers' scripts can compare a model run with a real capture line by line.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::step::{Run, StepKind};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceLine {
    pub index: usize,
    pub connection: u8,
    /// `client->server`, `server->client`, or `timer` for a timer firing.
    pub direction: String,
    /// The flags as `SYN+ACK`; for a timer, which timer fired.
    pub flags: String,
    pub seq: u32,
    pub ack: u32,
    pub len: u32,
    /// `delivered`, `lost`, `dropped`, or `fired` for timers.
    pub fate: String,
    pub client: String,
    pub server: String,
    pub key: String,
    pub ms: u64,
}

pub fn trace(run: &Run) -> Vec<TraceLine> {
    run.steps
        .iter()
        .map(|step| {
            let (direction, flags, seq, ack, len, fate, ms) = match &step.kind {
                StepKind::Segment { segment, sent_ms, fate, .. } => (
                    format!("{}->{}", segment.from.as_str(), segment.to().as_str()),
                    segment.flags.to_string(),
                    segment.seq,
                    segment.ack,
                    segment.len,
                    match fate {
                        super::Fate::Delivered { .. } => "delivered",
                        super::Fate::Lost => "lost",
                        super::Fate::Dropped { .. } => "dropped",
                    },
                    *sent_ms,
                ),
                StepKind::Timer { side, at_ms, timer, .. } => {
                    (format!("timer:{}", side.as_str()), timer.as_str().to_owned(), 0, 0, 0, "fired", *at_ms)
                }
            };
            TraceLine {
                index: step.index,
                connection: step.connection,
                direction,
                flags,
                seq,
                ack,
                len,
                fate: fate.to_owned(),
                client: step.client.after.name().to_owned(),
                server: step.server.after.name().to_owned(),
                key: step.key.as_str().to_owned(),
                ms,
            }
        })
        .collect()
}

/// The lines as an aligned table for a terminal.
pub fn table(lines: &[TraceLine]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>4} {:>4} {:<15} {:<8} {:>10} {:>10} {:>5} {:<9} {:<12} {:<12} {:>9}",
        "step", "conn", "direction", "flags", "seq", "ack", "len", "fate", "client", "server", "ms"
    );
    for l in lines {
        let _ = writeln!(
            out,
            "{:>4} {:>4} {:<15} {:<8} {:>10} {:>10} {:>5} {:<9} {:<12} {:<12} {:>9}",
            l.index, l.connection, l.direction, l.flags, l.seq, l.ack, l.len, l.fate, l.client, l.server, l.ms
        );
    }
    out
}
