//! Absolute or relative sequence numbers, as Wireshark offers: relative numbers count from each
//! side's initial sequence number, which is easier to read; absolute ones are what is on the wire.

use tcplab_core::tcp::{Run, Segment, Side};

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
