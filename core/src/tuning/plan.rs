//! The formulas: from the inputs and the kernel defaults to the numbers the file will hold.
//!
//! Only numbers here, no sentences, so each formula can be read (and tested) on its own. Each one
//! cites the facts it rests on; where the facts leave a choice (how much headroom, how long a
//! burst), the choice is named in a constant.

use super::defaults::{BBR_SINCE, KernelDefaults, MIB, TIME_WAIT_SECONDS};
use super::inputs::{Inputs, Workload};
use super::report::Figures;
use super::units::{mul_div, mul_div_ceil, round_up};

/// Bytes of kernel memory per idle socket: tcp sock 2368 + inode 832 + file 192 + epoll 128 +
/// dentry 192 (facts: "~3.7 KiB").
pub const IDLE_SOCKET_BYTES: u64 = 2368 + 832 + 192 + 128 + 192;
/// Bytes per TIME-WAIT socket (facts: "~256 B each").
pub const TIME_WAIT_SOCKET_BYTES: u64 = 256;
/// Design choice: the accept queue should hold this many milliseconds of arrivals at the peak rate.
pub const ACCEPT_BURST_MS: u64 = 100;
/// Listen backlogs are commonly passed as at most 65535 (facts: "listen(65535) gives 4096").
pub const SOMAXCONN_CAP: u64 = 65_535;
/// The modern somaxconn default (Linux 5.4+), used as the floor for older kernels too.
pub const SOMAXCONN_MODERN: u64 = 4096;
/// Design choice: the widened local port range for hosts that open many outbound connections.
/// The low end stays above ip_unprivileged_port_start (1024) and clear of common service ports;
/// the ends have different parity, as the kernel prefers.
pub const OUTBOUND_PORT_RANGE: [u64; 2] = [10_000, 65_535];
/// Design choice: autotuning caps are not raised beyond 1 GiB, whatever the BDP.
pub const BUFFER_CAP: u64 = 1024 * MIB;
/// Design choice: netdev_max_backlog holds this many milliseconds of line-rate 1500-byte packets.
pub const NETDEV_BURST_MS: u64 = 10;
/// Descriptors beyond the connections: listeners, log files, libraries.
pub const NOFILE_EXTRA: u64 = 1024;
/// A nofile floor: smaller limits gain nothing and could lower what a service already has.
pub const NOFILE_FLOOR: u64 = 65_536;
/// Keepalive chosen for long-lived connections (the seed's values): detection in 1200 s.
pub const KEEPALIVE_LONG: [u64; 3] = [600, 60, 10];

/// Every number the rules settle on.
#[derive(Debug, Clone)]
pub struct Plan {
    pub inputs: Inputs,
    pub d: KernelDefaults,
    pub fds: u64,
    pub sockets: u64,
    pub bdp: u64,
    /// 2 × BDP rounded up to a MiB, at most [`BUFFER_CAP`].
    pub buffer_target: u64,
    pub buffer_capped: bool,
    pub tcp_rmem: [u64; 3],
    pub tcp_wmem: [u64; 3],
    pub rmem_max: u64,
    pub wmem_max: u64,
    /// Accept-queue need: the next power of two above [`ACCEPT_BURST_MS`] of arrivals.
    pub accept_need: u64,
    pub somaxconn: u64,
    pub syn_backlog: u64,
    pub port_range: [u64; 2],
    pub ports: u64,
    pub default_ports: u64,
    pub tw_reuse: u64,
    /// Sockets entering TIME-WAIT here per second (rounded up).
    pub tw_rate: u64,
    pub tw_sockets: u64,
    /// TIME-WAIT sockets plus 25% headroom.
    pub tw_need: u64,
    pub tw_buckets: u64,
    /// Outbound connections per second that end in TIME-WAIT here (rounded up).
    pub outbound_close_rate: u64,
    /// Exactly: outbound rate × close share > ports / 60 s.
    pub port_exhausted: bool,
    pub nofile: u64,
    pub file_max_need: u64,
    pub file_max: u64,
    pub nr_open: u64,
    pub pps: u64,
    pub netdev_need: u64,
    pub netdev_max_backlog: u64,
    pub bbr: bool,
    pub slow_start_after_idle: u64,
    /// time, intvl, probes in force.
    pub keepalive: [u64; 3],
    pub keepalive_changed: bool,
    pub socket_memory: u64,
    pub tcp_mem_max_bytes: u64,
}

