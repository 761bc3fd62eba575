//! Runs a script of application actions and network events on both ends and records the steps.

use super::end::{End, Listener, Out};
use super::segment::{Segment, Side, TfoOption};
use super::state::TcpState;
use super::step::{Fate, StateChange, Step, StepKey, StepKind, TimerKind};

/// One-way delay on the modelled network: a 20 ms round trip.
pub const ONE_WAY_MS: u64 = 10;
/// RFC 6298's initial retransmission timeout, Linux's TCP_TIMEOUT_INIT.
pub const INITIAL_RTO_MS: u64 = 1000;
/// Linux's TCP_RTO_MIN: once the RTT is measured, the RTO is about RTT + 200 ms.
pub const RTO_MIN_MS: u64 = 200;
/// Linux's TCP_DELACK_MIN: how long the ACK of a FIN waits once the connection has received data
/// (before that, only [`super::end::QUICK_ACK_MS`]).
pub const DELAYED_ACK_MS: u64 = 40;
/// `net.ipv4.tcp_tw_reuse_delay`'s default: how old a TIME-WAIT must be before tcp_tw_reuse
/// lets a new connection take its port.
pub const TW_REUSE_DELAY_MS: u64 = 1000;
/// Linux's TCP_TIMEWAIT_LEN: fixed, not a sysctl.
pub const TIME_WAIT_MS: u64 = 60_000;
/// tcp_keepalive_time's default, 7200 s.
pub const KEEPALIVE_TIME_MS: u64 = 7_200_000;

/// One thing that happens in a scenario.
#[derive(Debug, Clone, Copy)]
pub enum Op {
    /// An active open; `key` says what the SYN teaches. `reuse` names a connection whose
    /// TIME-WAIT end gives up its port (tcp_tw_reuse).
    Open {
        conn: u8,
        side: Side,
        tfo: Option<TfoOption>,
        data: u32,
        key: StepKey,
        reuse: Option<u8>,
    },
    Send {
        conn: u8,
        side: Side,
        bytes: u32,
    },
    Close {
        conn: u8,
        side: Side,
    },
    Abort {
        conn: u8,
        side: Side,
    },
    /// The earliest segment in flight arrives.
    Deliver,
    /// Deliver until nothing is in flight.
    DeliverAll,
    /// The earliest segment in flight is lost.
    Lose,
    /// The end's running timer fires: retransmission, SYN+ACK retransmission or TIME-WAIT.
    Timeout {
        conn: u8,
        side: Side,
    },
    DelayedAck {
        conn: u8,
        side: Side,
    },
    /// The connection idles `idle_ms` (TCP_KEEPIDLE, or tcp_keepalive_time), then `side` probes.
    Keepalive {
        conn: u8,
        side: Side,
        idle_ms: u64,
    },
    Wait {
        ms: u64,
    },
    SetListener(Listener),
}

struct InFlight {
    conn: u8,
    out: Out,
    sent_ms: u64,
    sender_state: TcpState,
    at_ms: u64,
}

struct Conn {
    ends: [End; 2],
    /// Each end's state when the connection's last step was recorded.
    shown: [TcpState; 2],
}

pub struct Sim {
    conns: Vec<Conn>,
    listener: Listener,
    flight: Vec<InFlight>,
    now_ms: u64,
    last_sent_ms: [Option<u64>; 2],
    pub steps: Vec<Step>,
}

fn idx(side: Side) -> usize {
    match side {
        Side::Client => 0,
        Side::Server => 1,
    }
}

impl Sim {
    pub fn new(listener: Listener) -> Sim {
        Sim { conns: Vec::new(), listener, flight: Vec::new(), now_ms: 0, last_sent_ms: [None, None], steps: Vec::new() }
    }

    /// Adds a connection whose ends start as given; returns its number.
    pub fn add(&mut self, client: End, server: End) -> u8 {
        let shown = [client.state, server.state];
        self.conns.push(Conn { ends: [client, server], shown });
        (self.conns.len() - 1) as u8
    }

    fn end(&mut self, conn: u8, side: Side) -> Result<&mut End, String> {
        self.conns.get_mut(usize::from(conn)).map(|c| &mut c.ends[idx(side)]).ok_or_else(|| format!("no connection {conn}"))
    }

    pub fn initial(&self, conn: u8) -> (TcpState, TcpState) {
        let c = &self.conns[usize::from(conn)];
        (c.shown[0], c.shown[1])
    }

