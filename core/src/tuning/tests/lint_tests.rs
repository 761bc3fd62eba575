use std::time::Instant;

use super::knowledge;
use crate::lang::Lang;
use crate::tuning::inputs::{Inputs, KernelVersion, Workload};
use crate::tuning::knowledge::MISSING_TEXT;
use crate::tuning::lint::{LineKind, LintContext, LintError, LintReport, MAX_BYTES, MAX_LINES, lint, lint_bytes, lint_with};
use crate::tuning::report::Severity;

fn run(text: &str) -> LintReport {
    lint(text, &knowledge(), Lang::En).unwrap()
}

fn codes(r: &LintReport) -> Vec<(usize, &str)> {
    r.findings.iter().map(|f| (f.line, f.code.as_str())).collect()
}

#[test]
fn removed_tcp_tw_recycle_is_an_error() {
    let r = run("# tuning\nnet.ipv4.tcp_tw_reuse = 1\nnet.ipv4.tcp_tw_recycle = 1\n");
    let f = r.find("removed_key").unwrap();
    assert_eq!((f.line, f.severity), (3, Severity::Error));
    assert!(f.message.contains("4.12"), "{}", f.message);
    assert_eq!(r.errors, 1);
    assert_eq!(codes(&r), [(2, "tw_reuse_outgoing"), (3, "removed_key")]);
}

#[test]
fn old_guides_lower_the_buffers_of_new_kernels() {
    let r = run("net.ipv4.tcp_rmem = 4096 87380 16777216\nnet.ipv4.tcp_wmem = 4096 65536 16777216\n");
    let f = &r.findings[0];
    assert_eq!((f.line, f.code.as_str()), (1, "lowers_default"));
    assert_eq!(f.fix.as_deref(), Some("net.ipv4.tcp_rmem = 4096 131072 33554432"));
    assert!(f.message.contains("4096 131072 33554432") && f.message.contains("6.18"), "{}", f.message);
    // tcp_wmem's 16 MiB is above the 4 MiB default: fine.
    assert_eq!(codes(&r), [(1, "lowers_default")]);
    // On 6.1 the receive default was 6 MiB: 16 MiB only raises it, but 87380 still lowers the initial size.
    let ctx = LintContext { kernel: KernelVersion::new(6, 1), ram_mib: 16_384 };
    let r = lint_with("net.ipv4.tcp_rmem = 4096 87380 16777216", &knowledge(), Lang::En, &ctx).unwrap();
    assert_eq!(r.findings[0].fix.as_deref(), Some("net.ipv4.tcp_rmem = 4096 131072 16777216"));
}

#[test]
fn triplets_out_of_order() {
    let r = run("net.ipv4.tcp_rmem = 262144 131072 33554432\nnet.ipv4.tcp_mem = 3 2 1\n");
    let f = r.find("triplet_order").unwrap();
    assert_eq!((f.line, f.severity), (1, Severity::Error));
    assert_eq!(f.fix.as_deref(), Some("net.ipv4.tcp_rmem = 131072 262144 33554432"));
    assert!(codes(&r).contains(&(2, "triplet_order")));
}

#[test]
fn values_that_are_not_numbers_or_out_of_range() {
    let text = "net.core.somaxconn = lots\n\
                net.ipv4.tcp_rmem = 4096 131072\n\
                net.ipv4.tcp_tw_reuse = 3\n\
                net.ipv4.tcp_keepalive_probes = 300\n\
                net.ipv4.tcp_keepalive_time = 600 # ten minutes\n\
                net.core.netdev_max_backlog =\n\
                net.ipv4.tcp_congestion_control = b b r\n\
                net.ipv4.tcp_fastopen = 0x403\n";
    let r = run(text);
    assert_eq!(
        codes(&r),
        [
            (1, "not_a_number"),
            (2, "arity"),
            (3, "out_of_range"),
            (4, "out_of_range"),
            (5, "inline_comment"),
            (6, "empty_value"),
            (7, "not_a_name"),
            (8, "fastopen_app"),
        ]
    );
    assert!(r.findings[2].message.contains("0 to 2"), "{}", r.findings[2].message);
    assert_eq!(r.findings[4].fix.as_deref(), Some("net.ipv4.tcp_keepalive_time = 600"));
    assert_eq!(r.errors, 7);
}

#[test]
fn port_ranges() {
    let r = run("net.ipv4.ip_local_port_range = 1024 65535\n\
         net.ipv4.ip_local_port_range = 80 65535\n\
         net.ipv4.ip_local_port_range = 60999 32768\n\
         net.ipv4.ip_local_port_range = 10000 60000\n\
         net.ipv4.ip_local_port_range = 40000 50001\n");
    let found: Vec<_> = codes(&r).into_iter().filter(|(_, c)| *c != "duplicate_key").collect();
    assert_eq!(
        found,
        [
            (2, "port_privileged"),
            (3, "port_order"),
            (3, "lowers_default"),
            (4, "port_parity"),
            (4, "lowers_default"),
            (5, "lowers_default"),
        ]
    );
    assert_eq!(
        r.findings.iter().find(|f| f.line == 5 && f.code == "lowers_default").unwrap().fix.as_deref(),
        Some("net.ipv4.ip_local_port_range = 32768 60999")
    );
}

