//! The two file formats, read as a stream: each packet is handed on with its link type and
//! time, and only the current packet is held in memory.

use std::io::{Cursor, Read};

use pcap_file::DataLink;
use pcap_file::pcap::PcapReader;
use pcap_file::pcapng::{Block, PcapNgReader};

use super::error::CaptureError;

const PCAP_MAGICS: [[u8; 4]; 4] = [[0xd4, 0xc3, 0xb2, 0xa1], [0xa1, 0xb2, 0xc3, 0xd4], [0x4d, 0x3c, 0xb2, 0xa1], [0xa1, 0xb2, 0x3c, 0x4d]];
const PCAPNG_MAGIC: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];

fn corrupt(packet: u64, e: impl std::fmt::Display) -> CaptureError {
    CaptureError::Corrupt { packet, detail: e.to_string() }
}

/// Calls `each(link type, microseconds, bytes)` for every packet.
pub fn for_each_packet(mut reader: impl Read, mut each: impl FnMut(DataLink, u64, &[u8])) -> Result<(), CaptureError> {
    let mut magic = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match reader.read(&mut magic[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(CaptureError::Io(e.to_string())),
        }
    }
    if got == 0 {
        return Err(CaptureError::Empty);
    }
    if got < 4 {
        return Err(CaptureError::NotACapture { magic });
    }
    let stream = Cursor::new(magic).chain(reader);
    let mut count = 0u64;
    if PCAP_MAGICS.contains(&magic) {
        let mut pcap = PcapReader::new(stream).map_err(|e| corrupt(0, e))?;
        let link = pcap.header().datalink;
        while let Some(packet) = pcap.next_packet() {
            count += 1;
            let packet = packet.map_err(|e| corrupt(count, e))?;
            each(link, packet.timestamp.as_micros() as u64, &packet.data);
        }
        Ok(())
    } else if magic == PCAPNG_MAGIC {
        let mut ng = PcapNgReader::new(stream).map_err(|e| corrupt(0, e))?;
        // Interfaces in the order the file describes them; packets name them by index.
        let mut links: Vec<DataLink> = Vec::new();
        loop {
            let block = match ng.next_block() {
                None => return Ok(()),
                Some(block) => block,
            };
            let block = block.map_err(|e| corrupt(count + 1, e))?;
            match block {
                Block::InterfaceDescription(i) => links.push(i.linktype),
                Block::EnhancedPacket(p) => {
                    count += 1;
                    let link = links.get(p.interface_id as usize).copied().ok_or_else(|| {
                        corrupt(count, format!("the packet names interface {} which the file never describes", p.interface_id))
                    })?;
                    each(link, p.timestamp.as_micros() as u64, &p.data);
                }
                Block::SimplePacket(p) => {
                    count += 1;
                    let link = links.first().copied().ok_or_else(|| corrupt(count, "no interface is described"))?;
                    each(link, 0, &p.data);
                }
                _ => {}
            }
        }
    } else {
        Err(CaptureError::NotACapture { magic })
    }
}
