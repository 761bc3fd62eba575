//! One end of a connection: its transmission control block and what it does with each segment.
//!
//! The rules are RFC 9293's "segment arrives" processing (section 3.10.7), narrowed to what the
//! scenarios exercise, with Linux's choices where the RFC leaves room: a FIN always carries ACK,
//! the ACK of a FIN is delayed (Linux enters "pingpong" mode on a FIN, so a quick close() lets the
//! ACK ride on the FIN) by 40 ms once data has arrived but only to the next timer tick before any
//! has (as recorded on kernel 6.18), a SYN to a full accept queue is dropped, and a closed port
//! answers RST+ACK.

use super::segment::{Flags, Segment, Side, TcpOptions, TfoOption};
use super::state::TcpState;
use super::step::StepKey;

/// Linux's MSS on Ethernet (1500 - 40); payloads are cut into segments of at most this size.
pub const MSS: u32 = 1460;
/// The window-scale shift Linux offers with the default tcp_rmem.
const WINDOW_SCALE: u8 = 7;
/// Raw window fields Linux puts in a SYN (44 x 1460), a SYN+ACK (45 x 1448) and later segments.
const SYN_WINDOW: u16 = 64240;
const SYN_ACK_WINDOW: u16 = 65160;
const WINDOW: u16 = 502;
const TFO_COOKIE_LEN: u8 = 8;
pub use super::engine::DELAYED_ACK_MS;
/// How long it holds it on a connection that has received no data yet: to the next timer tick
/// (2 to 4 ms in recordings on kernel 6.18; 4 ms is one tick at HZ=250).
pub const QUICK_ACK_MS: u64 = 4;

/// A segment an end wants to send, with what it teaches.
#[derive(Debug, Clone)]
pub struct Out {
    pub segment: Segment,
    pub key: StepKey,
    pub retransmission: u8,
    /// A delay before it leaves, for the delayed-ACK timer.
    pub delay_ms: u64,
}

/// What the listening socket's queues look like when a segment arrives. Set by the scenario.
#[derive(Debug, Clone, Copy, Default)]
pub struct Listener {
    pub syncookies: bool,
    pub syn_queue_full: bool,
    pub accept_queue_full: bool,
}

/// What happened to a delivered segment.
#[derive(Debug, Default)]
pub struct Reception {
    /// The kernel discarded the segment, for this reason.
    pub dropped: Option<StepKey>,
    /// The receiver's view changes what the step teaches (a SYN+ACK that is a syncookie, ...).
    pub key: Option<StepKey>,
    pub replies: Vec<Out>,
}

#[derive(Debug, Clone)]
pub struct End {
    pub side: Side,
    pub state: TcpState,
    pub iss: u32,
    pub snd_una: u32,
    pub snd_nxt: u32,
    pub rcv_nxt: u32,
    /// An ACK is owed but delayed; the next segment sent carries it, or the delayed-ACK timer does.
    pub ack_pending: bool,
    /// Data has arrived on this connection: from then on a delayed ACK waits the full
    /// [`DELAYED_ACK_MS`], before it only [`QUICK_ACK_MS`].
    pub received_data: bool,
    /// The last segment that used sequence space and is not acknowledged: what a timer resends.
    pub unacked: Option<Out>,
    /// When `unacked` was last sent, or when TIME-WAIT began: where the running timer started.
    pub timer_from_ms: u64,
    /// The ISN of the SYN+ACK a syncookie listener sent; it keeps nothing else.
    pub cookie: Option<u32>,
    /// Whether the client holds a TCP Fast Open cookie for the server.
    pub has_tfo_cookie: bool,
    /// States entered since the runner last looked, in order.
    pub trail: Vec<TcpState>,
}

/// `x` lies in the half-open interval (low, high] of sequence space, modulo 2^32.
pub fn seq_in(low: u32, x: u32, high: u32) -> bool {
    let d = x.wrapping_sub(low);
    d != 0 && d <= high.wrapping_sub(low)
}

impl End {
    pub fn new(side: Side, state: TcpState, iss: u32) -> End {
        End {
            side,
            state,
            iss,
            snd_una: iss,
            snd_nxt: iss,
            rcv_nxt: 0,
            ack_pending: false,
            received_data: false,
            unacked: None,
            timer_from_ms: 0,
            cookie: None,
            has_tfo_cookie: false,
            trail: Vec::new(),
        }
    }

