//! Absolute or relative sequence numbers, as Wireshark offers: relative numbers count from each
//! side's initial sequence number, which is easier to read; absolute ones are what is on the wire.

use tcplab_core::tcp::{Run, Segment, Side, Step, StepKind, vars};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    Absolute,
    Relative,
}

/// Each side's ISN in connection `connection`, from the run's parameters. A side that never
/// synchronized (the closed port of a refused connection) sends seq 0 and is shown as is.
fn isn(run: &Run, connection: u8, side: Side) -> u32 {
    let (client, server) = run.isns(connection);
    match side {
        Side::Client => client,
        Side::Server => server,
    }
}

/// `(seq, ack)` as they should be shown.
pub fn shown(run: &Run, connection: u8, segment: &Segment, numbering: Numbering) -> (u32, u32) {
    if numbering == Numbering::Absolute {
        return (segment.seq, segment.ack);
    }
    let refused = segment.flags.rst && segment.seq == 0;
    let seq = if refused { 0 } else { segment.seq.wrapping_sub(isn(run, connection, segment.from)) };
    let ack = if segment.flags.ack { segment.ack.wrapping_sub(isn(run, connection, segment.from.other())) } else { segment.ack };
    (seq, ack)
}

/// The values a step's sentence is filled with, in the chosen numbering: with relative numbers
/// the sentence speaks of the same numbers as the diagram and the header.
pub fn sentence_vars(run: &Run, step: &Step, numbering: Numbering) -> Vec<(&'static str, String)> {
    let mut values = vars(step);
    let StepKind::Segment { segment, .. } = &step.kind else { return values };
    if numbering == Numbering::Absolute {
        return values;
    }
    let (seq, ack) = shown(run, step.connection, segment, numbering);
    let seq_base = segment.seq.wrapping_sub(seq);
    for (name, value) in &mut values {
        *value = match *name {
            "seq" => seq.to_string(),
            "ack" => ack.to_string(),
            "next" => segment.end_seq().wrapping_sub(seq_base).to_string(),
            "ack_minus_one" => ack.wrapping_sub(1).to_string(),
            _ => continue,
        };
    }
    values
}
