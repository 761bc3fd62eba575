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
/// Linux's TCP_RTO_MAX: no retransmission timeout grows beyond it.
pub const RTO_MAX_MS: u64 = 120_000;
/// The RTO once the handshake has measured the round trip: SRTT plus the variance term, which
/// Linux keeps at least TCP_RTO_MIN.
pub const RTO_BASE_MS: u64 = 2 * ONE_WAY_MS + RTO_MIN_MS;
/// Linux's TCP_DELACK_MAX: how long a receiver may hold an ACK at most.
const DELACK_MAX_MS: u64 = 200;
/// The tail loss probe's timeout (RFC 8985, `tcp_schedule_loss_probe()`): two round trips, at
/// least 1.5 round trips + TCP_DELACK_MAX with one segment in flight, never later than the RTO.
pub const PROBE_TIMEOUT_MS: u64 = {
    let srtt = 2 * ONE_WAY_MS;
    let pto = if 2 * srtt > srtt * 3 / 2 + DELACK_MAX_MS { 2 * srtt } else { srtt * 3 / 2 + DELACK_MAX_MS };
    if pto < RTO_BASE_MS { pto } else { RTO_BASE_MS }
};

/// How often an end retries before it gives up, as the kernel's sysctls say.
#[derive(Debug, Clone, Copy)]
pub struct Retries {
    /// `net.ipv4.tcp_syn_retries`.
    pub syn: u8,
    /// `net.ipv4.tcp_syn_linear_timeouts`: the first SYN retries keep the initial RTO, and
    /// count on top of `syn`.
    pub syn_linear: u8,
    /// `net.ipv4.tcp_orphan_retries` for a closed socket's FIN; 0 means 8.
    pub orphan: u8,
}

impl Default for Retries {
    fn default() -> Self {
        Retries { syn: 6, syn_linear: 4, orphan: 0 }
    }
}

/// How long after its first transmission a closed (orphaned) socket's unacknowledged FIN makes
/// the kernel give up: `tcp_model_timeout()` with `tcp_orphan_retries` (0 means 8) as the
/// boundary and TCP_RTO_MIN as the base, as `retransmits_timed_out()` computes it.
pub fn orphan_give_up_ms(orphan_retries: u8) -> u64 {
    let boundary = if orphan_retries == 0 { 8 } else { u64::from(orphan_retries) };
    // ilog2(TCP_RTO_MAX / TCP_RTO_MIN): after that many doublings the RTO stops growing.
    let thresh = (RTO_MAX_MS / RTO_MIN_MS).ilog2() as u64;
    if boundary <= thresh {
        ((2 << boundary) - 1) * RTO_MIN_MS
    } else {
        ((2 << thresh) - 1) * RTO_MIN_MS + (boundary - thresh) * RTO_MAX_MS
    }
}

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
    /// Every segment `side` sends from now on is lost, and its retransmission timer fires again
    /// and again until the end gives up.
    NoAnswer {
        conn: u8,
        side: Side,
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
    pub retries: Retries,
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
        Sim {
            conns: Vec::new(),
            listener,
            flight: Vec::new(),
            now_ms: 0,
            last_sent_ms: [None, None],
            retries: Retries::default(),
            steps: Vec::new(),
        }
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
            Op::NoAnswer { conn, side } => {
                // The limits keep any schedule under 300 retransmissions.
                for _ in 0..300 {
                    if self.end(conn, side)?.state == TcpState::Closed {
                        return Ok(());
                    }
                    self.apply(Op::Lose)?;
                    self.timeout(conn, side)?;
                }
                return Err(format!("{} never gave up", side.as_str()));
            }
            Op::SetListener(listener) => self.listener = listener,
        }
        Ok(())
    }

    fn timeout(&mut self, conn: u8, side: Side) -> Result<(), String> {
        let retries = self.retries;
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
        let (delay, gives_up) = if pending.segment.flags.syn {
            // A connecting end's first `syn_linear` retries keep the initial RTO (Linux 6.5 and
            // later), then it doubles; after `syn + syn_linear` retries the next timeout ends the
            // attempt. A SYN+ACK always doubles.
            let syn_sent = end.state == TcpState::SynSent;
            let linear = if syn_sent { u32::from(retries.syn_linear) } else { 0 };
            let delay = (INITIAL_RTO_MS << tries.saturating_sub(linear).min(7)).min(RTO_MAX_MS);
            (delay, syn_sent && tries >= u32::from(retries.syn) + linear)
        } else {
            // The first try is a tail loss probe; then the RTO timer, restarted by the probe, at
            // the measured round trip plus TCP_RTO_MIN, doubling. A closed socket's FIN is given
            // up once tcp_orphan_retries' time has passed since its first RTO retransmission
            // (retrans_stamp), checked when the RTO timer fires.
            let rto = |k: u32| (RTO_BASE_MS << k.min(10)).min(RTO_MAX_MS);
            let delay = if tries == 0 { PROBE_TIMEOUT_MS } else { rto(tries - 1) };
            let since_stamp: u64 = (2..=tries).map(|k| rto(k - 1)).sum();
            let fin = pending.segment.flags.fin;
            (delay, fin && tries >= 2 && since_stamp >= orphan_give_up_ms(retries.orphan))
        };
        let at_ms = end.timer_from_ms + delay;
        let (timer, key) = if gives_up {
            let key = if end.state == TcpState::SynSent { StepKey::SynGiveUp } else { StepKey::FinGiveUp };
            end.state = TcpState::Closed;
            end.trail.push(TcpState::Closed);
            end.unacked = None;
            (TimerKind::Retransmission, key)
        } else if end.state == TcpState::SynReceived {
            (TimerKind::SynAckRetransmission, StepKey::SynAckRto)
        } else if tries == 0 && !pending.segment.flags.syn {
            (TimerKind::LossProbe, StepKey::TailLossProbe)
        } else {
            (TimerKind::Retransmission, StepKey::Rto)
        };
        self.now_ms = self.now_ms.max(at_ms);
        self.record_timer(conn, side, at_ms, delay, timer, key);
        if gives_up {
            return Ok(());
        }
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
