//! The shapes the generator returns. The server sends them as JSON and the browser reads the same
//! types, so both can render one report.

use serde::{Deserialize, Serialize};

use super::inputs::{FieldError, Inputs};
use super::knowledge::{Direction, Scope};
use crate::lang::Lang;

/// How serious a warning or lint finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// What the generator does with a setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Written as an active line in the drop-in.
    Set,
    /// The default is already right. Written only as a commented line (with comments on), so that
    /// a later kernel's better default still applies: pinning defaults is how 6 MiB buffer caps
    /// outlived the kernel's move to 32 MiB.
    KeepDefault,
    /// Not TCP tuning at all (net.core.rmem_default/wmem_default size non-TCP sockets): never
    /// written, explained instead.
    NotForTcp,
}

/// One sysctl in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setting {
    pub key: String,
    /// As written in sysctl.conf (for a kept default, the default).
    pub value: String,
    /// The kernel's default for the chosen kernel version and RAM.
    pub default: String,
    pub changes_default: bool,
    pub action: Action,
    /// Whether the drop-in holds an active line for it (false for kept defaults, and for global
    /// settings when the host is a container: those must be set on the host).
    pub written: bool,
    /// Which way the value may move, from the knowledge file; `None` for free choices such as
    /// keepalive timers.
    pub direction: Option<Direction>,
    pub scope: Scope,
    /// Why this value, with the numbers plugged in.
    pub reason: String,
    /// What the setting does, from the knowledge file.
    pub explain: String,
    pub risk: String,
    /// Kernel documentation file and section.
    pub source: String,
    pub source_url: String,
}

/// Open-file limits for the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nofile {
    pub soft: u64,
    pub hard: u64,
    pub fds_per_connection: u64,
    pub reason: String,
}

/// Something the user should know about the inputs or the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// Stable identifier for programs and tests, such as `port_exhaustion`.
    pub code: String,
    pub severity: Severity,
    /// The input (JSON field name) the warning is about, when it is about one.
    pub field: Option<String>,
    pub message: String,
}

/// Shell steps: save what is there, apply, check, and undo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commands {
    /// Snapshot the current values of exactly the keys the drop-in touches (from `sysctl -a`,
    /// whose `key = value` lines are valid sysctl.conf), and list any current value that is
    /// already higher than the file's.
    pub save: String,
    pub apply: String,
    pub verify: String,
    pub rollback: String,
}

/// The files to install, as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Files {
    /// `/etc/sysctl.d/90-tcplab.conf`.
    pub sysctl_conf: String,
    /// `/etc/security/limits.d/90-tcplab.conf` (PAM logins only).
    pub limits_conf: String,
    /// `/etc/systemd/system/<service>.service.d/90-tcplab.conf`, only when the host uses systemd.
    pub systemd_dropin: Option<String>,
    pub commands: Commands,
}

/// The numbers the rules computed, for display and for tests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Bandwidth-delay product in bytes: Mbit/s × 10^6 / 8 × RTT.
    pub bdp_bytes: u64,
    /// The autotuning cap the path needs: 2 × BDP rounded up to a MiB (before the default floor).
    pub buffer_target_bytes: u64,
    /// Sockets at the peak: connections × fds per connection.
    pub sockets: u64,
    /// Sockets entering TIME-WAIT per second: new sockets per second × share closed here.
    pub time_wait_per_sec: u64,
    /// TIME-WAIT sockets at steady state: rate × 60 s.
    pub time_wait_sockets: u64,
    /// Local ports in the range the file leaves in force.
    pub local_ports: u64,
    /// New outbound connections per second to one destination that the ports sustain when this
    /// host closes first: ports / 60 s.
    pub port_rate_limit_per_sec: u64,
    /// Outbound connections per second that end in TIME-WAIT here.
    pub outbound_close_per_sec: u64,
    /// Kernel memory of idle sockets (about 3.7 KiB each) plus TIME-WAIT sockets (about 256 B).
    pub socket_memory_bytes: u64,
    /// tcp_mem max in bytes: the most all TCP buffers together may use.
    pub tcp_mem_max_bytes: u64,
    /// Dead-peer detection with the keepalive settings in force: time + probes × intvl.
    pub keepalive_detect_seconds: u64,
}

/// Everything [`super::generate`] returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub lang: Lang,
    /// The inputs as given.
    pub inputs: Inputs,
    /// Validation errors of the inputs; when not empty, the report was computed from the inputs
    /// moved into range and says so in `warnings`.
    pub input_errors: Vec<FieldError>,
    /// The permalink query string (`v=1&...`).
    pub query: String,
    pub settings: Vec<Setting>,
    pub nofile: Nofile,
    pub warnings: Vec<Warning>,
    pub figures: Figures,
    pub files: Files,
}

impl Report {
    pub fn setting(&self, key: &str) -> Option<&Setting> {
        self.settings.iter().find(|s| s.key == key)
    }

    pub fn warning(&self, code: &str) -> Option<&Warning> {
        self.warnings.iter().find(|w| w.code == code)
    }
}
