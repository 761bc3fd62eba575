//! The TCP options summary, read straight from the option bytes. Written here rather than taken
//! from etherparse because it must know TCP Fast Open's option (kind 34) and must never fail:
//! a malformed option list just ends the summary.

use crate::tcp::{TcpOptions, TfoOption};

pub fn parse(mut bytes: &[u8]) -> TcpOptions {
    let mut options = TcpOptions::default();
    while let Some((&kind, rest)) = bytes.split_first() {
        match kind {
            0 => break,
            1 => {
                bytes = rest;
                continue;
            }
            _ => {}
        }
        let Some(&len) = rest.first() else { break };
        let len = usize::from(len);
        if len < 2 || len > bytes.len() {
            break;
        }
        let body = &bytes[2..len];
        match (kind, body.len()) {
            (2, 2) => options.mss = Some(u16::from_be_bytes([body[0], body[1]])),
            (3, 1) => options.window_scale = Some(body[0]),
            (4, 0) => options.sack_permitted = true,
            (8, 8) => options.timestamps = true,
            (5, n) if n % 8 == 0 => {
                options.sack = body
                    .chunks_exact(8)
                    .map(|b| (u32::from_be_bytes([b[0], b[1], b[2], b[3]]), u32::from_be_bytes([b[4], b[5], b[6], b[7]])))
                    .collect();
            }
            (34, 0) => options.tfo = Some(TfoOption::CookieRequest),
            (34, n) => options.tfo = Some(TfoOption::Cookie { len: n as u8 }),
            _ => {}
        }
        bytes = &bytes[len..];
    }
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linux_syn_options_and_tfo_are_read_and_junk_ends_quietly() {
        let syn = [2, 4, 0xff, 0xd7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7, 34, 2];
        let o = parse(&syn);
        assert_eq!(
            (o.mss, o.window_scale, o.sack_permitted, o.timestamps, o.tfo),
            (Some(65495), Some(7), true, true, Some(TfoOption::CookieRequest))
        );
        assert_eq!(parse(&[34, 10, 1, 2, 3, 4, 5, 6, 7, 8]).tfo, Some(TfoOption::Cookie { len: 8 }));
        assert_eq!(parse(&[2, 200, 1]), TcpOptions::default());
        assert_eq!(parse(&[2, 0, 2, 0]), TcpOptions::default());
    }
}
