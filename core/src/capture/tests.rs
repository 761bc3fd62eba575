//! The reader on files built here byte by byte: every link type, both IP versions, both file
//! formats, and broken input. Real captures made with tcpdump are checked by the server's
//! fidelity tests.

use std::borrow::Cow;
use std::time::Duration;

use etherparse::PacketBuilder;
use pcap_file::DataLink;
use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
use pcap_file::pcapng::PcapNgWriter;
use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
use pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionBlock;

use super::*;
use crate::tcp::{ScenarioId, ScenarioParams, Side, StepKey, StepKind, TcpState, run};

/// The IP packets of a model run, as a host at 10.0.0.1:40000 talking to 10.0.0.2:80 would send them.
fn ip_packets(run: &crate::tcp::Run, v6: bool) -> Vec<Vec<u8>> {
    run.steps
        .iter()
        .filter_map(|s| s.segment())
        .map(|seg| {
            let (sp, dp) = if seg.from == Side::Client { (40000, 80) } else { (80, 40000) };
            let (a, b) = ([10, 0, 0, 1], [10, 0, 0, 2]);
            let (a6, b6) = (
                [0u8; 15].iter().chain([1u8].iter()).copied().collect::<Vec<_>>(),
                [0u8; 15].iter().chain([2u8].iter()).copied().collect::<Vec<_>>(),
            );
            let builder = if v6 {
                let (s, d): ([u8; 16], [u8; 16]) = if seg.from == Side::Client {
                    (a6.clone().try_into().unwrap(), b6.clone().try_into().unwrap())
                } else {
                    (b6.try_into().unwrap(), a6.try_into().unwrap())
                };
                PacketBuilder::ipv6(s, d, 64)
            } else {
                let (s, d) = if seg.from == Side::Client { (a, b) } else { (b, a) };
                PacketBuilder::ipv4(s, d, 64)
            };
            let mut tcp = builder.tcp(sp, dp, seg.seq, seg.window);
            if seg.flags.syn {
                tcp = tcp.syn();
            }
            if seg.flags.ack {
                tcp = tcp.ack(seg.ack);
            }
            if seg.flags.fin {
                tcp = tcp.fin();
            }
            if seg.flags.rst {
                tcp = tcp.rst();
            }
            if seg.flags.psh {
                tcp = tcp.psh();
            }
            let payload = vec![b'x'; seg.len as usize];
            let mut out = Vec::new();
            tcp.write(&mut out, &payload).unwrap();
            out
        })
        .collect()
}

