//! From link-layer bytes to the TCP header fields, for the link types capture tools write on
//! Linux and elsewhere: Ethernet (with VLAN and QinQ tags), Linux cooked v1 (any ARPHRD) and v2,
//! BSD loopback/null and raw IP.
//!
//! Lax, as tshark is: a packet cut short by the snapshot length keeps its header fields and its
//! length on the wire, and an IPv4 total length of 0 (segmentation offload, BIG TCP) means "as
//! long as what was captured".

use std::net::{IpAddr, SocketAddr};

use etherparse::{EtherType, LaxNetSlice, LaxSlicedPacket, TransportSlice};

use crate::tcp::{Flags, Segment, Side, TcpOptions};

pub struct TcpPacket {
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub seq: u32,
    pub ack: u32,
    pub flags: Flags,
    pub len: u32,
    pub window: u16,
    pub options: TcpOptions,
    /// The capture holds less of the packet than was on the wire.
    pub truncated: bool,
}

impl TcpPacket {
    pub fn into_segment(self, from: Side) -> Segment {
        let ack = if self.flags.ack { self.ack } else { 0 };
        Segment { from, seq: self.seq, ack, flags: self.flags, len: self.len, window: self.window, options: self.options }
    }
}

/// What one packet is to the reader.
pub enum Decoded {
    Tcp(TcpPacket),
    /// Something else (ARP, UDP, ...), or too damaged to decode.
    Other,
    /// A link type this reader does not decode.
    UnknownLink,
}

// LINKTYPE_* numbers (tcpdump.org), as pcap and pcapng files give them.
pub(super) const NULL: u32 = 0;
pub(super) const ETHERNET: u32 = 1;
pub(super) const RAW: u32 = 101;
const LOOP: u32 = 108;
pub(super) const LINUX_SLL: u32 = 113;
const IPV4: u32 = 228;
const IPV6: u32 = 229;
pub(super) const LINUX_SLL2: u32 = 276;

/// The TCP segment in a packet. `wire_len` is its length on the wire (at least `data`'s).
pub fn tcp(link: u32, data: &[u8], wire_len: u32) -> Decoded {
    let sliced = match link {
        ETHERNET => LaxSlicedPacket::from_ethernet(data).ok(),
        // SLL: packet type (2), ARPHRD (2), address length (2), address (8), protocol (2). The
        // protocol is an EtherType whatever the device (Ethernet, loopback 772, PPP 512 ...).
        LINUX_SLL => ether_type_at(data, 14).map(|t| LaxSlicedPacket::from_ether_type(t, &data[16..])),
        // SLL2: protocol (2) first, 20 bytes of header in all.
        LINUX_SLL2 => ether_type_at(data, 0).filter(|_| data.len() >= 20).map(|t| LaxSlicedPacket::from_ether_type(t, &data[20..])),
        // The null/loopback header is the address family in the writer's byte order (NULL) or in
        // network order (LOOP); the IP version nibble says the same more reliably.
        NULL | LOOP => data.get(4..).and_then(|ip| LaxSlicedPacket::from_ip(ip).ok()),
        // 12 and 14 are raw IP on some systems (the numbers before LINKTYPE_RAW was fixed).
        RAW | IPV4 | IPV6 | 12 | 14 => LaxSlicedPacket::from_ip(data).ok(),
        _ => return Decoded::UnknownLink,
    };
    match sliced.and_then(|s| segment(&s, data, wire_len)) {
        Some(packet) => Decoded::Tcp(packet),
        None => Decoded::Other,
    }
}

fn ether_type_at(data: &[u8], at: usize) -> Option<EtherType> {
    Some(EtherType(u16::from_be_bytes([*data.get(at)?, *data.get(at + 1)?])))
}

/// Where `part` starts in `whole` (it is a sub-slice of it).
fn offset_in(whole: &[u8], part: &[u8]) -> usize {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
}

fn segment(sliced: &LaxSlicedPacket<'_>, data: &[u8], wire_len: u32) -> Option<TcpPacket> {
    let TransportSlice::Tcp(tcp) = sliced.transport.as_ref()? else { return None };
    let (src_ip, dst_ip, payload, declared_end): (IpAddr, IpAddr, _, usize) = match sliced.net.as_ref()? {
        LaxNetSlice::Ipv4(v4) => {
            let header = v4.header();
            let end = offset_in(data, header.slice()) + usize::from(header.total_len());
            (header.source_addr().into(), header.destination_addr().into(), v4.payload(), end)
        }
        LaxNetSlice::Ipv6(v6) => {
            let header = v6.header();
            let end = offset_in(data, header.slice()) + 40 + usize::from(header.payload_length());
            (header.source_addr().into(), header.destination_addr().into(), v6.payload(), end)
        }
        LaxNetSlice::Arp(_) => return None,
    };
    let header_len = usize::from(tcp.data_offset()) * 4;
    let tcp_start = offset_in(data, tcp.slice());
    // Cut short by the snapshot length: the IP header says how long the segment was. Otherwise
    // what the IP layer holds (which is all that was captured when the length field was 0).
    let len = if payload.incomplete {
        declared_end.checked_sub(tcp_start + header_len)?
    } else {
        (offset_in(data, payload.payload) + payload.payload.len()).checked_sub(tcp_start + header_len)?
    };
    Some(TcpPacket {
        src: SocketAddr::new(src_ip, tcp.source_port()),
        dst: SocketAddr::new(dst_ip, tcp.destination_port()),
        seq: tcp.sequence_number(),
        ack: tcp.acknowledgment_number(),
        flags: Flags { syn: tcp.syn(), ack: tcp.ack(), fin: tcp.fin(), rst: tcp.rst(), psh: tcp.psh() },
        len: u32::try_from(len).ok()?,
        window: tcp.window_size(),
        options: super::options::parse(tcp.options()),
        truncated: payload.incomplete || (data.len() as u64) < u64::from(wire_len),
    })
}
