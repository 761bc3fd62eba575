//! What the user tells the generator, and how it is checked.
//!
//! Every field has a range and a unit, and every error names the JSON field and that range, so the
//! browser can put the message next to the right input. One table of fields drives validation here
//! and the permalink in `query.rs`, so the two cannot disagree.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::lang::{Text, Words};

/// The kind of traffic the host carries. Each has default inputs ([`Inputs::preset`]) and steers
/// which rules apply (for example, only hosts that open outbound connections use local ports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Workload {
    /// Many short inbound connections: web or API server.
    #[default]
    #[serde(rename = "short")]
    ShortLived,
    /// Reverse proxy or gateway: every client connection has an upstream connection (two sockets).
    #[serde(rename = "proxy")]
    Proxy,
    /// Long-lived inbound connections: WebSocket, MQTT, push, chat.
    #[serde(rename = "long")]
    LongLived,
    /// Few connections moving a lot of data over long fat links.
    #[serde(rename = "bulk")]
    Bulk,
    /// A client that opens many outbound connections (crawler, load generator, service caller).
    #[serde(rename = "client")]
    OutboundClient,
}

impl Workload {
    pub const ALL: [Workload; 5] = [Workload::ShortLived, Workload::Proxy, Workload::LongLived, Workload::Bulk, Workload::OutboundClient];

    /// The stable short name used in JSON and in the permalink.
    pub fn key(self) -> &'static str {
        match self {
            Workload::ShortLived => "short",
            Workload::Proxy => "proxy",
            Workload::LongLived => "long",
            Workload::Bulk => "bulk",
            Workload::OutboundClient => "client",
        }
    }

    pub fn from_key(key: &str) -> Option<Workload> {
        Workload::ALL.into_iter().find(|w| w.key() == key)
    }

    /// File descriptors per client connection: a proxy holds the client socket and the upstream one.
    pub fn fds_per_connection(self) -> u64 {
        if self == Workload::Proxy { 2 } else { 1 }
    }

    /// Whether this host opens connections itself, and so spends local ports (and TIME-WAIT on them).
    pub fn opens_outbound(self) -> bool {
        matches!(self, Workload::Proxy | Workload::OutboundClient)
    }
}

/// A kernel release as `major.minor` ("6.18"). The patch level never changes a sysctl default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct KernelVersion {
    pub major: u32,
    pub minor: u32,
}

impl KernelVersion {
    pub const fn new(major: u32, minor: u32) -> KernelVersion {
        KernelVersion { major, minor }
    }

    /// The oldest kernel the rules know about (RHEL 7 era); older ones lack too much to model.
    pub const MIN: KernelVersion = KernelVersion::new(3, 10);
    pub const MAX: KernelVersion = KernelVersion::new(9, 99);

    /// Reads "6.18", and leniently what `uname -r` prints ("6.1.0-18-amd64" is 6.1).
    pub fn parse(text: &str) -> Option<KernelVersion> {
        let text = text.trim();
        let mut parts = text.splitn(3, '.');
        let major = parse_small(parts.next()?)?;
        let rest = parts.next()?;
        // The minor number ends at the first character that is not a digit ("18-amd64", "1").
        let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if end == 0 || end > 3 {
            return None;
        }
        let minor = parse_small(&rest[..end])?;
        let tail = &rest[end..];
        if !(tail.is_empty() || tail.starts_with('-') || tail.starts_with('+')) {
            return None;
        }
        Some(KernelVersion { major, minor })
    }
}

