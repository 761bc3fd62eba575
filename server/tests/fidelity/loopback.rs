//! The scenarios that need nothing between the ends: real connections on loopback.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use tcplab_core::capture::to_run;
use tcplab_core::tcp::{Run, ScenarioId, ScenarioParams, Side, run};

use super::SLOW_APP;
use super::kernel_states::{Paths, StateTrace, assert_both_ends, assert_states, assert_states_start};
use super::netns::{Netns, set_int_option};
use super::record::{Recording, assert_matches, lines, model_for, one_with_ports, record, record_with};

fn listener() -> (TcpListener, SocketAddr) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    (l, addr)
}

/// A recorded connection, with each end's states as the kernel traced them.
struct Traced {
    run: Run,
    paths: Paths,
    client: u16,
    server: u16,
}

impl Traced {
    fn new(rec: Recording, trace: StateTrace) -> Traced {
        let (run, client, server) = one_with_ports(rec.finish());
        Traced { run, paths: trace.paths(), client, server }
    }

    /// Both ends went through the model's states: all of them (`whole`, at the end of each
    /// socket's life), or as the start of a life that went on after the scenario.
    fn assert_states(&self, model: &Run, whole: bool) {
        if whole {
            return assert_both_ends(&self.paths, self.client, self.server, model);
        }
        assert_states_start(&self.paths, self.client, self.server, model, 0, Side::Client);
        assert_states_start(&self.paths, self.server, self.client, model, 0, Side::Server);
    }
}

/// One connection recorded by tcpdump with `args`: the client writes `client_bytes`, the
/// server answers with `server_bytes`, and both close.
fn record_exchange(args: &[&str], client_bytes: usize, server_bytes: usize) -> Traced {
    let (l, addr) = listener();
    let trace = StateTrace::start(addr.port());
    let rec = record_with(args, &format!("tcp port {}", addr.port()));
    let server = thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        let mut buf = vec![0u8; client_bytes];
        s.read_exact(&mut buf).unwrap();
        s.write_all(&vec![7u8; server_bytes]).unwrap();
        thread::sleep(SLOW_APP * 2);
    });
    let mut c = TcpStream::connect(addr).unwrap();
    thread::sleep(SLOW_APP);
    c.write_all(&vec![1u8; client_bytes]).unwrap();
    let mut buf = vec![0u8; server_bytes];
    c.read_exact(&mut buf).unwrap();
    thread::sleep(SLOW_APP);
    server.join().unwrap();
    drop(c);
    Traced::new(rec, trace)
}

#[test]
fn handshake_and_data_transfer() {
    let traced = record_exchange(&["-i", "lo"], 100, 300);
    let captured = &traced.run;
    let handshake = model_for(ScenarioId::Handshake, captured, 100, 300);
    assert_matches(ScenarioId::Handshake, captured, &handshake, 0, false);
    let data = model_for(ScenarioId::DataTransfer, captured, 100, 300);
    assert_matches(ScenarioId::DataTransfer, captured, &data, 0, false);
    traced.assert_states(&data, false);
}

/// The handshake and a data exchange recorded by tcpdump in the forms other tools meet: `-i any`
/// (Linux cooked v2), `-i any -y LINUX_SLL` (cooked v1, whose device type is loopback here),
/// nanosecond timestamps, and an 80-byte snapshot length that cuts the data segments short
/// (headers whole). Each reads back as the model's segments, lengths included. One exchange per
/// form: several tcpdumps on `any` at once lose packets now and then.
#[test]
fn captures_in_every_form_tcpdump_writes_read_as_the_model() {
    let forms: [&[&str]; 4] =
        [&["-i", "any"], &["-i", "any", "-y", "LINUX_SLL"], &["-i", "lo", "--time-stamp-precision=nano"], &["-i", "lo", "-s", "80"]];
    for args in forms {
        let captured = record_exchange(args, 1000, 300).run;
        let data = model_for(ScenarioId::DataTransfer, &captured, 1000, 300);
        assert_matches(ScenarioId::DataTransfer, &captured, &data, 0, false);
        eprintln!("tcpdump {args:?}: {} segments as the model says", lines(&data).len());
    }
}