impl Plan {
    /// `inputs` must already be in range (see [`Inputs::clamped`]); arithmetic saturates anyway.
    pub fn new(inputs: &Inputs) -> Plan {
        let i = inputs.clone();
        let d = KernelDefaults::new(i.kernel, i.ram_mib);
        let w = i.workload;
        let fds = w.fds_per_connection();
        let sockets = i.peak_connections.saturating_mul(fds);

        // BDP bytes = Mbit/s × 10^6 / 8 × ms / 1000 = Mbit/s × ms × 125; the receive window is a
        // fraction of the buffer, so the autotuning cap should be about 2 × BDP.
        let bdp = bdp_bytes(i.nic_mbit, i.rtt_ms);
        let wanted = round_up(bdp.saturating_mul(2), MIB);
        let buffer_capped = wanted > BUFFER_CAP;
        let buffer_target = wanted.min(BUFFER_CAP);
        let tcp_rmem = [d.tcp_rmem[0], d.tcp_rmem[1], d.tcp_rmem[2].max(buffer_target)];
        let tcp_wmem = [d.tcp_wmem[0], d.tcp_wmem[1], d.tcp_wmem[2].max(buffer_target)];
        // Only bulk movers are likely to set SO_RCVBUF/SO_SNDBUF themselves; let them reach the
        // autotuning caps. Everyone else keeps the default.
        let (rmem_max, wmem_max) =
            if w == Workload::Bulk { (d.rmem_max.max(tcp_rmem[2]), d.wmem_max.max(tcp_wmem[2])) } else { (d.rmem_max, d.wmem_max) };

        // Accept queue = min(backlog, somaxconn): hold ACCEPT_BURST_MS of arrivals.
        let accept_need =
            mul_div_ceil(i.new_connections_per_sec, ACCEPT_BURST_MS, 1000).max(1).checked_next_power_of_two().unwrap_or(u64::MAX);
        let somaxconn = d.somaxconn.max(SOMAXCONN_MODERN).max(accept_need.min(SOMAXCONN_CAP));
        // tcp_max_syn_backlog follows somaxconn so that it is never the smaller limit if
        // syncookies are ever turned off.
        let syn_backlog = d.tcp_max_syn_backlog.max(somaxconn);

        let default_ports = d.ip_local_port_range[1] - d.ip_local_port_range[0] + 1;
        let port_range = if w.opens_outbound() {
            [OUTBOUND_PORT_RANGE[0].min(d.ip_local_port_range[0]), OUTBOUND_PORT_RANGE[1].max(d.ip_local_port_range[1])]
        } else {
            d.ip_local_port_range
        };
        let ports = port_range[1] - port_range[0] + 1;
        let tw_reuse = if w.opens_outbound() { 1 } else { d.tcp_tw_reuse };

        // TIME-WAIT count ≈ active-close rate × 60 s; every socket of a connection can end here.
        let close = i.active_close_percent;
        let tw_rate = mul_div_ceil(i.new_connections_per_sec.saturating_mul(fds), close, 100);
        let tw_sockets = time_wait_sockets(tw_rate);
        let tw_need = round_up(mul_div_ceil(tw_sockets, 5, 4), 1024);
        let tw_buckets = d.tcp_max_tw_buckets.max(tw_need).min(i32::MAX as u64);

        // Outbound: one new upstream connection per new client connection (proxy) or per new
        // connection (client). Sustained rate to one destination ≤ ports / 60 s.
        let outbound_rate = if w.opens_outbound() { i.new_connections_per_sec } else { 0 };
        let outbound_close_rate = mul_div_ceil(outbound_rate, close, 100);
        let port_exhausted = u128::from(outbound_rate) * u128::from(close) * u128::from(TIME_WAIT_SECONDS) > u128::from(ports) * 100;

        // nofile ≥ connections × fds + listeners and files + headroom; soft = hard ≤ fs.nr_open.
        let nofile = round_up(mul_div_ceil(sockets.saturating_add(NOFILE_EXTRA), 5, 4), 1024).max(NOFILE_FLOOR);
        let file_max_need = round_up(nofile.saturating_mul(2), 1024);
        let file_max = d.file_max.max(file_max_need);
        let nr_open = d.nr_open.max(nofile);

        // Packets per second at line rate with 1500-byte frames; NETDEV_BURST_MS of them.
        let pps = mul_div_ceil(i.nic_mbit, 1_000_000, 8 * 1500);
        let netdev_need = mul_div_ceil(pps, NETDEV_BURST_MS, 1000);
        let netdev_max_backlog = d.netdev_max_backlog.max(round_up(netdev_need, 1000));

        let bbr = w == Workload::Bulk && i.kernel >= BBR_SINCE;
        let slow_start_after_idle = if w == Workload::ShortLived { d.tcp_slow_start_after_idle } else { 0 };
        let keepalive_changed = matches!(w, Workload::LongLived | Workload::Proxy);
        let keepalive =
            if keepalive_changed { KEEPALIVE_LONG } else { [d.tcp_keepalive_time, d.tcp_keepalive_intvl, d.tcp_keepalive_probes] };

        let socket_memory = sockets.saturating_mul(IDLE_SOCKET_BYTES).saturating_add(tw_sockets.saturating_mul(TIME_WAIT_SOCKET_BYTES));
        let tcp_mem_max_bytes = d.tcp_mem[2].saturating_mul(4096);

        Plan {
            inputs: i,
            d,
            fds,
            sockets,
            bdp,
            buffer_target,
            buffer_capped,
            tcp_rmem,
            tcp_wmem,
            rmem_max,
            wmem_max,
            accept_need,
            somaxconn,
            syn_backlog,
            port_range,
            ports,
            default_ports,
            tw_reuse,
            tw_rate,
            tw_sockets,
            tw_need,
            tw_buckets,
            outbound_close_rate,
            port_exhausted,
            nofile,
            file_max_need,
            file_max,
            nr_open,
            pps,
            netdev_need,
            netdev_max_backlog,
            bbr,
            slow_start_after_idle,
            keepalive,
            keepalive_changed,
            socket_memory,
            tcp_mem_max_bytes,
        }
    }

