//! The values a kernel starts with, for a kernel version and an amount of RAM.
//!
//! The generator never writes a value below these for the limits it raises, and the linter flags
//! files that do. Every formula here is from the facts file
//! (`shared/reference/linux-tcp-tuning-facts.md`), which was checked against the 6.18 sources
//! (net/ipv4/tcp.c `tcp_init()`, net/ipv4/tcp_ipv4.c `tcp_sk_init()`, net/core/sock.c, fs/file.c).
//!
//! The kernel sizes from the pages it can use at boot, a little less than the RAM the user states;
//! using the stated RAM errs upwards, which is the safe side for "never lower the default".

use serde::{Deserialize, Serialize};

use super::inputs::KernelVersion;

pub const KIB: u64 = 1024;
pub const MIB: u64 = 1024 * 1024;
pub const PAGE_SIZE: u64 = 4096;

/// somaxconn went from 128 to 4096 in Linux 5.4.
pub const SOMAXCONN_4096_SINCE: KernelVersion = KernelVersion::new(5, 4);
/// The cap of tcp_rmem (third value) went from 6 MiB to 32 MiB with "tcp: increase tcp_rmem\[2\] to 32 MB"
/// (net-next, May 2025, first released in 6.16).
pub const RMEM_32MIB_SINCE: KernelVersion = KernelVersion::new(6, 16);
/// net.core.rmem_max/wmem_max went from 212992 to 4 MiB in 2025 (measured on 6.18).
pub const CORE_MEM_MAX_4MIB_SINCE: KernelVersion = KernelVersion::new(6, 18);
/// net.ipv4.tcp_tw_recycle was removed in Linux 4.12.
pub const TW_RECYCLE_REMOVED_IN: KernelVersion = KernelVersion::new(4, 12);
/// TCP BBR arrived in Linux 4.9.
pub const BBR_SINCE: KernelVersion = KernelVersion::new(4, 9);

/// TIME-WAIT lasts TCP_TIMEWAIT_LEN, fixed at 60 s; tcp_fin_timeout does not change it.
pub const TIME_WAIT_SECONDS: u64 = 60;

/// One value as the kernel shows it: numbers, or a name such as `cubic`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Val {
    Nums(Vec<u64>),
    Name(String),
}

impl Val {
    pub fn one(n: u64) -> Val {
        Val::Nums(vec![n])
    }

    /// As written in sysctl.conf: numbers separated by one space.
    pub fn conf(&self) -> String {
        match self {
            Val::Nums(n) => n.iter().map(u64::to_string).collect::<Vec<_>>().join(" "),
            Val::Name(s) => s.clone(),
        }
    }

    pub fn nums(&self) -> Option<&[u64]> {
        match self {
            Val::Nums(n) => Some(n),
            Val::Name(_) => None,
        }
    }
}

/// The defaults of one kernel on one machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KernelDefaults {
    pub kernel: KernelVersion,
    pub ram_mib: u64,
    /// Slots in the TCP established hash: one per 128 KiB of RAM, rounded up to a power of two,
    /// at most 512 Ki. tcp_max_syn_backlog and tcp_max_tw_buckets are derived from it.
    pub ehash_entries: u64,
    pub somaxconn: u64,
    pub tcp_max_syn_backlog: u64,
    pub tcp_max_tw_buckets: u64,
    pub ip_local_port_range: [u64; 2],
    pub tcp_tw_reuse: u64,
    pub tcp_fin_timeout: u64,
    pub tcp_rmem: [u64; 3],
    pub tcp_wmem: [u64; 3],
    /// In pages of 4 KiB.
    pub tcp_mem: [u64; 3],
    pub rmem_max: u64,
    pub wmem_max: u64,
    pub rmem_default: u64,
    pub wmem_default: u64,
    pub tcp_syncookies: u64,
    pub file_max: u64,
    pub nr_open: u64,
    pub netdev_max_backlog: u64,
    pub tcp_slow_start_after_idle: u64,
    pub tcp_keepalive_time: u64,
    pub tcp_keepalive_intvl: u64,
    pub tcp_keepalive_probes: u64,
    pub tcp_fastopen: u64,
    /// Chosen when the kernel is built; distribution kernels use cubic.
    pub tcp_congestion_control: String,
    /// The kernel's own default; systemd's 50-default.conf replaces it with fq_codel.
    pub default_qdisc: String,
    pub tcp_synack_retries: u64,
    pub tcp_syn_retries: u64,
    pub tcp_abort_on_overflow: u64,
    pub tcp_notsent_lowat: u64,
}