/// A connection closed by one end; the other closes after `passive_delay`.
fn close(active: Side, passive_delay: Duration) -> Traced {
    let (l, addr) = listener();
    let trace = StateTrace::start(addr.port());
    let rec = record(&format!("tcp port {}", addr.port()));
    let server = thread::spawn(move || l.accept().unwrap().0);
    let client = TcpStream::connect(addr).unwrap();
    let server = server.join().unwrap();
    thread::sleep(SLOW_APP);
    let (first, mut second) = match active {
        Side::Client => (client, server),
        Side::Server => (server, client),
    };
    let passive = thread::spawn(move || {
        let mut buf = [0u8; 16];
        assert_eq!(second.read(&mut buf).unwrap(), 0, "the peer's FIN reads as end of file");
        thread::sleep(passive_delay);
        drop(second);
    });
    drop(first);
    passive.join().unwrap();
    thread::sleep(SLOW_APP);
    Traced::new(rec, trace)
}

/// A slow passive close: four segments. The connection carried no data, so the kernel sends the
/// ACK of the FIN on its next timer tick, not after the 40 ms delayed-ACK time, as the model
/// says (`QUICK_ACK_MS`); the timing is checked within 15 ms (loopback has no flight time, the
/// model's 10 ms one-way delay is taken off).
#[test]
fn a_slow_passive_close_shows_four_segments() {
    let sent = |run: &Run, i: usize| super::record::sent_times(run)[i];
    for (scenario, active) in [(ScenarioId::CloseClient, Side::Client), (ScenarioId::CloseServer, Side::Server)] {
        let traced = close(active, SLOW_APP);
        let captured = &traced.run;
        let model = model_for(scenario, captured, 0, 0);
        assert_matches(scenario, captured, &model, 3, true);
        traced.assert_states(&model, true);
        let kernel_gap = sent(captured, 4) - sent(captured, 3);
        let model_gap = sent(&model, 1) - sent(&model, 0) - tcplab_core::tcp::ONE_WAY_MS as i64;
        assert!(
            (kernel_gap - model_gap).abs() <= 15,
            "{scenario}: the kernel acknowledged the FIN after {kernel_gap} ms, the model after {model_gap} ms"
        );
    }
}

/// On a FIN, Linux delays its ACK (the delayed-ACK timer, 40 ms at least) in the hope that the
/// application closes quickly and the ACK can ride on its FIN. Whether it does is a race with the
/// scheduler: on a busy machine the timer may fire first and the close shows four segments. So
/// every attempt must match one of the two models exactly, and at least one must show three.
#[test]
fn a_quick_passive_close_shows_three_segments() {
    const ATTEMPTS: usize = 8;
    for _ in 0..ATTEMPTS {
        let traced = close(Side::Client, Duration::ZERO);
        let captured = &traced.run;
        if lines(captured).len() == 3 + 3 {
            let model = model_for(ScenarioId::CloseFinAck, captured, 0, 0);
            assert_matches(ScenarioId::CloseFinAck, captured, &model, 3, true);
            traced.assert_states(&model, true);
            return;
        }
        let model = model_for(ScenarioId::CloseClient, captured, 0, 0);
        assert_matches(ScenarioId::CloseClient, captured, &model, 3, true);
        traced.assert_states(&model, true);
    }
    panic!("in {ATTEMPTS} attempts the delayed ACK always fired before the application closed");
}

#[test]
fn a_closed_port_answers_rst_ack() {
    let (l, addr) = listener();
    drop(l);
    let trace = StateTrace::start(addr.port());
    let rec = record(&format!("tcp port {}", addr.port()));
    let err = TcpStream::connect(addr).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
    let traced = Traced::new(rec, trace);
    let model = model_for(ScenarioId::Refused, &traced.run, 0, 0);
    assert_matches(ScenarioId::Refused, &traced.run, &model, 0, true);
    // No socket ever listened: only the client has states.
    assert_states(&traced.paths, traced.client, traced.server, &model, 0, Side::Client);
}

