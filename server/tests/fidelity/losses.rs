//! Segments the wire loses: the first SYN, or the first FIN. The kernel's retransmission timer
//! sends it again: 1 s for a SYN (TCP_TIMEOUT_INIT), the RTO for a FIN (the measured round
//! trip plus TCP_RTO_MIN's 200 ms).

use std::io::Read;
use std::thread;

use tcplab_core::tcp::{ScenarioId, Side};

use super::kernel_states::{StateTrace, assert_states};
use super::record::{assert_seen, lines, model_for, one};
use super::wire::{Frame, Verdict, Wire};
use super::{SLOW_APP, unique_port};

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
    assert_states(&paths, client_port, port, &model, 0, Side::Client);
    assert_states(&paths, port, client_port, &model, 0, Side::Server);
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
        let (client, mut server) = wire.connect(port);
        let client_port = client.local_addr().unwrap().port();
        thread::sleep(SLOW_APP);
        wire.rule(lose_first(Frame::fin));
        let passive = thread::spawn(move || {
            let mut buf = [0u8; 16];
            assert_eq!(server.read(&mut buf).unwrap(), 0, "the FIN reads as end of file");
            drop(server);
        });
        drop(client);
        passive.join().unwrap();
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
        assert_states(&paths, client_port, port, &model, 0, Side::Client);
        assert_states(&paths, port, client_port, &model, 0, Side::Server);
        return;
    }
    panic!("in {ATTEMPTS} attempts the quick ACK always fired before the application closed");
}
