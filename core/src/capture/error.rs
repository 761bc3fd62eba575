//! Everything that can be wrong with a capture file, in words a learner can act on. Each case is
//! data (numbers, a link type), so the browser can say it in the reader's language; the
//! `Display` texts here are the English ones, for the command line.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureError {
    Empty,
    /// The first four bytes are no pcap or pcapng magic number.
    NotACapture {
        magic: [u8; 4],
    },
    /// The file is a capture but cannot be read on from this packet (counted from 1; 0 is the
    /// file's own header).
    Corrupt {
        packet: u64,
        damage: Damage,
    },
    NoPackets,
    /// Packets, but none of them TCP. `links` are the link types of the file this reader does
    /// not decode, when it has any: then that is why.
    NoTcp {
        packets: u64,
        links: Vec<u32>,
    },
    Io(String),
}

/// What is broken where a capture stops being readable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    /// The file header (or a pcapng section header) is cut short or names no byte order.
    FileHeader,
    /// A packet record claims more bytes than any capture holds.
    PacketTooLarge { bytes: u32 },
    /// A pcapng block's length is impossible (too small, too large, not a multiple of 4).
    BlockLength { bytes: u32 },
    /// A pcapng packet's captured length runs past the end of its block.
    PacketOutsideBlock { bytes: u32 },
    /// A pcapng packet names an interface the file never describes.
    UnknownInterface { id: u32 },
    /// The file ends inside its first packet: there is not one whole packet to show.
    CutInFirstPacket,
}

/// Something the reader tolerated, as tshark would, and the reader should still know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CaptureWarning {
    /// The file ends inside a packet (a capture cut short, or copied while still being
    /// written): the `packets` complete ones before byte `offset` were read.
    CutShort { offset: u64, packets: u64 },
    /// This many packets were cut short by the capture's snapshot length: their headers are
    /// read, and their lengths are the ones on the wire.
    Truncated { packets: u64 },
}

/// The name of a link-layer header type (the tcpdump.org list), for the ones people meet.
pub fn link_name(link: u32) -> Option<&'static str> {
    Some(match link {
        0 => "BSD loopback (NULL)",
        1 => "Ethernet",
        6 => "IEEE 802.5 Token Ring",
        7 => "ARCNET",
        8 => "SLIP",
        9 => "PPP",
        10 => "FDDI",
        50 => "PPP in HDLC framing",
        51 => "PPPoE",
        101 => "raw IP",
        104 => "Cisco HDLC",
        105 => "IEEE 802.11 wireless",
        108 => "OpenBSD loopback",
        113 => "Linux cooked capture (SLL)",
        119 => "Prism 802.11",
        122 => "IP over Fibre Channel",
        127 => "IEEE 802.11 with radiotap",
        129 => "ARCNET (Linux)",
        138 => "Apple IP over IEEE 1394",
        143 => "DOCSIS",
        163 => "IEEE 802.11 with AVS header",
        187 => "Bluetooth HCI (H4)",
        189 => "USB (Linux)",
        192 => "PPI",
        195 => "IEEE 802.15.4",
        201 => "Bluetooth HCI (H4, with direction)",
        220 => "USB (Linux, memory-mapped)",
        228 => "raw IPv4",
        229 => "raw IPv6",
        239 => "Netlink (NFLOG)",
        249 => "USBPcap",
        253 => "Netlink",
        276 => "Linux cooked capture v2 (SLL2)",
        _ => return None,
    })
}

/// "link type 127 (IEEE 802.11 with radiotap)", or just the number for one not in the list.
pub fn link_label(link: u32) -> String {
    match link_name(link) {
        Some(name) => format!("{link} ({name})"),
        None => link.to_string(),
    }
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Damage::FileHeader => f.write_str("the file header is cut short or damaged"),
            Damage::PacketTooLarge { bytes } => write!(f, "a packet claims {bytes} bytes, more than any capture holds"),
            Damage::BlockLength { bytes } => write!(f, "a block claims a length of {bytes} bytes, which no block can have"),
            Damage::PacketOutsideBlock { bytes } => write!(f, "a packet of {bytes} bytes runs past the end of its block"),
            Damage::UnknownInterface { id } => write!(f, "a packet names interface {id}, which the file never describes"),
            Damage::CutInFirstPacket => f.write_str("the file ends inside its first packet"),
        }
    }
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
            CaptureError::Corrupt { packet: 0, damage } => write!(f, "the capture is damaged at its start: {damage}"),
            CaptureError::Corrupt { packet, damage } => write!(f, "the capture is damaged at packet {packet}: {damage}"),
            CaptureError::NoPackets => f.write_str("the capture holds no packets"),
            CaptureError::NoTcp { packets, links } if links.is_empty() => {
                write!(f, "none of the {packets} packets in the capture is TCP over IPv4 or IPv6")
            }
            CaptureError::NoTcp { packets, links } => write!(
                f,
                "none of the {packets} packets in the capture could be read as TCP: this reader does not decode link type {}",
                links.iter().map(|l| link_label(*l)).collect::<Vec<_>>().join(", ")
            ),
            CaptureError::Io(detail) => write!(f, "cannot read the capture: {detail}"),
        }
    }
}

impl fmt::Display for CaptureWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaptureWarning::CutShort { offset, packets } => {
                write!(f, "the file ends inside a packet at byte {offset}: the {packets} complete packets before it are shown")
            }
            CaptureWarning::Truncated { packets } => write!(
                f,
                "{packets} packets were cut short by the capture's snapshot length: their headers are read, their data is not in the file"
            ),
        }
    }
}

impl std::error::Error for CaptureError {}
