//! Segments the wire loses: the first SYN or FIN, or every one. The kernel's retransmission timer
//! sends it again: 1 s for a SYN (TCP_TIMEOUT_INIT), the RTO for a FIN (the measured round trip
//! plus TCP_RTO_MIN's 200 ms), and gives up after its sysctls' number of tries or time.

use std::thread;

use tcplab_core::tcp::{ScenarioId, ScenarioParams, Side, StepKey, StepKind, TcpState, run};

use super::kernel_states::{StateTrace, assert_both_ends, assert_states, proc_net_tcp_state};
use super::record::{assert_seen, lines, model_for, one, within_timer_tolerance};
use super::wire::{Frame, Verdict, Wire};
use super::{SLOW_APP, close_quickly, unique_port};

/// A rule that loses the first frame `pick` chooses.
fn lose_first(pick: fn(&Frame) -> bool) -> impl FnMut(&Frame) -> Verdict + Send {
    let mut lost = false;
    move |f| {
        if pick(f) && !lost {
            lost = true;
            Verdict::Drop
        } else {
            Verdict::Pass
        }
    }
}

#[test]
fn a_lost_syn_is_sent_again_after_one_second() {
    let wire = Wire::new();
    let port = unique_port();
    let trace = StateTrace::start(port);
    let rec = wire.record(port);
    wire.rule(lose_first(|f| f.syn() && !f.has_ack()));
    let (client, _server) = wire.connect(port);
    let client_port = client.local_addr().unwrap().port();
    thread::sleep(SLOW_APP);
    let captured = one(rec.finish());
    let model = model_for(ScenarioId::LostSyn, &captured, 0, 0);
    assert_seen(ScenarioId::LostSyn, &captured, &model, 0, Side::Client);
    let paths = trace.paths();
    assert_both_ends(&paths, client_port, port, &model);
}

/// The passive end closes as soon as it reads the FIN, so its FIN carries the ACK, as the model
/// says; unless the kernel's quick ACK (one tick on a connection without data) fires before the
/// application runs, and the close takes four segments. Every attempt must match one of the two,
/// and at least one the model's three.
#[test]
fn a_lost_fin_is_sent_again_after_the_rto() {
    const ATTEMPTS: usize = 6;
    for _ in 0..ATTEMPTS {
        let wire = Wire::new();
        let port = unique_port();
        let trace = StateTrace::start(port);
        let rec = wire.record(port);
        let (client, server) = wire.connect(port);
        let client_port = client.local_addr().unwrap().port();
        thread::sleep(SLOW_APP);
        wire.rule(lose_first(Frame::fin));
        close_quickly(client, server);
        thread::sleep(SLOW_APP);
        let captured = one(rec.finish());
        let model = model_for(ScenarioId::LostFin, &captured, 0, 0);
        let got = lines(&captured);
        if got.len() == 3 + 6 {
            // The race lost: the retransmitted FIN's ACK went alone, then the server's FIN.
            let want = lines(&model);
            let ack = (Side::Server, "ACK".to_owned(), want[3].2, want[3].3, 0);
            let fin = (Side::Server, "FIN+ACK".to_owned(), want[3].2, want[3].3, 0);
            assert_eq!(&got[3..], &[&want[..3], &[ack, fin], &want[4..]].concat()[..], "lost-fin in four segments");
            continue;
        }
        assert_seen(ScenarioId::LostFin, &captured, &model, 3, Side::Client);
        let paths = trace.paths();
        assert_both_ends(&paths, client_port, port, &model);
        return;
    }
    panic!("in {ATTEMPTS} attempts the quick ACK always fired before the application closed");
}