fn parse_small(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 3 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

impl fmt::Display for KernelVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl From<KernelVersion> for String {
    fn from(v: KernelVersion) -> String {
        v.to_string()
    }
}

impl TryFrom<String> for KernelVersion {
    type Error = String;
    fn try_from(s: String) -> Result<KernelVersion, String> {
        KernelVersion::parse(&s).ok_or_else(|| format!("kernel: expected major.minor such as 6.18, got {s:?}"))
    }
}

/// Everything the generator needs to know about the host and its traffic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inputs {
    pub workload: Workload,
    /// Peak concurrent client connections (a proxy holds two sockets for each).
    pub peak_connections: u64,
    /// New connections per second at the peak.
    pub new_connections_per_sec: u64,
    /// Share of connections this host closes first, in percent: those sockets end in TIME-WAIT here.
    pub active_close_percent: u64,
    pub ram_mib: u64,
    pub cpu_cores: u64,
    pub nic_mbit: u64,
    /// Typical round-trip time to the peers, in milliseconds (sub-millisecond: use 1).
    pub rtt_ms: u64,
    pub kernel: KernelVersion,
    /// Runs inside a container (its own network namespace): global settings are read-only there.
    pub container: bool,
    /// Services are started by systemd, which ignores /etc/security/limits.conf.
    pub systemd: bool,
    /// Whether the generated files explain themselves in comments.
    pub comments: bool,
}

/// One input that is wrong: `field` is the JSON field name; `message`, in every language, names
/// the allowed range and unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: Text,
}

impl FieldError {
    pub(crate) fn new(field: &str, en: String, zh_cn: String) -> FieldError {
        FieldError { field: field.to_string(), message: Text::new(en, zh_cn) }
    }
}

/// A numeric field: JSON name, permalink key, inclusive range and unit. One table drives validation,
/// query parsing and the permalink, so they cannot disagree.
pub struct NumField {
    pub json: &'static str,
    pub query: &'static str,
    pub min: u64,
    pub max: u64,
    pub unit: Words,
    pub get: fn(&Inputs) -> u64,
    pub set: fn(&mut Inputs, u64),
}

pub const NUM_FIELDS: [NumField; 7] = [
    NumField {
        json: "peak_connections",
        query: "conn",
        min: 1,
        max: 10_000_000,
        unit: Words { en: "connections", zh_cn: "个连接" },
        get: |i| i.peak_connections,
        set: |i, v| i.peak_connections = v,
    },
    NumField {
        json: "new_connections_per_sec",
        query: "rate",
        min: 0,
        max: 1_000_000,
        unit: Words { en: "connections per second", zh_cn: "个连接/秒" },
        get: |i| i.new_connections_per_sec,
        set: |i, v| i.new_connections_per_sec = v,
    },
    NumField {
        json: "active_close_percent",
        query: "close",
        min: 0,
        max: 100,
        unit: Words { en: "%", zh_cn: "%" },
        get: |i| i.active_close_percent,
        set: |i, v| i.active_close_percent = v,
    },
    NumField {
        json: "ram_mib",
        query: "ram",
        min: 256,
        max: 16_777_216,
        unit: Words { en: "MiB", zh_cn: "MiB" },
        get: |i| i.ram_mib,
        set: |i, v| i.ram_mib = v,
    },
    NumField {
        json: "cpu_cores",
        query: "cpu",
        min: 1,
        max: 4096,
        unit: Words { en: "cores", zh_cn: "个核" },
        get: |i| i.cpu_cores,
        set: |i, v| i.cpu_cores = v,
    },
    NumField {
        json: "nic_mbit",
        query: "nic",
        min: 10,
        max: 1_600_000,
        unit: Words { en: "Mbit/s", zh_cn: "Mbit/s" },
        get: |i| i.nic_mbit,
        set: |i, v| i.nic_mbit = v,
    },
    NumField {
        json: "rtt_ms",
        query: "rtt",
        min: 1,
        max: 2000,
        unit: Words { en: "ms", zh_cn: "毫秒" },
        get: |i| i.rtt_ms,
        set: |i, v| i.rtt_ms = v,
    },
];

/// The yes/no fields: JSON name, permalink key.
pub struct BoolField {
    pub json: &'static str,
    pub query: &'static str,
    pub get: fn(&Inputs) -> bool,
    pub set: fn(&mut Inputs, bool),
}

