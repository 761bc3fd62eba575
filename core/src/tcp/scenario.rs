//! The scenarios the platform teaches, each a script run by the engine, and [`run`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::end::{End, Listener, MSS};
use super::engine::{KEEPALIVE_TIME_MS, Op, Retries, Sim};
use super::segment::{Side, TfoOption};
use super::settings::settings_for;
use super::state::TcpState;
use super::step::{Run, Setting, StepKey};

macro_rules! scenarios {
    ($($variant:ident = $id:literal, $title:literal;)*) => {
        /// A scenario's stable id, used in URLs, lessons and quiz questions.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum ScenarioId {
            $(#[serde(rename = $id)] $variant,)*
        }

        impl ScenarioId {
            const ALL: &'static [ScenarioId] = &[$(ScenarioId::$variant,)*];

            pub fn all() -> &'static [ScenarioId] {
                Self::ALL
            }

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ScenarioId::$variant => $id,)*
                }
            }

            /// The English title; translations live with the lessons in `content/`.
            pub fn title(self) -> &'static str {
                match self {
                    $(ScenarioId::$variant => $title,)*
                }
            }
        }
    };
}

impl ScenarioId {
    /// Checked against the real kernel: a fidelity test (`server/tests/fidelity/`) records it on
    /// Linux and compares it with the model segment by segment. Every scenario is, today; a new
    /// one starts as `false` (the player and `tcplab scenario list` then say "not checked against
    /// a real capture") until its test is written, and that test file's table must agree.
    pub fn recorded(self) -> bool {
        use ScenarioId::*;
        match self {
            Handshake | DataTransfer | CloseClient | CloseServer | CloseFinAck | Refused | AbortLinger0 | FastOpen => true,
            SimultaneousOpen | SimultaneousClose | LostSyn | LostFin => true,
            TimeWait | TimeWaitReuse | Keepalive => true,
            SynQueueOverflowSyncookies | SynQueueOverflowNoSyncookies | AcceptQueueOverflow => true,
            SynTimeout | FinTimeout => true,
        }
    }
}

scenarios! {
    Handshake = "handshake", "Three-way handshake";
    DataTransfer = "data-transfer", "Data in both directions";
    CloseClient = "close-client", "Close started by the client";
    CloseServer = "close-server", "Close started by the server";
    CloseFinAck = "close-fin-ack", "Close in three segments (FIN+ACK)";
    SimultaneousClose = "simultaneous-close", "Simultaneous close";
    SimultaneousOpen = "simultaneous-open", "Simultaneous open";
    Refused = "refused", "Connection refused";
    AbortLinger0 = "abort-linger0", "Abortive close (SO_LINGER 0)";
    LostSyn = "lost-syn", "Lost SYN and its retransmission";
    LostFin = "lost-fin", "Lost FIN and its retransmission";
    FastOpen = "fast-open", "TCP Fast Open";
    TimeWait = "time-wait", "TIME-WAIT and its 60 seconds";
    TimeWaitReuse = "time-wait-reuse", "Reusing a TIME-WAIT port (tcp_tw_reuse)";
    Keepalive = "keepalive", "Keepalive on an idle connection";
    SynQueueOverflowSyncookies = "syn-queue-overflow-syncookies", "Full SYN queue with syncookies";
    SynQueueOverflowNoSyncookies = "syn-queue-overflow-no-syncookies", "Full SYN queue without syncookies";
    AcceptQueueOverflow = "accept-queue-overflow", "Full accept queue";
    SynTimeout = "syn-timeout", "No answer to the SYN: every retry, then ETIMEDOUT";
    FinTimeout = "fin-timeout", "No answer to the FIN: backoff, then give-up";
}

impl fmt::Display for ScenarioId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An id that names no scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownScenario(pub String);

impl fmt::Display for UnknownScenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no scenario {:?}", self.0)
    }
}

impl std::error::Error for UnknownScenario {}

impl FromStr for ScenarioId {
    type Err = UnknownScenario;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ScenarioId::ALL.iter().copied().find(|id| id.as_str() == s).ok_or_else(|| UnknownScenario(s.to_owned()))
    }
}

