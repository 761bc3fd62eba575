//! The two file formats, read as a stream: each packet is handed on with its link type, time and
//! lengths, and only the current packet is held in memory.
//!
//! Our own reader, after the pcap and pcapng specifications, rather than a library's: captures
//! written by other tools bend the rules in ways tshark tolerates (a record larger than the
//! header's snapshot length, microseconds of a million or more, a file cut inside its last
//! packet), and a pcapng interface without `if_tsresol` counts in microseconds. What cannot be
//! read is named as a [`Damage`] at a packet, so it can be said in every language.

use std::io::Read;

use super::error::{CaptureError, CaptureWarning, Damage};

const PCAPNG_SHB: u32 = 0x0A0D_0D0A;
const PCAPNG_BYTE_ORDER: u32 = 0x1A2B_3C4D;
/// Larger than any packet a capture tool writes (tshark's limit for most link types is 256 KiB);
/// a record that claims more is damage, and reading it would only waste memory.
pub const MAX_PACKET_BYTES: u32 = 256 * 1024;
/// A pcapng block beyond this (packet, options and padding) is damage for the same reason.
const MAX_BLOCK_BYTES: u32 = MAX_PACKET_BYTES + 64 * 1024;

/// One packet as the file holds it.
pub struct Packet<'a> {
    /// The link-layer header type (LINKTYPE_*), without the FCS bits of a pcap header.
    pub link: u32,
    /// Microseconds since the epoch (or since whatever the writer counted from).
    pub micros: i64,
    pub data: &'a [u8],
    /// Its length on the wire: more than `data` when the snapshot length cut it short.
    pub wire_len: u32,
}

/// Reads `want` bytes, or fewer at the end of the stream; errors only for a failing reader.
fn fill(reader: &mut impl Read, buf: &mut [u8]) -> Result<usize, CaptureError> {
    let mut got = 0;
    while got < buf.len() {
        match reader.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(CaptureError::Io(e.to_string())),
        }
    }
    Ok(got)
}

#[derive(Clone, Copy)]
struct Order {
    big: bool,
}

impl Order {
    fn u16(self, b: &[u8]) -> u16 {
        let a = [b[0], b[1]];
        if self.big { u16::from_be_bytes(a) } else { u16::from_le_bytes(a) }
    }
    fn u32(self, b: &[u8]) -> u32 {
        let a = [b[0], b[1], b[2], b[3]];
        if self.big { u32::from_be_bytes(a) } else { u32::from_le_bytes(a) }
    }
}

