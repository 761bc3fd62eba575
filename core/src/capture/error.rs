//! Everything that can be wrong with a capture file, in words a learner can act on.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureError {
    Empty,
    /// The first four bytes are no pcap or pcapng magic number.
    NotACapture {
        magic: [u8; 4],
    },
    /// The file is a capture but broken at some packet.
    Corrupt {
        packet: u64,
        detail: String,
    },
    NoPackets,
    NoTcp {
        packets: u64,
    },
    Io(String),
}

impl fmt::Display for CaptureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaptureError::Empty => f.write_str("the file is empty"),
            CaptureError::NotACapture { magic } => write!(
                f,
                "not a pcap or pcapng capture (it starts with {:02x} {:02x} {:02x} {:02x}); save the capture as .pcap or .pcapng in Wireshark or with tcpdump -w",
                magic[0], magic[1], magic[2], magic[3]
            ),
            CaptureError::Corrupt { packet, detail } => {
                write!(f, "the capture is damaged or cut short at packet {packet}: {detail}")
            }
            CaptureError::NoPackets => f.write_str("the capture holds no packets"),
            CaptureError::NoTcp { packets } => write!(f, "none of the {packets} packets in the capture is TCP over IPv4 or IPv6"),
            CaptureError::Io(detail) => write!(f, "cannot read the capture: {detail}"),
        }
    }
}

impl std::error::Error for CaptureError {}
