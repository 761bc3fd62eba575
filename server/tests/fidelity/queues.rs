//! A listener's two queues full: the accept queue (connections the application has not taken
//! with accept()) and the SYN queue (handshakes not yet complete). The listener's backlog is the
//! limit of both; other clients fill them, the wire holds their frames where the choreography
//! needs it, and the kernel decides the rest.

use std::net::TcpStream;
use std::thread;
use std::time::Duration;

use tcplab_core::tcp::{ScenarioId, Side};

use super::kernel_states::{StateTrace, assert_both_ends};
use super::record::{assert_seen, model_for, one};
use super::wire::{Verdict, Wire};
use super::{SLOW_APP, unique_port};

/// A listener on the server's `port` whose queues hold `backlog` (listen(2)'s argument).
fn listen(wire: &Wire, port: u16, backlog: i32) -> socket2::Socket {
    let listener = wire.socket(Side::Server, port);
    listener.listen(backlog).unwrap();
    listener
}

/// The accept queue is full (backlog 1 holds two connections, and two are waiting): the SYN is
/// dropped and sent again a second later. By then the application has taken one, so the SYN is
/// answered; but another client's handshake completes first and fills the queue again, so the
/// kernel drops our ACK (tcp_abort_on_overflow is 0) and keeps the request: its SYN+ACK timer
/// sends the SYN+ACK again a second later, our client acknowledges it again, and now there is
/// room. (With backlog 0 the SYN queue counts as full too: the kernel answers with a syncookie,
/// keeps no request, and nothing is ever sent again after the dropped ACK.)
#[test]
fn a_full_accept_queue_drops_the_syn_then_the_ack() {
    let wire = Wire::new();
    let port = unique_port();
    let listener = listen(&wire, port, 1);
    let connect = |local: u16| {
        let s = wire.socket(Side::Client, local);
        move || s.connect(&Wire::server_addr(port).into()).map(|()| TcpStream::from(s))
    };
    let waiting = [connect(0)().expect("a filler connects"), connect(0)().expect("a filler connects")];
    let client_port = unique_port();
    let late_port = unique_port();
    let trace = StateTrace::start(port);
    let rec = wire.record_only(&format!("tcp port {port} and port {client_port}"));
    // The late filler's handshake ACK waits on the wire until the server answers our client's
    // SYN; then it goes first, and fills the queue before our client's ACK arrives.
    wire.rule(move |f| match (f.client_port(), f.from, f.syn(), f.has_ack()) {
        (p, Side::Client, false, true) if p == late_port && f.len == 0 => Verdict::Hold,
        (p, Side::Server, true, true) if p == client_port => Verdict::PassAfterHeld,
        _ => Verdict::Pass,
    });
    let ours = thread::spawn(connect(client_port));
    thread::sleep(SLOW_APP);
    let first = listener.accept().unwrap().0;
    let late = connect(late_port)().expect("the late filler connects");
    let ours = ours.join().unwrap().expect("our client connects");
    thread::sleep(SLOW_APP);
    // The application takes another: room for ours when the SYN+ACK comes again.
    let second = listener.accept().unwrap().0;
    let third = listener.accept().unwrap().0;
    let (accepted, _) = listener.accept().unwrap();
    assert_eq!(accepted.peer_addr().unwrap().as_socket().unwrap().port(), client_port, "ours is accepted last");
    let captured = one(rec.finish());
    let model = model_for(ScenarioId::AcceptQueueOverflow, &captured, 0, 0);
    assert_seen(ScenarioId::AcceptQueueOverflow, &captured, &model, 0, Side::Client);
    let paths = trace.paths();
    assert_both_ends(&paths, client_port, port, &model);
    drop((waiting, ours, late, first, second, third, accepted));
}

/// Two handshakes the wire never lets finish fill the SYN queue of a listener with backlog 1
/// (the queue is full when it holds more than the backlog): their clients' ports, connecting.
fn fill_syn_queue(wire: &Wire, port: u16) -> Vec<socket2::Socket> {
    (0..2)
        .map(|_| {
            let s = wire.socket(Side::Client, unique_port());
            s.set_nonblocking(true).unwrap();
            let err = s.connect(&Wire::server_addr(port).into()).unwrap_err();
            assert_eq!(err.raw_os_error(), Some(libc::EINPROGRESS), "a non-blocking connect goes on in the background");
            s
        })
        .collect()
}