/// Calls `each` for every packet; what was tolerated comes back as warnings.
pub fn for_each_packet(mut reader: impl Read, mut each: impl FnMut(Packet<'_>)) -> Result<Vec<CaptureWarning>, CaptureError> {
    let mut magic = [0u8; 4];
    let got = fill(&mut reader, &mut magic)?;
    if got == 0 {
        return Err(CaptureError::Empty);
    }
    if got < 4 {
        return Err(CaptureError::NotACapture { magic });
    }
    let as_le = u32::from_le_bytes(magic);
    let as_be = u32::from_be_bytes(magic);
    match (as_be, as_le) {
        (0xA1B2_C3D4, _) => pcap(reader, Order { big: true }, 1_000, &mut each),
        (_, 0xA1B2_C3D4) => pcap(reader, Order { big: false }, 1_000, &mut each),
        (0xA1B2_3C4D, _) => pcap(reader, Order { big: true }, 1, &mut each),
        (_, 0xA1B2_3C4D) => pcap(reader, Order { big: false }, 1, &mut each),
        (PCAPNG_SHB, _) => pcapng(reader, magic, &mut each),
        _ => Err(CaptureError::NotACapture { magic }),
    }
}

/// Classic pcap. `nanos_per_frac`: 1000 for microsecond files, 1 for nanosecond ones.
fn pcap(
    mut reader: impl Read,
    order: Order,
    nanos_per_frac: i64,
    each: &mut impl FnMut(Packet<'_>),
) -> Result<Vec<CaptureWarning>, CaptureError> {
    let mut header = [0u8; 20];
    if fill(&mut reader, &mut header)? < header.len() {
        return Err(CaptureError::Corrupt { packet: 0, damage: Damage::FileHeader });
    }
    // Version (4), zone (4), sigfigs (4), snaplen (4), link type (4). The link type's upper bits
    // may say that frames carry a check sequence; the type is in the lower 16.
    let link = order.u32(&header[16..20]) & 0xFFFF;
    let mut warnings = Vec::new();
    let mut offset: u64 = 24;
    let mut count = 0u64;
    let mut record = [0u8; 16];
    let mut data = Vec::new();
    loop {
        let got = fill(&mut reader, &mut record)?;
        if got == 0 {
            return Ok(warnings);
        }
        if got < record.len() {
            warnings.push(CaptureWarning::CutShort { offset, packets: count });
            return Ok(warnings);
        }
        let (secs, frac) = (order.u32(&record[0..4]), order.u32(&record[4..8]));
        let (caplen, wire_len) = (order.u32(&record[8..12]), order.u32(&record[12..16]));
        if caplen > MAX_PACKET_BYTES {
            return Err(CaptureError::Corrupt { packet: count + 1, damage: Damage::PacketTooLarge { bytes: caplen } });
        }
        data.resize(caplen as usize, 0);
        if fill(&mut reader, &mut data)? < data.len() {
            warnings.push(CaptureWarning::CutShort { offset, packets: count });
            return Ok(warnings);
        }
        count += 1;
        offset += 16 + u64::from(caplen);
        // A fraction of a million or more is tolerated (tshark shows it as it adds up).
        let micros = i64::from(secs) * 1_000_000 + i64::from(frac) * nanos_per_frac / 1_000;
        each(Packet { link, micros, data: &data, wire_len: wire_len.max(caplen) });
    }
}

/// One pcapng interface: its link type, snapshot length, and how its timestamps count.
struct Interface {
    link: u32,
    snaplen: u32,
    /// Units per second of its timestamps: `10^n` or `2^n` (`if_tsresol`); 10^6 without it.
    units: Units,
    /// Seconds to add to every timestamp (`if_tsoffset`).
    offset_secs: i64,
}

#[derive(Clone, Copy)]
enum Units {
    PowerOfTen(u32),
    PowerOfTwo(u32),
}

impl Units {
    fn to_micros(self, ts: u64) -> i64 {
        let ts = u128::from(ts);
        let micros = match self {
            Units::PowerOfTen(n) if n >= 6 => ts / 10u128.pow(n - 6),
            Units::PowerOfTen(n) => ts * 10u128.pow(6 - n),
            Units::PowerOfTwo(n) => (ts * 1_000_000) >> n,
        };
        i64::try_from(micros).unwrap_or(i64::MAX)
    }
}

fn pcapng(mut reader: impl Read, first: [u8; 4], each: &mut impl FnMut(Packet<'_>)) -> Result<Vec<CaptureWarning>, CaptureError> {
    let mut warnings = Vec::new();
    let mut interfaces: Vec<Interface> = Vec::new();
    let mut order = Order { big: false };
    let mut count = 0u64;
    let mut offset: u64 = 0;
    let mut pending_type = Some(first);
    let mut body = Vec::new();
    loop {
        // Block: type (4), total length (4), body, total length (4).
        let mut head = [0u8; 8];
        let (type_bytes, got) = match pending_type.take() {
            Some(t) => {
                head[..4].copy_from_slice(&t);
                (t, 4 + fill(&mut reader, &mut head[4..])?)
            }
            None => {
                let got = fill(&mut reader, &mut head)?;
                ([head[0], head[1], head[2], head[3]], got)
            }
        };
        if got == 0 {
            return Ok(warnings);
        }
        if got < head.len() {
            warnings.push(CaptureWarning::CutShort { offset, packets: count });
            return Ok(warnings);
        }
        let is_section = u32::from_be_bytes(type_bytes) == PCAPNG_SHB;
        if is_section {
            // A new section sets the byte order (from its magic) and forgets the interfaces.
            let mut magic = [0u8; 4];
            if fill(&mut reader, &mut magic)? < 4 {
                warnings.push(CaptureWarning::CutShort { offset, packets: count });
                return Ok(warnings);
            }
            order = match u32::from_le_bytes(magic) {
                PCAPNG_BYTE_ORDER => Order { big: false },
                _ if u32::from_be_bytes(magic) == PCAPNG_BYTE_ORDER => Order { big: true },
                _ => return Err(CaptureError::Corrupt { packet: count + 1, damage: Damage::FileHeader }),
            };
            interfaces.clear();
            // Its byte-order magic (4 bytes) is read already; the minimum is 28 bytes.
            let total = order.u32(&head[4..8]);
            if !rest_of_block(&mut reader, total, 28, 12, count, &mut body)? {
                warnings.push(CaptureWarning::CutShort { offset, packets: count });
                return Ok(warnings);
            }
            offset += u64::from(total);
            continue;
        }
        let block_type = order.u32(&type_bytes);
        let total = order.u32(&head[4..8]);
        if !rest_of_block(&mut reader, total, 12, 8, count, &mut body)? {
            warnings.push(CaptureWarning::CutShort { offset, packets: count });
            return Ok(warnings);
        }
        offset += u64::from(total);
        let body = &body[..body.len() - 4];
        match block_type {
            // Interface Description: link type (2), reserved (2), snaplen (4), options.
            1 if body.len() >= 8 => {
                let mut interface = Interface {
                    link: u32::from(order.u16(&body[0..2])),
                    snaplen: order.u32(&body[4..8]),
                    units: Units::PowerOfTen(6),
                    offset_secs: 0,
                };
                for (code, value) in options(order, &body[8..]) {
                    match (code, value) {
                        (9, [v, ..]) => {
                            // The top bit chooses base 2; beyond these, nobody counts finer.
                            interface.units = if v & 0x80 == 0 {
                                Units::PowerOfTen(u32::from(*v).min(18))
                            } else {
                                Units::PowerOfTwo(u32::from(v & 0x7f).min(60))
                            };
                        }
                        (14, v) if v.len() >= 8 => {
                            let raw = [v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]];
                            interface.offset_secs = if order.big { i64::from_be_bytes(raw) } else { i64::from_le_bytes(raw) };
                        }
                        _ => {}
                    }
                }
                interfaces.push(interface);
            }
            // Enhanced Packet: interface (4), timestamp high and low (8), captured and original
            // lengths (8), data. The obsolete Packet block (2) has a 2-byte interface and drops.
            6 | 2 if body.len() >= 20 => {
                count += 1;
                let id = if block_type == 6 { order.u32(&body[0..4]) } else { u32::from(order.u16(&body[0..2])) };
                let interface =
                    interfaces.get(id as usize).ok_or(CaptureError::Corrupt { packet: count, damage: Damage::UnknownInterface { id } })?;
                let ts = (u64::from(order.u32(&body[4..8])) << 32) | u64::from(order.u32(&body[8..12]));
                let (caplen, wire_len) = (order.u32(&body[12..16]), order.u32(&body[16..20]));
                let data = &body[20..];
                if caplen as usize > data.len() {
                    return Err(CaptureError::Corrupt { packet: count, damage: Damage::PacketOutsideBlock { bytes: caplen } });
                }
                let micros = interface.units.to_micros(ts).saturating_add(interface.offset_secs.saturating_mul(1_000_000));
                each(Packet { link: interface.link, micros, data: &data[..caplen as usize], wire_len: wire_len.max(caplen) });
            }
            // Simple Packet: original length (4), data (as much as the first interface keeps).
            3 if body.len() >= 4 => {
                count += 1;
                let interface =
                    interfaces.first().ok_or(CaptureError::Corrupt { packet: count, damage: Damage::UnknownInterface { id: 0 } })?;
                let wire_len = order.u32(&body[0..4]);
                let keep = [wire_len, if interface.snaplen == 0 { u32::MAX } else { interface.snaplen }, (body.len() - 4) as u32];
                let caplen = keep.into_iter().min().unwrap_or(0) as usize;
                each(Packet { link: interface.link, micros: 0, data: &body[4..4 + caplen], wire_len });
            }
            1 | 2 | 3 | 6 => return Err(CaptureError::Corrupt { packet: count + 1, damage: Damage::BlockLength { bytes: total } }),
            // Name resolution, statistics, decryption secrets, custom blocks: nothing to replay.
            _ => {}
        }
    }
}

/// Reads the rest of a pcapng block of `total` bytes, `read` of which are in, into `body`:
/// `false` when the file ends inside it. A length below `min`, above the limit or not a multiple
/// of 4 is damage at the packet after the `count` read.
fn rest_of_block(reader: &mut impl Read, total: u32, min: u32, read: u32, count: u64, body: &mut Vec<u8>) -> Result<bool, CaptureError> {
    if !(min..=MAX_BLOCK_BYTES).contains(&total) || !total.is_multiple_of(4) {
        return Err(CaptureError::Corrupt { packet: count + 1, damage: Damage::BlockLength { bytes: total } });
    }
    body.resize((total - read) as usize, 0);
    Ok(fill(reader, body)? == body.len())
}

/// A block's options as (code, value) pairs, up to `opt_endofopt` or the end.
fn options(order: Order, mut bytes: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        if bytes.len() < 4 {
            return None;
        }
        let (code, len) = (order.u16(&bytes[0..2]), usize::from(order.u16(&bytes[2..4])));
        if code == 0 || bytes.len() < 4 + len {
            return None;
        }
        let value = &bytes[4..4 + len];
        let padded = (4 + len).div_ceil(4) * 4;
        bytes = &bytes[padded.min(bytes.len())..];
        Some((code, value))
    })
}
