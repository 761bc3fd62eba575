//! TIME-WAIT's 60 seconds and tcp_tw_reuse, on the wire between two namespaces (so each test's
//! sysctls and /proc/net/tcp are its own).

use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use tcplab_core::capture::to_run;
use tcplab_core::tcp::{Run, ScenarioId, ScenarioParams, Side, TcpState, run};

use super::kernel_states::{StateTrace, assert_both_ends, proc_net_tcp_state};
use super::record::{Recording, assert_seen, lines, model_for, one};
use super::wire::Wire;
use super::{SLOW_APP, close_quickly, unique_port};

/// Polls the client's namespace until its socket `local -> remote` is in `state` (or is gone,
/// for `None`), for at most `limit`; returns when that happened.
fn wait_for(wire: &Wire, local: u16, remote: u16, state: Option<TcpState>, limit: Duration) -> Instant {
    let start = Instant::now();
    loop {
        if wire.client.run(move || proc_net_tcp_state(local, remote)) == state {
            return Instant::now();
        }
        assert!(start.elapsed() < limit, "{local} -> {remote} not {state:?} after {limit:?}");
        thread::sleep(Duration::from_millis(50));
    }
}

/// Closes connections to `listener` until one closes in three segments (the application won
/// the race with the quick ACK, see `close_quickly`), as the TIME-WAIT scenario shows, at most
/// `ATTEMPTS`; or, if `any_form`, closes one. The client is left in TIME-WAIT. Returns a
/// recording started after the close, the client's port, the capture of the connection, and
/// when the client was first seen in TIME-WAIT.
fn close_in_three(wire: &Wire, listener: &TcpListener, any_form: bool) -> (Recording, u16, Run, Instant) {
    const ATTEMPTS: usize = 8;
    let port = listener.local_addr().unwrap().port();
    for _ in 0..ATTEMPTS {
        let rec = wire.record(port);
        let (client, server) = wire.connect_to(listener);
        let client_port = client.local_addr().unwrap().port();
        thread::sleep(SLOW_APP);
        close_quickly(client, server);
        let entered = wait_for(wire, client_port, port, Some(TcpState::TimeWait), SLOW_APP);
        let rec2 = wire.record(port);
        let captured = one(rec.finish());
        if any_form || lines(&captured).len() == 3 + 3 {
            return (rec2, client_port, captured, entered);
        }
        drop(rec2.finish());
    }
    panic!("in {ATTEMPTS} attempts the quick ACK always fired before the application closed");
}

/// The active closer waits in TIME-WAIT for 60 s (TCP_TIMEWAIT_LEN, fixed in the kernel), then
/// the connection is gone. The one test here that takes a minute.
#[test]
fn time_wait_lasts_sixty_seconds() {
    let wire = Wire::new();
    let port = unique_port();
    let trace = StateTrace::start(port);
    let listener = wire.listen(port);
    let (rec, client_port, captured, entered) = close_in_three(&wire, &listener, false);
    drop(rec);
    let model = model_for(ScenarioId::TimeWait, &captured, 0, 0);
    assert_seen(ScenarioId::TimeWait, &captured, &model, 3, Side::Client);
    let gone = wait_for(&wire, client_port, port, None, Duration::from_secs(75));
    let timer = model.steps.last().unwrap();
    let waited = (gone - entered).as_millis() as i64;
    let model_wait = match timer.kind {
        tcplab_core::tcp::StepKind::Timer { delay_ms, .. } => delay_ms as i64,
        _ => panic!("the scenario ends with the TIME-WAIT timer"),
    };
    // Entered is when the test saw TIME-WAIT (at most one 50 ms poll late); the timer wheel may
    // fire up to an eighth of 60 s late, never early.
    assert!(
        waited >= model_wait - 100 && waited <= model_wait + model_wait / 8 + 100,
        "TIME-WAIT lasted {waited} ms, the model says {model_wait} ms"
    );
    let paths = trace.paths();
    assert_both_ends(&paths, client_port, port, &model);
}