/// Every SYN is lost. With `tcp_syn_retries = 2` and `tcp_syn_linear_timeouts = 1` (set in the
/// client's namespace, to keep the test short) the kernel sends the SYN at 0, 1, 2 and 4 s and
/// gives up at 8 s: connect() fails with ETIMEDOUT and the socket goes from SYN-SENT to CLOSED.
#[test]
fn an_unanswered_syn_is_retried_then_given_up() {
    let wire = Wire::new();
    let (retries, linear) = (2u8, 1u8);
    wire.client.sysctl("net.ipv4.tcp_syn_retries", &retries.to_string());
    wire.client.sysctl("net.ipv4.tcp_syn_linear_timeouts", &linear.to_string());
    let port = unique_port();
    let _listener = wire.listen(port);
    let trace = StateTrace::start(port);
    let rec = wire.record(port);
    wire.rule(|f| if f.syn() && !f.has_ack() { Verdict::Drop } else { Verdict::Pass });
    let client = wire.socket(Side::Client, unique_port());
    let client_port = client.local_addr().unwrap().as_socket().unwrap().port();
    let started = std::time::Instant::now();
    let err = client.connect(&Wire::server_addr(port).into()).expect_err("nobody answers");
    let waited = started.elapsed().as_millis() as i64;
    assert_eq!(err.kind(), std::io::ErrorKind::TimedOut, "connect() fails with ETIMEDOUT: {err}");
    let captured = one(rec.finish());
    let params = ScenarioParams {
        client_isn: captured.params.client_isn,
        syn_retries: retries,
        syn_linear_timeouts: linear,
        ..ScenarioParams::default()
    };
    let model = run(ScenarioId::SynTimeout, &params).unwrap();
    assert_seen(ScenarioId::SynTimeout, &captured, &model, 0, Side::Client);
    let gave_up = timer_at(&model, StepKey::SynGiveUp);
    assert!(within_timer_tolerance(waited, gave_up), "connect() failed after {waited} ms, the model gives up at {gave_up} ms");
    let paths = trace.paths();
    assert_states(&paths, client_port, port, &model, 0, Side::Client);
}

/// The closed client's FIN is never acknowledged. The kernel sends it at 0 ms, probes at 220 ms
/// (a tail loss probe: two round trips, capped by the RTO), and from there the RTO timer fires at
/// 440 and 880 ms. With `tcp_orphan_retries = 1` in the client's namespace the budget is
/// (2^2 - 1) x 200 ms from the first RTO retransmission (440 ms), so the firing at 1760 ms drops
/// the connection; no RST goes out, and the server stays ESTABLISHED. (With 2 the budget ends
/// within the timer wheel's slack of a firing, and the kernel's choice varies from run to run.)
#[test]
fn an_unanswered_fin_is_retried_then_given_up() {
    let wire = Wire::new();
    let orphan_retries = 1u8;
    wire.client.sysctl("net.ipv4.tcp_orphan_retries", &orphan_retries.to_string());
    let port = unique_port();
    let trace = StateTrace::start(port);
    let rec = wire.record(port);
    let (client, server) = wire.connect(port);
    let client_port = client.local_addr().unwrap().port();
    thread::sleep(SLOW_APP);
    wire.rule(|f| if f.fin() { Verdict::Drop } else { Verdict::Pass });
    let closed = std::time::Instant::now();
    drop(client);
    let gone = loop {
        if wire.client.run(move || proc_net_tcp_state(client_port, port)).is_none() {
            break closed.elapsed().as_millis() as i64;
        }
        assert!(closed.elapsed() < std::time::Duration::from_secs(10), "the orphaned FIN-WAIT-1 socket is never dropped");
        thread::sleep(std::time::Duration::from_millis(10));
    };
    thread::sleep(SLOW_APP);
    let captured = one(rec.finish());
    let params = ScenarioParams {
        client_isn: captured.params.client_isn,
        server_isn: captured.params.server_isn,
        orphan_retries,
        ..ScenarioParams::default()
    };
    let model = run(ScenarioId::FinTimeout, &params).unwrap();
    assert_seen(ScenarioId::FinTimeout, &captured, &model, 3, Side::Client);
    let gave_up = timer_at(&model, StepKey::FinGiveUp);
    assert!(within_timer_tolerance(gone, gave_up), "the socket was dropped after {gone} ms, the model gives up at {gave_up} ms");
    let server_state = wire.server.run(move || proc_net_tcp_state(port, client_port));
    assert_eq!(server_state, Some(TcpState::Established), "no RST: the server is never told");
    let paths = trace.paths();
    assert_states(&paths, client_port, port, &model, 0, Side::Client);
    drop(server);
}

/// When the model's timer step `key` fires, in milliseconds.
fn timer_at(model: &tcplab_core::tcp::Run, key: StepKey) -> i64 {
    model
        .steps
        .iter()
        .find(|s| s.key == key)
        .and_then(|s| match s.kind {
            StepKind::Timer { at_ms, .. } => Some(at_ms as i64),
            StepKind::Segment { .. } => None,
        })
        .unwrap_or_else(|| panic!("the model has no {key:?} timer"))
}
