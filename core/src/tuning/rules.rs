//! From the plan's numbers to the report's settings, each with its reason in words.
//!
//! Rules, in short: limits are only ever raised (never below the kernel default for the version and
//! RAM); a value equal to the default is reported as "keep default" and not written; net.core
//! rmem_default/wmem_default are explained, never emitted as TCP tuning; somaxconn and
//! tcp_max_syn_backlog are always explained together; tcp_fastopen stays at the client-only
//! default because the server side needs the application.

use super::defaults::{TIME_WAIT_SECONDS, Val};
use super::knowledge::{Knowledge, MISSING_TEXT, Scope};
use super::plan::{ACCEPT_BURST_MS, Plan, TIME_WAIT_SOCKET_BYTES};
use super::report::{Action, Nofile, Setting};
use super::units::{bin_bytes, dec_bytes};
use crate::lang::Lang;

type Vars = Vec<(&'static str, String)>;

/// Builds settings in one language.
pub struct Rules<'a> {
    pub p: &'a Plan,
    pub k: &'a Knowledge,
    pub lang: Lang,
}

impl Rules<'_> {
    fn t(&self, id: &str, vars: &[(&str, String)]) -> String {
        self.k.text(id, self.lang, vars)
    }

    /// One setting: `value` is what the rule wants; the action follows from comparing it with the
    /// default, so a rule cannot claim to change a value it leaves alone.
    fn setting(&self, key: &str, value: Val, reason: String) -> Setting {
        let default = self.p.d.get(key).map(|v| v.conf()).unwrap_or_default();
        let value = value.conf();
        let action = if value == default { Action::KeepDefault } else { Action::Set };
        self.build(key, value, default, action, reason)
    }

    fn build(&self, key: &str, value: String, default: String, action: Action, reason: String) -> Setting {
        let param = self.k.param(key);
        let scope = param.map(|p| p.scope).unwrap_or(Scope::Netns);
        let text = |f: fn(&super::knowledge::Param) -> &crate::lang::Text| {
            param.map(|p| f(p).get(self.lang).to_string()).unwrap_or_else(|| format!("{MISSING_TEXT} {key}"))
        };
        let written = action == Action::Set && !(self.p.inputs.container && scope == Scope::Global);
        Setting {
            key: key.to_string(),
            changes_default: action == Action::Set && value != default,
            value,
            default,
            action,
            written,
            direction: param.and_then(|p| p.direction),
            scope,
            reason,
            explain: text(|p| &p.explain),
            risk: text(|p| &p.risk),
            source: param.map(|p| p.doc.clone()).unwrap_or_default(),
            source_url: param.map(|p| p.url.clone()).unwrap_or_default(),
        }
    }

    pub fn settings(&self) -> Vec<Setting> {
        let mut out = Vec::with_capacity(24);
        out.extend(self.accept_queue());
        out.extend(self.ports_and_time_wait());
        out.extend(self.buffers());
        out.extend(self.files());
        out.extend(self.packet_path());
        out.extend(self.keepalive());
        out.push(self.fastopen());
        out
    }

    fn accept_queue(&self) -> Vec<Setting> {
        let p = self.p;
        let d = &p.d;
        let common: Vars = vec![
            ("rate", p.inputs.new_connections_per_sec.to_string()),
            ("ms", ACCEPT_BURST_MS.to_string()),
            ("need", p.accept_need.to_string()),
            ("default", d.somaxconn.to_string()),
            ("value", p.somaxconn.to_string()),
            ("somaxconn", p.somaxconn.to_string()),
            ("syn_default", d.tcp_max_syn_backlog.to_string()),
            ("ehash", d.ehash_entries.to_string()),
        ];
        let somaxconn_id = if p.somaxconn == d.somaxconn { "reason.somaxconn.keep" } else { "reason.somaxconn.raise" };
        let syn_id = if p.syn_backlog == d.tcp_max_syn_backlog { "reason.syn_backlog.keep" } else { "reason.syn_backlog.raise" };
        vec![
            self.setting("net.core.somaxconn", Val::one(p.somaxconn), self.t(somaxconn_id, &common)),
            self.setting("net.ipv4.tcp_max_syn_backlog", Val::one(p.syn_backlog), self.t(syn_id, &common)),
            self.setting("net.ipv4.tcp_syncookies", Val::one(d.tcp_syncookies), self.t("reason.syncookies.keep", &[])),
        ]
    }

    fn ports_and_time_wait(&self) -> Vec<Setting> {
        let p = self.p;
        let d = &p.d;
        let i = &p.inputs;
        let vars: Vars = vec![
            ("default", Val::Nums(d.ip_local_port_range.to_vec()).conf()),
            ("default_ports", p.default_ports.to_string()),
            ("value", Val::Nums(p.port_range.to_vec()).conf()),
            ("ports", p.ports.to_string()),
            ("limit", p.port_rate_limit().to_string()),
            ("close", i.active_close_percent.to_string()),
        ];
        let range_id = if i.workload.opens_outbound() { "reason.port_range.widen" } else { "reason.port_range.keep" };
        let reuse_id = if p.tw_reuse == d.tcp_tw_reuse { "reason.tw_reuse.keep" } else { "reason.tw_reuse.outbound" };
        let tw_vars: Vars = vec![
            ("rate", i.new_connections_per_sec.to_string()),
            ("fds", p.fds.to_string()),
            ("close", i.active_close_percent.to_string()),
            ("tw_rate", p.tw_rate.to_string()),
            ("secs", TIME_WAIT_SECONDS.to_string()),
            ("tw", p.tw_sockets.to_string()),
            ("need", p.tw_need.to_string()),
            ("default", d.tcp_max_tw_buckets.to_string()),
            ("ehash", d.ehash_entries.to_string()),
            ("value", p.tw_buckets.to_string()),
            ("mem", bin_bytes(p.tw_buckets.saturating_mul(TIME_WAIT_SOCKET_BYTES))),
        ];
        let tw_id = if p.tw_buckets == d.tcp_max_tw_buckets { "reason.tw_buckets.keep" } else { "reason.tw_buckets.raise" };
        vec![
            self.setting("net.ipv4.ip_local_port_range", Val::Nums(p.port_range.to_vec()), self.t(range_id, &vars)),
            self.setting("net.ipv4.tcp_tw_reuse", Val::one(p.tw_reuse), self.t(reuse_id, &vars)),
            self.setting("net.ipv4.tcp_max_tw_buckets", Val::one(p.tw_buckets), self.t(tw_id, &tw_vars)),
            self.setting(
                "net.ipv4.tcp_fin_timeout",
                Val::one(d.tcp_fin_timeout),
                self.t("reason.fin_timeout.keep", &[("default", d.tcp_fin_timeout.to_string())]),
            ),
        ]
    }

    fn buffers(&self) -> Vec<Setting> {
        let p = self.p;
        let d = &p.d;
        let i = &p.inputs;
        let triplet = |key: &str, value: [u64; 3], default: [u64; 3], raise: &str, keep: &str| {
            let vars: Vars = vec![
                ("nic", i.nic_mbit.to_string()),
                ("rtt", i.rtt_ms.to_string()),
                ("bdp", dec_bytes(p.bdp)),
                ("twice", dec_bytes(p.bdp.saturating_mul(2))),
                ("target", bin_bytes(p.buffer_target)),
                ("default_max", bin_bytes(default[2])),
                ("value_max", bin_bytes(value[2])),
                ("min", value[0].to_string()),
                ("initial", value[1].to_string()),
                ("capped", if p.buffer_capped { self.t("word.capped_1gib", &[]) } else { String::new() }),
            ];
            let id = if value == default { keep } else { raise };
            self.setting(key, Val::Nums(value.to_vec()), self.t(id, &vars))
        };
        let mem_vars: Vars = vec![
            ("default", Val::Nums(d.tcp_mem.to_vec()).conf()),
            ("min", bin_bytes(d.tcp_mem[0].saturating_mul(4096))),
            ("pressure", bin_bytes(d.tcp_mem[1].saturating_mul(4096))),
            ("max", bin_bytes(d.tcp_mem[2].saturating_mul(4096))),
            ("ram", bin_bytes(i.ram_mib.saturating_mul(1024 * 1024))),
        ];
        let core_max = |key: &str, value: u64, default: u64, tcp_key: &str, tcp_max: u64, opt: &str| {
            let vars: Vars = vec![
                ("key", key.to_string()),
                ("value", value.to_string()),
                ("default", default.to_string()),
                ("tcp_key", tcp_key.to_string()),
                ("tcp_max", bin_bytes(tcp_max)),
                ("opt", opt.to_string()),
            ];
            let id = if value == default { "reason.core_max.keep" } else { "reason.core_max.raise" };
            self.setting(key, Val::one(value), self.t(id, &vars))
        };
        let core_default = |key: &str, default: u64, tcp_key: &str, tcp_initial: u64| {
            let vars: Vars = vec![
                ("key", key.to_string()),
                ("default", default.to_string()),
                ("tcp_key", tcp_key.to_string()),
                ("tcp_initial", tcp_initial.to_string()),
            ];
            self.build(key, default.to_string(), default.to_string(), Action::NotForTcp, self.t("reason.core_default.not_tcp", &vars))
        };
        vec![
            triplet("net.ipv4.tcp_rmem", p.tcp_rmem, d.tcp_rmem, "reason.tcp_rmem.raise", "reason.tcp_rmem.keep"),
            triplet("net.ipv4.tcp_wmem", p.tcp_wmem, d.tcp_wmem, "reason.tcp_wmem.raise", "reason.tcp_wmem.keep"),
            self.setting("net.ipv4.tcp_mem", Val::Nums(d.tcp_mem.to_vec()), self.t("reason.tcp_mem.keep", &mem_vars)),
            core_max("net.core.rmem_max", p.rmem_max, d.rmem_max, "net.ipv4.tcp_rmem", p.tcp_rmem[2], "SO_RCVBUF"),
            core_max("net.core.wmem_max", p.wmem_max, d.wmem_max, "net.ipv4.tcp_wmem", p.tcp_wmem[2], "SO_SNDBUF"),
            core_default("net.core.rmem_default", d.rmem_default, "net.ipv4.tcp_rmem", d.tcp_rmem[1]),
            core_default("net.core.wmem_default", d.wmem_default, "net.ipv4.tcp_wmem", d.tcp_wmem[1]),
        ]
    }

    fn files(&self) -> Vec<Setting> {
        let p = self.p;
        let d = &p.d;
        let vars: Vars = vec![
            ("nofile", p.nofile.to_string()),
            ("need", p.file_max_need.to_string()),
            ("file_max_default", d.file_max.to_string()),
            ("nr_open_default", d.nr_open.to_string()),
            ("file_max", p.file_max.to_string()),
            ("nr_open", p.nr_open.to_string()),
        ];
        let fm_id = if p.file_max == d.file_max { "reason.file_max.keep" } else { "reason.file_max.raise" };
        let nr_id = if p.nr_open == d.nr_open { "reason.nr_open.keep" } else { "reason.nr_open.raise" };
        vec![
            self.setting("fs.file-max", Val::one(p.file_max), self.t(fm_id, &vars)),
            self.setting("fs.nr_open", Val::one(p.nr_open), self.t(nr_id, &vars)),
        ]
    }

    fn packet_path(&self) -> Vec<Setting> {
        let p = self.p;
        let d = &p.d;
        let i = &p.inputs;
        let vars: Vars = vec![
            ("nic", i.nic_mbit.to_string()),
            ("rtt", i.rtt_ms.to_string()),
            ("pps", p.pps.to_string()),
            ("need", p.netdev_need.to_string()),
            ("default", d.netdev_max_backlog.to_string()),
            ("value", p.netdev_max_backlog.to_string()),
            ("cc_default", d.tcp_congestion_control.clone()),
            ("qdisc_default", d.default_qdisc.clone()),
            ("kernel", i.kernel.to_string()),
        ];
        let netdev_id = if p.netdev_max_backlog == d.netdev_max_backlog { "reason.netdev.keep" } else { "reason.netdev.raise" };
        let (cc, qdisc, cc_id, qdisc_id) = if p.bbr {
            ("bbr".to_string(), "fq".to_string(), "reason.cc.bbr", "reason.qdisc.fq")
        } else if i.workload == super::inputs::Workload::Bulk {
            (d.tcp_congestion_control.clone(), d.default_qdisc.clone(), "reason.cc.old_kernel", "reason.qdisc.keep")
        } else {
            (d.tcp_congestion_control.clone(), d.default_qdisc.clone(), "reason.cc.keep", "reason.qdisc.keep")
        };
        let ss_id = if p.slow_start_after_idle == d.tcp_slow_start_after_idle { "reason.slow_start.keep" } else { "reason.slow_start.off" };
        vec![
            self.setting("net.core.netdev_max_backlog", Val::one(p.netdev_max_backlog), self.t(netdev_id, &vars)),
            self.setting("net.core.default_qdisc", Val::Name(qdisc), self.t(qdisc_id, &vars)),
            self.setting("net.ipv4.tcp_congestion_control", Val::Name(cc), self.t(cc_id, &vars)),
            self.setting("net.ipv4.tcp_slow_start_after_idle", Val::one(p.slow_start_after_idle), self.t(ss_id, &vars)),
        ]
    }

    fn keepalive(&self) -> Vec<Setting> {
        let p = self.p;
        let d = &p.d;
        let [time, intvl, probes] = p.keepalive;
        let vars: Vars = vec![
            ("time", time.to_string()),
            ("intvl", intvl.to_string()),
            ("probes", probes.to_string()),
            ("detect", p.keepalive_detect().to_string()),
            ("d_time", d.tcp_keepalive_time.to_string()),
            ("d_intvl", d.tcp_keepalive_intvl.to_string()),
            ("d_probes", d.tcp_keepalive_probes.to_string()),
            ("d_detect", d.tcp_keepalive_time.saturating_add(d.tcp_keepalive_probes.saturating_mul(d.tcp_keepalive_intvl)).to_string()),
        ];
        let id = if p.keepalive_changed { "reason.keepalive.set" } else { "reason.keepalive.keep" };
        let reason = self.t(id, &vars);
        vec![
            self.setting("net.ipv4.tcp_keepalive_time", Val::one(time), reason.clone()),
            self.setting("net.ipv4.tcp_keepalive_intvl", Val::one(intvl), reason.clone()),
            self.setting("net.ipv4.tcp_keepalive_probes", Val::one(probes), reason),
        ]
    }

    fn fastopen(&self) -> Setting {
        let d = &self.p.d;
        self.setting(
            "net.ipv4.tcp_fastopen",
            Val::one(d.tcp_fastopen),
            self.t("reason.fastopen.keep", &[("default", d.tcp_fastopen.to_string())]),
        )
    }

    pub fn nofile(&self) -> Nofile {
        let p = self.p;
        let vars: Vars = vec![
            ("conns", p.inputs.peak_connections.to_string()),
            ("fds", p.fds.to_string()),
            ("sockets", p.sockets.to_string()),
            ("extra", super::plan::NOFILE_EXTRA.to_string()),
            ("floor", super::plan::NOFILE_FLOOR.to_string()),
            ("value", p.nofile.to_string()),
            ("nr_open", p.nr_open.to_string()),
        ];
        Nofile { soft: p.nofile, hard: p.nofile, fds_per_connection: p.fds, reason: self.t("reason.nofile", &vars) }
    }
}
