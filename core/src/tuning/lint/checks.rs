//! The checks behind each finding. A first pass records the last value of every key (sysctl applies
//! lines in order, so the last one wins); the second pass judges each line, consulting those values
//! for checks that span lines (tcp_max_syn_backlog against tcp_syncookies, keepalive timers
//! together). Hash maps keep both passes linear.

use std::collections::{HashMap, HashSet};

use super::Finding;
use super::parse::{LimitsLine, Parsed, fold_spaces};
use crate::lang::Lang;
use crate::tuning::defaults::{KernelDefaults, PAGE_SIZE};
use crate::tuning::knowledge::{Direction, Knowledge, Param, Scope, ValueKind};
use crate::tuning::plan::ram_bytes;
use crate::tuning::report::Severity;
use crate::tuning::units::bin_bytes;

use super::LintContext;

/// The lowest port an unprivileged ip_local_port_range may start at (ip_unprivileged_port_start).
const UNPRIVILEGED_PORT_START: u64 = 1024;
/// tcp_fastopen bits that enable the server side, which needs the application's cooperation.
const FASTOPEN_SERVER_BITS: u64 = 0x2 | 0x200 | 0x400;

pub struct Checker<'a> {
    k: &'a Knowledge,
    lang: Lang,
    d: KernelDefaults,
    ram: u64,
    params: HashMap<&'a str, &'a Param>,
    others: HashSet<&'a str>,
    /// Last value of each key in the text.
    last: HashMap<String, String>,
    /// First line of each key, for duplicates.
    first_line: HashMap<String, usize>,
    findings: Vec<Finding>,
    keepalive_done: bool,
    unchecked: (usize, usize),
    unrecognised: (usize, usize),
}

