//! Every setting of the seed notes, and what the generator and the linter make of it.

use super::{SEED_NOTES, knowledge, nums};
use crate::lang::Lang;
use crate::tuning::generate;
use crate::tuning::inputs::{Inputs, KernelVersion, Workload};
use crate::tuning::lint::{Finding, LintReport, lint, lint_with};
use crate::tuning::report::{Action, Report, Severity};

fn short() -> Report {
    generate(&Inputs::preset(Workload::ShortLived), &knowledge(), Lang::En)
}

fn seed_lint() -> LintReport {
    lint(SEED_NOTES, &knowledge(), Lang::En).expect("the seed notes are lintable")
}

fn at(r: &LintReport, line: usize, code: &str) -> Finding {
    r.findings
        .iter()
        .find(|f| f.line == line && f.code == code)
        .cloned()
        .unwrap_or_else(|| panic!("no {code} on line {line}: {:#?}", r.findings))
}

/// The seed lines are where the test expects them (guards the line numbers below).
#[test]
fn seed_lines_are_where_expected() {
    let lines: Vec<&str> = SEED_NOTES.lines().collect();
    assert_eq!(lines[59], "net.ipv4.tcp_max_syn_backlog = 4096");
    assert_eq!(lines[66], "net.ipv4.tcp_max_tw_buckets = 20000");
    assert_eq!(lines[73], "* soft nofile 100000");
    assert_eq!(lines[81], "net.ipv4.tcp_keepalive_time = 600");
    assert_eq!(lines[90], "net.core.rmem_default = 262144");
    assert_eq!(lines[92], "net.core.rmem_max = 16777216");
    assert_eq!(lines[100], "net.ipv4.tcp_fastopen = 3");
    assert_eq!(lines[107], "sysctl -p");
}

#[test]
fn seed_tcp_max_syn_backlog_4096() {
    let r = short();
    let s = r.setting("net.ipv4.tcp_max_syn_backlog").unwrap();
    assert_eq!(s.value, r.setting("net.core.somaxconn").unwrap().value);
    assert!(s.reason.contains("tcp_syncookies = 1") && s.reason.contains("min(backlog, somaxconn)"), "{}", s.reason);
    let f = at(&seed_lint(), 60, "syn_backlog_syncookies");
    assert_eq!(f.severity, Severity::Info);
    assert!(f.message.contains("somaxconn = 4096"), "{}", f.message);
}

#[test]
fn seed_tcp_max_tw_buckets_20000_is_a_lowering() {
    let r = short();
    let s = r.setting("net.ipv4.tcp_max_tw_buckets").unwrap();
    assert_eq!(s.default, "65536");
    assert!(nums(&s.value)[0] >= 65_536);
    assert!(s.reason.contains("20000"), "{}", s.reason);
    let f = at(&seed_lint(), 67, "lowers_default");
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.fix.as_deref(), Some("net.ipv4.tcp_max_tw_buckets = 65536"));
    // On the measured 24 GiB host the default is 131072.
    let ctx = crate::tuning::lint::LintContext { kernel: KernelVersion::new(6, 18), ram_mib: 24_064 };
    let r = lint_with(SEED_NOTES, &knowledge(), Lang::En, &ctx).unwrap();
    assert_eq!(at(&r, 67, "lowers_default").fix.as_deref(), Some("net.ipv4.tcp_max_tw_buckets = 131072"));
}

#[test]
fn seed_limits_conf_100000() {
    let r = short();
    assert!(r.files.systemd_dropin.as_deref().unwrap().contains("LimitNOFILE="));
    assert!(r.files.limits_conf.contains("root  hard  nofile"));
    assert!(r.nofile.hard <= 1_048_576);
    let lint = seed_lint();
    for line in [74, 75] {
        let f = at(&lint, line, "limits_pam_only");
        assert!(f.message.contains("LimitNOFILE=") && f.message.contains("does not match root"), "{}", f.message);
    }
    assert!(lint.find("limits_over_nr_open").is_none());
}