    /// Sustained new connections per second to one destination the port range allows (ports / 60).
    pub fn port_rate_limit(&self) -> u64 {
        port_rate_limit(self.ports)
    }

    pub fn keepalive_detect(&self) -> u64 {
        let [time, intvl, probes] = self.keepalive;
        keepalive_detect(time, intvl, probes)
    }

    /// Ports needed at once to one destination: concurrent outbound connections plus those in
    /// TIME-WAIT.
    pub fn ports_in_use(&self) -> u64 {
        if !self.inputs.workload.opens_outbound() {
            return 0;
        }
        self.inputs.peak_connections.saturating_add(self.outbound_close_rate.saturating_mul(TIME_WAIT_SECONDS))
    }

    /// Memory if every socket filled both buffers to their caps.
    pub fn full_buffer_memory(&self) -> u64 {
        self.sockets.saturating_mul(self.tcp_rmem[2].saturating_add(self.tcp_wmem[2]))
    }

    pub fn figures(&self) -> Figures {
        Figures {
            bdp_bytes: self.bdp,
            buffer_target_bytes: self.buffer_target,
            sockets: self.sockets,
            time_wait_per_sec: self.tw_rate,
            time_wait_sockets: self.tw_sockets,
            local_ports: self.ports,
            port_rate_limit_per_sec: self.port_rate_limit(),
            outbound_close_per_sec: self.outbound_close_rate,
            socket_memory_bytes: self.socket_memory,
            tcp_mem_max_bytes: self.tcp_mem_max_bytes,
            keepalive_detect_seconds: self.keepalive_detect(),
        }
    }
}

// The kernel's arithmetic, shared by the generator and the quiz's numeric questions so the
// two cannot disagree.

/// Bandwidth-delay product in bytes: Mbit/s × ms × 10^6 / 8 / 1000.
pub fn bdp_bytes(mbit: u64, rtt_ms: u64) -> u64 {
    mbit.saturating_mul(rtt_ms).saturating_mul(125)
}

/// Sockets in TIME-WAIT at a steady rate of active closes: Linux holds each for a fixed 60 s
/// (`TCP_TIMEWAIT_LEN`, not `tcp_fin_timeout`).
pub fn time_wait_sockets(closes_per_sec: u64) -> u64 {
    closes_per_sec.saturating_mul(TIME_WAIT_SECONDS)
}

/// Sustained new connections per second to one destination (address and port) that a number of
/// local ports allows, each port held 60 s in TIME-WAIT after its close.
pub fn port_rate_limit(ports: u64) -> u64 {
    ports / TIME_WAIT_SECONDS
}

/// Dead-peer detection time: `tcp_keepalive_time + tcp_keepalive_probes × tcp_keepalive_intvl`.
pub fn keepalive_detect(time: u64, intvl: u64, probes: u64) -> u64 {
    time.saturating_add(probes.saturating_mul(intvl))
}

/// RAM in bytes for a MiB count.
pub fn ram_bytes(ram_mib: u64) -> u64 {
    ram_mib.saturating_mul(MIB)
}

/// Half of `n`, for "more than half of RAM" checks.
pub fn half(n: u64) -> u64 {
    mul_div(n, 1, 2)
}
