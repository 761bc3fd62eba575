//! What travels on the wire: one TCP segment, reduced to the fields a learner reads in a capture.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The two ends of a connection. The client is the end that opens it actively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Client,
    Server,
}

impl Side {
    pub const BOTH: [Side; 2] = [Side::Client, Side::Server];

    pub fn other(self) -> Side {
        match self {
            Side::Client => Side::Server,
            Side::Server => Side::Client,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
        }
    }
}

/// The control bits the lessons talk about. CWR, ECE and URG are left out: no scenario uses them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Flags {
    pub syn: bool,
    pub ack: bool,
    pub fin: bool,
    pub rst: bool,
    pub psh: bool,
}

impl Flags {
    pub const SYN: Flags = Flags { syn: true, ack: false, fin: false, rst: false, psh: false };
    pub const SYN_ACK: Flags = Flags { syn: true, ack: true, fin: false, rst: false, psh: false };
    pub const ACK: Flags = Flags { syn: false, ack: true, fin: false, rst: false, psh: false };
    pub const PSH_ACK: Flags = Flags { syn: false, ack: true, fin: false, rst: false, psh: true };
    pub const FIN_ACK: Flags = Flags { syn: false, ack: true, fin: true, rst: false, psh: false };
    pub const RST_ACK: Flags = Flags { syn: false, ack: true, fin: false, rst: true, psh: false };
    pub const RST: Flags = Flags { syn: false, ack: false, fin: false, rst: true, psh: false };

    /// The flags in the order Wireshark prints them, e.g. `["SYN", "ACK"]`.
    pub fn names(self) -> Vec<&'static str> {
        let mut names = Vec::with_capacity(3);
        for (on, name) in [(self.fin, "FIN"), (self.syn, "SYN"), (self.rst, "RST"), (self.psh, "PSH"), (self.ack, "ACK")] {
            if on {
                names.push(name);
            }
        }
        names
    }
}

impl fmt::Display for Flags {
    /// `SYN+ACK`, `FIN+ACK`, `PSH+ACK`; an empty set prints as `none`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = self.names();
        if names.is_empty() { f.write_str("none") } else { f.write_str(&names.join("+")) }
    }
}

/// TCP Fast Open's option (kind 34): an empty one asks for a cookie, a full one carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum TfoOption {
    CookieRequest,
    Cookie { len: u8 },
}

/// A summary of the options: which were present and the values that matter for teaching.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TcpOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mss: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_scale: Option<u8>,
    #[serde(default)]
    pub sack_permitted: bool,
    #[serde(default)]
    pub timestamps: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tfo: Option<TfoOption>,
    /// SACK blocks (RFC 2018), `(left edge, right edge)`: a block below the ACK number is a
    /// D-SACK (RFC 2883), reporting a segment received twice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sack: Vec<(u32, u32)>,
}

/// One segment. `seq` and `ack` are absolute 32-bit numbers, as on the wire; `ack` is 0 and
/// meaningless when the ACK flag is off, as the receiver ignores it then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub from: Side,
    pub seq: u32,
    pub ack: u32,
    pub flags: Flags,
    /// Payload bytes.
    pub len: u32,
    /// The raw window field; after the handshake it is scaled by the peer's window-scale shift.
    pub window: u16,
    pub options: TcpOptions,
}

impl Segment {
    pub fn to(&self) -> Side {
        self.from.other()
    }

    /// How much sequence space the segment uses: its payload, plus one each for SYN and FIN.
    pub fn seq_len(&self) -> u32 {
        self.len + u32::from(self.flags.syn) + u32::from(self.flags.fin)
    }

    /// The sequence number right after this segment, modulo 2^32.
    pub fn end_seq(&self) -> u32 {
        self.seq.wrapping_add(self.seq_len())
    }
}
