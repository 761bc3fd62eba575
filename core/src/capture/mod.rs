//! Real captures: reads `.pcap` and `.pcapng` files, finds the TCP conversations in them and turns
//! each into the same steps the model produces, with both ends' states inferred. Pure Rust, so
//! the browser parses a learner's file locally and nothing is uploaded.

mod decode;
mod error;
mod file;
mod infer;
mod options;

use std::collections::HashMap;
use std::io::Read;
use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

pub use error::{CaptureError, CaptureWarning, Damage, link_label, link_name};
pub use infer::to_run;

use crate::tcp::Segment;

/// Conversations beyond this many are counted but not kept: a scan or flood would otherwise
/// grow memory without bound, and nobody steps through ten thousand connections.
pub const MAX_CONVERSATIONS: usize = 10_000;
/// Segments kept per conversation, for the same reason.
pub const MAX_SEGMENTS_PER_CONVERSATION: usize = 1_000_000;

/// One segment as captured, with its time in microseconds since the capture's first packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    pub micros: u64,
    pub segment: Segment,
}

/// The segments of one TCP connection, in capture order. The client is the end that sent the
/// SYN (or was answered with a SYN+ACK). A capture that starts mid-connection shows neither:
/// then the end with the well-known (lower) port is taken for the server, and `guessed` says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    pub client: SocketAddr,
    pub server: SocketAddr,
    pub guessed: bool,
    pub segments: Vec<Captured>,
}

/// A conversation's label, for lists in the CLI and the replay page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationInfo {
    pub index: usize,
    pub client: String,
    pub server: String,
    pub segments: usize,
    /// Which end is the client is a guess: the capture holds no SYN of this connection.
    #[serde(default)]
    pub guessed: bool,
}

/// What a capture contained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    pub packets: u64,
    /// Packets that were not TCP over IPv4/IPv6 (ARP, UDP, ...) or could not be decoded.
    pub other_packets: u64,
    pub conversations: Vec<Conversation>,
    /// Conversations not kept because of [`MAX_CONVERSATIONS`].
    pub dropped_conversations: u64,
    /// What was tolerated: a file cut inside a packet, packets cut by the snapshot length.
    pub warnings: Vec<CaptureWarning>,
}

impl Capture {
    pub fn infos(&self) -> Vec<ConversationInfo> {
        self.conversations
            .iter()
            .enumerate()
            .map(|(index, c)| ConversationInfo {
                index,
                client: c.client.to_string(),
                server: c.server.to_string(),
                segments: c.segments.len(),
                guessed: c.guessed,
            })
            .collect()
    }
}