    /// An end in ESTABLISHED, as after a handshake in which neither side sent data.
    pub fn established(side: Side, iss: u32, peer_iss: u32) -> End {
        let next = iss.wrapping_add(1);
        End { snd_una: next, snd_nxt: next, rcv_nxt: peer_iss.wrapping_add(1), ..End::new(side, TcpState::Established, iss) }
    }

    /// Every state change goes through here so the run can show the states passed through.
    fn set(&mut self, state: TcpState) {
        if state != self.state {
            self.state = state;
            self.trail.push(state);
        }
    }

    fn segment(&self, seq: u32, flags: Flags, len: u32, window: u16, options: TcpOptions) -> Segment {
        let ack = if flags.ack { self.rcv_nxt } else { 0 };
        Segment { from: self.side, seq, ack, flags, len, window, options }
    }

    fn syn_options(&self, tfo: Option<TfoOption>) -> TcpOptions {
        TcpOptions {
            mss: Some(MSS as u16),
            window_scale: Some(WINDOW_SCALE),
            sack_permitted: true,
            timestamps: true,
            tfo,
            sack: Vec::new(),
        }
    }

    fn plain_options() -> TcpOptions {
        TcpOptions { timestamps: true, ..TcpOptions::default() }
    }

    fn out(&mut self, segment: Segment, key: StepKey) -> Out {
        self.ack_pending = false;
        let out = Out { segment, key, retransmission: 0, delay_ms: 0 };
        if out.segment.seq_len() > 0 {
            self.unacked = Some(out.clone());
        }
        out
    }

    /// The pure ACK this end sends now, naming what it acknowledges.
    fn ack(&mut self, key: StepKey) -> Out {
        let seg = self.segment(self.snd_nxt, Flags::ACK, 0, WINDOW, End::plain_options());
        self.out(seg, key)
    }

    /// connect(): a SYN, optionally asking for a Fast Open cookie or carrying data with one.
    pub fn open(&mut self, tfo: Option<TfoOption>, data: u32, key: StepKey) -> Result<Out, String> {
        if self.state != TcpState::Closed {
            return Err(format!("{} cannot connect in {}", self.side.as_str(), self.state));
        }
        let data = if matches!(tfo, Some(TfoOption::Cookie { .. })) { data.min(MSS) } else { 0 };
        let seg = self.segment(self.iss, Flags::SYN, data, SYN_WINDOW, self.syn_options(tfo));
        self.snd_una = self.iss;
        self.snd_nxt = self.iss.wrapping_add(1).wrapping_add(data);
        self.set(TcpState::SynSent);
        Ok(self.out(seg, key))
    }

    /// write() of `bytes`: cut into MSS-sized segments, PSH on the last one as Linux does.
    pub fn send(&mut self, bytes: u32) -> Result<Vec<Out>, String> {
        if !matches!(self.state, TcpState::Established | TcpState::CloseWait) {
            return Err(format!("{} cannot send data in {}", self.side.as_str(), self.state));
        }
        let mut outs = Vec::new();
        let mut left = bytes;
        while left > 0 {
            let len = left.min(MSS);
            left -= len;
            let flags = if left == 0 { Flags::PSH_ACK } else { Flags::ACK };
            let seg = self.segment(self.snd_nxt, flags, len, WINDOW, End::plain_options());
            self.snd_nxt = self.snd_nxt.wrapping_add(len);
            outs.push(self.out(seg, StepKey::Data));
        }
        Ok(outs)
    }

    /// close(): a FIN (always with ACK on Linux). In CLOSE-WAIT a delayed ACK of the peer's FIN
    /// rides on it, which is why real captures often show a three-segment close.
    pub fn close(&mut self) -> Result<Option<Out>, String> {
        let (next, key) = match self.state {
            TcpState::Established | TcpState::SynReceived => (TcpState::FinWait1, StepKey::Fin),
            TcpState::CloseWait if self.ack_pending => (TcpState::LastAck, StepKey::FinAckCombined),
            TcpState::CloseWait => (TcpState::LastAck, StepKey::FinPassive),
            TcpState::Listen | TcpState::SynSent => {
                self.set(TcpState::Closed);
                return Ok(None);
            }
            other => return Err(format!("{} cannot close in {other}", self.side.as_str())),
        };
        let seg = self.segment(self.snd_nxt, Flags::FIN_ACK, 0, WINDOW, End::plain_options());
        self.snd_nxt = self.snd_nxt.wrapping_add(1);
        self.set(next);
        Ok(Some(self.out(seg, key)))
    }