type Vars = Vec<(&'static str, String)>;

impl<'a> Checker<'a> {
    pub fn new(k: &'a Knowledge, lang: Lang, ctx: &LintContext) -> Checker<'a> {
        Checker {
            k,
            lang,
            d: KernelDefaults::new(ctx.kernel, ctx.ram_mib),
            ram: ram_bytes(ctx.ram_mib),
            params: k.params.iter().map(|p| (p.key.as_str(), p)).collect(),
            others: k.other_keys.iter().map(String::as_str).collect(),
            last: HashMap::new(),
            first_line: HashMap::new(),
            findings: Vec::new(),
            keepalive_done: false,
            unchecked: (0, 0),
            unrecognised: (0, 0),
        }
    }

    pub fn run(mut self, lines: &[(usize, &str, Parsed<'_>)]) -> Vec<Finding> {
        for (_, _, p) in lines {
            if let Parsed::Setting { key, value, .. } = p {
                self.last.insert(key.clone(), fold_spaces(value));
            }
        }
        let mut settings = 0;
        for (n, text, p) in lines {
            match p {
                Parsed::Setting { key, value, .. } => {
                    settings += 1;
                    self.setting(*n, text, key, value);
                }
                Parsed::Limits(l) => {
                    settings += 1;
                    self.limits(*n, l);
                }
                Parsed::Load { reads_sysctl_conf_only: true } => {
                    self.add(*n, None, "sysctl_p", Severity::Info, "lint.sysctl_p", vec![], Some("sudo sysctl --system".into()));
                }
                Parsed::Unrecognised => bump(&mut self.unrecognised, *n),
                _ => {}
            }
        }
        if self.unchecked.0 > 0 {
            let (count, line) = self.unchecked;
            self.add(line, None, "unchecked_keys", Severity::Info, "lint.unchecked_keys", vec![("count", count.to_string())], None);
        }
        if self.unrecognised.0 > 0 {
            let (count, line) = self.unrecognised;
            self.add(line, None, "unrecognised", Severity::Info, "lint.unrecognised", vec![("count", count.to_string())], None);
        }
        if settings == 0 {
            self.add(1, None, "no_settings", Severity::Info, "lint.no_settings", vec![], None);
        }
        self.findings
    }

    #[allow(clippy::too_many_arguments)]
    fn add(&mut self, line: usize, key: Option<&str>, code: &str, severity: Severity, id: &str, mut vars: Vars, fix: Option<String>) {
        if let Some(k) = key {
            vars.push(("key", k.to_string()));
        }
        vars.push(("line", line.to_string()));
        self.findings.push(Finding {
            line,
            key: key.map(str::to_string),
            code: code.to_string(),
            severity,
            message: self.k.text(id, self.lang, &vars),
            fix,
        });
    }

    fn setting(&mut self, n: usize, text: &str, key: &str, raw: &str) {
        let commented_out = Some(format!("# {}", text.trim()));
        // sysctl.conf has no trailing comments: " # ..." after a value becomes part of the value.
        if let Some(cut) = raw.find(" #").or_else(|| raw.find("\t#")) {
            let fix = format!("{key} = {}", fold_spaces(&raw[..cut]));
            self.add(n, Some(key), "inline_comment", Severity::Error, "lint.inline_comment", vec![], Some(fix));
            return;
        }
        let value = fold_spaces(raw);
        if value.is_empty() {
            self.add(n, Some(key), "empty_value", Severity::Error, "lint.empty_value", vec![], commented_out);
            return;
        }
        match self.first_line.get(key) {
            Some(&first) => {
                let vars = vec![("first", first.to_string())];
                self.add(n, Some(key), "duplicate_key", Severity::Warning, "lint.duplicate_key", vars, None);
            }
            None => {
                self.first_line.insert(key.to_string(), n);
            }
        }
        let Some(param) = self.params.get(key).copied() else {
            self.unknown(n, key);
            return;
        };
        if param.scope == Scope::Removed {
            self.add(n, Some(key), "removed_key", Severity::Error, "lint.removed_key", vec![], commented_out);
            return;
        }
        if param.kind == ValueKind::Name {
            self.name_value(n, key, &value);
            return;
        }
        let Some(nums) = self.numbers(n, key, param, &value) else { return };
        if !self.in_range(n, key, param, &nums) {
            return;
        }
        self.shape(n, key, param, &nums);
        self.against_default(n, key, param, &nums);
        self.meaning(n, key, &nums, commented_out);
    }

    fn unknown(&mut self, n: usize, key: &str) {
        if self.others.contains(key) {
            return;
        }
        if key.starts_with("net.ipv4.tcp_") || key.starts_with("net.core.") {
            self.add(n, Some(key), "unknown_key", Severity::Warning, "lint.unknown_key", vec![], None);
        } else {
            bump(&mut self.unchecked, n);
        }
    }

    fn name_value(&mut self, n: usize, key: &str, value: &str) {
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            let vars = vec![("value", value.to_string())];
            self.add(n, Some(key), "not_a_name", Severity::Error, "lint.not_a_name", vars, None);
            return;
        }
        if key == "net.ipv4.tcp_congestion_control" && !matches!(value, "cubic" | "reno") {
            let vars = vec![("value", value.to_string())];
            self.add(n, Some(key), "cc_available", Severity::Info, "lint.cc_available", vars, None);
        }
    }

    /// The numbers of the value, or a finding when there are not the right count of them.
    fn numbers(&mut self, n: usize, key: &str, param: &Param, value: &str) -> Option<Vec<u64>> {
        let words: Vec<&str> = value.split(' ').take(8).collect();
        let mut nums = Vec::with_capacity(3);
        for w in &words {
            match parse_number(w) {
                Some(x) => nums.push(x),
                None => {
                    let vars = vec![("value", value.to_string()), ("arity", param.kind.arity().to_string())];
                    self.add(n, Some(key), "not_a_number", Severity::Error, "lint.not_a_number", vars, None);
                    return None;
                }
            }
        }
        if nums.len() != param.kind.arity() {
            let vars = vec![("value", value.to_string()), ("arity", param.kind.arity().to_string())];
            self.add(n, Some(key), "arity", Severity::Error, "lint.arity", vars, None);
            return None;
        }
        Some(nums)
    }

    fn in_range(&mut self, n: usize, key: &str, param: &Param, nums: &[u64]) -> bool {
        let min = param.min.unwrap_or(0);
        let max = param.max.unwrap_or(u64::MAX);
        if nums.iter().all(|&x| x >= min && x <= max) {
            return true;
        }
        let vars = vec![("value", join(nums)), ("min", min.to_string()), ("max", max.to_string())];
        self.add(n, Some(key), "out_of_range", Severity::Error, "lint.out_of_range", vars, None);
        false
    }

    /// Order within triplets and ranges.
    fn shape(&mut self, n: usize, key: &str, param: &Param, nums: &[u64]) {
        match param.kind {
            ValueKind::Triplet if nums.len() == 3 => {
                if nums[0] > nums[1] || nums[1] > nums[2] {
                    let mut sorted = nums.to_vec();
                    sorted.sort_unstable();
                    let vars = vec![("value", join(nums))];
                    let fix = Some(format!("{key} = {}", join(&sorted)));
                    self.add(n, Some(key), "triplet_order", Severity::Error, "lint.triplet_order", vars, fix);
                }
                if matches!(key, "net.ipv4.tcp_rmem" | "net.ipv4.tcp_wmem") && nums[0] < PAGE_SIZE {
                    let fix = Some(format!("{key} = {} {} {}", PAGE_SIZE, nums[1].max(PAGE_SIZE), nums[2].max(PAGE_SIZE)));
                    let vars = vec![("value", nums[0].to_string())];
                    self.add(n, Some(key), "below_page", Severity::Warning, "lint.below_page", vars, fix);
                }
            }
            ValueKind::Pair if nums.len() == 2 => {
                let (lo, hi) = (nums[0], nums[1]);
                let vars = vec![("lo", lo.to_string()), ("hi", hi.to_string())];
                if lo > hi {
                    let fix = Some(format!("{key} = {hi} {lo}"));
                    self.add(n, Some(key), "port_order", Severity::Error, "lint.port_order", vars.clone(), fix);
                }
                if lo.min(hi) < UNPRIVILEGED_PORT_START {
                    let fix = Some(format!("{key} = {} {}", UNPRIVILEGED_PORT_START, lo.max(hi)));
                    self.add(n, Some(key), "port_privileged", Severity::Error, "lint.port_privileged", vars.clone(), fix);
                } else if lo % 2 == hi % 2 {
                    let fix = Some(format!("{key} = {lo} {}", if hi < 65_535 { hi + 1 } else { hi - 1 }));
                    self.add(n, Some(key), "port_parity", Severity::Info, "lint.port_parity", vars, fix);
                }
            }
            _ => {}
        }
    }

    /// Limits must not go below the kernel default; ranges must not narrow.
    fn against_default(&mut self, n: usize, key: &str, param: &Param, nums: &[u64]) {
        let Some(default) = self.d.get(key) else { return };
        let Some(def) = default.nums() else { return };
        if def.len() != nums.len() {
            return;
        }
        let fixed: Vec<u64> = match param.direction {
            Some(Direction::Raise) => nums.iter().zip(def).map(|(v, d)| *v.max(d)).collect(),
            Some(Direction::Widen) if nums.len() == 2 => vec![nums[0].min(def[0]), nums[1].max(def[1])],
            _ => return,
        };
        if fixed != nums {
            let vars =
                vec![("value", join(nums)), ("default", join(def)), ("kernel", self.d.kernel.to_string()), ("ram", bin_bytes(self.ram))];
            let fix = Some(format!("{key} = {}", join(&fixed)));
            self.add(n, Some(key), "lowers_default", Severity::Warning, "lint.lowers_default", vars, fix);
        }
    }

    /// Settings that do not do what people expect.
    fn meaning(&mut self, n: usize, key: &str, nums: &[u64], commented_out: Option<String>) {
        let first = nums.first().copied().unwrap_or(0);
        match key {
            "net.core.rmem_default" | "net.core.wmem_default" => {
                let tcp = if key == "net.core.rmem_default" { "net.ipv4.tcp_rmem" } else { "net.ipv4.tcp_wmem" };
                let vars = vec![("tcp_key", tcp.to_string())];
                self.add(n, Some(key), "not_for_tcp", Severity::Warning, "lint.not_for_tcp", vars, commented_out);
            }
            "net.core.rmem_max" | "net.core.wmem_max" => {
                let (tcp, opt) =
                    if key == "net.core.rmem_max" { ("net.ipv4.tcp_rmem", "SO_RCVBUF") } else { ("net.ipv4.tcp_wmem", "SO_SNDBUF") };
                let vars = vec![("tcp_key", tcp.to_string()), ("opt", opt.to_string())];
                self.add(n, Some(key), "core_max_autotuning", Severity::Info, "lint.core_max_autotuning", vars, None);
            }
            "net.ipv4.tcp_fin_timeout" => {
                let vars = vec![("value", first.to_string())];
                self.add(n, Some(key), "fin_timeout", Severity::Info, "lint.fin_timeout", vars, None);
            }
            "net.ipv4.tcp_max_syn_backlog" => {
                let cookies = self.last_number("net.ipv4.tcp_syncookies").unwrap_or(self.d.tcp_syncookies);
                if cookies != 0 {
                    let somaxconn = self.last_number("net.core.somaxconn").unwrap_or(self.d.somaxconn);
                    let vars = vec![("somaxconn", somaxconn.to_string()), ("value", first.to_string())];
                    self.add(n, Some(key), "syn_backlog_syncookies", Severity::Info, "lint.syn_backlog_syncookies", vars, None);
                }
            }
            "net.ipv4.tcp_fastopen" if first & FASTOPEN_SERVER_BITS != 0 => {
                let vars = vec![("value", first.to_string())];
                self.add(n, Some(key), "fastopen_app", Severity::Info, "lint.fastopen_app", vars, None);
            }
            "net.ipv4.tcp_keepalive_time" | "net.ipv4.tcp_keepalive_intvl" | "net.ipv4.tcp_keepalive_probes" if !self.keepalive_done => {
                self.keepalive_done = true;
                let time = self.last_number("net.ipv4.tcp_keepalive_time").unwrap_or(self.d.tcp_keepalive_time);
                let intvl = self.last_number("net.ipv4.tcp_keepalive_intvl").unwrap_or(self.d.tcp_keepalive_intvl);
                let probes = self.last_number("net.ipv4.tcp_keepalive_probes").unwrap_or(self.d.tcp_keepalive_probes);
                let d = &self.d;
                let vars = vec![
                    ("time", time.to_string()),
                    ("intvl", intvl.to_string()),
                    ("probes", probes.to_string()),
                    ("detect", time.saturating_add(probes.saturating_mul(intvl)).to_string()),
                    ("d_detect", d.tcp_keepalive_time.saturating_add(d.tcp_keepalive_probes * d.tcp_keepalive_intvl).to_string()),
                ];
                self.add(n, Some(key), "keepalive_scope", Severity::Info, "lint.keepalive_scope", vars, None);
            }
            "net.ipv4.tcp_syncookies" if first == 0 => {
                let fix = Some(format!("{key} = 1"));
                self.add(n, Some(key), "syncookies_off", Severity::Warning, "lint.syncookies_off", vec![], fix);
            }
            "net.ipv4.tcp_abort_on_overflow" if first == 1 => {
                let fix = Some(format!("{key} = 0"));
                self.add(n, Some(key), "abort_on_overflow", Severity::Warning, "lint.abort_on_overflow", vec![], fix);
            }
            "net.ipv4.tcp_tw_reuse" if first == 1 => {
                self.add(n, Some(key), "tw_reuse_outgoing", Severity::Info, "lint.tw_reuse_outgoing", vec![], None);
            }
            "net.ipv4.tcp_mem" if nums.len() == 3 && nums[2].saturating_mul(PAGE_SIZE) > self.ram => {
                let vars = vec![
                    ("max", nums[2].to_string()),
                    ("bytes", bin_bytes(nums[2].saturating_mul(PAGE_SIZE))),
                    ("ram", bin_bytes(self.ram)),
                ];
                self.add(n, Some(key), "tcp_mem_pages", Severity::Warning, "lint.tcp_mem_pages", vars, None);
            }
            _ => {}
        }
    }

    fn limits(&mut self, n: usize, l: &LimitsLine<'_>) {
        if l.item != "nofile" {
            return;
        }
        let nr_open = self.d.nr_open;
        let vars = vec![("domain", l.domain.to_string()), ("value", l.value.to_string()), ("nr_open", nr_open.to_string())];
        self.add(n, None, "limits_pam_only", Severity::Info, "lint.limits_pam_only", vars.clone(), None);
        let too_big = match parse_number(l.value) {
            Some(v) => v > nr_open,
            None => l.value == "unlimited" || l.value == "infinity",
        };
        if too_big && matches!(l.kind, "hard" | "-") {
            let fix = Some(format!("{} {} nofile {nr_open}", l.domain, l.kind));
            self.add(n, None, "limits_over_nr_open", Severity::Error, "lint.limits_over_nr_open", vars, fix);
        }
    }

    fn last_number(&self, key: &str) -> Option<u64> {
        self.last.get(key).and_then(|v| parse_number(v))
    }
}

fn bump(counter: &mut (usize, usize), line: usize) {
    if counter.0 == 0 {
        counter.1 = line;
    }
    counter.0 += 1;
}

fn join(nums: &[u64]) -> String {
    nums.iter().map(u64::to_string).collect::<Vec<_>>().join(" ")
}

/// Decimal, or hexadecimal with `0x` (the kernel's integer parser accepts both).
fn parse_number(w: &str) -> Option<u64> {
    if let Some(hex) = w.strip_prefix("0x").or_else(|| w.strip_prefix("0X")) {
        if hex.is_empty() || hex.len() > 16 {
            return None;
        }
        return u64::from_str_radix(hex, 16).ok();
    }
    if w.is_empty() || w.len() > 20 || !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    w.parse().ok()
}