/// What the caller chooses: the ISNs (every learner gets their own) and the payload sizes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioParams {
    pub client_isn: u32,
    pub server_isn: u32,
    /// Bytes the client writes (data transfer, abortive close) or puts in its Fast Open SYN.
    pub client_payload: u32,
    /// Bytes the server writes back in the data transfer.
    pub server_payload: u32,
    /// `(client, server)` ISNs of the second connection in scenarios that connect twice.
    pub reconnect_isns: (u32, u32),
    /// How long the keepalive scenario's connection idles before the first probe: the socket's
    /// TCP_KEEPIDLE, or `net.ipv4.tcp_keepalive_time` without it (7200 s).
    #[serde(default = "default_keepalive_idle")]
    pub keepalive_idle_s: u32,
    /// The SYN-timeout scenario's `net.ipv4.tcp_syn_retries` (default 6).
    #[serde(default = "default_syn_retries")]
    pub syn_retries: u8,
    /// The SYN-timeout scenario's `net.ipv4.tcp_syn_linear_timeouts` (default 4; Linux 6.5+).
    #[serde(default = "default_syn_linear_timeouts")]
    pub syn_linear_timeouts: u8,
    /// The FIN-timeout scenario's `net.ipv4.tcp_orphan_retries` (default 0, which means 8).
    #[serde(default)]
    pub orphan_retries: u8,
}

fn default_syn_retries() -> u8 {
    Retries::default().syn
}

fn default_syn_linear_timeouts() -> u8 {
    Retries::default().syn_linear
}

/// The largest `tcp_syn_retries` (and `tcp_syn_linear_timeouts`) Linux takes (MAX_TCP_SYNCNT).
pub const MAX_SYN_RETRIES: u8 = 127;
/// The largest `tcp_orphan_retries` the scenario takes: tcp_retries2's default, 15 minutes.
pub const MAX_ORPHAN_RETRIES: u8 = 15;

fn default_keepalive_idle() -> u32 {
    (KEEPALIVE_TIME_MS / 1000) as u32
}

/// The largest TCP_KEEPIDLE Linux takes (MAX_TCP_KEEPIDLE).
pub const MAX_KEEPALIVE_IDLE_S: u32 = 32767;

impl Default for ScenarioParams {
    fn default() -> Self {
        ScenarioParams {
            client_isn: 1000,
            server_isn: 5000,
            client_payload: 100,
            server_payload: 300,
            reconnect_isns: (2000, 9000),
            keepalive_idle_s: default_keepalive_idle(),
            syn_retries: default_syn_retries(),
            syn_linear_timeouts: default_syn_linear_timeouts(),
            orphan_retries: 0,
        }
    }
}

/// The largest payload a scenario takes: four full segments show the pattern, more only scroll.
pub const MAX_PAYLOAD: u32 = 4 * MSS;

/// Why a scenario cannot run with the given parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScenarioError {
    /// A parameter out of its range, named as in [`ScenarioParams`].
    Param { field: &'static str, message: String },
    /// The script asked an end for something its state does not allow: a bug in the model.
    Script(String),
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::Param { message, .. } => f.write_str(message),
            ScenarioError::Script(message) => write!(f, "the scenario script is wrong: {message}"),
        }
    }
}

impl std::error::Error for ScenarioError {}

impl ScenarioParams {
    /// A learner's two ISNs, with the second connection's (Fast Open's reconnect, the server of
    /// a TIME-WAIT reuse) following from them. A kernel picks fresh random ones; derived, they
    /// change with the learner's numbers and a link to a step still reproduces them.
    pub fn with_isns(client_isn: u32, server_isn: u32) -> ScenarioParams {
        let mix = |x: u32, salt: u32| (x ^ salt).wrapping_mul(0x9E37_79B1).rotate_left(15);
        ScenarioParams {
            client_isn,
            server_isn,
            reconnect_isns: (mix(client_isn, 0x5BD1_E995), mix(server_isn, 0x1B87_3593)),
            ..ScenarioParams::default()
        }
    }