#[test]
fn seed_keepalive_600_10_60() {
    let long = generate(&Inputs::preset(Workload::LongLived), &knowledge(), Lang::En);
    let time = long.setting("net.ipv4.tcp_keepalive_time").unwrap();
    assert_eq!(time.value, "600");
    assert!(time.reason.contains("600 + 10 × 60 = 1200 s"), "{}", time.reason);
    assert!(time.reason.contains("SO_KEEPALIVE"));
    let short = short();
    let time = short.setting("net.ipv4.tcp_keepalive_time").unwrap();
    assert_eq!(time.action, Action::KeepDefault);
    let f = at(&seed_lint(), 82, "keepalive_scope");
    assert!(f.message.contains("600 + 10 × 60 = 1200 s") && f.message.contains("7875"), "{}", f.message);
}

#[test]
fn seed_rmem_wmem_default_262144_do_not_touch_tcp() {
    let r = short();
    for key in ["net.core.rmem_default", "net.core.wmem_default"] {
        let s = r.setting(key).unwrap();
        assert_eq!(s.action, Action::NotForTcp);
        assert!(!s.written && s.reason.contains("262144"), "{}", s.reason);
        assert!(!r.files.sysctl_conf.contains(&format!("\n{key} =")));
    }
    let lint = seed_lint();
    for line in [91, 92] {
        let f = at(&lint, line, "not_for_tcp");
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.fix.as_deref().unwrap().starts_with("# net.core."), "{:?}", f.fix);
    }
}

#[test]
fn seed_rmem_max_16_mib_does_not_cap_autotuning() {
    let r = short();
    let s = r.setting("net.core.rmem_max").unwrap();
    assert!(s.reason.contains("does not cap autotuning") && s.reason.contains("16 MiB"), "{}", s.reason);
    // 16 MiB would be below the 32 MiB autotuning cap of 6.18, which the generator keeps.
    assert_eq!(nums(&r.setting("net.ipv4.tcp_rmem").unwrap().value)[2], 32 << 20);
    let lint = seed_lint();
    at(&lint, 93, "core_max_autotuning");
    at(&lint, 94, "core_max_autotuning");
    assert!(lint.findings.iter().all(|f| !(f.line == 93 && f.code == "lowers_default")));
}

#[test]
fn seed_tcp_fastopen_3_needs_the_application() {
    let r = short();
    let s = r.setting("net.ipv4.tcp_fastopen").unwrap();
    assert_eq!((s.value.as_str(), s.action), ("1", Action::KeepDefault));
    let f = at(&seed_lint(), 101, "fastopen_app");
    assert!(f.message.contains("TCP_FASTOPEN"), "{}", f.message);
}

#[test]
fn seed_sysctl_p_becomes_sysctl_system() {
    let r = short();
    assert!(r.files.commands.apply.contains("sysctl --system"));
    assert!(!r.files.commands.apply.contains("sysctl -p"));
    let f = at(&seed_lint(), 108, "sysctl_p");
    assert_eq!(f.fix.as_deref(), Some("sudo sysctl --system"));
}

#[test]
fn what_the_seed_left_out_is_covered() {
    let r = short();
    for key in [
        "net.core.somaxconn",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.tcp_tw_reuse",
        "net.ipv4.tcp_mem",
        "fs.file-max",
        "fs.nr_open",
        "net.core.netdev_max_backlog",
        "net.core.default_qdisc",
        "net.ipv4.tcp_congestion_control",
    ] {
        assert!(r.setting(key).is_some(), "{key}");
    }
    assert!(r.files.commands.verify.contains("nstat -az"));
    assert!(r.files.commands.save.contains("sysctl -a"));
}

#[test]
fn the_seed_prose_is_skipped_not_flagged() {
    let seed = seed_lint();
    let f = seed.find("unrecognised").unwrap();
    assert_eq!(f.severity, Severity::Info);
    assert_eq!(seed.errors, 0);
    assert_eq!(seed.settings, 10);
    assert_eq!(seed.lines.len(), SEED_NOTES.lines().count());
    // A removed key added to the seed is an error on its own line.
    let with_recycle = format!("{SEED_NOTES}\nnet.ipv4.tcp_tw_recycle = 1\n");
    let n = with_recycle.lines().count();
    let r = lint(&with_recycle, &knowledge(), Lang::En).unwrap();
    let f = at(&r, n, "removed_key");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.fix.as_deref(), Some("# net.ipv4.tcp_tw_recycle = 1"));
}
