//! A captured conversation as model steps: each end's state inferred from what it sent and
//! received, and each segment given the step key the lessons explain it with.

use crate::tcp::{Fate, Run, ScenarioParams, Segment, Side, StateChange, Step, StepKey, StepKind, TcpState, TfoOption};

use super::Conversation;

/// What the capture shows of one end.
#[derive(Debug, Clone)]
struct Observed {
    state: TcpState,
    trail: Vec<TcpState>,
    /// The end of the furthest sequence number it has sent, to tell retransmissions apart.
    sent_end: Option<u32>,
    /// The sequence number right after its FIN, once it has sent one.
    fin_end: Option<u32>,
    /// The end of the peer's FIN once this end has seen it, and whether it has acknowledged it.
    peer_fin_end: Option<u32>,
    acked_peer_fin: bool,
    iss: Option<u32>,
    /// Data has reached this end: Linux then delays the ACK of a FIN 40 ms, before only a tick.
    received_data: bool,
    /// This end sent a SYN without ACK, and received one: the SYNs crossed (a simultaneous open).
    sent_bare_syn: bool,
    got_bare_syn: bool,
}

impl Observed {
    fn new(state: TcpState) -> Observed {
        Observed {
            state,
            trail: Vec::new(),
            sent_end: None,
            fin_end: None,
            peer_fin_end: None,
            acked_peer_fin: false,
            iss: None,
            received_data: false,
            sent_bare_syn: false,
            got_bare_syn: false,
        }
    }

    fn set(&mut self, state: TcpState) {
        if state != self.state {
            self.state = state;
            self.trail.push(state);
        }
    }

    fn on_send(&mut self, seg: &Segment) {
        use TcpState::*;
        self.sent_bare_syn |= seg.flags.syn && !seg.flags.ack;
        if seg.flags.syn && self.iss.is_none() {
            self.iss = Some(seg.seq);
        }
        let end = seg.end_seq();
        let advances = match self.sent_end {
            None => true,
            Some(prev) => end.wrapping_sub(prev) as i32 > 0,
        };
        // The first segment sets where this end stands; later ones only move it forward.
        if self.sent_end.is_none() || (advances && seg.seq_len() > 0) {
            self.sent_end = Some(end);
        }
        if seg.flags.rst {
            self.set(Closed);
            return;
        }
        if seg.flags.ack && self.peer_fin_end.is_some_and(|f| seg.ack == f) {
            self.acked_peer_fin = true;
        }
        if seg.flags.syn && !seg.flags.ack && matches!(self.state, Closed | Listen) {
            self.set(SynSent);
        }
        if seg.flags.fin {
            self.fin_end = Some(end);
            match self.state {
                Established | SynReceived => self.set(FinWait1),
                CloseWait => self.set(LastAck),
                _ => {}
            }
        }
    }

    fn on_receive(&mut self, seg: &Segment) {
        use TcpState::*;
        self.received_data |= seg.len > 0;
        self.got_bare_syn |= seg.flags.syn && !seg.flags.ack;
        if seg.flags.rst {
            if self.state != Listen {
                self.set(Closed);
            }
            return;
        }
        if seg.flags.syn {
            match (self.state, seg.flags.ack) {
                (Listen | SynSent, false) => self.set(SynReceived),
                (SynSent | SynReceived, true) => self.set(Established),
                _ => {}
            }
        } else if seg.flags.ack {
            let covers = |end: Option<u32>| end.is_some_and(|e| seg.ack == e);
            match self.state {
                SynReceived if self.iss.is_some_and(|iss| seg.ack.wrapping_sub(iss) as i32 > 0) => self.set(Established),
                FinWait1 if covers(self.fin_end) => self.set(FinWait2),
                Closing if covers(self.fin_end) => self.set(TimeWait),
                LastAck if covers(self.fin_end) => self.set(Closed),
                _ => {}
            }
        }
        if seg.flags.fin {
            self.peer_fin_end = Some(seg.end_seq());
            match self.state {
                Established | SynReceived => self.set(CloseWait),
                FinWait1 => self.set(Closing),
                FinWait2 => self.set(TimeWait),
                _ => {}
            }
        }
    }

    fn change(&mut self, shown: &mut TcpState) -> StateChange {
        let mut path = std::mem::take(&mut self.trail);
        path.dedup();
        let (before, after) = (*shown, self.state);
        if path.last() == Some(&after) {
            path.pop();
        }
        path.retain(|s| *s != before && *s != after);
        *shown = after;
        StateChange { before, via: path, after }
    }
}

/// The states both ends were in before the first captured segment, judged from how it starts.
fn initial_states(segments: &[Segment]) -> (TcpState, TcpState) {
    let Some(first) = segments.first() else { return (TcpState::Closed, TcpState::Closed) };
    if !first.flags.syn || first.flags.ack {
        // The capture began inside an open connection.
        return (TcpState::Established, TcpState::Established);
    }
    // The server's first answer tells whether anything listened: a RST means nothing did, a SYN
    // of its own means both ends opened at once.
    let server_first = segments.iter().find(|s| s.from == Side::Server);
    let server = match server_first {
        Some(s) if s.flags.rst => TcpState::Closed,
        Some(s) if s.flags.syn && !s.flags.ack => TcpState::Closed,
        _ => TcpState::Listen,
    };
    (TcpState::Closed, server)
}

