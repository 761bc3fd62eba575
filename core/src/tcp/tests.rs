//! The model's promises, checked for every scenario over random ISNs (wrap-around included)
//! and random payload sizes, and each scenario's shape checked against what Linux does.

use proptest::prelude::*;

use super::*;

fn isn() -> impl Strategy<Value = u32> {
    prop_oneof![any::<u32>(), (0u32..400).prop_map(|d| u32::MAX - d), 0u32..400]
}

fn params() -> impl Strategy<Value = ScenarioParams> {
    let retries = (1..=8u8, 0..=5u8, 0..=4u8);
    (isn(), isn(), 1..=MAX_PAYLOAD, 0..=MAX_PAYLOAD, isn(), isn(), 1..=MAX_KEEPALIVE_IDLE_S, retries).prop_map(
        |(c, s, cp, sp, rc, rs, idle, (syn, linear, orphan))| ScenarioParams {
            client_isn: c,
            server_isn: s,
            client_payload: cp.min(1460),
            server_payload: sp,
            reconnect_isns: (rc, rs),
            keepalive_idle_s: idle,
            syn_retries: syn,
            syn_linear_timeouts: linear,
            orphan_retries: orphan,
        },
    )
}

fn segments(run: &Run) -> impl Iterator<Item = (&Step, &Segment, u64, TcpState, Fate, u8)> {
    run.steps.iter().filter_map(|step| match &step.kind {
        StepKind::Segment { segment, sent_ms, sender_state, fate, retransmission } => {
            Some((step, segment, *sent_ms, *sender_state, *fate, *retransmission))
        }
        StepKind::Timer { .. } => None,
    })
}

/// Distance from `base` in sequence space, to order numbers that may wrap.
fn dist(base: u32, x: u32) -> u32 {
    x.wrapping_sub(base)
}

fn check_sequence_space(run: &Run) -> Result<(), TestCaseError> {
    for conn in 0..2u8 {
        for side in Side::BOTH {
            let isn = match side {
                Side::Client => run.isns(conn).0,
                Side::Server => run.isns(conn).1,
            };
            let mut next: Option<u32> = None;
            let mut originals: Vec<&Segment> = Vec::new();
            for (step, seg, _, sender_state, _, retransmission) in segments(run) {
                if step.connection != conn || seg.from != side || sender_state == TcpState::Closed && seg.flags.rst && seg.seq == 0 {
                    continue;
                }
                if step.key == StepKey::KeepaliveProbe {
                    prop_assert_eq!(seg.seq.wrapping_add(1), next.unwrap_or(isn.wrapping_add(1)), "a keepalive probe is one byte behind");
                    continue;
                }
                // In a simultaneous open each end answers the crossing SYN by sending its SYN
                // again with ACK set: the same sequence number, not a new one.
                let repeats_syn = seg.flags.syn && originals.iter().any(|o| o.flags.syn && o.seq == seg.seq);
                if retransmission > 0 || repeats_syn {
                    prop_assert!(
                        originals.iter().any(|o| o.seq == seg.seq && o.flags.syn == seg.flags.syn && o.flags.fin == seg.flags.fin),
                        "a retransmission repeats an earlier segment's seq"
                    );
                    continue;
                }
                let expected = next.unwrap_or(if seg.flags.syn { isn } else { isn.wrapping_add(1) });
                prop_assert_eq!(seg.seq, expected, "step {} ({}) seq", step.index, step.key.as_str());
                // SYN and FIN each use one sequence number; data uses its length.
                prop_assert_eq!(seg.end_seq(), seg.seq.wrapping_add(seg.len + u32::from(seg.flags.syn) + u32::from(seg.flags.fin)));
                next = Some(seg.end_seq());
                originals.push(seg);
            }
        }
    }
    Ok(())
}

