//! What TCP Lab knows about each sysctl, as data: `content/tuning/params.toml`.
//!
//! The server reads that TOML file into [`Knowledge`] at start-up (calling [`Knowledge::check`]) and
//! serves it as JSON; the browser deserializes the JSON. This crate never parses TOML itself, so it
//! stays small for wasm. Formulas stay in code (see `rules.rs`); names, units, scopes, doc sections,
//! explanations, risks and every sentence the generator and linter print live in the file, in
//! English and Simplified Chinese.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::lang::{Lang, Text};

/// Where a setting lives, which decides whether a container can change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// One value per network namespace; a new namespace starts from the kernel default.
    Netns,
    /// Per network namespace, but a new namespace copies the host's value when it is created.
    NetnsInherited,
    /// One value for the whole kernel; read-only inside a container's network namespace.
    Global,
    /// No longer in the kernel.
    Removed,
}

/// The shape of a value as written in sysctl.conf.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// One integer.
    Int,
    /// Two integers (ip_local_port_range).
    Pair,
    /// Three integers: min, default (or pressure), max.
    Triplet,
    /// 0 or 1.
    Bool,
    /// An integer read as bit flags.
    Bitmask,
    /// A name such as `bbr` or `fq`.
    Name,
}

impl ValueKind {
    /// How many integers the value holds (0 for a name).
    pub fn arity(self) -> usize {
        match self {
            ValueKind::Int | ValueKind::Bool | ValueKind::Bitmask => 1,
            ValueKind::Pair => 2,
            ValueKind::Triplet => 3,
            ValueKind::Name => 0,
        }
    }
}

/// Which way a value may move from the kernel default without doing harm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// A limit: every number must stay at or above the default (tcp_max_tw_buckets, tcp_rmem, ...).
    Raise,
    /// A range (ip_local_port_range): the low end may only go down and the high end only up.
    Widen,
}

/// One sysctl parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Param {
    /// The dotted name, as in sysctl.conf.
    pub key: String,
    pub kind: ValueKind,
    /// A short unit code: count, bytes, pages, seconds, packets, port, flag, bitmask, name, files.
    pub unit: String,
    pub scope: Scope,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// Smallest value the kernel accepts (for each number of the value), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
    /// The kernel documentation file and section, such as `ip-sysctl.rst, "TCP variables"`.
    pub doc: String,
    pub url: String,
    pub title: Text,
    pub explain: Text,
    pub risk: Text,
}

/// Everything in `params.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Knowledge {
    /// Format version of the file.
    pub version: u32,
    #[serde(rename = "param", default)]
    pub params: Vec<Param>,
    /// Keys that exist in current kernels and that TCP Lab does not give advice on: the linter
    /// recognises them (no "unknown key" warning) without checking them.
    #[serde(default)]
    pub other_keys: Vec<String>,
    /// Sentences with `{placeholders}`, by id: reasons, warnings, lint findings, file comments.
    #[serde(rename = "msg", default)]
    pub messages: BTreeMap<String, Text>,
}

/// The parameters the rules and the linter rely on; [`Knowledge::check`] insists on each.
pub const REQUIRED_PARAMS: &[&str] = &[
    "net.core.somaxconn",
    "net.ipv4.tcp_max_syn_backlog",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_tw_reuse",
    "net.ipv4.tcp_max_tw_buckets",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
    "net.ipv4.tcp_mem",
    "net.core.rmem_max",
    "net.core.wmem_max",
    "net.core.rmem_default",
    "net.core.wmem_default",
    "fs.file-max",
    "fs.nr_open",
    "net.core.netdev_max_backlog",
    "net.core.default_qdisc",
    "net.ipv4.tcp_congestion_control",
    "net.ipv4.tcp_slow_start_after_idle",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_fastopen",
    "net.ipv4.tcp_tw_recycle",
    "net.ipv4.tcp_synack_retries",
    "net.ipv4.tcp_syn_retries",
    "net.ipv4.tcp_abort_on_overflow",
    "net.ipv4.tcp_notsent_lowat",
];

