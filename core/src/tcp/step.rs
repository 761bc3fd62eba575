//! What running a scenario yields: the steps, each a segment's journey or a timer firing.

use serde::{Deserialize, Serialize};

use super::scenario::{ScenarioId, ScenarioParams};
use super::segment::{Segment, Side};
use super::state::TcpState;

/// The result of running a scenario: everything the animation, the quiz and the API show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    /// The scenario that was run, or `None` for steps read from a capture.
    pub scenario: Option<ScenarioId>,
    pub params: ScenarioParams,
    /// Each end's state before the first step, for connection 0.
    pub client_initial: TcpState,
    pub server_initial: TcpState,
    pub steps: Vec<Step>,
    /// Every Linux setting some step depends on, in first-use order.
    pub settings: Vec<Setting>,
}

impl Run {
    /// The ISNs of a connection: the first for connection 0, `reconnect_isns` for connection 1.
    pub fn isns(&self, connection: u8) -> (u32, u32) {
        match connection {
            0 => (self.params.client_isn, self.params.server_isn),
            _ => self.params.reconnect_isns,
        }
    }
}

/// One step: a segment reaching its fate (delivered, lost or dropped), or a timer firing.
/// Both ends' states are those of the step's connection, before and after the step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub index: usize,
    /// 0 for the first connection; scenarios that reconnect (TCP Fast Open, TIME-WAIT reuse) use 1.
    pub connection: u8,
    pub kind: StepKind,
    pub client: StateChange,
    pub server: StateChange,
    /// What the lessons say about this step.
    pub key: StepKey,
    /// Linux settings that decide what happens at this step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub settings: Vec<Setting>,
}

impl Step {
    pub fn segment(&self) -> Option<&Segment> {
        match &self.kind {
            StepKind::Segment { segment, .. } => Some(segment),
            StepKind::Timer { .. } => None,
        }
    }

    pub fn change(&self, side: Side) -> &StateChange {
        match side {
            Side::Client => &self.client,
            Side::Server => &self.server,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum StepKind {
    Segment {
        segment: Segment,
        /// Milliseconds since the scenario started.
        sent_ms: u64,
        /// The sender's state when it sent the segment.
        sender_state: TcpState,
        fate: Fate,
        /// 0 for the first transmission, n for the n-th retransmission.
        retransmission: u8,
    },
    Timer {
        side: Side,
        at_ms: u64,
        /// How long the timer ran before firing.
        delay_ms: u64,
        timer: TimerKind,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "fate")]
pub enum Fate {
    Delivered {
        at_ms: u64,
    },
    /// Lost in the network; the receiver never sees it.
    Lost,
    /// Reached the receiver's kernel, which discarded it (a full queue, for example).
    Dropped {
        at_ms: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimerKind {
    /// The tail loss probe (RFC 8985): the last segment sent again before the RTO.
    LossProbe,
    Retransmission,
    SynAckRetransmission,
    TimeWait,
    Keepalive,
}

impl TimerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TimerKind::LossProbe => "loss-probe",
            TimerKind::Retransmission => "retransmission",
            TimerKind::SynAckRetransmission => "syn-ack-retransmission",
            TimerKind::TimeWait => "time-wait",
            TimerKind::Keepalive => "keepalive",
        }
    }
}

/// An end's state before and after a step. `via` lists states passed through in between, when
/// one step moves an end more than once (FINs that cross; Linux passing FIN-WAIT-2 on a FIN+ACK).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateChange {
    pub before: TcpState,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<TcpState>,
    pub after: TcpState,
}

impl StateChange {
    pub fn changed(&self) -> bool {
        self.before != self.after || !self.via.is_empty()
    }

    /// Every state in order, from `before` to `after`.
    pub fn path(&self) -> Vec<TcpState> {
        let mut path = Vec::with_capacity(self.via.len() + 2);
        path.push(self.before);
        path.extend(&self.via);
        if self.changed() {
            path.push(self.after);
        }
        path
    }
}

macro_rules! keyed_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            pub fn parse(text: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|k| k.as_str() == text)
            }
        }
    };
}

keyed_enum! {
    /// What a step teaches. `content/steps/<lang>.toml` holds a sentence for each key.
    StepKey {
        Syn = "syn",
        SynRetransmit = "syn-retransmit",
        SynAck = "syn-ack",
        SynAckRetransmit = "syn-ack-retransmit",
        HandshakeAck = "handshake-ack",
        HandshakeAckDropped = "handshake-ack-dropped",
        Data = "data",
        DataAck = "data-ack",
        Fin = "fin",
        FinRetransmit = "fin-retransmit",
        FinAck = "fin-ack",
        FinAckQuick = "fin-ack-quick",
        FinPassive = "fin-passive",
        FinAckCombined = "fin-ack-combined",
        LastAck = "last-ack",
        SimultaneousSyn = "simultaneous-syn",
        SimultaneousSynAck = "simultaneous-syn-ack",
        SimultaneousAck = "simultaneous-ack",
        ClosingAck = "closing-ack",
        RstRefused = "rst-refused",
        RstForAck = "rst-for-ack",
        RstAbort = "rst-abort",
        TfoCookieRequest = "tfo-cookie-request",
        TfoCookieSynAck = "tfo-cookie-syn-ack",
        TfoSynData = "tfo-syn-data",
        TfoSynAckData = "tfo-syn-ack-data",
        SyncookieSynAck = "syncookie-syn-ack",
        SyncookieAck = "syncookie-ack",
        SynDroppedSynQueueFull = "syn-dropped-syn-queue-full",
        SynDroppedAcceptQueueFull = "syn-dropped-accept-queue-full",
        TwReuseSyn = "tw-reuse-syn",
        KeepaliveProbe = "keepalive-probe",
        KeepaliveAck = "keepalive-ack",
        Rto = "rto",
        TailLossProbe = "tail-loss-probe",
        SynGiveUp = "syn-give-up",
        FinGiveUp = "fin-give-up",
        SynAckRto = "syn-ack-rto",
        TimeWaitExpired = "time-wait-expired",
        KeepaliveTimer = "keepalive-timer",
    }
}

keyed_enum! {
    /// A Linux sysctl that acts on some step, named as `sysctl` prints it.
    Setting {
        TcpMaxSynBacklog = "net.ipv4.tcp_max_syn_backlog",
        Somaxconn = "net.core.somaxconn",
        TcpSyncookies = "net.ipv4.tcp_syncookies",
        TcpAbortOnOverflow = "net.ipv4.tcp_abort_on_overflow",
        TcpSynRetries = "net.ipv4.tcp_syn_retries",
        TcpSynackRetries = "net.ipv4.tcp_synack_retries",
        TcpMaxTwBuckets = "net.ipv4.tcp_max_tw_buckets",
        TcpTwReuse = "net.ipv4.tcp_tw_reuse",
        TcpFinTimeout = "net.ipv4.tcp_fin_timeout",
        IpLocalPortRange = "net.ipv4.ip_local_port_range",
        TcpKeepaliveTime = "net.ipv4.tcp_keepalive_time",
        TcpKeepaliveIntvl = "net.ipv4.tcp_keepalive_intvl",
        TcpKeepaliveProbes = "net.ipv4.tcp_keepalive_probes",
        TcpFastopen = "net.ipv4.tcp_fastopen",
    }
}