    pub fn validate(&self, scenario: ScenarioId) -> Result<(), ScenarioError> {
        for (field, value) in [("client_payload", self.client_payload), ("server_payload", self.server_payload)] {
            if value > MAX_PAYLOAD {
                return Err(ScenarioError::Param {
                    field,
                    message: format!("{field} must be at most {MAX_PAYLOAD} bytes (four segments of {MSS}), not {value}"),
                });
            }
        }
        if !(1..=MAX_KEEPALIVE_IDLE_S).contains(&self.keepalive_idle_s) {
            return Err(ScenarioError::Param {
                field: "keepalive_idle_s",
                message: format!(
                    "keepalive_idle_s must be 1 to {MAX_KEEPALIVE_IDLE_S} seconds (TCP_KEEPIDLE), not {}",
                    self.keepalive_idle_s
                ),
            });
        }
        let ranges: [(&'static str, u8, u8, u8); 3] = [
            ("syn_retries", self.syn_retries, 1, MAX_SYN_RETRIES),
            ("syn_linear_timeouts", self.syn_linear_timeouts, 0, MAX_SYN_RETRIES),
            ("orphan_retries", self.orphan_retries, 0, MAX_ORPHAN_RETRIES),
        ];
        for (field, value, min, max) in ranges {
            if !(min..=max).contains(&value) {
                return Err(ScenarioError::Param { field, message: format!("{field} must be {min} to {max}, not {value}") });
            }
        }
        if scenario == ScenarioId::FastOpen && !(1..=MSS).contains(&self.client_payload) {
            return Err(ScenarioError::Param {
                field: "client_payload",
                message: format!("a Fast Open SYN carries 1 to {MSS} bytes, not {}", self.client_payload),
            });
        }
        Ok(())
    }
}

const C: Side = Side::Client;
const S: Side = Side::Server;

fn open(conn: u8, key: StepKey) -> Op {
    Op::Open { conn, side: C, tfo: None, data: 0, key, reuse: None }
}

/// Runs a scenario with the caller's numbers.
pub fn run(scenario: ScenarioId, params: &ScenarioParams) -> Result<Run, ScenarioError> {
    params.validate(scenario)?;
    let (cisn, sisn) = (params.client_isn, params.server_isn);
    let listening = || (End::new(C, TcpState::Closed, cisn), End::new(S, TcpState::Listen, sisn));
    let established = || (End::established(C, cisn, sisn), End::established(S, sisn, cisn));
    let open_listener = Listener { syncookies: true, ..Listener::default() };
    use Op::*;
    use ScenarioId as Id;
    let (ends, listener, ops): ((End, End), Listener, Vec<Op>) = match scenario {
        Id::Handshake => (listening(), open_listener, vec![open(0, StepKey::Syn), DeliverAll]),
        Id::DataTransfer => (
            listening(),
            open_listener,
            vec![
                open(0, StepKey::Syn),
                DeliverAll,
                Send { conn: 0, side: C, bytes: params.client_payload },
                DeliverAll,
                Send { conn: 0, side: S, bytes: params.server_payload },
                DeliverAll,
            ],
        ),
        Id::CloseClient | Id::CloseServer => {
            let (a, p) = if scenario == Id::CloseClient { (C, S) } else { (S, C) };
            (
                established(),
                open_listener,
                vec![
                    Close { conn: 0, side: a },
                    Deliver,
                    // The passive application has not closed yet: the delayed ACK goes alone.
                    DelayedAck { conn: 0, side: p },
                    Deliver,
                    Wait { ms: 100 },
                    Close { conn: 0, side: p },
                    DeliverAll,
                ],
            )
        }
        Id::CloseFinAck => {
            (established(), open_listener, vec![Close { conn: 0, side: C }, Deliver, Close { conn: 0, side: S }, DeliverAll])
        }
        Id::SimultaneousClose => (established(), open_listener, vec![Close { conn: 0, side: C }, Close { conn: 0, side: S }, DeliverAll]),
        Id::SimultaneousOpen => (
            (End::new(C, TcpState::Closed, cisn), End::new(S, TcpState::Closed, sisn)),
            open_listener,
            vec![
                open(0, StepKey::SimultaneousSyn),
                Op::Open { conn: 0, side: S, tfo: None, data: 0, key: StepKey::SimultaneousSyn, reuse: None },
                DeliverAll,
            ],
        ),
        Id::Refused => (
            (End::new(C, TcpState::Closed, cisn), End::new(S, TcpState::Closed, sisn)),
            open_listener,
            vec![open(0, StepKey::Syn), DeliverAll],
        ),
        Id::AbortLinger0 => (
            established(),
            open_listener,
            vec![Send { conn: 0, side: S, bytes: params.server_payload }, DeliverAll, Abort { conn: 0, side: C }, DeliverAll],
        ),
        Id::LostSyn => (listening(), open_listener, vec![open(0, StepKey::Syn), Lose, Timeout { conn: 0, side: C }, DeliverAll]),
        Id::LostFin => (
            established(),
            open_listener,
            vec![Close { conn: 0, side: C }, Lose, Timeout { conn: 0, side: C }, Deliver, Close { conn: 0, side: S }, DeliverAll],
        ),
        Id::FastOpen => (
            listening(),
            open_listener,
            vec![
                Op::Open { conn: 0, side: C, tfo: Some(TfoOption::CookieRequest), data: 0, key: StepKey::TfoCookieRequest, reuse: None },
                DeliverAll,
                Op::Open {
                    conn: 1,
                    side: C,
                    tfo: Some(TfoOption::Cookie { len: 8 }),
                    data: params.client_payload,
                    key: StepKey::TfoSynData,
                    reuse: None,
                },
                DeliverAll,
            ],
        ),
        Id::TimeWait => (
            established(),
            open_listener,
            vec![Close { conn: 0, side: C }, Deliver, Close { conn: 0, side: S }, DeliverAll, Timeout { conn: 0, side: C }],
        ),
        Id::TimeWaitReuse => (
            established(),
            open_listener,
            vec![
                Close { conn: 0, side: C },
                Deliver,
                Close { conn: 0, side: S },
                DeliverAll,
                // tcp_tw_reuse waits tcp_tw_reuse_delay (1 s) after the last segment.
                Wait { ms: 1000 },
                Op::Open { conn: 1, side: C, tfo: None, data: 0, key: StepKey::TwReuseSyn, reuse: Some(0) },
                DeliverAll,
            ],
        ),
        Id::SynTimeout => (listening(), open_listener, vec![open(0, StepKey::Syn), NoAnswer { conn: 0, side: C }]),
        Id::FinTimeout => (established(), open_listener, vec![Close { conn: 0, side: C }, NoAnswer { conn: 0, side: C }]),
        Id::Keepalive => (
            established(),
            open_listener,
            vec![Keepalive { conn: 0, side: C, idle_ms: u64::from(params.keepalive_idle_s) * 1000 }, DeliverAll],
        ),
        Id::SynQueueOverflowSyncookies => (
            listening(),
            Listener { syncookies: true, syn_queue_full: true, accept_queue_full: false },
            vec![open(0, StepKey::Syn), DeliverAll],
        ),
        Id::SynQueueOverflowNoSyncookies => (
            listening(),
            Listener { syncookies: false, syn_queue_full: true, accept_queue_full: false },
            vec![
                open(0, StepKey::Syn),
                Deliver,
                // A second later the queue has room again (requests completed or timed out).
                SetListener(Listener { syncookies: false, ..Listener::default() }),
                Timeout { conn: 0, side: C },
                DeliverAll,
            ],
        ),
        Id::AcceptQueueOverflow => {
            let full = Listener { syncookies: true, syn_queue_full: false, accept_queue_full: true };
            (
                listening(),
                full,
                vec![
                    open(0, StepKey::Syn),
                    Deliver,
                    SetListener(open_listener),
                    Timeout { conn: 0, side: C },
                    Deliver,
                    // Other clients fill the accept queue again before this handshake completes.
                    SetListener(full),
                    Deliver,
                    Deliver,
                    SetListener(open_listener),
                    Timeout { conn: 0, side: S },
                    DeliverAll,
                ],
            )
        }
    };
    let mut sim = Sim::new(listener);
    sim.retries = Retries { syn: params.syn_retries, syn_linear: params.syn_linear_timeouts, orphan: params.orphan_retries };
    sim.add(ends.0, ends.1);
    if matches!(scenario, Id::FastOpen | Id::TimeWaitReuse) {
        let (c, s) = params.reconnect_isns;
        sim.add(End::new(C, TcpState::Closed, c), End::new(S, TcpState::Listen, s));
    }
    let (client_initial, server_initial) = sim.initial(0);
    sim.run(&ops).map_err(ScenarioError::Script)?;
    if !sim.in_flight().is_empty() {
        return Err(ScenarioError::Script(format!("{} segments left in flight", sim.in_flight().len())));
    }
    let mut steps = std::mem::take(&mut sim.steps);
    let settings = attach_settings(&mut steps);
    let mut params = params.clone();
    if scenario == Id::TimeWaitReuse {
        // The reusing client does not choose its ISN: the run says the one the kernel's rule gave.
        let syn = steps.iter().filter(|s| s.connection == 1).filter_map(|s| s.segment()).find(|s| s.from == C && s.flags.syn);
        if let Some(syn) = syn {
            params.reconnect_isns.0 = syn.seq;
        }
    }
    Ok(Run { scenario: Some(scenario), params, client_initial, server_initial, steps, settings })
}

/// Fills in each step's settings and returns them all, in first-use order.
pub(crate) fn attach_settings(steps: &mut [super::step::Step]) -> Vec<Setting> {
    let mut all: Vec<Setting> = Vec::new();
    for step in steps {
        step.settings = settings_for(step);
        for s in &step.settings {
            if !all.contains(s) {
                all.push(*s);
            }
        }
    }
    all
}