fn local_port(s: &socket2::Socket) -> u16 {
    s.local_addr().unwrap().as_socket().unwrap().port()
}

/// A full SYN queue with tcp_syncookies = 1: the kernel keeps no request for our SYN and answers
/// with a syncookie SYN+ACK; the ACK brings the cookie back and the connection is made from it.
#[test]
fn a_full_syn_queue_with_syncookies_answers_with_a_cookie() {
    let wire = Wire::new();
    wire.server.sysctl("net.ipv4.tcp_syncookies", "1");
    let port = unique_port();
    let listener = listen(&wire, port, 1);
    let client_port = unique_port();
    let trace = StateTrace::start(port);
    let rec = wire.record_only(&format!("tcp port {port} and port {client_port}"));
    let fillers = fill_syn_queue(&wire, port);
    let filler_ports: Vec<u16> = fillers.iter().map(local_port).collect();
    wire.rule(move |f| if f.from == Side::Server && filler_ports.contains(&f.dport) { Verdict::Drop } else { Verdict::Pass });
    thread::sleep(SLOW_APP);
    let ours = wire.socket(Side::Client, client_port);
    ours.connect(&Wire::server_addr(port).into()).expect("our client connects");
    let (accepted, _) = listener.accept().unwrap();
    thread::sleep(SLOW_APP);
    let captured = one(rec.finish());
    let model = model_for(ScenarioId::SynQueueOverflowSyncookies, &captured, 0, 0);
    assert_seen(ScenarioId::SynQueueOverflowSyncookies, &captured, &model, 0, Side::Client);
    let paths = trace.paths();
    assert_both_ends(&paths, client_port, port, &model);
    drop((fillers, ours, accepted));
}

/// A full SYN queue with tcp_syncookies = 0: our SYN is dropped. The wire then lets the other
/// handshakes finish (their SYN+ACKs come again on the server's timer), the application accepts
/// them, and our client's SYN, sent again a second later, finds room.
#[test]
fn a_full_syn_queue_without_syncookies_drops_the_syn() {
    let wire = Wire::new();
    wire.server.sysctl("net.ipv4.tcp_syncookies", "0");
    let port = unique_port();
    let listener = listen(&wire, port, 1);
    let client_port = unique_port();
    let trace = StateTrace::start(port);
    let rec = wire.record_only(&format!("tcp port {port} and port {client_port}"));
    let fillers = fill_syn_queue(&wire, port);
    let filler_ports: Vec<u16> = fillers.iter().map(local_port).collect();
    let mut ours_seen = false;
    wire.rule(move |f| {
        ours_seen |= f.client_port() == client_port;
        if f.from == Side::Server && filler_ports.contains(&f.dport) && !ours_seen { Verdict::Drop } else { Verdict::Pass }
    });
    let acceptor = thread::spawn(move || (0..3).map(|_| listener.accept().unwrap().0).collect::<Vec<_>>());
    thread::sleep(Duration::from_millis(300));
    let ours = wire.socket(Side::Client, client_port);
    ours.connect(&Wire::server_addr(port).into()).expect("our client connects");
    let accepted = acceptor.join().unwrap();
    let last = accepted.last().unwrap().peer_addr().unwrap().as_socket().unwrap().port();
    assert_eq!(last, client_port, "ours is accepted after the two it waited for");
    thread::sleep(SLOW_APP);
    let captured = one(rec.finish());
    let model = model_for(ScenarioId::SynQueueOverflowNoSyncookies, &captured, 0, 0);
    assert_seen(ScenarioId::SynQueueOverflowNoSyncookies, &captured, &model, 0, Side::Client);
    let paths = trace.paths();
    assert_both_ends(&paths, client_port, port, &model);
    drop((fillers, ours, accepted));
}