#[test]
fn settings_that_do_not_do_what_people_think() {
    let r = run("net.core.rmem_default = 262144\n\
         net.ipv4.tcp_fin_timeout = 10\n\
         net.ipv4.tcp_max_syn_backlog = 8192\n\
         net.ipv4.tcp_fastopen = 3\n\
         net.core.rmem_max = 16777216\n\
         net.ipv4.tcp_abort_on_overflow = 1\n\
         net.ipv4.tcp_mem = 786432 1048576 26777216\n\
         net.ipv4.tcp_congestion_control = bbr\n");
    assert_eq!(
        codes(&r),
        [
            (1, "not_for_tcp"),
            (2, "fin_timeout"),
            (3, "syn_backlog_syncookies"),
            (4, "fastopen_app"),
            (5, "core_max_autotuning"),
            (6, "abort_on_overflow"),
            (7, "tcp_mem_pages"),
            (8, "cc_available"),
        ]
    );
    assert!(r.findings[1].message.contains("TIME-WAIT"), "{}", r.findings[1].message);
    // With syncookies off, tcp_max_syn_backlog does matter: no note, but a warning for the cookies.
    let r = run("net.ipv4.tcp_max_syn_backlog = 8192\nnet.ipv4.tcp_syncookies = 0\n");
    assert_eq!(codes(&r), [(2, "syncookies_off")]);
}

#[test]
fn every_syntax_and_sysctl_a_output() {
    let text = "; comment\n\
                \n\
                net.core.somaxconn=8192\n\
                -net/ipv4/tcp_max_tw_buckets = 262144\n\
                /proc/sys/net/core/netdev_max_backlog = 16384\n\
                net.ipv4.tcp_rmem = 4096\t131072\t33554432\r\n\
                sysctl: permission denied on key 'net.core.bpf_jit_harden'\n\
                net.core.bpf_jit_harden = 0\n\
                kernel.pid_max = 4194304\n\
                vm.swappiness = 10\n\
                net.ipv4.tcp_sack = 1\n\
                sudo sysctl -w net.ipv4.tcp_slow_start_after_idle=0\n";
    let r = run(text);
    let kinds: Vec<LineKind> = r.lines.iter().map(|l| l.kind).collect();
    use LineKind::*;
    assert_eq!(kinds, [Comment, Blank, Setting, Setting, Setting, Setting, Noise, Setting, Setting, Setting, Setting, Setting]);
    assert_eq!(r.lines[3].key.as_deref(), Some("net.ipv4.tcp_max_tw_buckets"));
    assert_eq!(r.lines[5].value.as_deref(), Some("4096 131072 33554432"));
    assert_eq!(r.lines[11].key.as_deref(), Some("net.ipv4.tcp_slow_start_after_idle"));
    assert_eq!(codes(&r), [(9, "unchecked_keys")]);
    assert!(r.findings[0].message.contains('2'), "{}", r.findings[0].message);
    assert_eq!(r.settings, 9);
}

#[test]
fn unknown_and_duplicate_keys() {
    let r = run("net.ipv4.tcp_max_tw_bucket = 1\nnet.core.somaxconn = 8192\nnet.core.somaxconn = 16384\n");
    assert_eq!(codes(&r), [(1, "unknown_key"), (3, "duplicate_key")]);
    assert_eq!(r.findings[0].severity, Severity::Warning);
    assert!(r.findings[1].message.contains("line 2"), "{}", r.findings[1].message);
}

#[test]
fn limits_conf_above_nr_open() {
    let r = run("* hard nofile 2000000\n* soft nofile unlimited\nroot - nofile unlimited\n");
    assert_eq!(
        codes(&r),
        [(1, "limits_pam_only"), (1, "limits_over_nr_open"), (2, "limits_pam_only"), (3, "limits_pam_only"), (3, "limits_over_nr_open")]
    );
    assert_eq!(r.findings[1].fix.as_deref(), Some("* hard nofile 1048576"));
}

#[test]
fn comment_only_text_is_fine_junk_is_not() {
    let r = run("# nothing here yet\n\n");
    assert_eq!(codes(&r), [(1, "no_settings")]);
    let k = knowledge();
    for junk in ["", "hello world\nthis is not a config file at all", "\n\n\n", "a = b\nfoo=bar", "{\"json\": 1}"] {
        assert_eq!(lint(junk, &k, Lang::En).unwrap_err(), LintError::NothingRecognised, "{junk:?}");
    }
}

