//! Segments that cross on the wire: both ends open, or close, at the same moment. On loopback a
//! segment arrives before the other end can act, so these run between namespaces; the relay
//! holds the first SYN (or FIN) until the other end has sent its own, then delivers both.

use std::thread;
use std::time::Duration;

use tcplab_core::tcp::{ScenarioId, Side, TcpState};

use super::kernel_states::{StateTrace, assert_both_ends, proc_net_tcp_state};
use super::record::{assert_seen, model_for, one};
use super::wire::{Frame, Verdict, Wire};
use super::{SLOW_APP, unique_port};

/// A rule that holds the first frame `pick` chooses and lets the second one carry it along.
fn cross(pick: fn(&Frame) -> bool) -> impl FnMut(&Frame) -> Verdict + Send {
    let mut seen = 0;
    move |f| {
        if !pick(f) {
            return Verdict::Pass;
        }
        seen += 1;
        match seen {
            1 => Verdict::Hold,
            2 => Verdict::PassAfterHeld,
            _ => Verdict::Pass,
        }
    }
}

/// Each end connect()s to the other from a fixed port: their SYNs cross, each end answers the
/// other's SYN with a SYN+ACK from SYN-RECEIVED, and each ends with a pure ACK.
#[test]
fn simultaneous_open_crosses_two_syns() {
    let wire = Wire::new();
    let (client_port, server_port) = (unique_port(), unique_port());
    let trace = StateTrace::start(server_port);
    let rec = wire.record(server_port);
    wire.rule(cross(|f| f.syn() && !f.has_ack()));
    let client = wire.socket(Side::Client, client_port);
    let server = wire.socket(Side::Server, server_port);
    thread::scope(|s| {
        let c = s.spawn(|| client.connect(&Wire::server_addr(server_port).into()));
        let v = s.spawn(|| server.connect(&Wire::client_addr(client_port).into()));
        c.join().unwrap().expect("the client's connect");
        v.join().unwrap().expect("the server's connect");
    });
    thread::sleep(Duration::from_millis(200));
    let captured = one(rec.finish());
    let model = model_for(ScenarioId::SimultaneousOpen, &captured, 0, 0);
    assert_seen(ScenarioId::SimultaneousOpen, &captured, &model, 0, Side::Client);
    let paths = trace.paths();
    assert_both_ends(&paths, client_port, server_port, &model);
    drop((client, server));
}

/// Both ends close at once: the FINs cross, each end goes FIN-WAIT-1, then CLOSING when the
/// other's FIN arrives, acknowledges it at once, and both end in TIME-WAIT.
#[test]
fn simultaneous_close_crosses_two_fins() {
    let wire = Wire::new();
    let port = unique_port();
    let trace = StateTrace::start(port);
    let rec = wire.record(port);
    let (client, server) = wire.connect(port);
    let client_port = client.local_addr().unwrap().port();
    thread::sleep(SLOW_APP);
    wire.rule(cross(Frame::fin));
    thread::scope(|s| {
        s.spawn(|| drop(client));
        s.spawn(|| drop(server));
    });
    thread::sleep(SLOW_APP);
    let captured = one(rec.finish());
    let model = model_for(ScenarioId::SimultaneousClose, &captured, 0, 0);
    assert_seen(ScenarioId::SimultaneousClose, &captured, &model, 3, Side::Client);
    let paths = trace.paths();
    assert_both_ends(&paths, client_port, port, &model);
    let client_state = wire.client.run(move || proc_net_tcp_state(client_port, port));
    let server_state = wire.server.run(move || proc_net_tcp_state(port, client_port));
    assert_eq!((client_state, server_state), (Some(TcpState::TimeWait), Some(TcpState::TimeWait)), "both ends wait in TIME-WAIT");
}
