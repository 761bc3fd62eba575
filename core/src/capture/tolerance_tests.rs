//! The reader on files as other tools write them, built here byte by byte after the pcap and
//! pcapng specifications: every common Linux link type, pcapng time resolutions, packets cut by
//! the snapshot length, offloaded packets, damaged tails, header oddities tshark tolerates, link
//! types it cannot decode, and captures that start mid-connection.

use etherparse::PacketBuilder;

use super::tests::{block, enhanced, interface, pcap, pcap_records, pcapng, section_header};
use super::*;
use crate::tcp::Side;

const CLIENT: [u8; 4] = [10, 0, 0, 1];
const SERVER: [u8; 4] = [10, 0, 0, 2];

/// An IPv4 packet from 10.0.0.1:40000 to 10.0.0.2:80 (or back) with `payload` bytes of data.
fn ip(to_server: bool, seq: u32, ack: Option<u32>, syn: bool, payload: usize) -> Vec<u8> {
    let (s, d, sp, dp) = if to_server { (CLIENT, SERVER, 40000, 80) } else { (SERVER, CLIENT, 80, 40000) };
    let mut tcp = PacketBuilder::ipv4(s, d, 64).tcp(sp, dp, seq, 64240);
    if syn {
        tcp = tcp.syn();
    }
    if let Some(a) = ack {
        tcp = tcp.ack(a);
    }
    let mut out = Vec::new();
    tcp.write(&mut out, &vec![b'x'; payload]).unwrap();
    out
}

/// The handshake and one data segment.
fn handshake_and_data() -> Vec<Vec<u8>> {
    vec![
        ip(true, 100, None, true, 0),
        ip(false, 900, Some(101), true, 0),
        ip(true, 101, Some(901), false, 0),
        ip(true, 101, Some(901), false, 1000),
    ]
}

fn ethernet(ether_type: u16, tags: &[u16], ip: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; 12];
    for tpid in tags {
        out.extend(tpid.to_be_bytes());
        out.extend(7u16.to_be_bytes());
    }
    out.extend(ether_type.to_be_bytes());
    out.extend(ip);
    out
}

fn segments(capture: &Capture) -> Vec<(Side, u32, u32)> {
    capture.conversations[0].segments.iter().map(|c| (c.segment.from, c.segment.seq, c.segment.len)).collect()
}

const EXPECTED: [(Side, u32, u32); 4] = [(Side::Client, 100, 0), (Side::Server, 900, 0), (Side::Client, 101, 0), (Side::Client, 101, 1000)];

#[test]
fn linux_cooked_v1_is_read_for_any_device_type_and_vlan_tags_are_skipped() {
    // SLL v1 for loopback (ARPHRD 772), PPP (512) and Ethernet (1): `tcpdump -i any` on older
    // libpcap. The protocol field is an EtherType for all of them.
    for arphrd in [1u16, 772, 512] {
        let frames: Vec<Vec<u8>> = handshake_and_data()
            .iter()
            .map(|ip| {
                let mut f = vec![0, 0];
                f.extend(arphrd.to_be_bytes());
                f.extend([0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00]);
                f.extend(ip);
                f
            })
            .collect();
        let capture = read(&pcap(113, &frames)[..]).unwrap_or_else(|e| panic!("ARPHRD {arphrd}: {e}"));
        assert_eq!(segments(&capture), EXPECTED, "ARPHRD {arphrd}");
    }
    // One 802.1Q tag, and QinQ (802.1ad outer, 802.1Q inner).
    for tags in [vec![0x8100u16], vec![0x88a8, 0x8100]] {
        let frames: Vec<Vec<u8>> = handshake_and_data().iter().map(|ip| ethernet(0x0800, &tags, ip)).collect();
        let capture = read(&pcap(1, &frames)[..]).unwrap_or_else(|e| panic!("{tags:?}: {e}"));
        assert_eq!(segments(&capture), EXPECTED, "{tags:?}");
    }
}

#[test]
fn pcapng_timestamps_follow_each_interfaces_resolution_and_offset() {
    let frame = ethernet(0x0800, &[], &handshake_and_data()[0]);
    // (if_tsresol option, raw timestamps of two packets, microseconds between them)
    let cases: [(Option<u8>, [u64; 2], u64); 4] = [
        // No option: the specification's default is microseconds.
        (None, [5_000_000, 5_001_500], 1_500),
        (Some(9), [5_000_000_000, 5_001_500_000], 1_500),
        (Some(3), [5_000, 5_002], 2_000),
        // 2^-10 s units: 1024 of them are one second.
        (Some(0x80 | 10), [0, 1024], 1_000_000),
    ];
    for (resolution, [t0, t1], gap) in cases {
        let options: Vec<(u16, Vec<u8>)> = resolution.map(|r| (9u16, vec![r])).into_iter().collect();
        let mut file = section_header();
        file.extend(interface(1, &options));
        file.extend(enhanced(0, t0, &frame, frame.len() as u32));
        file.extend(enhanced(0, t1, &frame, frame.len() as u32));
        let capture = read(&file[..]).unwrap();
        let times: Vec<u64> = capture.conversations[0].segments.iter().map(|c| c.micros).collect();
        assert_eq!(times, [0, gap], "if_tsresol {resolution:?}");
    }
    // Two interfaces, one with if_tsoffset (seconds): packets are put in one time line.
    let mut file = section_header();
    file.extend(interface(1, &[]));
    file.extend(interface(1, &[(14, 10i64.to_le_bytes().to_vec())]));
    file.extend(enhanced(0, 10_000_000, &frame, frame.len() as u32));
    file.extend(enhanced(1, 250_000, &frame, frame.len() as u32));
    let capture = read(&file[..]).unwrap();
    let times: Vec<u64> = capture.conversations[0].segments.iter().map(|c| c.micros).collect();
    assert_eq!(times, [0, 250_000]);
}