/// Every message id the code asks for. A test keeps this list equal to the ids used in the sources
/// and to the `[msg."…"]` tables of the file, so the server can refuse a file that lacks one.
pub const MESSAGE_IDS: &[&str] = &[
    "cmd.apply",
    "cmd.apply_container",
    "cmd.apply_host",
    "cmd.compare",
    "cmd.limits",
    "cmd.rollback",
    "cmd.save",
    "cmd.systemd",
    "cmd.verify_counters",
    "cmd.verify_listen",
    "cmd.verify_nofile",
    "cmd.verify_sockstat",
    "cmd.verify_values",
    "field.active_close_percent",
    "field.comments",
    "field.container",
    "field.cpu_cores",
    "field.kernel",
    "field.new_connections_per_sec",
    "field.nic_mbit",
    "field.peak_connections",
    "field.ram_mib",
    "field.rtt_ms",
    "field.systemd",
    "field.workload",
    "file.apply",
    "file.host_only",
    "file.inputs",
    "file.keep_default",
    "file.limits_root",
    "file.limits_title",
    "file.not_tcp",
    "file.permalink",
    "file.snapshot",
    "file.systemd_title",
    "file.title",
    "lint.abort_on_overflow",
    "lint.arity",
    "lint.below_page",
    "lint.cc_available",
    "lint.core_max_autotuning",
    "lint.duplicate_key",
    "lint.empty_value",
    "lint.fastopen_app",
    "lint.fin_timeout",
    "lint.inline_comment",
    "lint.keepalive_scope",
    "lint.limits_over_nr_open",
    "lint.limits_pam_only",
    "lint.lowers_default",
    "lint.no_settings",
    "lint.not_a_name",
    "lint.not_a_number",
    "lint.not_for_tcp",
    "lint.out_of_range",
    "lint.port_order",
    "lint.port_parity",
    "lint.port_privileged",
    "lint.removed_key",
    "lint.syn_backlog_syncookies",
    "lint.syncookies_off",
    "lint.sysctl_p",
    "lint.tcp_mem_pages",
    "lint.triplet_order",
    "lint.tw_reuse_outgoing",
    "lint.unchecked_keys",
    "lint.unknown_key",
    "lint.unrecognised",
    "lint_error.binary",
    "lint_error.nothing",
    "lint_error.too_large",
    "lint_error.too_many_lines",
    "reason.cc.bbr",
    "reason.cc.keep",
    "reason.cc.old_kernel",
    "reason.core_default.not_tcp",
    "reason.core_max.keep",
    "reason.core_max.raise",
    "reason.fastopen.keep",
    "reason.file_max.keep",
    "reason.file_max.raise",
    "reason.fin_timeout.keep",
    "reason.keepalive.keep",
    "reason.keepalive.set",
    "reason.netdev.keep",
    "reason.netdev.raise",
    "reason.nofile",
    "reason.nr_open.keep",
    "reason.nr_open.raise",
    "reason.port_range.keep",
    "reason.port_range.widen",
    "reason.qdisc.fq",
    "reason.qdisc.keep",
    "reason.slow_start.keep",
    "reason.slow_start.off",
    "reason.somaxconn.keep",
    "reason.somaxconn.raise",
    "reason.syn_backlog.keep",
    "reason.syn_backlog.raise",
    "reason.syncookies.keep",
    "reason.tcp_mem.keep",
    "reason.tcp_rmem.keep",
    "reason.tcp_rmem.raise",
    "reason.tcp_wmem.keep",
    "reason.tcp_wmem.raise",
    "reason.tw_buckets.keep",
    "reason.tw_buckets.raise",
    "reason.tw_reuse.keep",
    "reason.tw_reuse.outbound",
    "warn.buffer_capped",
    "warn.container_scope",
    "warn.defaults_estimated",
    "warn.invalid_input",
    "warn.memory_buffers",
    "warn.memory_link",
    "warn.memory_sockets",
    "warn.no_bbr",
    "warn.no_systemd",
    "warn.nofile_nr_open",
    "warn.nofile_nr_open_container",
    "warn.old_kernel",
    "warn.port_exhaustion",
    "warn.ports_busy",
    "warn.systemd_limits",
    "warn.tw_recycle_exists",
    "word.capped_1gib",
    "word.no",
    "word.yes",
    "workload.bulk",
    "workload.client",
    "workload.long",
    "workload.proxy",
    "workload.short",
];

/// Marks a sentence the file lacks, instead of panicking; tests make sure it never shows.
pub const MISSING_TEXT: &str = "⟦missing text⟧";

impl Knowledge {
    pub fn param(&self, key: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.key == key)
    }

    /// The sentence `id` in `lang` with `{name}` placeholders filled from `vars`. A missing id or
    /// an unknown placeholder never panics: it shows as [`MISSING_TEXT`] or stays as written.
    pub fn text(&self, id: &str, lang: Lang, vars: &[(&str, String)]) -> String {
        match self.messages.get(id) {
            Some(t) => fill(t.get(lang), vars),
            None => format!("{MISSING_TEXT} {id}"),
        }
    }

    /// Problems with the file, each as one English sentence: a required parameter or message
    /// missing, an empty text in some language, a duplicated key. Empty when all is well.
    pub fn check(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.version != 1 {
            problems.push(format!("version is {}, this code reads version 1", self.version));
        }
        for key in REQUIRED_PARAMS {
            if self.param(key).is_none() {
                problems.push(format!("[[param]] {key} is missing"));
            }
        }
        let mut keys: Vec<&str> = self.params.iter().map(|p| p.key.as_str()).collect();
        keys.sort_unstable();
        for pair in keys.windows(2) {
            if pair[0] == pair[1] {
                problems.push(format!("[[param]] {} appears twice", pair[0]));
            }
        }
        for p in &self.params {
            for (what, text) in [("title", &p.title), ("explain", &p.explain), ("risk", &p.risk)] {
                for lang in Lang::ALL {
                    if text.get(lang).trim().is_empty() {
                        problems.push(format!("{}: {what}.{} is empty", p.key, lang.tag()));
                    }
                }
            }
            if p.doc.trim().is_empty() || !p.url.starts_with("https://") {
                problems.push(format!("{}: doc and an https url are required", p.key));
            }
        }
        for id in MESSAGE_IDS {
            if !self.messages.contains_key(*id) {
                problems.push(format!("[msg.\"{id}\"] is missing"));
            }
        }
        for (id, text) in &self.messages {
            for lang in Lang::ALL {
                if text.get(lang).trim().is_empty() {
                    problems.push(format!("[msg.\"{id}\"] {} is empty", lang.tag()));
                }
            }
        }
        problems
    }
}

/// Replaces `{name}` with its value, in one pass over the template.
fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match vars.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_known_names_and_keeps_the_rest() {
        let vars = [("a", "1".to_string()), ("bb", "two".to_string())];
        assert_eq!(fill("x={a}, y={bb}, z={c} {", &vars), "x=1, y=two, z={c} {");
        assert_eq!(fill("", &vars), "");
        assert_eq!(fill("中文{a}", &vars), "中文1");
    }
}
