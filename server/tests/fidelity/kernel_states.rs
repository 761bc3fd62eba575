//! Each end's states as the kernel reports them: the `sock:inet_sock_set_state` tracepoint, in a
//! tracing instance of the test's own (so tests running at once do not share one buffer),
//! filtered on the test's server port, and `/proc/net/tcp` for TIME-WAIT, which the tracepoint
//! does not show (the full socket goes to CLOSE when its TIME-WAIT mini socket takes over).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use tcplab_core::tcp::{Run, Side, TcpState};

const TRACEFS: &str = "/sys/kernel/tracing";

pub struct StateTrace {
    instance: PathBuf,
}

/// The states one socket went through, keyed by (local port, remote port).
pub type Paths = BTreeMap<(u16, u16), Vec<TcpState>>;

impl StateTrace {
    /// Starts tracing the state changes of every TCP socket whose local or remote port is `port`.
    pub fn start(port: u16) -> StateTrace {
        // Once per run: tests start at the same time, and the second of two mounts fails.
        static MOUNT: std::sync::Once = std::sync::Once::new();
        MOUNT.call_once(|| {
            if !Path::new(TRACEFS).join("instances").exists() {
                let _ = Command::new("mount").args(["-t", "tracefs", "nodev", TRACEFS]).status();
            }
        });
        assert!(Path::new(TRACEFS).join("instances").exists(), "mounting tracefs on {TRACEFS} (the tests need root)");
        let instance = Path::new(TRACEFS).join("instances").join(format!("tcplab-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir(&instance);
        std::fs::create_dir(&instance).unwrap_or_else(|e| panic!("creating {}: {e}", instance.display()));
        let event = instance.join("events/sock/inet_sock_set_state");
        std::fs::write(event.join("filter"), format!("sport == {port} || dport == {port}")).unwrap();
        std::fs::write(event.join("enable"), "1").unwrap();
        StateTrace { instance }
    }

    /// Every socket's states, from its first `oldstate` on.
    pub fn paths(&self) -> Paths {
        let text = std::fs::read_to_string(self.instance.join("trace")).unwrap();
        let mut paths = Paths::new();
        for line in text.lines().filter(|l| l.contains("inet_sock_set_state:")) {
            let field =
                |name: &str| line.split_whitespace().find_map(|w| w.strip_prefix(name)).unwrap_or_else(|| panic!("no {name} in {line}"));
            let state = |name: &str| {
                let raw = field(name);
                TcpState::parse(raw.trim_start_matches("TCP_")).unwrap_or_else(|| panic!("state {raw} in {line}"))
            };
            let key = (field("sport=").parse().unwrap(), field("dport=").parse().unwrap());
            if field("oldstate=") == "TCP_NEW_SYN_RECV" || field("newstate=") == "TCP_NEW_SYN_RECV" {
                continue;
            }
            let (old, new) = (state("oldstate="), state("newstate="));
            if !paths.contains_key(&key) {
                // A connect()ing socket leaves CLOSED before it has its port: that first change
                // is traced with local port 0. Its later ones continue the same path.
                let unbound = (0, key.1);
                let start = match paths.get(&unbound) {
                    Some(path) if key.0 != 0 && path.last() == Some(&old) => paths.remove(&unbound).unwrap(),
                    _ => vec![old],
                };
                paths.insert(key, start);
            }
            paths.get_mut(&key).unwrap().push(new);
        }
        paths
    }
}

impl Drop for StateTrace {
    fn drop(&mut self) {
        let _ = std::fs::write(self.instance.join("events/sock/inet_sock_set_state/enable"), "0");
        let _ = std::fs::remove_dir(&self.instance);
    }
}

/// The states the model gives one end of connection `conn`, as the tracepoint would show them: an
/// end that enters TIME-WAIT shows CLOSE there (see the module's note). (A listener's child is
/// made when the handshake's ACK arrives, a copy of the listener: LISTEN, SYN-RECV, ESTABLISHED
/// in one go, as the model's path.)
pub fn model_path(run: &Run, conn: u8, side: Side) -> Vec<TcpState> {
    let mut path: Vec<TcpState> = Vec::new();
    for step in run.steps.iter().filter(|s| s.connection == conn) {
        for state in step.change(side).path() {
            let state = match state {
                TcpState::TimeWait => TcpState::Closed,
                other => other,
            };
            if path.last() != Some(&state) {
                path.push(state);
            }
        }
    }
    path
}

/// Asserts that the socket `(local, remote)` went through the model's states for `side` of
/// connection `conn`, in order, at the end of its life (a scenario that starts ESTABLISHED
/// leaves out the handshake before it).
pub fn assert_states(paths: &Paths, local: u16, remote: u16, model: &Run, conn: u8, side: Side) {
    let (want, got) = (model_path(model, conn, side), traced(paths, local, remote));
    assert!(
        got.ends_with(&want),
        "{side:?} {local} -> {remote}: the kernel went through {got:?}, the model says {want:?} (traced: {paths:?})"
    );
}

/// Asserts that the socket `(local, remote)` began with the model's states for `side` of
/// connection `conn`, in order (a test that goes on after the scenario's last step).
pub fn assert_states_start(paths: &Paths, local: u16, remote: u16, model: &Run, conn: u8, side: Side) {
    let (want, got) = (model_path(model, conn, side), traced(paths, local, remote));
    assert!(
        got.starts_with(&want),
        "{side:?} {local} -> {remote}: the kernel began with {got:?}, the model says {want:?} (traced: {paths:?})"
    );
}

/// Both ends of connection 0, the client on `client` and the server on `server`, went through
/// the model's states to the end of their lives ([`assert_states`]).
pub fn assert_both_ends(paths: &Paths, client: u16, server: u16, model: &Run) {
    assert_states(paths, client, server, model, 0, Side::Client);
    assert_states(paths, server, client, model, 0, Side::Server);
}

fn traced(paths: &Paths, local: u16, remote: u16) -> &[TcpState] {
    paths.get(&(local, remote)).unwrap_or_else(|| panic!("no state changes traced for {local} -> {remote}: {paths:?}"))
}

/// The `/proc/net/tcp` state of the socket from local port `local` to remote port `remote`, read
/// in the namespace of the calling thread (`/proc/net` is the process's).
pub fn proc_net_tcp_state(local: u16, remote: u16) -> Option<TcpState> {
    let text = std::fs::read_to_string("/proc/thread-self/net/tcp").unwrap();
    text.lines().skip(1).find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let port = |f: &str| u16::from_str_radix(f.rsplit(':').next()?, 16).ok();
        if port(fields[1])? != local || port(fields[2])? != remote {
            return None;
        }
        // include/net/tcp_states.h
        Some(match u8::from_str_radix(fields[3], 16).ok()? {
            1 => TcpState::Established,
            2 => TcpState::SynSent,
            3 => TcpState::SynReceived,
            4 => TcpState::FinWait1,
            5 => TcpState::FinWait2,
            6 => TcpState::TimeWait,
            7 => TcpState::Closed,
            8 => TcpState::CloseWait,
            9 => TcpState::LastAck,
            10 => TcpState::Listen,
            11 => TcpState::Closing,
            _ => return None,
        })
    })
}