pub const BOOL_FIELDS: [BoolField; 3] = [
    BoolField { json: "container", query: "ctr", get: |i| i.container, set: |i, v| i.container = v },
    BoolField { json: "systemd", query: "sd", get: |i| i.systemd, set: |i, v| i.systemd = v },
    BoolField { json: "comments", query: "cmt", get: |i| i.comments, set: |i, v| i.comments = v },
];

impl Default for Inputs {
    fn default() -> Inputs {
        Inputs::preset(Workload::default())
    }
}

impl Inputs {
    /// Sensible starting inputs for each workload. They are chosen so that the preset itself raises
    /// no warning: a preset that warns would teach people to ignore warnings.
    pub fn preset(workload: Workload) -> Inputs {
        let base = Inputs {
            workload,
            peak_connections: 20_000,
            new_connections_per_sec: 2_000,
            active_close_percent: 10,
            ram_mib: 16_384,
            cpu_cores: 8,
            nic_mbit: 1_000,
            rtt_ms: 20,
            kernel: KernelVersion::new(6, 18),
            container: false,
            systemd: true,
            comments: true,
        };
        match workload {
            Workload::ShortLived => base,
            Workload::Proxy => Inputs {
                peak_connections: 20_000,
                new_connections_per_sec: 1_000,
                active_close_percent: 50,
                ram_mib: 8_192,
                cpu_cores: 4,
                nic_mbit: 10_000,
                ..base
            },
            Workload::LongLived => Inputs {
                peak_connections: 500_000,
                new_connections_per_sec: 500,
                active_close_percent: 5,
                ram_mib: 32_768,
                cpu_cores: 16,
                nic_mbit: 10_000,
                rtt_ms: 50,
                ..base
            },
            Workload::Bulk => Inputs {
                peak_connections: 200,
                new_connections_per_sec: 5,
                active_close_percent: 50,
                ram_mib: 32_768,
                cpu_cores: 16,
                nic_mbit: 10_000,
                rtt_ms: 100,
                ..base
            },
            Workload::OutboundClient => Inputs {
                peak_connections: 20_000,
                new_connections_per_sec: 500,
                active_close_percent: 100,
                ram_mib: 8_192,
                cpu_cores: 4,
                nic_mbit: 1_000,
                rtt_ms: 30,
                ..base
            },
        }
    }

    /// Checks every field against its range; all errors at once, in field order.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        for f in &NUM_FIELDS {
            let v = (f.get)(self);
            if v < f.min || v > f.max {
                errors.push(range_error(f, &v.to_string()));
            }
        }
        if self.kernel < KernelVersion::MIN || self.kernel > KernelVersion::MAX {
            errors.push(kernel_error(&self.kernel.to_string()));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// A copy with every number moved into its range, so that rules never see absurd values
    /// (the report still lists the validation errors).
    pub fn clamped(&self) -> Inputs {
        let mut out = self.clone();
        for f in &NUM_FIELDS {
            (f.set)(&mut out, (f.get)(self).clamp(f.min, f.max));
        }
        out.kernel = self.kernel.clamp(KernelVersion::MIN, KernelVersion::MAX);
        out
    }
}

pub(crate) fn range_error(f: &NumField, got: &str) -> FieldError {
    FieldError::new(
        f.json,
        format!("{} must be a whole number from {} to {} ({}); got {got:?}", f.json, f.min, f.max, f.unit.en),
        format!("{} 必须是 {} 到 {} 之间的整数（{}）；收到的是 {got:?}", f.json, f.min, f.max, f.unit.zh_cn),
    )
}

pub(crate) fn kernel_error(got: &str) -> FieldError {
    FieldError::new(
        "kernel",
        format!("kernel must be a version major.minor from {} to {}, such as 6.18; got {got:?}", KernelVersion::MIN, KernelVersion::MAX),
        format!("kernel 必须是 {} 到 {} 之间的“主版本.次版本”，例如 6.18；收到的是 {got:?}", KernelVersion::MIN, KernelVersion::MAX),
    )
}