    /// close() with SO_LINGER {on, 0}: RST+ACK at the next sequence number, and the end is gone.
    pub fn abort(&mut self) -> Result<Out, String> {
        if !self.state.is_synchronized() {
            return Err(format!("{} has no connection to abort in {}", self.side.as_str(), self.state));
        }
        let seg = self.segment(self.snd_nxt, Flags::RST_ACK, 0, 0, TcpOptions::default());
        self.set(TcpState::Closed);
        self.unacked = None;
        Ok(self.out(seg, StepKey::RstAbort))
    }

    /// How long the delayed-ACK timer holds an ACK owed now.
    pub fn ack_delay_ms(&self) -> u64 {
        if self.received_data { DELAYED_ACK_MS } else { QUICK_ACK_MS }
    }

    /// The delayed-ACK timer: the ACK owed goes out alone.
    pub fn delayed_ack(&mut self) -> Option<Out> {
        if !self.ack_pending {
            return None;
        }
        let key = match self.state {
            TcpState::CloseWait if self.received_data => StepKey::FinAck,
            TcpState::CloseWait => StepKey::FinAckQuick,
            _ => StepKey::DataAck,
        };
        Some(self.ack(key))
    }

    /// A keepalive probe: an ACK one byte behind, so the peer must answer with an ACK.
    pub fn keepalive_probe(&mut self) -> Result<Out, String> {
        if self.state != TcpState::Established {
            return Err(format!("keepalive probes need ESTABLISHED, not {}", self.state));
        }
        let seg = self.segment(self.snd_una.wrapping_sub(1), Flags::ACK, 0, WINDOW, End::plain_options());
        Ok(Out { segment: seg, key: StepKey::KeepaliveProbe, retransmission: 0, delay_ms: 0 })
    }

    /// The retransmission timer: the unacknowledged segment again, with the current ACK number.
    pub fn retransmit(&mut self) -> Option<Out> {
        let mut out = self.unacked.clone()?;
        out.retransmission += 1;
        if out.segment.flags.ack {
            out.segment.ack = self.rcv_nxt;
        }
        out.key = match out.key {
            StepKey::Syn | StepKey::SynRetransmit | StepKey::TfoCookieRequest | StepKey::TfoSynData => StepKey::SynRetransmit,
            StepKey::SynAck | StepKey::SynAckRetransmit | StepKey::TfoCookieSynAck | StepKey::TfoSynAckData => StepKey::SynAckRetransmit,
            StepKey::Fin | StepKey::FinRetransmit | StepKey::FinPassive | StepKey::FinAckCombined => StepKey::FinRetransmit,
            other => other,
        };
        self.unacked = Some(out.clone());
        Some(out)
    }

    /// Segment arrives (RFC 9293 3.10.7), by state.
    pub fn receive(&mut self, seg: &Segment, listener: &Listener) -> Reception {
        match self.state {
            TcpState::Closed => self.receive_closed(seg),
            TcpState::Listen => self.receive_listen(seg, listener),
            TcpState::SynSent => self.receive_syn_sent(seg),
            _ => self.receive_synchronized(seg, listener),
        }
    }

    /// No connection: everything but a RST is answered with a RST, nothing else ever.
    fn receive_closed(&mut self, seg: &Segment) -> Reception {
        if seg.flags.rst {
            return Reception::default();
        }
        let reply = if seg.flags.ack {
            Segment { from: self.side, seq: seg.ack, ack: 0, flags: Flags::RST, len: 0, window: 0, options: TcpOptions::default() }
        } else {
            Segment {
                from: self.side,
                seq: 0,
                ack: seg.end_seq(),
                flags: Flags::RST_ACK,
                len: 0,
                window: 0,
                options: TcpOptions::default(),
            }
        };
        // Answering an ACK, the RST takes the ACK's number as its seq and carries no ACK of its
        // own (RFC 9293 3.10.7.1): a different lesson from the refused SYN's RST+ACK.
        let key = if seg.flags.ack { StepKey::RstForAck } else { StepKey::RstRefused };
        Reception { replies: vec![Out { segment: reply, key, retransmission: 0, delay_ms: 0 }], ..Reception::default() }
    }