#[test]
fn cut_short_and_offloaded_packets_keep_their_headers_and_wire_lengths() {
    let ips = handshake_and_data();
    // The data segment cut to 96 bytes of frame (tcpdump -s 96): its length is still 1000.
    let mut records: Vec<(u32, u32, Vec<u8>, u32)> =
        ips.iter().map(|ip| ethernet(0x0800, &[], ip)).map(|f| (1, 0, f.clone(), f.len() as u32)).collect();
    records[3].2.truncate(96);
    let capture = read(&pcap_records(1, 96, &records)[..]).unwrap();
    assert_eq!(segments(&capture), EXPECTED);
    assert_eq!(capture.warnings, [CaptureWarning::Truncated { packets: 1 }]);
    // An IPv4 total length of 0 (segmentation offload): the segment is what was captured.
    let mut offloaded = ips.clone();
    offloaded[3][2] = 0;
    offloaded[3][3] = 0;
    let capture = read(&pcap(101, &offloaded)[..]).unwrap();
    assert_eq!(segments(&capture), EXPECTED);
    assert!(capture.warnings.is_empty());
}

#[test]
fn a_damaged_tail_keeps_every_whole_packet_and_says_where_it_ends() {
    let frames: Vec<Vec<u8>> = handshake_and_data().iter().map(|ip| ethernet(0x0800, &[], ip)).collect();
    let file = pcap(1, &frames);
    let whole_three = 24 + frames[..3].iter().map(|f| 16 + f.len()).sum::<usize>();
    for cut in [whole_three + 3, whole_three + 20, file.len() - 1] {
        let capture = read(&file[..cut]).unwrap();
        assert_eq!(segments(&capture), EXPECTED[..3], "cut at {cut}");
        assert_eq!(capture.warnings, [CaptureWarning::CutShort { offset: whole_three as u64, packets: 3 }], "cut at {cut}");
        assert!(capture.warnings[0].to_string().contains(&format!("byte {whole_three}")));
    }
    let ng = pcapng(1, &frames);
    let capture = read(&ng[..ng.len() - 3]).unwrap();
    assert_eq!(segments(&capture), EXPECTED[..3]);
    assert!(matches!(capture.warnings[..], [CaptureWarning::CutShort { packets: 3, .. }]));
}

#[test]
fn header_oddities_tshark_tolerates_are_tolerated() {
    let frames: Vec<Vec<u8>> = handshake_and_data().iter().map(|ip| ethernet(0x0800, &[], ip)).collect();
    // A record larger than the header's snapshot length, and microseconds of a million or more.
    let records: Vec<(u32, u32, Vec<u8>, u32)> = frames.iter().map(|f| (1, 1_500_000, f.clone(), f.len() as u32)).collect();
    let capture = read(&pcap_records(1, 64, &records)[..]).unwrap();
    assert_eq!(segments(&capture), EXPECTED);
    // Big-endian and nanosecond files.
    let mut big = Vec::new();
    big.extend(0xA1B2_3C4Du32.to_be_bytes());
    big.extend([0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 1]);
    for (i, f) in frames.iter().enumerate() {
        big.extend(1u32.to_be_bytes());
        big.extend((i as u32 * 2_000_000).to_be_bytes());
        big.extend((f.len() as u32).to_be_bytes());
        big.extend((f.len() as u32).to_be_bytes());
        big.extend(f);
    }
    let capture = read(&big[..]).unwrap();
    assert_eq!(segments(&capture), EXPECTED);
    assert_eq!(capture.conversations[0].segments[3].micros, 6_000, "nanoseconds, read as microseconds");
    // A Simple Packet block and the obsolete Packet block.
    let mut ng = section_header();
    ng.extend(interface(1, &[]));
    let mut simple = (frames[0].len() as u32).to_le_bytes().to_vec();
    simple.extend(&frames[0]);
    ng.extend(block(3, &simple));
    let mut old = vec![0u8, 0, 0, 0];
    old.extend(0u32.to_le_bytes());
    old.extend(5u32.to_le_bytes());
    old.extend((frames[1].len() as u32).to_le_bytes());
    old.extend((frames[1].len() as u32).to_le_bytes());
    old.extend(&frames[1]);
    ng.extend(block(2, &old));
    let capture = read(&ng[..]).unwrap();
    assert_eq!(segments(&capture), EXPECTED[..2]);
}