fn key_for(seg: &Segment, retransmission: bool, sender: &StateChange, receiver: &StateChange, sender_end: &Observed) -> StepKey {
    use TcpState::*;
    let f = seg.flags;
    if f.rst {
        return match sender.before {
            // Without ACK, from an end with no connection: the answer to a segment that carried one.
            Closed | Listen | SynSent if !f.ack => StepKey::RstForAck,
            Closed | Listen | SynSent => StepKey::RstRefused,
            _ => StepKey::RstAbort,
        };
    }
    if f.syn && !f.ack {
        return match (retransmission, seg.options.tfo, receiver.before) {
            (true, _, _) => StepKey::SynRetransmit,
            (_, Some(TfoOption::Cookie { .. }), _) => StepKey::TfoSynData,
            (_, Some(TfoOption::CookieRequest), _) => StepKey::TfoCookieRequest,
            (_, _, SynSent) => StepKey::SimultaneousSyn,
            _ => StepKey::Syn,
        };
    }
    if f.syn {
        return match (retransmission, seg.options.tfo) {
            (true, _) => StepKey::SynAckRetransmit,
            _ if sender.path().contains(&SynSent) || receiver.before == SynReceived => StepKey::SimultaneousSynAck,
            (_, Some(TfoOption::Cookie { .. })) => StepKey::TfoCookieSynAck,
            _ => StepKey::SynAck,
        };
    }
    if f.fin {
        return match (retransmission, sender.before) {
            (true, _) => StepKey::FinRetransmit,
            // No pure ACK acknowledged the peer's FIN before: this FIN carries that ACK.
            (_, CloseWait) if !sender_end.acked_peer_fin => StepKey::FinAckCombined,
            (_, CloseWait) => StepKey::FinPassive,
            _ => StepKey::Fin,
        };
    }
    if seg.len > 0 {
        return StepKey::Data;
    }
    if sender.after == TimeWait {
        return StepKey::LastAck;
    }
    if sender.after == Closing {
        return StepKey::ClosingAck;
    }
    if matches!(sender.before, SynSent) || (receiver.before == SynReceived && receiver.after == Established) {
        return StepKey::HandshakeAck;
    }
    if sender.after == CloseWait && sender.before == CloseWait && sender_end.peer_fin_end.is_some_and(|e| seg.ack == e) {
        return if sender_end.received_data { StepKey::FinAck } else { StepKey::FinAckQuick };
    }
    if sender_end.sent_end.is_some_and(|end| seg.seq == end.wrapping_sub(1)) {
        return StepKey::KeepaliveProbe;
    }
    // After a simultaneous open each end acknowledges the other's SYN+ACK, reporting its
    // duplicate SYN in a D-SACK block (one below the ACK number).
    let dsack = seg.options.sack.first().is_some_and(|(left, _)| seg.ack.wrapping_sub(*left) as i32 > 0);
    if dsack && sender_end.sent_bare_syn && sender_end.got_bare_syn {
        return StepKey::SimultaneousAck;
    }
    StepKey::DataAck
}

/// Turns a captured conversation into a run, as if the model had produced it.
pub fn to_run(conversation: &Conversation) -> Run {
    let segments: Vec<Segment> = conversation.segments.iter().map(|c| c.segment.clone()).collect();
    let (client0, server0) = initial_states(&segments);
    let mut ends = [Observed::new(client0), Observed::new(server0)];
    let mut shown = [client0, server0];
    let mut steps = Vec::with_capacity(segments.len());
    let isn = |side: Side| {
        segments
            .iter()
            .find(|s| s.from == side && s.flags.syn)
            .map(|s| s.seq)
            .or_else(|| segments.iter().find(|s| s.from == side).map(|s| s.seq.wrapping_sub(1)))
    };
    let payload = |side: Side| segments.iter().filter(|s| s.from == side).map(|s| s.len).sum::<u32>();
    for (index, captured) in conversation.segments.iter().enumerate() {
        let seg = &captured.segment;
        let (s, r) = match seg.from {
            Side::Client => (0, 1),
            Side::Server => (1, 0),
        };
        let retransmission =
            seg.seq_len() > 0 && ends[s].sent_end.is_some_and(|end| end.wrapping_sub(seg.end_seq()) as i32 >= 0) && !seg.flags.rst;
        let acked_before = ends[s].acked_peer_fin;
        ends[s].on_send(seg);
        let sender_state = ends[s].state;
        ends[r].on_receive(seg);
        let changes = [ends[0].change(&mut shown[0]), ends[1].change(&mut shown[1])];
        let mut view = ends[s].clone();
        view.acked_peer_fin = acked_before;
        let key = key_for(seg, retransmission, &changes[s], &changes[r], &view);
        let ms = captured.micros / 1000;
        let [client, server] = changes;
        steps.push(Step {
            index,
            connection: 0,
            kind: StepKind::Segment {
                segment: seg.clone(),
                sent_ms: ms,
                sender_state,
                fate: Fate::Delivered { at_ms: ms },
                retransmission: u8::from(retransmission),
            },
            client,
            server,
            key,
            settings: Vec::new(),
        });
    }
    let settings = crate::tcp::attach_settings(&mut steps);
    let params = ScenarioParams {
        client_isn: isn(Side::Client).unwrap_or(0),
        server_isn: isn(Side::Server).unwrap_or(0),
        client_payload: payload(Side::Client),
        server_payload: payload(Side::Server),
        reconnect_isns: (0, 0),
        ..ScenarioParams::default()
    };
    Run { scenario: None, params, client_initial: client0, server_initial: server0, steps, settings }
}