fn check_acks(run: &Run) -> Result<(), TestCaseError> {
    for (step, seg, sent_ms, sender_state, _, _) in segments(run) {
        if !seg.flags.ack || sender_state == TcpState::Closed {
            continue;
        }
        let peer = seg.from.other();
        let peer_isn = match peer {
            Side::Client => run.isns(step.connection).0,
            Side::Server => run.isns(step.connection).1,
        };
        // What the acknowledging end has received in order: the furthest end of a peer segment
        // delivered to it before it sent this one. Lost and dropped segments do not count.
        let mut expected =
            if run.steps.iter().any(|s| s.connection == step.connection && s.segment().is_some_and(|p| p.from == peer && p.flags.syn)) {
                None
            } else {
                Some(peer_isn.wrapping_add(1))
            };
        for (other, p, _, _, fate, _) in segments(run) {
            let delivered_before = matches!(fate, Fate::Delivered { at_ms } if at_ms <= sent_ms);
            if other.connection == step.connection && p.from == peer && delivered_before && other.key != StepKey::KeepaliveProbe {
                let end = p.end_seq();
                expected = Some(match expected {
                    Some(e) if dist(peer_isn, e) >= dist(peer_isn, end) => e,
                    _ => end,
                });
            }
        }
        prop_assert_eq!(Some(seg.ack), expected, "step {} ({}) ack", step.index, step.key.as_str());
    }
    Ok(())
}

fn check_states(run: &Run) -> Result<(), TestCaseError> {
    let mut shown: Vec<(TcpState, TcpState)> = vec![(run.client_initial, run.server_initial)];
    for step in &run.steps {
        for side in Side::BOTH {
            let path = step.change(side).path();
            for pair in path.windows(2) {
                prop_assert!(pair[0].can_become(pair[1]), "step {}: {} -> {} is not an RFC 9293 transition", step.index, pair[0], pair[1]);
            }
        }
        let conn = usize::from(step.connection);
        if let Some(&(c, s)) = shown.get(conn) {
            prop_assert_eq!((step.client.before, step.server.before), (c, s), "step {} starts where the last one ended", step.index);
        }
        if shown.len() <= conn {
            shown.resize(conn + 1, (step.client.before, step.server.before));
        }
        shown[conn] = (step.client.after, step.server.after);
    }
    Ok(())
}

