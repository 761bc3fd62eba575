//! From link-layer bytes to the TCP header fields, for the link types capture tools write on
//! Linux and elsewhere: Ethernet, Linux cooked (SLL and SLL2), BSD loopback/null and raw IP.

use std::net::{IpAddr, SocketAddr};

use etherparse::{EtherType, NetSlice, SlicedPacket, TransportSlice};
use pcap_file::DataLink;

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
}

impl TcpPacket {
    pub fn into_segment(self, from: Side) -> Segment {
        let ack = if self.flags.ack { self.ack } else { 0 };
        Segment { from, seq: self.seq, ack, flags: self.flags, len: self.len, window: self.window, options: self.options }
    }
}

/// The TCP segment in a packet, or `None` for anything else (or anything undecodable).
pub fn tcp(link: DataLink, data: &[u8]) -> Option<TcpPacket> {
    let sliced = match link {
        DataLink::ETHERNET => SlicedPacket::from_ethernet(data).ok()?,
        DataLink::LINUX_SLL => SlicedPacket::from_linux_sll(data).ok()?,
        DataLink::LINUX_SLL2 => {
            // SLL2: protocol type (2 bytes) first, 20 bytes of header in all.
            let ether_type = u16::from_be_bytes([*data.first()?, *data.get(1)?]);
            SlicedPacket::from_ether_type(EtherType(ether_type), data.get(20..)?).ok()?
        }
        // The null/loopback header is the address family in the writer's byte order (NULL) or in
        // network order (LOOP); the IP version nibble says the same more reliably.
        DataLink::NULL | DataLink::LOOP => SlicedPacket::from_ip(data.get(4..)?).ok()?,
        DataLink::RAW | DataLink::IPV4 | DataLink::IPV6 => SlicedPacket::from_ip(data).ok()?,
        DataLink::Unknown(12) | DataLink::Unknown(14) => SlicedPacket::from_ip(data).ok()?,
        _ => return None,
    };
    let (src_ip, dst_ip, ip_payload_len): (IpAddr, IpAddr, usize) = match sliced.net.as_ref()? {
        NetSlice::Ipv4(v4) => (v4.header().source_addr().into(), v4.header().destination_addr().into(), v4.payload().payload.len()),
        NetSlice::Ipv6(v6) => (v6.header().source_addr().into(), v6.header().destination_addr().into(), v6.payload().payload.len()),
        NetSlice::Arp(_) => return None,
    };
    let TransportSlice::Tcp(tcp) = sliced.transport.as_ref()? else { return None };
    let header_len = usize::from(tcp.data_offset()) * 4;
    let len = ip_payload_len.checked_sub(header_len)? as u32;
    Some(TcpPacket {
        src: SocketAddr::new(src_ip, tcp.source_port()),
        dst: SocketAddr::new(dst_ip, tcp.destination_port()),
        seq: tcp.sequence_number(),
        ack: tcp.acknowledgment_number(),
        flags: Flags { syn: tcp.syn(), ack: tcp.ack(), fin: tcp.fin(), rst: tcp.rst(), psh: tcp.psh() },
        len,
        window: tcp.window_size(),
        options: super::options::parse(tcp.options()),
    })
}