fn framed(link: DataLink, ip: &[u8]) -> Vec<u8> {
    let v6 = ip[0] >> 4 == 6;
    let ether_type: u16 = if v6 { 0x86dd } else { 0x0800 };
    let mut out = Vec::new();
    match link {
        DataLink::ETHERNET => {
            out.extend([0u8; 12]);
            out.extend(ether_type.to_be_bytes());
        }
        DataLink::LINUX_SLL => {
            out.extend([0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend(ether_type.to_be_bytes());
        }
        DataLink::LINUX_SLL2 => {
            out.extend(ether_type.to_be_bytes());
            out.extend([0u8; 18]);
        }
        DataLink::NULL => out.extend((if v6 { 24u32 } else { 2u32 }).to_le_bytes()),
        _ => {}
    }
    out.extend(ip);
    out
}

fn pcap(link: DataLink, frames: &[Vec<u8>]) -> Vec<u8> {
    let header = PcapHeader { datalink: link, ..PcapHeader::default() };
    let mut w = PcapWriter::with_header(Vec::new(), header).unwrap();
    for (i, f) in frames.iter().enumerate() {
        w.write_packet(&PcapPacket::new(Duration::from_millis(1000 + i as u64 * 10), f.len() as u32, f)).unwrap();
    }
    w.into_writer()
}

fn pcapng(link: DataLink, frames: &[Vec<u8>]) -> Vec<u8> {
    let mut w = PcapNgWriter::new(Vec::new()).unwrap();
    w.write_pcapng_block(InterfaceDescriptionBlock { linktype: link, snaplen: 0xffff, options: vec![] }).unwrap();
    for (i, f) in frames.iter().enumerate() {
        w.write_pcapng_block(EnhancedPacketBlock {
            interface_id: 0,
            timestamp: Duration::from_millis(i as u64),
            original_len: f.len() as u32,
            data: Cow::Borrowed(f),
            options: vec![],
        })
        .unwrap();
    }
    w.into_inner()
}

fn fields(run: &crate::tcp::Run) -> Vec<(Side, String, u32, u32, u32)> {
    run.steps
        .iter()
        .filter_map(|s| s.segment())
        .map(|s| (s.from, s.flags.to_string(), s.seq, if s.flags.ack { s.ack } else { 0 }, s.len))
        .collect()
}

#[test]
fn every_link_type_and_both_formats_give_back_the_model_run() {
    let params = ScenarioParams { client_isn: u32::MAX - 1, ..ScenarioParams::default() };
    let model = run(ScenarioId::DataTransfer, &params).unwrap();
    for v6 in [false, true] {
        let ips = ip_packets(&model, v6);
        for link in [DataLink::ETHERNET, DataLink::LINUX_SLL, DataLink::LINUX_SLL2, DataLink::NULL, DataLink::RAW] {
            let frames: Vec<Vec<u8>> = ips.iter().map(|ip| framed(link, ip)).collect();
            for file in [pcap(link, &frames), pcapng(link, &frames)] {
                let capture = read(&file[..]).unwrap_or_else(|e| panic!("{link:?} v6={v6}: {e}"));
                assert_eq!(capture.conversations.len(), 1, "{link:?}");
                let replay = to_run(&capture.conversations[0]);
                assert_eq!(fields(&replay), fields(&model), "{link:?} v6={v6}");
                assert_eq!((replay.params.client_isn, replay.params.server_isn), (params.client_isn, params.server_isn));
            }
        }
    }
}

#[test]
fn inferred_states_and_keys_match_the_model() {
    // Simultaneous open is left out: a capture shows when each SYN left, not that the server's
    // SYN left before the client's arrived, so the states in between cannot be told from it.
    for id in [ScenarioId::Handshake, ScenarioId::Refused, ScenarioId::DataTransfer, ScenarioId::CloseClient, ScenarioId::AbortLinger0] {
        let model = run(id, &ScenarioParams::default()).unwrap();
        let frames: Vec<Vec<u8>> = ip_packets(&model, false).iter().map(|ip| framed(DataLink::ETHERNET, ip)).collect();
        let replay = to_run(&read(&pcap(DataLink::ETHERNET, &frames)[..]).unwrap().conversations[0]);
        let view = |r: &crate::tcp::Run| r.steps.iter().map(|s| (s.key, s.client.after, s.server.after)).collect::<Vec<_>>();
        assert_eq!(view(&replay), view(&model), "{id}");
    }
    // A close captured after the handshake: the three-segment close is recognised as such.
    let model = run(ScenarioId::CloseFinAck, &ScenarioParams::default()).unwrap();
    let frames: Vec<Vec<u8>> = ip_packets(&model, false).iter().map(|ip| framed(DataLink::ETHERNET, ip)).collect();
    let replay = to_run(&read(&pcap(DataLink::ETHERNET, &frames)[..]).unwrap().conversations[0]);
    let keys: Vec<_> = replay.steps.iter().map(|s| s.key).collect();
    assert_eq!(keys, [StepKey::Fin, StepKey::FinAckCombined, StepKey::LastAck]);
    assert_eq!(replay.steps[2].client.after, TcpState::TimeWait);
    assert!(matches!(replay.steps[0].kind, StepKind::Segment { .. }));
    let model = run(ScenarioId::SimultaneousOpen, &ScenarioParams::default()).unwrap();
    let frames: Vec<Vec<u8>> = ip_packets(&model, false).iter().map(|ip| framed(DataLink::ETHERNET, ip)).collect();
    let capture = read(&pcap(DataLink::ETHERNET, &frames)[..]).unwrap();
    assert_eq!(capture.conversations.len(), 1, "crossing SYNs are one connection");
    let last = to_run(&capture.conversations[0]).steps.pop().unwrap();
    assert_eq!((last.client.after, last.server.after), (TcpState::Established, TcpState::Established));
}

#[test]
fn bad_files_get_clear_errors() {
    assert_eq!(read(&[][..]), Err(CaptureError::Empty));
    assert!(matches!(read(&b"GIF89a..."[..]), Err(CaptureError::NotACapture { .. })));
    assert!(matches!(read(&[0xd4u8, 0xc3][..]), Err(CaptureError::NotACapture { .. })));
    let model = run(ScenarioId::Handshake, &ScenarioParams::default()).unwrap();
    let frames: Vec<Vec<u8>> = ip_packets(&model, false).iter().map(|ip| framed(DataLink::ETHERNET, ip)).collect();
    let file = pcap(DataLink::ETHERNET, &frames);
    for cut in [10, 30, file.len() - 5] {
        let err = read(&file[..cut]).unwrap_err();
        assert!(matches!(err, CaptureError::Corrupt { .. }), "cut at {cut}: {err}");
    }
    let ng = pcapng(DataLink::ETHERNET, &frames);
    assert!(matches!(read(&ng[..ng.len() - 3]), Err(CaptureError::Corrupt { .. })));
    // Packets, but none of them TCP.
    let junk = pcap(DataLink::ETHERNET, &[vec![0u8; 60], vec![0xffu8; 20]]);
    assert_eq!(read(&junk[..]), Err(CaptureError::NoTcp { packets: 2 }));
    let empty = pcap(DataLink::ETHERNET, &[]);
    assert_eq!(read(&empty[..]), Err(CaptureError::NoPackets));
}

#[test]
fn a_new_syn_on_the_same_ports_starts_a_new_conversation() {
    let first = run(ScenarioId::Handshake, &ScenarioParams::default()).unwrap();
    let second = run(ScenarioId::Handshake, &ScenarioParams { client_isn: 77, ..ScenarioParams::default() }).unwrap();
    let mut frames: Vec<Vec<u8>> = ip_packets(&first, false).iter().map(|ip| framed(DataLink::RAW, ip)).collect();
    frames.extend(ip_packets(&second, false).iter().map(|ip| framed(DataLink::RAW, ip)));
    let capture = read(&pcap(DataLink::RAW, &frames)[..]).unwrap();
    assert_eq!(capture.conversations.len(), 2);
    assert_eq!(capture.infos()[1].client, "10.0.0.1:40000");
}

/// Retransmitted SYNs (one ISN) stay one conversation however many there are; a SYN with
/// another ISN after them still starts a new one. The check is per end, not per stored segment,
/// so a flood of SYNs reads in linear time (its figure is in the `figures` bench).
#[test]
fn retransmitted_syns_stay_one_conversation_and_another_isn_starts_a_new_one() {
    let syn = |isn: u32| {
        let mut out = Vec::new();
        PacketBuilder::ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64).tcp(40000, 80, isn, 64240).syn().write(&mut out, &[]).unwrap();
        out
    };
    let mut frames: Vec<Vec<u8>> = (0..20_000).map(|_| syn(1000)).collect();
    frames.push(syn(5000));
    frames.push(syn(1000));
    let capture = read(&pcap(DataLink::RAW, &frames)[..]).unwrap();
    let sizes: Vec<usize> = capture.conversations.iter().map(|c| c.segments.len()).collect();
    assert_eq!(sizes, [20_000, 1, 1], "the old ISN after a new one is a new connection again");
}