fn check_closed_ends_only_reset(run: &Run) -> Result<(), TestCaseError> {
    for (step, seg, _, sender_state, _, _) in segments(run) {
        if sender_state == TcpState::Closed && step.key != StepKey::RstAbort {
            prop_assert!(
                seg.flags.rst && !seg.flags.syn && !seg.flags.fin && seg.len == 0,
                "step {}: a closed end sent {}",
                step.index,
                seg.flags
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_scenario_keeps_the_rules(p in params()) {
        for &id in ScenarioId::all() {
            let run = run(id, &p).map_err(|e| TestCaseError::fail(format!("{id}: {e}")))?;
            prop_assert!(!run.steps.is_empty());
            check_sequence_space(&run)?;
            check_acks(&run)?;
            check_states(&run)?;
            check_closed_ends_only_reset(&run)?;
        }
    }

    #[test]
    fn a_closed_end_answers_anything_with_a_reset_or_nothing(
        seq in any::<u32>(), ack in any::<u32>(), syn: bool, ackf: bool, fin: bool, rst: bool, len in 0u32..2000,
    ) {
        let mut sim_end = super::end::End::new(Side::Server, TcpState::Closed, 7);
        let flags = Flags { syn, ack: ackf, fin, rst, psh: false };
        let seg = Segment { from: Side::Client, seq, ack, flags, len, window: 1, options: TcpOptions::default() };
        let r = sim_end.receive(&seg, &super::end::Listener::default());
        prop_assert_eq!(sim_end.state, TcpState::Closed);
        if rst {
            prop_assert!(r.replies.is_empty());
        }
        for out in r.replies {
            prop_assert!(out.segment.flags.rst && out.segment.len == 0);
            if ackf { prop_assert_eq!(out.segment.seq, ack) } else { prop_assert_eq!(out.segment.ack, seg.end_seq()) }
        }
    }
}

fn shape(id: ScenarioId) -> Vec<String> {
    let run = run(id, &ScenarioParams::default()).unwrap();
    run.steps
        .iter()
        .map(|s| match &s.kind {
            StepKind::Segment { segment, fate, .. } => {
                let arrow = if segment.from == Side::Client { "->" } else { "<-" };
                let fate = match fate {
                    Fate::Delivered { .. } => "",
                    Fate::Lost => " lost",
                    Fate::Dropped { .. } => " dropped",
                };
                format!("{arrow} {} {}:{} {}{fate}", segment.flags, segment.seq, segment.ack, segment.len)
            }
            StepKind::Timer { side, delay_ms, timer, .. } => format!("{} timer {timer:?} {delay_ms}", side.as_str()),
        })
        .collect()
}

fn states(id: ScenarioId) -> Vec<String> {
    let run = run(id, &ScenarioParams::default()).unwrap();
    run.steps
        .iter()
        .map(|s| {
            format!(
                "{} | {}",
                s.client.path().iter().map(|x| x.name()).collect::<Vec<_>>().join(">"),
                s.server.path().iter().map(|x| x.name()).collect::<Vec<_>>().join(">")
            )
        })
        .collect()
}

#[test]
fn the_handshake_acknowledges_each_isn_plus_one() {
    assert_eq!(shape(ScenarioId::Handshake), ["-> SYN 1000:0 0", "<- SYN+ACK 5000:1001 0", "-> ACK 1001:5001 0"]);
    assert_eq!(
        states(ScenarioId::Handshake),
        ["CLOSED>SYN-SENT | LISTEN>SYN-RECEIVED", "SYN-SENT>ESTABLISHED | SYN-RECEIVED", "ESTABLISHED | SYN-RECEIVED>ESTABLISHED"]
    );
}

#[test]
fn data_advances_seq_and_ack_by_the_payload() {
    let s = shape(ScenarioId::DataTransfer);
    assert_eq!(&s[3..], ["-> PSH+ACK 1001:5001 100", "<- ACK 5001:1101 0", "<- PSH+ACK 5001:1101 300", "-> ACK 1101:5301 0"]);
}

#[test]
fn a_slow_passive_close_has_four_segments_and_a_quick_one_three() {
    assert_eq!(
        shape(ScenarioId::CloseClient),
        ["-> FIN+ACK 1001:5001 0", "<- ACK 5001:1002 0", "<- FIN+ACK 5001:1002 0", "-> ACK 1002:5002 0"]
    );
    assert_eq!(shape(ScenarioId::CloseFinAck), ["-> FIN+ACK 1001:5001 0", "<- FIN+ACK 5001:1002 0", "-> ACK 1002:5002 0"]);
    // Linux passes FIN-WAIT-2 on the way to TIME-WAIT when one segment acknowledges and closes.
    assert_eq!(states(ScenarioId::CloseFinAck)[1], "FIN-WAIT-1>FIN-WAIT-2>TIME-WAIT | CLOSE-WAIT>LAST-ACK");
    let server_first = states(ScenarioId::CloseServer);
    assert!(server_first.last().unwrap().ends_with("LAST-ACK>CLOSED | TIME-WAIT"), "{server_first:?}");
}

#[test]
fn crossing_fins_pass_through_closing_on_both_ends() {
    let s = states(ScenarioId::SimultaneousClose);
    assert_eq!(s[0], "ESTABLISHED>FIN-WAIT-1 | ESTABLISHED>FIN-WAIT-1>CLOSING");
    assert!(s.last().unwrap().contains("CLOSING>TIME-WAIT"));
    let run = run(ScenarioId::SimultaneousClose, &ScenarioParams::default()).unwrap();
    let last = run.steps.last().unwrap();
    assert_eq!((last.client.after, last.server.after), (TcpState::TimeWait, TcpState::TimeWait));
}

/// As recorded on kernel 6.18: each end, ESTABLISHED by the other's SYN+ACK, answers with a
/// pure ACK (seq ISN+1, ack peer ISN+1) whose D-SACK block reports the duplicate SYN.
#[test]
fn simultaneous_open_ends_with_an_ack_from_each_side_carrying_a_dsack() {
    assert_eq!(
        shape(ScenarioId::SimultaneousOpen),
        [
            "-> SYN 1000:0 0",
            "<- SYN 5000:0 0",
            "<- SYN+ACK 5000:1001 0",
            "-> SYN+ACK 1000:5001 0",
            "-> ACK 1001:5001 0",
            "<- ACK 5001:1001 0"
        ]
    );
    let model = run(ScenarioId::SimultaneousOpen, &ScenarioParams::default()).unwrap();
    let acks: Vec<(StepKey, Vec<(u32, u32)>)> =
        model.steps[4..].iter().map(|s| (s.key, s.segment().unwrap().options.sack.clone())).collect();
    assert_eq!(acks, [(StepKey::SimultaneousAck, vec![(5000, 5001)]), (StepKey::SimultaneousAck, vec![(1000, 1001)])]);
    // Both ends passed through SYN-SENT before the crossing SYN arrived.
    assert_eq!(model.steps[0].server.path(), [TcpState::Closed, TcpState::SynSent, TcpState::SynReceived]);
}

#[test]
fn a_refused_syn_gets_rst_ack_with_seq_zero() {
    let p = ScenarioParams { client_isn: u32::MAX, ..ScenarioParams::default() };
    let run = run(ScenarioId::Refused, &p).unwrap();
    let rst = run.steps[1].segment().unwrap();
    assert_eq!((rst.flags, rst.seq, rst.ack), (Flags::RST_ACK, 0, 0));
    assert_eq!(run.steps[1].client.after, TcpState::Closed);
}

#[test]
fn an_abort_sends_rst_and_skips_time_wait() {
    let s = shape(ScenarioId::AbortLinger0);
    assert_eq!(s.last().unwrap(), "-> RST+ACK 1001:5301 0");
    let st = states(ScenarioId::AbortLinger0);
    assert_eq!(st.last().unwrap(), "ESTABLISHED>CLOSED | ESTABLISHED>CLOSED");
}

#[test]
fn lost_segments_are_resent_after_the_rto_or_a_tail_loss_probe() {
    assert_eq!(shape(ScenarioId::LostSyn)[..3], ["-> SYN 1000:0 0 lost", "client timer Retransmission 1000", "-> SYN 1000:0 0"]);
    // Once the round trip is known, a lost last segment is probed before the RTO (which caps it).
    assert_eq!(shape(ScenarioId::LostFin)[..3], ["-> FIN+ACK 1001:5001 0 lost", "client timer LossProbe 220", "-> FIN+ACK 1001:5001 0"]);
}

#[test]
fn fast_open_data_in_the_syn_is_acknowledged_by_the_syn_ack() {
    let s = shape(ScenarioId::FastOpen);
    assert_eq!(s[3..], ["-> SYN 2000:0 100", "<- SYN+ACK 9000:2101 0", "-> ACK 2101:9001 0"]);
    let run = run(ScenarioId::FastOpen, &ScenarioParams::default()).unwrap();
    assert_eq!(run.steps[0].segment().unwrap().options.tfo, Some(TfoOption::CookieRequest));
    assert_eq!(run.steps[1].segment().unwrap().options.tfo, Some(TfoOption::Cookie { len: 8 }));
    assert!(run.settings.contains(&Setting::TcpFastopen));
}

#[test]
fn time_wait_lasts_sixty_seconds_and_reuse_needs_one() {
    let run = run(ScenarioId::TimeWait, &ScenarioParams::default()).unwrap();
    let StepKind::Timer { delay_ms, timer, side, at_ms } = run.steps.last().unwrap().kind else { panic!("a timer ends it") };
    assert_eq!((delay_ms, timer, side), (60_000, TimerKind::TimeWait, Side::Client));
    let entered = run.steps.iter().find(|s| s.client.after == TcpState::TimeWait).unwrap();
    let StepKind::Segment { fate: Fate::Delivered { at_ms: entered_at }, .. } = entered.kind else { panic!() };
    assert_eq!(at_ms, entered_at + 60_000);
    let reuse = super::run(ScenarioId::TimeWaitReuse, &ScenarioParams::default()).unwrap();
    let syn = reuse.steps.iter().find(|s| s.key == StepKey::TwReuseSyn).unwrap();
    assert_eq!(syn.connection, 1);
    assert!(syn.settings.contains(&Setting::TcpTwReuse));
}

#[test]
fn syncookies_keep_no_state_until_the_ack() {
    let st = states(ScenarioId::SynQueueOverflowSyncookies);
    assert_eq!(st[0], "CLOSED>SYN-SENT | LISTEN");
    assert_eq!(st[2], "ESTABLISHED | LISTEN>SYN-RECEIVED>ESTABLISHED");
    let no = shape(ScenarioId::SynQueueOverflowNoSyncookies);
    assert_eq!(no[..3], ["-> SYN 1000:0 0 dropped", "client timer Retransmission 1000", "-> SYN 1000:0 0"]);
}

#[test]
fn a_full_accept_queue_drops_the_syn_and_then_the_last_ack() {
    let run = run(ScenarioId::AcceptQueueOverflow, &ScenarioParams::default()).unwrap();
    let keys: Vec<&str> = run.steps.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "syn-dropped-accept-queue-full",
            "rto",
            "syn-retransmit",
            "syn-ack",
            "handshake-ack-dropped",
            "syn-ack-rto",
            "syn-ack-retransmit",
            "handshake-ack",
        ]
    );
    let last = run.steps.last().unwrap();
    assert_eq!((last.client.after, last.server.after), (TcpState::Established, TcpState::Established));
}

#[test]
fn keepalive_probes_are_one_byte_behind() {
    assert_eq!(shape(ScenarioId::Keepalive), ["client timer Keepalive 7200000", "-> ACK 1000:5001 0", "<- ACK 5001:1001 0"]);
}

#[test]
fn bad_parameters_name_the_field() {
    let p = ScenarioParams { server_payload: MAX_PAYLOAD + 1, ..ScenarioParams::default() };
    assert!(matches!(run(ScenarioId::DataTransfer, &p), Err(ScenarioError::Param { field: "server_payload", .. })));
    let p = ScenarioParams { client_payload: 0, ..ScenarioParams::default() };
    assert!(matches!(run(ScenarioId::FastOpen, &p), Err(ScenarioError::Param { field: "client_payload", .. })));
}

#[test]
fn ids_round_trip_and_runs_serialize() {
    for &id in ScenarioId::all() {
        assert_eq!(id.as_str().parse::<ScenarioId>().unwrap(), id);
        let run = run(id, &ScenarioParams::default()).unwrap();
        let json = serde_json::to_string(&run).unwrap();
        let back: Run = serde_json::from_str(&json).unwrap();
        assert_eq!(back, run);
    }
    assert!("nope".parse::<ScenarioId>().is_err());
}

#[test]
fn explanations_fill_known_placeholders_only() {
    let run = run(ScenarioId::Handshake, &ScenarioParams::default()).unwrap();
    let text = fill("ack = {ack} because {ack_minus_one} was the SYN; {unknown} stays", &vars(&run.steps[1]));
    assert_eq!(text, "ack = 1001 because 1000 was the SYN; {unknown} stays");
    assert_eq!(placeholders("a {seq} b {len}"), ["seq", "len"]);
}

/// On a connection that has received no data, Linux acknowledges a bare FIN on the next timer
/// tick (recorded on kernel 6.18); after data it holds the ACK the delayed-ACK time.
#[test]
fn the_ack_of_a_fin_waits_a_tick_before_any_data_and_40_ms_after() {
    use super::end::{DELAYED_ACK_MS, QUICK_ACK_MS};
    for id in [ScenarioId::CloseClient, ScenarioId::CloseServer] {
        let model = run(id, &ScenarioParams::default()).unwrap();
        let sent: Vec<(StepKey, u64)> = segments(&model).map(|(step, _, ms, ..)| (step.key, ms)).collect();
        let fin = sent.iter().find(|(k, _)| *k == StepKey::Fin).unwrap().1;
        let ack = sent.iter().find(|(k, _)| *k == StepKey::FinAckQuick).unwrap_or_else(|| panic!("{id}: {sent:?}")).1;
        assert_eq!(ack - fin, super::engine::ONE_WAY_MS + QUICK_ACK_MS, "{id}: the FIN's flight, then one tick");
    }
    // The same close after data has reached the passive end: the full delayed-ACK time.
    let mut passive = super::end::End::established(Side::Server, 5000, 1000);
    let data = Segment { from: Side::Client, seq: 1001, ack: 5001, flags: Flags::ACK, len: 10, window: 502, options: Default::default() };
    passive.receive(&data, &Default::default());
    let fin = Segment { seq: 1011, flags: Flags::FIN_ACK, len: 0, ..data };
    passive.receive(&fin, &Default::default());
    assert_eq!(passive.ack_delay_ms(), DELAYED_ACK_MS);
    assert_eq!(passive.delayed_ack().map(|o| o.key), Some(StepKey::FinAck));
}

/// tcp_tw_reuse as tcp_twsk_unique() does it: the new connection's ISN is the TIME-WAIT
/// socket's next sequence number + 65535 + 2, and a TIME-WAIT younger than tcp_tw_reuse_delay
/// keeps its port (connect() fails with EADDRNOTAVAIL).
#[test]
fn a_reused_time_wait_port_starts_65537_past_the_old_connection_and_only_after_a_second() {
    use super::end::End;
    use super::engine::{Op, Sim, TW_REUSE_DELAY_MS};
    let p = ScenarioParams { client_isn: u32::MAX - 10, ..ScenarioParams::default() };
    let model = run(ScenarioId::TimeWaitReuse, &p).unwrap();
    let old_next = p.client_isn.wrapping_add(2);
    let syn = model.steps.iter().find(|s| s.connection == 1).and_then(|s| s.segment()).unwrap();
    assert_eq!(syn.seq, old_next.wrapping_add(65_537));
    for (wait, ok) in [(TW_REUSE_DELAY_MS - 100, false), (TW_REUSE_DELAY_MS, true)] {
        let mut sim = Sim::new(Default::default());
        sim.add(End::established(Side::Client, 1000, 5000), End::established(Side::Server, 5000, 1000));
        sim.add(End::new(Side::Client, TcpState::Closed, 2000), End::new(Side::Server, TcpState::Listen, 9000));
        let ops = [
            Op::Close { conn: 0, side: Side::Client },
            Op::Deliver,
            Op::Close { conn: 0, side: Side::Server },
            Op::DeliverAll,
            Op::Wait { ms: wait },
            Op::Open { conn: 1, side: Side::Client, tfo: None, data: 0, key: StepKey::TwReuseSyn, reuse: Some(0) },
            Op::DeliverAll,
        ];
        let result = sim.run(&ops);
        assert_eq!(result.is_ok(), ok, "after {wait} ms: {result:?}");
        if let Err(e) = result {
            assert!(e.contains("EADDRNOTAVAIL"), "{e}");
        }
    }
}

/// A closed port answering a segment that carries an ACK: a bare RST whose seq is that ACK
/// number, with its own lesson, not the refused SYN's RST+ACK.
#[test]
fn a_rst_answering_an_ack_takes_its_number_and_its_own_key() {
    let mut closed = super::end::End::new(Side::Server, TcpState::Closed, 0);
    let ack = Segment { from: Side::Client, seq: 1001, ack: 7777, flags: Flags::ACK, len: 5, window: 502, options: Default::default() };
    let r = closed.receive(&ack, &Default::default());
    let reply = &r.replies[0];
    assert_eq!((reply.segment.flags, reply.segment.seq, reply.key), (Flags::RST, 7777, StepKey::RstForAck));
}

#[test]
fn keepalive_probes_after_the_idle_time_it_is_given() {
    let params = ScenarioParams { keepalive_idle_s: 75, ..ScenarioParams::default() };
    let run = run(ScenarioId::Keepalive, &params).unwrap();
    match run.steps[0].kind {
        StepKind::Timer { at_ms, delay_ms, timer: TimerKind::Keepalive, .. } => assert_eq!((at_ms, delay_ms), (75_000, 75_000)),
        ref other => panic!("the keepalive timer first, not {other:?}"),
    }
    assert_eq!(ScenarioParams::default().keepalive_idle_s, 7200, "tcp_keepalive_time's default");
    for idle in [0, MAX_KEEPALIVE_IDLE_S + 1] {
        let params = ScenarioParams { keepalive_idle_s: idle, ..ScenarioParams::default() };
        let err = super::run(ScenarioId::Keepalive, &params).unwrap_err();
        assert!(matches!(err, ScenarioError::Param { field: "keepalive_idle_s", .. }), "{idle}: {err:?}");
    }
}

/// When a run's segments are sent, and when its give-up timer fires.
fn schedule(run: &Run, give_up: StepKey) -> (Vec<u64>, u64) {
    let sent = segments(run).map(|(_, _, sent_ms, ..)| sent_ms).collect();
    let at = run
        .steps
        .iter()
        .find_map(|s| match s.kind {
            StepKind::Timer { at_ms, .. } if s.key == give_up => Some(at_ms),
            _ => None,
        })
        .expect("the run ends by giving up");
    assert_eq!(run.steps.last().map(|s| s.key), Some(give_up), "giving up is the last step");
    (sent, at)
}

#[test]
fn an_unanswered_syn_follows_the_kernels_schedule_to_etimedout() {
    // ip-sysctl.rst: with tcp_syn_retries = 6 and tcp_syn_linear_timeouts = 4, the last
    // retransmission at 67 s and the final timeout after 131 s.
    let run = run(ScenarioId::SynTimeout, &ScenarioParams::default()).unwrap();
    let (sent, gave_up) = schedule(&run, StepKey::SynGiveUp);
    assert_eq!(sent, [0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67].map(|s| s * 1000));
    assert_eq!(gave_up, 131_000);
    let last = run.steps.last().unwrap();
    assert_eq!((last.client.before, last.client.after), (TcpState::SynSent, TcpState::Closed));
    assert_eq!(last.server.after, TcpState::Listen, "the server never saw a SYN");
    // Without linear timeouts (before Linux 6.5): the classic doubling, 127 s.
    let classic = ScenarioParams { syn_linear_timeouts: 0, ..ScenarioParams::default() };
    let (sent, gave_up) = schedule(&super::run(ScenarioId::SynTimeout, &classic).unwrap(), StepKey::SynGiveUp);
    assert_eq!(sent, [0, 1, 3, 7, 15, 31, 63].map(|s| s * 1000));
    assert_eq!(gave_up, 127_000);
}

#[test]
fn an_unanswered_fin_backs_off_until_the_orphan_budget_is_spent() {
    assert_eq!([0, 1, 8, 15].map(orphan_give_up_ms), [102_200, 600, 102_200, 924_600]);
    let run = run(ScenarioId::FinTimeout, &ScenarioParams::default()).unwrap();
    let (sent, gave_up) = schedule(&run, StepKey::FinGiveUp);
    // A tail loss probe at 220 ms, then the RTO (220 ms from the probe), doubling; the budget
    // runs from the first RTO retransmission, at 440 ms.
    assert_eq!(sent, [0, 220, 440, 880, 1760, 3520, 7040, 14_080, 28_160, 56_320]);
    assert_eq!(gave_up, 112_640);
    let probe = &run.steps[1];
    assert!(matches!(probe.kind, StepKind::Timer { timer: TimerKind::LossProbe, delay_ms: 220, .. }), "{probe:?}");
    let last = run.steps.last().unwrap();
    assert_eq!((last.client.before, last.client.after), (TcpState::FinWait1, TcpState::Closed));
    assert_eq!(last.server.after, TcpState::Established, "no RST: the peer never learns");
    let short = ScenarioParams { orphan_retries: 1, ..ScenarioParams::default() };
    let (sent, gave_up) = schedule(&super::run(ScenarioId::FinTimeout, &short).unwrap(), StepKey::FinGiveUp);
    assert_eq!((sent, gave_up), (vec![0, 220, 440, 880], 1760));
    for (field, params) in [
        ("syn_retries", ScenarioParams { syn_retries: 0, ..ScenarioParams::default() }),
        ("syn_linear_timeouts", ScenarioParams { syn_linear_timeouts: MAX_SYN_RETRIES + 1, ..ScenarioParams::default() }),
        ("orphan_retries", ScenarioParams { orphan_retries: MAX_ORPHAN_RETRIES + 1, ..ScenarioParams::default() }),
    ] {
        let err = super::run(ScenarioId::FinTimeout, &params).unwrap_err();
        assert!(matches!(err, ScenarioError::Param { field: f, .. } if f == field), "{field}: {err:?}");
    }
}

#[test]
fn the_second_connection_follows_the_learners_numbers() {
    let a = ScenarioParams::with_isns(1, 2);
    let b = ScenarioParams::with_isns(1, 3);
    assert_eq!(a.reconnect_isns, ScenarioParams::with_isns(1, 2).reconnect_isns, "a link reproduces them");
    assert_eq!(a.reconnect_isns.0, b.reconnect_isns.0, "the client's follows the client's");
    assert_ne!(a.reconnect_isns.1, b.reconnect_isns.1, "the server's follows the server's");
    let run = run(ScenarioId::FastOpen, &a).unwrap();
    let second_syn = run.steps.iter().filter(|s| s.connection == 1).find_map(|s| s.segment()).unwrap();
    assert_eq!(second_syn.seq, a.reconnect_isns.0);
}