    fn receive_listen(&mut self, seg: &Segment, listener: &Listener) -> Reception {
        if seg.flags.rst {
            return Reception::default();
        }
        if seg.flags.ack && !seg.flags.syn {
            // Without a request socket, an ACK can only complete a handshake if it returns a cookie.
            if self.cookie.is_some_and(|cookie| seg.ack == cookie.wrapping_add(1)) {
                self.iss = self.cookie.take().unwrap_or(self.iss);
                self.set(TcpState::SynReceived);
                self.snd_una = seg.ack;
                self.snd_nxt = seg.ack;
                self.rcv_nxt = seg.seq.wrapping_add(seg.len);
                self.set(TcpState::Established);
                return Reception { key: Some(StepKey::SyncookieAck), ..Reception::default() };
            }
            return self.receive_closed(seg);
        }
        if !seg.flags.syn {
            return Reception::default();
        }
        if listener.accept_queue_full {
            return Reception { dropped: Some(StepKey::SynDroppedAcceptQueueFull), ..Reception::default() };
        }
        let mut options = self.syn_options(None);
        if listener.syn_queue_full {
            if !listener.syncookies {
                return Reception { dropped: Some(StepKey::SynDroppedSynQueueFull), ..Reception::default() };
            }
            // The cookie is the ISN; the listener stays in LISTEN and remembers nothing else.
            self.rcv_nxt = seg.seq.wrapping_add(1);
            self.cookie = Some(self.iss);
            let reply = self.segment(self.iss, Flags::SYN_ACK, 0, SYN_ACK_WINDOW, options);
            return Reception {
                key: None,
                replies: vec![Out { segment: reply, key: StepKey::SyncookieSynAck, retransmission: 0, delay_ms: 0 }],
                ..Reception::default()
            };
        }
        let (accepted_data, key) = match seg.options.tfo {
            Some(TfoOption::CookieRequest) => {
                options.tfo = Some(TfoOption::Cookie { len: TFO_COOKIE_LEN });
                (0, StepKey::TfoCookieSynAck)
            }
            Some(TfoOption::Cookie { .. }) => (seg.len, StepKey::TfoSynAckData),
            None => (0, StepKey::SynAck),
        };
        self.rcv_nxt = seg.seq.wrapping_add(1).wrapping_add(accepted_data);
        self.received_data = accepted_data > 0;
        self.set(TcpState::SynReceived);
        self.snd_una = self.iss;
        self.snd_nxt = self.iss.wrapping_add(1);
        let reply = self.segment(self.iss, Flags::SYN_ACK, 0, SYN_ACK_WINDOW, options);
        let out = self.out(reply, key);
        Reception { replies: vec![out], ..Reception::default() }
    }

    fn receive_syn_sent(&mut self, seg: &Segment) -> Reception {
        let acceptable = seg.flags.ack && seq_in(self.iss, seg.ack, self.snd_nxt);
        if seg.flags.ack && !acceptable {
            return if seg.flags.rst { Reception::default() } else { self.receive_closed(seg) };
        }
        if seg.flags.rst {
            if acceptable {
                self.set(TcpState::Closed);
                self.unacked = None;
            }
            return Reception::default();
        }
        if !seg.flags.syn {
            return Reception::default();
        }
        self.rcv_nxt = seg.seq.wrapping_add(1).wrapping_add(seg.len);
        if acceptable {
            self.snd_una = seg.ack;
            self.unacked = None;
            if matches!(seg.options.tfo, Some(TfoOption::Cookie { .. })) {
                self.has_tfo_cookie = true;
            }
            self.set(TcpState::Established);
            let out = self.ack(StepKey::HandshakeAck);
            return Reception { replies: vec![out], ..Reception::default() };
        }
        // Simultaneous open: the peer's SYN crossed ours. Answer with SYN+ACK, same ISN.
        self.set(TcpState::SynReceived);
        let reply = self.segment(self.iss, Flags::SYN_ACK, 0, SYN_ACK_WINDOW, self.syn_options(None));
        let out = self.out(reply, StepKey::SimultaneousSynAck);
        Reception { replies: vec![out], ..Reception::default() }
    }

