//! The computations behind numeric bank questions, by name. The arithmetic is the config
//! generator's own (`tuning::plan`), so a quiz answer and a generated config agree.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::tuning::plan;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Formula {
    /// `time + probes × intvl` seconds.
    KeepaliveDetect,
    /// Ports in `ip_local_port_range = low high`: both ends count.
    LocalPorts,
    /// New connections per second to one destination the range allows: ports / 60.
    PortRateLimit,
    /// The accept queue of `listen(backlog)`: min(backlog, somaxconn).
    AcceptQueue,
    /// Sockets in TIME-WAIT at `closes` active closes per second: closes × 60.
    TimeWaitSockets,
    /// Bytes in flight to fill a path: Mbit/s × RTT in ms × 125.
    BdpBytes,
}

impl Formula {
    pub fn as_str(self) -> &'static str {
        match self {
            Formula::KeepaliveDetect => "keepalive_detect",
            Formula::LocalPorts => "local_ports",
            Formula::PortRateLimit => "port_rate_limit",
            Formula::AcceptQueue => "accept_queue",
            Formula::TimeWaitSockets => "time_wait_sockets",
            Formula::BdpBytes => "bdp_bytes",
        }
    }

    /// The names of the params the bank must give.
    pub fn inputs(self) -> &'static [&'static str] {
        match self {
            Formula::KeepaliveDetect => &["time", "intvl", "probes"],
            Formula::LocalPorts | Formula::PortRateLimit => &["low", "high"],
            Formula::AcceptQueue => &["backlog", "somaxconn"],
            Formula::TimeWaitSockets => &["closes"],
            Formula::BdpBytes => &["mbit", "rtt_ms"],
        }
    }

    /// The answer; `values` holds every input (see [`Formula::inputs`], checked at load).
    pub fn compute(self, values: &BTreeMap<&str, u64>) -> u64 {
        let v = |name: &str| values.get(name).copied().unwrap_or(0);
        let ports = || (v("high") + 1).saturating_sub(v("low"));
        match self {
            Formula::KeepaliveDetect => plan::keepalive_detect(v("time"), v("intvl"), v("probes")),
            Formula::LocalPorts => ports(),
            Formula::PortRateLimit => plan::port_rate_limit(ports()),
            Formula::AcceptQueue => v("backlog").min(v("somaxconn")),
            Formula::TimeWaitSockets => plan::time_wait_sockets(v("closes")),
            Formula::BdpBytes => plan::bdp_bytes(v("mbit"), v("rtt_ms")),
        }
    }

    /// Values the kernel would refuse make a question that teaches something false.
    pub fn check(self, params: &BTreeMap<String, Vec<u64>>) -> Result<(), String> {
        let all = |name: &str| params.get(name).map_or(&[][..], Vec::as_slice);
        match self {
            Formula::LocalPorts | Formula::PortRateLimit => {
                // The kernel refuses a low end below ip_unprivileged_port_start (1024 by default)
                // and warns when both ends have the same parity.
                let bad =
                    all("low").iter().any(|lo| all("high").iter().any(|hi| lo >= hi || *hi > 65535 || *lo < 1024 || lo % 2 == hi % 2));
                if bad {
                    Err("every low must be 1024 or more and below every high, high at most 65535, and the two of different parity".into())
                } else {
                    Ok(())
                }
            }
            Formula::KeepaliveDetect if all("probes").iter().any(|p| *p > 255) => Err("tcp_keepalive_probes is at most 255".into()),
            _ => Ok(()),
        }
    }
}