impl KernelDefaults {
    pub fn new(kernel: KernelVersion, ram_mib: u64) -> KernelDefaults {
        let ram_mib = ram_mib.max(1);
        // 8 slots per MiB (one per 128 KiB), power of two, capped at 512 Ki slots.
        let ehash_entries = ram_mib.saturating_mul(8).checked_next_power_of_two().unwrap_or(u64::MAX).min(512 * 1024);
        let ram_bytes = ram_mib.saturating_mul(MIB);
        let pages = ram_bytes / PAGE_SIZE;
        // tcp_init(): per-socket caps are at most 1/128 of free memory.
        let limit = ram_bytes / 128;
        let rmem_cap = if kernel >= RMEM_32MIB_SINCE { 32 * MIB } else { 6 * MIB };
        // tcp_init(): tcp_mem from free_buffer_pages / 16, [3/4 L, L, 3/2 L].
        let l = (pages / 16).max(128);
        let tcp_mem_min = l / 4 * 3;
        let core_max = if kernel >= CORE_MEM_MAX_4MIB_SINCE { 4 * MIB } else { 212_992 };
        KernelDefaults {
            kernel,
            ram_mib,
            ehash_entries,
            somaxconn: if kernel >= SOMAXCONN_4096_SINCE { 4096 } else { 128 },
            tcp_max_syn_backlog: (ehash_entries / 128).max(128),
            tcp_max_tw_buckets: ehash_entries / 2,
            ip_local_port_range: [32768, 60999],
            tcp_tw_reuse: 2,
            tcp_fin_timeout: 60,
            tcp_rmem: [4096, 131_072, limit.min(rmem_cap).max(131_072)],
            tcp_wmem: [4096, 16_384, limit.clamp(64 * KIB, 4 * MIB)],
            tcp_mem: [tcp_mem_min, l, tcp_mem_min * 2],
            rmem_max: core_max,
            wmem_max: core_max,
            rmem_default: 212_992,
            wmem_default: 212_992,
            tcp_syncookies: 1,
            // About 10% of RAM at about 1 KiB per open file, at least NR_FILE (8192).
            file_max: (ram_mib.saturating_mul(1024) / 10).max(8192),
            nr_open: 1_048_576,
            netdev_max_backlog: 1000,
            tcp_slow_start_after_idle: 1,
            tcp_keepalive_time: 7200,
            tcp_keepalive_intvl: 75,
            tcp_keepalive_probes: 9,
            tcp_fastopen: 1,
            tcp_congestion_control: "cubic".to_string(),
            default_qdisc: "pfifo_fast".to_string(),
            tcp_synack_retries: 5,
            tcp_syn_retries: 6,
            tcp_abort_on_overflow: 0,
            tcp_notsent_lowat: u64::from(u32::MAX),
        }
    }