    fn receive_synchronized(&mut self, seg: &Segment, listener: &Listener) -> Reception {
        let mut r = Reception::default();
        if seg.flags.rst {
            if seg.seq == self.rcv_nxt && self.state != TcpState::TimeWait {
                self.set(TcpState::Closed);
                self.unacked = None;
            }
            return r;
        }
        if seg.flags.syn {
            let simultaneous_syn_ack =
                self.state == TcpState::SynReceived && seg.flags.ack && seg.ack == self.snd_nxt && seg.seq.wrapping_add(1) == self.rcv_nxt;
            if !simultaneous_syn_ack {
                // A SYN inside a connection, e.g. a retransmitted SYN+ACK whose ACK was dropped:
                // answer with an ACK that says where we are (RFC 5961's challenge ACK).
                if self.state == TcpState::SynReceived {
                    if let Some(out) = self.retransmit() {
                        r.replies.push(out);
                    }
                } else {
                    r.replies.push(self.ack(StepKey::HandshakeAck));
                }
                return r;
            }
        } else if seg.seq != self.rcv_nxt {
            // Not the next byte: an old duplicate or a keepalive probe. Say what we expect.
            let key = match self.state {
                TcpState::TimeWait => StepKey::LastAck,
                _ if seg.len == 0 && !seg.flags.fin && seg.seq == self.rcv_nxt.wrapping_sub(1) => StepKey::KeepaliveAck,
                _ => StepKey::DataAck,
            };
            r.replies.push(self.ack(key));
            return r;
        }

        if seg.flags.ack {
            if self.state == TcpState::SynReceived && listener.accept_queue_full && self.side == Side::Server {
                // Linux drops the handshake's last ACK when the accept queue is full (with
                // tcp_abort_on_overflow = 0); the request stays and its SYN+ACK timer runs on.
                r.dropped = Some(StepKey::HandshakeAckDropped);
                return r;
            }
            if seq_in(self.snd_una, seg.ack, self.snd_nxt) {
                self.snd_una = seg.ack;
                if self.unacked.as_ref().is_some_and(|u| !seq_in(self.snd_una, u.segment.end_seq(), self.snd_nxt)) {
                    self.unacked = None;
                }
            }
            let all_acked = self.snd_una == self.snd_nxt;
            match self.state {
                TcpState::SynReceived if all_acked => self.set(TcpState::Established),
                TcpState::FinWait1 if all_acked => self.set(TcpState::FinWait2),
                TcpState::Closing if all_acked => self.set(TcpState::TimeWait),
                TcpState::LastAck if all_acked => self.set(TcpState::Closed),
                _ => {}
            }
        }
        if seg.flags.syn {
            // The simultaneous-open SYN+ACK was taken as an ACK above. Its SYN is one this end
            // has already received, so Linux answers with a pure ACK reporting the duplicate in
            // a D-SACK block (RFC 2883): seq ISN+1, ack peer ISN+1, SACK peer ISN..peer ISN+1.
            let mut ack = self.ack(StepKey::SimultaneousAck);
            ack.segment.options.sack = vec![(seg.seq, seg.seq.wrapping_add(1))];
            r.replies.push(ack);
            return r;
        }

        let mut owe_ack = None;
        if seg.len > 0 && matches!(self.state, TcpState::Established | TcpState::FinWait1 | TcpState::FinWait2) {
            self.rcv_nxt = self.rcv_nxt.wrapping_add(seg.len);
            self.received_data = true;
            // Linux acknowledges at once in its quick-ACK phase at the start of a connection.
            owe_ack = Some(StepKey::DataAck);
        }
        if seg.flags.fin {
            self.rcv_nxt = self.rcv_nxt.wrapping_add(1);
            match self.state {
                TcpState::Established | TcpState::SynReceived => {
                    self.set(TcpState::CloseWait);
                    // Linux delays this ACK (pingpong mode): a close() within the delayed-ACK time
                    // sends one FIN+ACK instead of an ACK and a FIN.
                    self.ack_pending = true;
                    owe_ack = None;
                }
                TcpState::FinWait1 => {
                    self.set(TcpState::Closing);
                    owe_ack = Some(StepKey::ClosingAck);
                }
                TcpState::FinWait2 => {
                    self.set(TcpState::TimeWait);
                    owe_ack = Some(StepKey::LastAck);
                }
                _ => {}
            }
        }
        if let Some(key) = owe_ack {
            r.replies.push(self.ack(key));
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seq_in_wraps_around() {
        assert!(seq_in(u32::MAX - 1, 0, 5));
        assert!(seq_in(u32::MAX - 1, u32::MAX, 5));
        assert!(!seq_in(u32::MAX - 1, u32::MAX - 1, 5));
        assert!(!seq_in(10, 20, 15));
    }

    #[test]
    fn a_closed_port_refuses_a_syn_with_seq_zero_and_ack_isn_plus_one() {
        let mut closed = End::new(Side::Server, TcpState::Closed, 0);
        let syn =
            Segment { from: Side::Client, seq: u32::MAX, ack: 0, flags: Flags::SYN, len: 0, window: 1, options: TcpOptions::default() };
        let r = closed.receive(&syn, &Listener::default());
        let rst = &r.replies[0].segment;
        assert_eq!((rst.seq, rst.ack, rst.flags), (0, 0, Flags::RST_ACK));
        assert_eq!(closed.state, TcpState::Closed);
    }
}