    pub fn run(&mut self, ops: &[Op]) -> Result<(), String> {
        for op in ops {
            self.apply(*op)?;
        }
        Ok(())
    }

    fn apply(&mut self, op: Op) -> Result<(), String> {
        match op {
            Op::Open { conn, side, tfo, data, key, reuse } => {
                let now = self.now_ms;
                let mut reused_isn = None;
                if let Some(old) = reuse {
                    let old_end = self.end(old, side)?;
                    if old_end.state != TcpState::TimeWait {
                        return Err(format!("connection {old} is not in TIME-WAIT"));
                    }
                    // tcp_twsk_unique(): only a TIME-WAIT older than tcp_tw_reuse_delay gives up
                    // its port (connect() fails with EADDRNOTAVAIL before), and the new
                    // connection starts 65537 past where the old one stopped sending, so no
                    // old duplicate can fall inside its window.
                    if now.saturating_sub(old_end.timer_from_ms) < TW_REUSE_DELAY_MS {
                        return Err(format!(
                            "connect() fails with EADDRNOTAVAIL: the TIME-WAIT of connection {old} is younger than tcp_tw_reuse_delay ({TW_REUSE_DELAY_MS} ms)"
                        ));
                    }
                    old_end.state = TcpState::Closed;
                    reused_isn = Some(old_end.snd_nxt.wrapping_add(65_535 + 2));
                }
                let end = self.end(conn, side)?;
                if let Some(isn) = reused_isn {
                    *end = End::new(end.side, end.state, isn);
                }
                let out = end.open(tfo, data, key)?;
                self.transmit(conn, out);
            }
            Op::Send { conn, side, bytes } => {
                for out in self.end(conn, side)?.send(bytes)? {
                    self.transmit(conn, out);
                }
            }
            Op::Close { conn, side } => {
                if let Some(out) = self.end(conn, side)?.close()? {
                    self.transmit(conn, out);
                }
            }
            Op::Abort { conn, side } => {
                let out = self.end(conn, side)?.abort()?;
                self.transmit(conn, out);
            }
            Op::Deliver => self.deliver()?,
            Op::DeliverAll => {
                while !self.flight.is_empty() {
                    self.deliver()?;
                }
            }
            Op::Lose => {
                let f = self.next_in_flight()?;
                self.now_ms = self.now_ms.max(f.sent_ms + ONE_WAY_MS / 2);
                self.record_segment(f, Fate::Lost, None);
            }
            Op::Timeout { conn, side } => self.timeout(conn, side)?,
            Op::DelayedAck { conn, side } => {
                let end = self.end(conn, side)?;
                let delay = end.ack_delay_ms();
                let mut out = end.delayed_ack().ok_or("no ACK is owed")?;
                out.delay_ms = delay;
                self.transmit(conn, out);
            }
            Op::Keepalive { conn, side, idle_ms } => {
                self.now_ms += idle_ms;
                let at_ms = self.now_ms;
                self.record_timer(conn, side, at_ms, idle_ms, TimerKind::Keepalive, StepKey::KeepaliveTimer);
                let out = self.end(conn, side)?.keepalive_probe()?;
                self.transmit(conn, out);
            }
            Op::Wait { ms } => self.now_ms += ms,
            Op::SetListener(listener) => self.listener = listener,
        }
        Ok(())
    }

    fn timeout(&mut self, conn: u8, side: Side) -> Result<(), String> {
        let end = self.end(conn, side)?;
        if end.state == TcpState::TimeWait {
            let at_ms = end.timer_from_ms + TIME_WAIT_MS;
            end.state = TcpState::Closed;
            end.trail.push(TcpState::Closed);
            self.now_ms = self.now_ms.max(at_ms);
            self.record_timer(conn, side, at_ms, TIME_WAIT_MS, TimerKind::TimeWait, StepKey::TimeWaitExpired);
            return Ok(());
        }
        let pending = end.unacked.as_ref().ok_or_else(|| format!("{} has no timer running", side.as_str()))?;
        let tries = u32::from(pending.retransmission);
        let handshake = pending.segment.flags.syn;
        let base = if handshake { INITIAL_RTO_MS } else { RTO_MIN_MS + 2 * ONE_WAY_MS };
        let delay = base << tries.min(10);
        let (timer, key) = if end.state == TcpState::SynReceived {
            (TimerKind::SynAckRetransmission, StepKey::SynAckRto)
        } else {
            (TimerKind::Retransmission, StepKey::Rto)
        };
        let at_ms = end.timer_from_ms + delay;
        self.now_ms = self.now_ms.max(at_ms);
        self.record_timer(conn, side, at_ms, delay, timer, key);
        let out = self.end(conn, side)?.retransmit().ok_or("nothing to retransmit")?;
        self.transmit(conn, out);
        Ok(())
    }