/// Reads a whole capture from a stream, keeping only the TCP headers it needs.
pub fn read(reader: impl Read) -> Result<Capture, CaptureError> {
    let mut capture = Capture { packets: 0, other_packets: 0, conversations: Vec::new(), dropped_conversations: 0, warnings: Vec::new() };
    // Open conversations by (client, server) address pair, to the index in `conversations`.
    let mut open: HashMap<(SocketAddr, SocketAddr), usize> = HashMap::new();
    let mut first_micros: Option<i64> = None;
    // Per conversation and end, the ISN of the SYNs that end sent: checking a new SYN against
    // this, not against every segment kept, keeps a flood of SYNs on one pair linear.
    let mut syns: Vec<[SynSeen; 2]> = Vec::new();
    let mut truncated = 0u64;
    let mut unknown_links: Vec<u32> = Vec::new();
    let warnings = file::for_each_packet(reader, |p| {
        capture.packets += 1;
        let packet = match decode::tcp(p.link, p.data, p.wire_len) {
            decode::Decoded::Tcp(packet) => packet,
            decode::Decoded::Other => {
                capture.other_packets += 1;
                return;
            }
            decode::Decoded::UnknownLink => {
                capture.other_packets += 1;
                if !unknown_links.contains(&p.link) && unknown_links.len() < 8 {
                    unknown_links.push(p.link);
                }
                return;
            }
        };
        truncated += u64::from(packet.truncated);
        let start = *first_micros.get_or_insert(p.micros);
        let micros = u64::try_from(p.micros.saturating_sub(start)).unwrap_or(0);
        let forward = (packet.src, packet.dst);
        let backward = (packet.dst, packet.src);
        let is_new_syn = packet.flags.syn && !packet.flags.ack;
        let existing = open.get(&forward).or_else(|| open.get(&backward)).copied();
        // A SYN from an end that already opened this pair with another ISN is a new connection
        // (ports are reused); a SYN from the other end is a simultaneous open.
        let existing = existing.filter(|&i| {
            let from = if packet.src == capture.conversations[i].client { 0 } else { 1 };
            !is_new_syn || syns[i][from].admits(packet.seq)
        });
        let index = match existing {
            Some(i) => i,
            None => {
                if capture.conversations.len() >= MAX_CONVERSATIONS {
                    capture.dropped_conversations += 1;
                    return;
                }
                let (client, server, guessed) = ends(&packet);
                capture.conversations.push(Conversation { client, server, guessed, segments: Vec::new() });
                syns.push([SynSeen::None; 2]);
                let i = capture.conversations.len() - 1;
                open.insert((client, server), i);
                open.remove(&(server, client));
                i
            }
        };
        let conversation = &mut capture.conversations[index];
        if conversation.segments.len() >= MAX_SEGMENTS_PER_CONVERSATION {
            return;
        }
        let from = if packet.src == conversation.client { crate::tcp::Side::Client } else { crate::tcp::Side::Server };
        if packet.flags.syn {
            let seen = &mut syns[index][from as usize];
            *seen = seen.with(packet.seq);
        }
        conversation.segments.push(Captured { micros, segment: packet.into_segment(from) });
    })?;
    capture.warnings = warnings;
    if truncated > 0 {
        capture.warnings.push(CaptureWarning::Truncated { packets: truncated });
    }
    if capture.packets == 0 {
        let cut = capture.warnings.iter().any(|w| matches!(w, CaptureWarning::CutShort { .. }));
        return Err(if cut { CaptureError::Corrupt { packet: 1, damage: Damage::CutInFirstPacket } } else { CaptureError::NoPackets });
    }
    if capture.conversations.is_empty() {
        return Err(CaptureError::NoTcp { packets: capture.packets, links: unknown_links });
    }
    Ok(capture)
}

/// The client and server of a connection first seen in `packet`, and whether that is a guess.
fn ends(packet: &decode::TcpPacket) -> (SocketAddr, SocketAddr, bool) {
    let (src, dst) = (packet.src, packet.dst);
    match (packet.flags.syn, packet.flags.ack) {
        (true, false) => (src, dst, false),
        (true, true) => (dst, src, false),
        // Mid-connection: servers listen on the well-known, lower port; clients' ports are
        // ephemeral (32768 and up on Linux).
        _ if dst.port() < src.port() => (src, dst, true),
        _ if src.port() < dst.port() => (dst, src, true),
        _ => (src, dst, true),
    }
}

/// The SYNs one end of a conversation has sent so far.
#[derive(Clone, Copy)]
enum SynSeen {
    None,
    /// All with this sequence number (retransmissions of one SYN).
    One(u32),
    /// With different sequence numbers.
    Mixed,
}

impl SynSeen {
    /// Whether a new SYN with `seq` from this end belongs to the same connection.
    fn admits(self, seq: u32) -> bool {
        match self {
            SynSeen::None => true,
            SynSeen::One(s) => s == seq,
            SynSeen::Mixed => false,
        }
    }

    fn with(self, seq: u32) -> SynSeen {
        match self {
            SynSeen::None => SynSeen::One(seq),
            SynSeen::One(s) if s == seq => self,
            _ => SynSeen::Mixed,
        }
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tolerance_tests;