#[test]
fn what_cannot_be_read_is_named() {
    // A link type this reader does not decode: named by number and name.
    let radiotap = pcap(127, &[vec![0u8; 80], vec![0u8; 80]]);
    let err = read(&radiotap[..]).unwrap_err();
    assert_eq!(err, CaptureError::NoTcp { packets: 2, links: vec![127] });
    assert!(err.to_string().contains("127 (IEEE 802.11 with radiotap)"), "{err}");
    assert_eq!(link_label(60_000), "60000");
    // A record claiming 10 MB, an impossible block length, a packet of an undescribed interface.
    let frame = ethernet(0x0800, &[], &handshake_and_data()[0]);
    let mut huge = pcap(1, std::slice::from_ref(&frame));
    huge.extend([0u8; 8]);
    huge.extend(10_000_000u32.to_le_bytes());
    huge.extend(10_000_000u32.to_le_bytes());
    assert_eq!(read(&huge[..]), Err(CaptureError::Corrupt { packet: 2, damage: Damage::PacketTooLarge { bytes: 10_000_000 } }));
    let mut ng = section_header();
    ng.extend(interface(1, &[]));
    ng.extend(5u32.to_le_bytes());
    ng.extend(7u32.to_le_bytes());
    assert_eq!(read(&ng[..]), Err(CaptureError::Corrupt { packet: 1, damage: Damage::BlockLength { bytes: 7 } }));
    let mut ng = section_header();
    ng.extend(interface(1, &[]));
    ng.extend(enhanced(3, 0, &frame, frame.len() as u32));
    let err = read(&ng[..]).unwrap_err();
    assert_eq!(err, CaptureError::Corrupt { packet: 1, damage: Damage::UnknownInterface { id: 3 } });
    assert_eq!(err.to_string(), "the capture is damaged at packet 1: a packet names interface 3, which the file never describes");
}

#[test]
fn a_capture_that_starts_mid_connection_guesses_the_server_by_its_port_and_says_so() {
    // The server's data first, then the client's ACK: no SYN in the file.
    let frames = vec![ip(false, 5000, Some(700), false, 100), ip(true, 700, Some(5100), false, 0)];
    let capture = read(&pcap(101, &frames)[..]).unwrap();
    let c = &capture.conversations[0];
    assert_eq!((c.client.port(), c.server.port(), c.guessed), (40000, 80, true));
    assert_eq!(c.segments[0].segment.from, Side::Server);
    assert!(capture.infos()[0].guessed);
    // A capture starting at the SYN+ACK knows: the end it is sent to is the client.
    let frames = vec![ip(false, 900, Some(101), true, 0), ip(true, 101, Some(901), false, 0)];
    let c = &read(&pcap(101, &frames)[..]).unwrap().conversations[0];
    assert_eq!((c.client.port(), c.guessed), (40000, false));
}

mod damaged {
    use proptest::prelude::*;

    use super::*;

    /// A capture in each format, of every link type the reader decodes, to damage.
    fn samples() -> Vec<Vec<u8>> {
        let ips = handshake_and_data();
        let eth: Vec<Vec<u8>> = ips.iter().map(|ip| ethernet(0x0800, &[0x8100], ip)).collect();
        let mut sll = Vec::new();
        for ip in &ips {
            let mut f = vec![0, 0, 0x03, 0x04, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00];
            f.extend(ip);
            sll.push(f);
        }
        let mut ng = section_header();
        ng.extend(interface(1, &[(9, vec![9]), (14, 5i64.to_le_bytes().to_vec())]));
        for (i, f) in eth.iter().enumerate() {
            ng.extend(enhanced(0, i as u64 * 1_000_000, f, f.len() as u32 + 10));
        }
        vec![pcap(1, &eth), pcap(113, &sll), pcap(101, &ips), pcapng(1, &eth), ng]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Damaged anywhere (bytes overwritten, the file cut), a capture is read or refused
        /// with an error, never a panic; what is read turns into steps, and the counts add up.
        #[test]
        fn damaged_files_are_read_or_refused_never_panicked_on(
            which in 0usize..5,
            flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
            cut in any::<prop::sample::Index>(),
        ) {
            let mut file = samples().swap_remove(which);
            for (at, byte) in flips {
                let i = at.index(file.len());
                file[i] = byte;
            }
            let keep = 1 + cut.index(file.len());
            file.truncate(keep);
            if let Ok(capture) = read(&file[..]) {
                let kept: usize = capture.conversations.iter().map(|c| c.segments.len()).sum();
                prop_assert!(kept as u64 + capture.other_packets <= capture.packets);
                for c in &capture.conversations {
                    prop_assert_eq!(to_run(c).steps.len(), c.segments.len());
                }
            }
        }
    }
}
