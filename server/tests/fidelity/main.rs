//! The model against the kernel: real connections recorded with tcpdump, read back with the
//! capture reader, and compared with the model run on the capture's own ISNs and payload sizes,
//! segment for segment (flags, seq, ack, length, direction, order), on timing where a kernel
//! timer sets it, and on each end's states where the kernel shows them. Scenarios that need
//! nothing between the ends run on loopback (`loopback`); the others run between two network
//! namespaces joined by a wire the test owns, which delays, drops or holds chosen frames
//! (`wire`). Needs root; `scripts/test.sh` installs tcpdump and iproute2.

mod crossing;
mod kernel_states;
mod loopback;
mod losses;
mod netns;
mod queues;
mod record;
mod timers;
mod wire;

use std::io::Read;
use std::net::TcpStream;
use std::sync::atomic::{AtomicU16, Ordering};
use std::thread;
use std::time::Duration;

use tcplab_core::tcp::ScenarioId;

/// Longer than Linux's delayed-ACK timer (at most 200 ms), so a pending ACK goes out alone.
const SLOW_APP: Duration = Duration::from_millis(400);

/// A server port no other test of this run uses: the state tracepoint is global, so each
/// test's trace is filtered on its own port (below the ephemeral range, so no connection of
/// the host's takes it by chance).
fn unique_port() -> u16 {
    static NEXT: AtomicU16 = AtomicU16::new(21000);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// One end closes, the other closes as soon as it reads the end of file: its FIN carries the
/// ACK of the active end's, unless the kernel's quick ACK (one tick on a connection without data)
/// fires before the application runs.
pub fn close_quickly(active: TcpStream, mut passive: TcpStream) {
    let closer = thread::spawn(move || {
        let mut buf = [0u8; 16];
        assert_eq!(passive.read(&mut buf).unwrap(), 0, "the FIN reads as end of file");
        drop(passive);
    });
    drop(active);
    closer.join().unwrap();
}

/// Every scenario is recorded by a test here, or says why not; `ScenarioId::recorded`, which
/// the player and `tcplab scenario list` show, must agree with this table.
#[test]
fn every_scenario_is_recorded_here_or_says_why_not() {
    use ScenarioId::*;
    for &id in ScenarioId::all() {
        let how: Result<&str, &str> = match id {
            Handshake | DataTransfer => Ok("loopback::handshake_and_data_transfer"),
            CloseClient | CloseServer => Ok("loopback::a_slow_passive_close_shows_four_segments"),
            CloseFinAck => Ok("loopback::a_quick_passive_close_shows_three_segments"),
            Refused => Ok("loopback::a_closed_port_answers_rst_ack"),
            AbortLinger0 => Ok("loopback::so_linger_zero_aborts_with_rst"),
            FastOpen => Ok("loopback::fast_open_carries_data_in_the_syn"),
            SimultaneousOpen => Ok("crossing::simultaneous_open_crosses_two_syns"),
            SimultaneousClose => Ok("crossing::simultaneous_close_crosses_two_fins"),
            LostSyn => Ok("losses::a_lost_syn_is_sent_again_after_one_second"),
            LostFin => Ok("losses::a_lost_fin_is_sent_again_after_the_rto"),
            TimeWait => Ok("timers::time_wait_lasts_sixty_seconds"),
            TimeWaitReuse => Ok("timers::tw_reuse_takes_the_port_after_one_second"),
            Keepalive => Ok("timers::keepalive_probes_after_the_idle_time"),
            SynQueueOverflowSyncookies => Ok("queues::a_full_syn_queue_with_syncookies_answers_with_a_cookie"),
            SynQueueOverflowNoSyncookies => Ok("queues::a_full_syn_queue_without_syncookies_drops_the_syn"),
            AcceptQueueOverflow => Ok("queues::a_full_accept_queue_drops_the_syn_then_the_ack"),
            SynTimeout => Ok("losses::an_unanswered_syn_is_retried_then_given_up"),
            FinTimeout => Ok("losses::an_unanswered_fin_is_retried_then_given_up"),
        };
        assert_eq!(id.recorded(), how.is_ok(), "{id}: ScenarioId::recorded says {}, this table {how:?}", id.recorded());
    }
}