#[test]
fn binary_oversized_and_too_long_inputs_are_refused() {
    let k = knowledge();
    assert_eq!(lint("net.core.somaxconn = 1\0", &k, Lang::En).unwrap_err(), LintError::Binary);
    let controls: String = "\u{1}\u{2}\u{3}\u{1b}x".repeat(100);
    assert_eq!(lint(&controls, &k, Lang::En).unwrap_err(), LintError::Binary);
    let ctx = LintContext::default();
    assert_eq!(lint_bytes(&[0xff, 0xfe, b'a', b'=', b'1'], &k, Lang::En, &ctx).unwrap_err(), LintError::Binary);
    assert!(lint_bytes(b"net.core.somaxconn = 8192", &k, Lang::En, &ctx).is_ok());

    let over = "#".repeat(MAX_BYTES + 1);
    let err = lint(&over, &k, Lang::En).unwrap_err();
    assert_eq!(err, LintError::TooLarge { size: MAX_BYTES + 1, limit: 262_144 });
    assert!(err.message(&k, Lang::En).contains("262144") && err.message(&k, Lang::En).contains("256 KiB"));
    assert!(err.to_string().contains("too large"));

    // A 10 MB paste is refused by its length alone, at once.
    let huge = "net.core.somaxconn = 4096\n".repeat(400_000);
    let start = Instant::now();
    assert!(matches!(lint(&huge, &k, Lang::En), Err(LintError::TooLarge { .. })));
    assert!(matches!(lint_bytes(huge.as_bytes(), &k, Lang::En, &ctx), Err(LintError::TooLarge { .. })));
    assert!(start.elapsed().as_millis() < 50, "{:?}", start.elapsed());

    let long = "\n".repeat(MAX_LINES + 1);
    assert_eq!(lint(&long, &k, Lang::En).unwrap_err(), LintError::TooManyLines { lines: 5001, limit: 5000 });
    let exactly = "#\n".repeat(MAX_LINES);
    assert!(lint(&exactly, &k, Lang::En).is_ok());

    for e in [LintError::Binary, LintError::NothingRecognised, LintError::TooManyLines { lines: 6000, limit: 5000 }] {
        for lang in Lang::ALL {
            let m = e.message(&k, lang);
            assert!(!m.is_empty() && !m.contains(MISSING_TEXT) && !m.contains('{'), "{m}");
        }
    }
    let json = serde_json::to_string(&err).unwrap();
    assert_eq!(json, r#"{"code":"too_large","size":262145,"limit":262144}"#);
}

#[test]
fn the_largest_accepted_input_is_linted_quickly() {
    // 5000 lines of near-limit size, every one a duplicate of a known key and one unknown key:
    // the cross-line checks must stay linear.
    let mut text = String::new();
    for i in 0..MAX_LINES {
        let line = match i % 5 {
            0 => "net.ipv4.tcp_max_tw_buckets = 20000".to_string(),
            1 => "net.ipv4.tcp_rmem = 4096 87380 16777216".to_string(),
            2 => format!("net.ipv4.tcp_made_up_{i} = 1"),
            3 => format!("kernel.x{i} = 1 {}", "y".repeat(10)),
            _ => "- **seq=x**: prose that is skipped".to_string(),
        };
        text.push_str(&line);
        text.push('\n');
    }
    assert!(text.len() <= MAX_BYTES);
    let start = Instant::now();
    let r = run(&text);
    assert!(start.elapsed().as_secs() < 3, "{:?}", start.elapsed());
    assert_eq!(r.lines.len(), MAX_LINES);
    assert_eq!(r.findings.iter().filter(|f| f.code == "unchecked_keys").count(), 1);
    assert_eq!(r.findings.iter().filter(|f| f.code == "unrecognised").count(), 1);
}

#[test]
fn context_from_inputs() {
    let i = Inputs { ram_mib: 65_536, kernel: KernelVersion::new(5, 15), ..Inputs::preset(Workload::Proxy) };
    let ctx = LintContext::from(&i);
    assert_eq!((ctx.kernel, ctx.ram_mib), (KernelVersion::new(5, 15), 65_536));
    let r = lint_with("net.ipv4.tcp_max_tw_buckets = 200000", &knowledge(), Lang::ZhCn, &ctx).unwrap();
    let f = r.find("lowers_default").unwrap();
    assert_eq!(f.fix.as_deref(), Some("net.ipv4.tcp_max_tw_buckets = 262144"));
    assert!(f.message.contains("低于内核默认值"), "{}", f.message);
    let json = serde_json::to_string(&r).unwrap();
    assert_eq!(serde_json::from_str::<LintReport>(&json).unwrap(), r);
}