#[test]
fn so_linger_zero_aborts_with_rst() {
    let (l, addr) = listener();
    let trace = StateTrace::start(addr.port());
    let rec = record(&format!("tcp port {}", addr.port()));
    let server = thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        thread::sleep(SLOW_APP);
        s.write_all(&[7u8; 300]).unwrap();
        let mut buf = [0u8; 1];
        // The client's RST ends the connection: read fails with ECONNRESET.
        let err = s.read(&mut buf).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::ConnectionReset);
    });
    let mut c = TcpStream::connect(addr).unwrap();
    let mut buf = [0u8; 300];
    c.read_exact(&mut buf).unwrap();
    thread::sleep(SLOW_APP);
    socket2::SockRef::from(&c).set_linger(Some(Duration::ZERO)).unwrap();
    drop(c);
    server.join().unwrap();
    let traced = Traced::new(rec, trace);
    let model = model_for(ScenarioId::AbortLinger0, &traced.run, 0, 300);
    assert_matches(ScenarioId::AbortLinger0, &traced.run, &model, 3, true);
    traced.assert_states(&model, true);
}

/// TCP Fast Open needs `net.ipv4.tcp_fastopen=3`, which the tests must not set on the host: the
/// whole exchange runs in a network namespace of its own, tcpdump included.
#[test]
fn fast_open_carries_data_in_the_syn() {
    let ns = Netns::new();
    ns.sysctl("net.ipv4.tcp_fastopen", "3");
    let conversations = ns.run(|| {
        let l = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
        l.bind(&"127.0.0.1:0".parse::<SocketAddr>().unwrap().into()).unwrap();
        set_int_option(&l, libc::TCP_FASTOPEN, 5);
        l.listen(16).unwrap();
        let addr = l.local_addr().unwrap().as_socket().unwrap();
        let trace = StateTrace::start(addr.port());
        let rec = record("tcp");
        let server = thread::spawn(move || {
            for _ in 0..2 {
                let (s, _) = l.accept().unwrap();
                let mut s: TcpStream = s.into();
                let mut buf = [0u8; 100];
                let _ = s.read(&mut buf);
                thread::sleep(SLOW_APP);
            }
        });
        let connect = |data: &[u8]| {
            let s = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
            set_int_option(&s, libc::TCP_FASTOPEN_CONNECT, 1);
            s.connect(&addr.into()).unwrap();
            let mut s: TcpStream = s.into();
            if !data.is_empty() {
                s.write_all(data).unwrap();
            }
            thread::sleep(SLOW_APP);
            s.shutdown(Shutdown::Both).ok();
        };
        // The first connection only fetches a cookie; the second sends its data in the SYN.
        connect(&[]);
        connect(&[5u8; 100]);
        server.join().unwrap();
        let conversations = rec.finish();
        (conversations, trace.paths(), addr.port())
    });
    let (conversations, paths, server_port) = conversations;
    assert_eq!(conversations.len(), 2, "two connections");
    let first = to_run(&conversations[0]);
    let second = to_run(&conversations[1]);
    let params = ScenarioParams {
        client_isn: first.params.client_isn,
        server_isn: first.params.server_isn,
        client_payload: 100,
        reconnect_isns: (second.params.client_isn, second.params.server_isn),
        ..ScenarioParams::default()
    };
    let model = run(ScenarioId::FastOpen, &params).unwrap();
    let model_lines = lines(&model);
    assert_eq!(&lines(&first)[..3], &model_lines[..3], "the cookie request and the cookie");
    assert_eq!(&lines(&second)[..3], &model_lines[3..], "data in the SYN, acknowledged by the SYN+ACK");
    let syn = second.steps[0].segment().unwrap();
    assert!(matches!(syn.options.tfo, Some(tcplab_core::tcp::TfoOption::Cookie { .. })), "the second SYN carries the cookie");
    // Both connections' ends, up to ESTABLISHED (the test shuts them down after).
    for (conn, c) in conversations.iter().enumerate() {
        let client = c.client.port();
        assert_states_start(&paths, client, server_port, &model, conn as u8, Side::Client);
        assert_states_start(&paths, server_port, client, &model, conn as u8, Side::Server);
    }
}