/// With tcp_tw_reuse = 1 and one local port, a connect() to the same server takes the
/// TIME-WAIT socket's port, but only once it is older than tcp_tw_reuse_delay (1 s): before,
/// connect() fails with EADDRNOTAVAIL. The new connection's ISN is the old one's next
/// sequence number + 65535 + 2 (tcp_twsk_unique), which the model computes from the first
/// connection's ISN.
#[test]
fn tw_reuse_takes_the_port_after_one_second() {
    let wire = Wire::new();
    let port = unique_port();
    let local = unique_port();
    wire.client.sysctl("net.ipv4.tcp_tw_reuse", "1");
    wire.client.sysctl("net.ipv4.ip_local_port_range", &format!("{local} {local}"));
    let listener = wire.listen(port);
    let (rec, client_port, first, entered) = close_in_three(&wire, &listener, true);
    assert_eq!(client_port, local, "the only local port");
    let connect = move || TcpStream::connect(Wire::server_addr(port));
    let early = wire.client.run(connect).expect_err("the port is still in a young TIME-WAIT");
    assert_eq!(early.raw_os_error(), Some(libc::EADDRNOTAVAIL), "connect() before tcp_tw_reuse_delay: {early}");
    thread::sleep(Duration::from_millis(1050).saturating_sub(entered.elapsed()));
    let again = wire.client.run(connect).expect("the TIME-WAIT port is reused after 1 s");
    assert_eq!(again.local_addr().unwrap().port(), local);
    thread::sleep(SLOW_APP);
    let conversations = rec.finish();
    assert_eq!(conversations.len(), 1, "the reusing connection, alone in the second recording");
    let second = to_run(&conversations[0]);
    let params = ScenarioParams {
        client_isn: first.params.client_isn,
        server_isn: first.params.server_isn,
        reconnect_isns: (0, second.params.server_isn),
        ..ScenarioParams::default()
    };
    let model = run(ScenarioId::TimeWaitReuse, &params).unwrap();
    assert_eq!(second.params.client_isn, model.params.reconnect_isns.0, "the reused connection's ISN follows tcp_twsk_unique");
    let reuse: Vec<_> = lines(&model).into_iter().skip(3).collect();
    assert_eq!(lines(&second), reuse, "the reusing handshake: capture (left), model (right)");
    drop((again, listener));
}

/// A connection with SO_KEEPALIVE and TCP_KEEPIDLE = 1 s: after a second of silence the client
/// probes with an ACK one below its next sequence number, and the live server answers at once.
#[test]
fn keepalive_probes_after_the_idle_time() {
    const IDLE_S: u32 = 1;
    let wire = Wire::new();
    let port = unique_port();
    let trace = StateTrace::start(port);
    let rec = wire.record(port);
    let (client, server) = wire.connect(port);
    let client_port = client.local_addr().unwrap().port();
    let keepalive = socket2::TcpKeepalive::new().with_time(Duration::from_secs(IDLE_S.into()));
    socket2::SockRef::from(&client).set_tcp_keepalive(&keepalive).unwrap();
    thread::sleep(Duration::from_secs(IDLE_S.into()) + SLOW_APP);
    let captured = one(rec.finish());
    let params = ScenarioParams {
        client_isn: captured.params.client_isn,
        server_isn: captured.params.server_isn,
        keepalive_idle_s: IDLE_S,
        ..ScenarioParams::default()
    };
    let model = run(ScenarioId::Keepalive, &params).unwrap();
    assert_seen(ScenarioId::Keepalive, &captured, &model, 3, Side::Client);
    // The idle time runs from the handshake's last segment (the socket option came a moment
    // after it) to the probe.
    let times = super::record::sent_times(&captured);
    let idle = times[3] - times[2];
    let want = i64::from(IDLE_S) * 1000;
    assert!(super::record::within_timer_tolerance(idle, want), "the first probe came after {idle} ms of silence, the model says {want} ms");
    let paths = trace.paths();
    assert_both_ends(&paths, client_port, port, &model);
    drop((client, server));
}
