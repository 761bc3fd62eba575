//! Which Linux settings act on a step, so the player can show them and link to the generator.

use super::state::TcpState;
use super::step::{Setting, Step, StepKey};

pub fn settings_for(step: &Step) -> Vec<Setting> {
    use Setting::*;
    let mut out: Vec<Setting> = match step.key {
        StepKey::Syn | StepKey::SynAck if step.server.after == TcpState::SynReceived => vec![TcpMaxSynBacklog, Somaxconn],
        StepKey::SynRetransmit | StepKey::Rto if step.client.after == TcpState::SynSent => vec![TcpSynRetries],
        StepKey::SynGiveUp => vec![TcpSynRetries],
        StepKey::SynAckRto | StepKey::SynAckRetransmit => vec![TcpSynackRetries],
        StepKey::SyncookieSynAck | StepKey::SyncookieAck => vec![TcpSyncookies, TcpMaxSynBacklog],
        StepKey::SynDroppedSynQueueFull => vec![TcpSyncookies, TcpMaxSynBacklog, Somaxconn],
        StepKey::SynDroppedAcceptQueueFull => vec![Somaxconn],
        StepKey::HandshakeAckDropped => vec![Somaxconn, TcpAbortOnOverflow],
        StepKey::TfoCookieRequest | StepKey::TfoCookieSynAck | StepKey::TfoSynData | StepKey::TfoSynAckData => vec![TcpFastopen],
        StepKey::TwReuseSyn => vec![TcpTwReuse, IpLocalPortRange],
        StepKey::TimeWaitExpired => vec![TcpMaxTwBuckets],
        StepKey::KeepaliveTimer | StepKey::KeepaliveProbe | StepKey::KeepaliveAck => {
            vec![TcpKeepaliveTime, TcpKeepaliveIntvl, TcpKeepaliveProbes]
        }
        _ => Vec::new(),
    };
    let entered =
        |state: TcpState| [&step.client, &step.server].iter().any(|c| c.before != state && (c.after == state || c.via.contains(&state)));
    if entered(TcpState::TimeWait) {
        out.extend([TcpMaxTwBuckets, TcpTwReuse]);
    }
    if entered(TcpState::FinWait2) && !entered(TcpState::TimeWait) {
        out.push(TcpFinTimeout);
    }
    if step.key == StepKey::HandshakeAck && step.server.after == TcpState::Established && step.server.before == TcpState::SynReceived {
        out.push(Somaxconn);
    }
    out.dedup();
    out
}