    /// The default of `key`, or `None` for keys without a modelled default.
    pub fn get(&self, key: &str) -> Option<Val> {
        let v = match key {
            "net.core.somaxconn" => Val::one(self.somaxconn),
            "net.ipv4.tcp_max_syn_backlog" => Val::one(self.tcp_max_syn_backlog),
            "net.ipv4.tcp_max_tw_buckets" => Val::one(self.tcp_max_tw_buckets),
            "net.ipv4.ip_local_port_range" => Val::Nums(self.ip_local_port_range.to_vec()),
            "net.ipv4.tcp_tw_reuse" => Val::one(self.tcp_tw_reuse),
            "net.ipv4.tcp_fin_timeout" => Val::one(self.tcp_fin_timeout),
            "net.ipv4.tcp_rmem" => Val::Nums(self.tcp_rmem.to_vec()),
            "net.ipv4.tcp_wmem" => Val::Nums(self.tcp_wmem.to_vec()),
            "net.ipv4.tcp_mem" => Val::Nums(self.tcp_mem.to_vec()),
            "net.core.rmem_max" => Val::one(self.rmem_max),
            "net.core.wmem_max" => Val::one(self.wmem_max),
            "net.core.rmem_default" => Val::one(self.rmem_default),
            "net.core.wmem_default" => Val::one(self.wmem_default),
            "net.ipv4.tcp_syncookies" => Val::one(self.tcp_syncookies),
            "fs.file-max" => Val::one(self.file_max),
            "fs.nr_open" => Val::one(self.nr_open),
            "net.core.netdev_max_backlog" => Val::one(self.netdev_max_backlog),
            "net.ipv4.tcp_slow_start_after_idle" => Val::one(self.tcp_slow_start_after_idle),
            "net.ipv4.tcp_keepalive_time" => Val::one(self.tcp_keepalive_time),
            "net.ipv4.tcp_keepalive_intvl" => Val::one(self.tcp_keepalive_intvl),
            "net.ipv4.tcp_keepalive_probes" => Val::one(self.tcp_keepalive_probes),
            "net.ipv4.tcp_fastopen" => Val::one(self.tcp_fastopen),
            "net.ipv4.tcp_congestion_control" => Val::Name(self.tcp_congestion_control.clone()),
            "net.core.default_qdisc" => Val::Name(self.default_qdisc.clone()),
            "net.ipv4.tcp_synack_retries" => Val::one(self.tcp_synack_retries),
            "net.ipv4.tcp_syn_retries" => Val::one(self.tcp_syn_retries),
            "net.ipv4.tcp_abort_on_overflow" => Val::one(self.tcp_abort_on_overflow),
            "net.ipv4.tcp_notsent_lowat" => Val::one(self.tcp_notsent_lowat),
            _ => return None,
        };
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_measured_24_gib_host_on_6_18() {
        // The facts file measured a 6.18 host with 23.5 GiB: syn backlog 2048, tw buckets 131072.
        let d = KernelDefaults::new(KernelVersion::new(6, 18), 24_064);
        assert_eq!(d.ehash_entries, 262_144);
        assert_eq!(d.tcp_max_syn_backlog, 2048);
        assert_eq!(d.tcp_max_tw_buckets, 131_072);
        assert_eq!(d.tcp_rmem, [4096, 131_072, 32 * MIB]);
        assert_eq!(d.tcp_wmem, [4096, 16_384, 4 * MIB]);
        assert_eq!(d.rmem_max, 4_194_304);
        assert_eq!(d.somaxconn, 4096);
    }

    #[test]
    fn caps_and_floors() {
        let big = KernelDefaults::new(KernelVersion::new(6, 18), 1024 * 1024);
        assert_eq!(big.tcp_max_syn_backlog, 4096);
        assert_eq!(big.tcp_max_tw_buckets, 262_144);
        let small = KernelDefaults::new(KernelVersion::new(6, 18), 256);
        assert_eq!(small.tcp_max_syn_backlog, 128);
        assert_eq!(small.tcp_rmem[2], 2 * MIB);
        assert_eq!(small.tcp_wmem[2], 2 * MIB);
        assert_eq!(small.file_max, 26_214);
    }

    #[test]
    fn version_notes() {
        let old = KernelDefaults::new(KernelVersion::new(4, 19), 16_384);
        assert_eq!(old.somaxconn, 128);
        assert_eq!(old.tcp_rmem[2], 6 * MIB);
        assert_eq!(old.rmem_max, 212_992);
        let d = KernelDefaults::new(KernelVersion::new(6, 1), 16_384);
        assert_eq!(d.tcp_rmem[2], 6 * MIB);
        assert_eq!(d.tcp_mem, [196_608, 262_144, 393_216]);
    }
}
