//! The reader on files built here byte by byte: every link type, both IP versions, both file
//! formats, and broken input. Real captures made with tcpdump are checked by the server's
//! fidelity tests.

use etherparse::PacketBuilder;

use super::*;

/// Link-layer header types (LINKTYPE_*), as files give them.
use super::decode as lt;
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
            if let Some(&(left, right)) = seg.options.sack.first() {
                tcp = tcp.options(&[etherparse::TcpOptionElement::SelectiveAcknowledgement((left, right), [None; 3])]).unwrap();
            }
            let payload = vec![b'x'; seg.len as usize];
            let mut out = Vec::new();
            tcp.write(&mut out, &payload).unwrap();
            out
        })
        .collect()
}

fn framed(link: u32, ip: &[u8]) -> Vec<u8> {
    let v6 = ip[0] >> 4 == 6;
    let ether_type: u16 = if v6 { 0x86dd } else { 0x0800 };
    let mut out = Vec::new();
    match link {
        lt::ETHERNET => {
            out.extend([0u8; 12]);
            out.extend(ether_type.to_be_bytes());
        }
        lt::LINUX_SLL => {
            out.extend([0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend(ether_type.to_be_bytes());
        }
        lt::LINUX_SLL2 => {
            out.extend(ether_type.to_be_bytes());
            out.extend([0u8; 18]);
        }
        lt::NULL => out.extend((if v6 { 24u32 } else { 2u32 }).to_le_bytes()),
        _ => {}
    }
    out.extend(ip);
    out
}

/// A classic pcap file (little-endian, microseconds): one packet every 10 ms from t = 1 s.
pub(super) fn pcap(link: u32, frames: &[Vec<u8>]) -> Vec<u8> {
    let records: Vec<(u32, u32, Vec<u8>, u32)> =
        frames.iter().enumerate().map(|(i, f)| (1, i as u32 * 10_000, f.clone(), f.len() as u32)).collect();
    pcap_records(link, 0xffff, &records)
}

/// A pcap file from `(seconds, microseconds, captured bytes, length on the wire)` records.
pub(super) fn pcap_records(link: u32, snaplen: u32, records: &[(u32, u32, Vec<u8>, u32)]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(0xA1B2_C3D4u32.to_le_bytes());
    out.extend(2u16.to_le_bytes());
    out.extend(4u16.to_le_bytes());
    out.extend([0u8; 8]);
    out.extend(snaplen.to_le_bytes());
    out.extend(link.to_le_bytes());
    for (secs, micros, data, wire) in records {
        out.extend(secs.to_le_bytes());
        out.extend(micros.to_le_bytes());
        out.extend((data.len() as u32).to_le_bytes());
        out.extend(wire.to_le_bytes());
        out.extend(data);
    }
    out
}

/// A pcapng block of `kind` around `body` (padded to 4 bytes), little-endian.
pub(super) fn block(kind: u32, body: &[u8]) -> Vec<u8> {
    let padded = body.len().div_ceil(4) * 4;
    let total = (12 + padded) as u32;
    let mut out = Vec::new();
    out.extend(kind.to_le_bytes());
    out.extend(total.to_le_bytes());
    out.extend(body);
    out.extend(vec![0u8; padded - body.len()]);
    out.extend(total.to_le_bytes());
    out
}

pub(super) fn section_header() -> Vec<u8> {
    let mut body = Vec::new();
    body.extend(0x1A2B_3C4Du32.to_le_bytes());
    body.extend(1u16.to_le_bytes());
    body.extend(0u16.to_le_bytes());
    body.extend((-1i64).to_le_bytes());
    block(0x0A0D_0D0A, &body)
}

/// An Interface Description block; `options` are (code, value) pairs.
pub(super) fn interface(link: u32, options: &[(u16, Vec<u8>)]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend((link as u16).to_le_bytes());
    body.extend(0u16.to_le_bytes());
    body.extend(0xffffu32.to_le_bytes());
    for (code, value) in options {
        body.extend(code.to_le_bytes());
        body.extend((value.len() as u16).to_le_bytes());
        body.extend(value);
        body.extend(vec![0u8; value.len().div_ceil(4) * 4 - value.len()]);
    }
    if !options.is_empty() {
        body.extend([0u8; 4]);
    }
    block(1, &body)
}

/// An Enhanced Packet block with a raw timestamp in the interface's units.
pub(super) fn enhanced(interface: u32, ts: u64, data: &[u8], wire: u32) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend(interface.to_le_bytes());
    body.extend(((ts >> 32) as u32).to_le_bytes());
    body.extend((ts as u32).to_le_bytes());
    body.extend((data.len() as u32).to_le_bytes());
    body.extend(wire.to_le_bytes());
    body.extend(data);
    block(6, &body)
}

/// A pcapng file with one interface and no `if_tsresol`: timestamps in microseconds, 1 ms apart.
pub(super) fn pcapng(link: u32, frames: &[Vec<u8>]) -> Vec<u8> {
    let mut out = section_header();
    out.extend(interface(link, &[]));
    for (i, f) in frames.iter().enumerate() {
        out.extend(enhanced(0, i as u64 * 1_000, f, f.len() as u32));
    }
    out
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
        for link in [lt::ETHERNET, lt::LINUX_SLL, lt::LINUX_SLL2, lt::NULL, lt::RAW] {
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
        let frames: Vec<Vec<u8>> = ip_packets(&model, false).iter().map(|ip| framed(lt::ETHERNET, ip)).collect();
        let replay = to_run(&read(&pcap(lt::ETHERNET, &frames)[..]).unwrap().conversations[0]);
        let view = |r: &crate::tcp::Run| r.steps.iter().map(|s| (s.key, s.client.after, s.server.after)).collect::<Vec<_>>();
        assert_eq!(view(&replay), view(&model), "{id}");
    }
    // A close captured after the handshake: the three-segment close is recognised as such.
    let model = run(ScenarioId::CloseFinAck, &ScenarioParams::default()).unwrap();
    let frames: Vec<Vec<u8>> = ip_packets(&model, false).iter().map(|ip| framed(lt::ETHERNET, ip)).collect();
    let replay = to_run(&read(&pcap(lt::ETHERNET, &frames)[..]).unwrap().conversations[0]);
    let keys: Vec<_> = replay.steps.iter().map(|s| s.key).collect();
    assert_eq!(keys, [StepKey::Fin, StepKey::FinAckCombined, StepKey::LastAck]);
    assert_eq!(replay.steps[2].client.after, TcpState::TimeWait);
    assert!(matches!(replay.steps[0].kind, StepKind::Segment { .. }));
    let model = run(ScenarioId::SimultaneousOpen, &ScenarioParams::default()).unwrap();
    let frames: Vec<Vec<u8>> = ip_packets(&model, false).iter().map(|ip| framed(lt::ETHERNET, ip)).collect();
    let capture = read(&pcap(lt::ETHERNET, &frames)[..]).unwrap();
    assert_eq!(capture.conversations.len(), 1, "crossing SYNs are one connection");
    let replay = to_run(&capture.conversations[0]);
    let last = replay.steps.last().unwrap();
    assert_eq!((last.client.after, last.server.after), (TcpState::Established, TcpState::Established));
    let keys: Vec<StepKey> = replay.steps[4..].iter().map(|s| s.key).collect();
    assert_eq!(keys, [StepKey::SimultaneousAck; 2], "the closing ACKs, told by their D-SACK");
}

#[test]
fn bad_files_get_clear_errors() {
    assert_eq!(read(&[][..]), Err(CaptureError::Empty));
    assert!(matches!(read(&b"GIF89a..."[..]), Err(CaptureError::NotACapture { .. })));
    assert!(matches!(read(&[0xd4u8, 0xc3][..]), Err(CaptureError::NotACapture { .. })));
    let model = run(ScenarioId::Handshake, &ScenarioParams::default()).unwrap();
    let frames: Vec<Vec<u8>> = ip_packets(&model, false).iter().map(|ip| framed(lt::ETHERNET, ip)).collect();
    let file = pcap(lt::ETHERNET, &frames);
    assert_eq!(read(&file[..10]), Err(CaptureError::Corrupt { packet: 0, damage: Damage::FileHeader }));
    assert_eq!(read(&file[..30]), Err(CaptureError::Corrupt { packet: 1, damage: Damage::CutInFirstPacket }));
    // Packets, but none of them TCP.
    let junk = pcap(lt::ETHERNET, &[vec![0u8; 60], vec![0xffu8; 20]]);
    assert_eq!(read(&junk[..]), Err(CaptureError::NoTcp { packets: 2, links: vec![] }));
    let empty = pcap(lt::ETHERNET, &[]);
    assert_eq!(read(&empty[..]), Err(CaptureError::NoPackets));
}

#[test]
fn a_new_syn_on_the_same_ports_starts_a_new_conversation() {
    let first = run(ScenarioId::Handshake, &ScenarioParams::default()).unwrap();
    let second = run(ScenarioId::Handshake, &ScenarioParams { client_isn: 77, ..ScenarioParams::default() }).unwrap();
    let mut frames: Vec<Vec<u8>> = ip_packets(&first, false).iter().map(|ip| framed(lt::RAW, ip)).collect();
    frames.extend(ip_packets(&second, false).iter().map(|ip| framed(lt::RAW, ip)));
    let capture = read(&pcap(lt::RAW, &frames)[..]).unwrap();
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
    let capture = read(&pcap(lt::RAW, &frames)[..]).unwrap();
    let sizes: Vec<usize> = capture.conversations.iter().map(|c| c.segments.len()).collect();
    assert_eq!(sizes, [20_000, 1, 1], "the old ISN after a new one is a new connection again");
}