    /// Puts a segment on the wire. One end's segments leave at least 1 ms apart, so they arrive
    /// in order and each has its own time.
    fn transmit(&mut self, conn: u8, out: Out) {
        let side = out.segment.from;
        let earliest = self.last_sent_ms[idx(side)].map_or(0, |t| t + 1);
        let sent_ms = (self.now_ms + out.delay_ms).max(earliest);
        self.last_sent_ms[idx(side)] = Some(sent_ms);
        let end = &mut self.conns[usize::from(conn)].ends[idx(side)];
        if out.segment.seq_len() > 0 {
            end.timer_from_ms = sent_ms;
        }
        let sender_state = end.state;
        self.flight.push(InFlight { conn, out, sent_ms, sender_state, at_ms: sent_ms + ONE_WAY_MS });
    }

    fn next_in_flight(&mut self) -> Result<InFlight, String> {
        let first = (0..self.flight.len()).min_by_key(|&i| (self.flight[i].at_ms, i)).ok_or("nothing is in flight")?;
        Ok(self.flight.remove(first))
    }

    fn deliver(&mut self) -> Result<(), String> {
        let f = self.next_in_flight()?;
        self.now_ms = self.now_ms.max(f.at_ms);
        let listener = self.listener;
        let receiver = &mut self.conns[usize::from(f.conn)].ends[idx(f.out.segment.to())];
        let reception = receiver.receive(&f.out.segment, &listener);
        if receiver.state == TcpState::TimeWait && receiver.trail.last() == Some(&TcpState::TimeWait) {
            receiver.timer_from_ms = self.now_ms;
        }
        let (conn, at_ms) = (f.conn, self.now_ms);
        let fate = match reception.dropped {
            Some(_) => Fate::Dropped { at_ms },
            None => Fate::Delivered { at_ms },
        };
        self.record_segment(f, fate, reception.dropped.or(reception.key));
        for out in reception.replies {
            self.transmit(conn, out);
        }
        Ok(())
    }

    /// Each end's state change since the connection's last step; the step takes them over.
    fn changes(&mut self, conn: u8) -> [StateChange; 2] {
        let c = &mut self.conns[usize::from(conn)];
        [0, 1].map(|i| {
            let end = &mut c.ends[i];
            let mut path: Vec<TcpState> = std::mem::take(&mut end.trail);
            path.dedup();
            let (before, after) = (c.shown[i], end.state);
            if path.last() == Some(&after) {
                path.pop();
            }
            path.retain(|s| *s != before && *s != after);
            c.shown[i] = after;
            StateChange { before, via: path, after }
        })
    }

    fn record_segment(&mut self, f: InFlight, fate: Fate, key: Option<StepKey>) {
        let [client, server] = self.changes(f.conn);
        let key = key.unwrap_or(f.out.key);
        self.steps.push(Step {
            index: self.steps.len(),
            connection: f.conn,
            kind: StepKind::Segment {
                segment: f.out.segment,
                sent_ms: f.sent_ms,
                sender_state: f.sender_state,
                fate,
                retransmission: f.out.retransmission,
            },
            client,
            server,
            key,
            settings: Vec::new(),
        });
    }

    fn record_timer(&mut self, conn: u8, side: Side, at_ms: u64, delay_ms: u64, timer: TimerKind, key: StepKey) {
        let [client, server] = self.changes(conn);
        self.steps.push(Step {
            index: self.steps.len(),
            connection: conn,
            kind: StepKind::Timer { side, at_ms, delay_ms, timer },
            client,
            server,
            key,
            settings: Vec::new(),
        });
    }

    /// Segments still in flight when the script ends: a script that leaves any is wrong.
    pub fn in_flight(&self) -> Vec<&Segment> {
        self.flight.iter().map(|f| &f.out.segment).collect()
    }
}
