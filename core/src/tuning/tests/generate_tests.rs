use super::{knowledge, nums, report_texts, unfilled_placeholder};
use crate::lang::Lang;
use crate::tuning::defaults::KernelDefaults;
use crate::tuning::inputs::{Inputs, KernelVersion, Workload};
use crate::tuning::knowledge::{MISSING_TEXT, Scope};
use crate::tuning::lint::{LintContext, lint_with};
use crate::tuning::report::{Action, Report, Severity};
use crate::tuning::{generate, generate_with_permalink};

fn report(i: &Inputs) -> Report {
    generate(i, &knowledge(), Lang::En)
}

fn bdp_inputs(kernel: KernelVersion) -> Inputs {
    Inputs { nic_mbit: 1000, rtt_ms: 100, kernel, ram_mib: 16_384, ..Inputs::preset(Workload::Bulk) }
}

#[test]
fn bdp_of_1_gbit_over_100_ms() {
    let r = report(&bdp_inputs(KernelVersion::new(6, 18)));
    assert_eq!(r.figures.bdp_bytes, 12_500_000);
    // 2 × BDP = 25 MB, rounded up to whole MiB: 24 MiB = 25165824 bytes ≥ 25000000.
    assert_eq!(r.figures.buffer_target_bytes, 25_165_824);
    let rmem = r.setting("net.ipv4.tcp_rmem").unwrap();
    assert!(rmem.reason.contains("1000 Mbit/s × 100 ms = 12.5 MB"), "{}", rmem.reason);
    assert!(rmem.reason.contains("2 × BDP = 25 MB"), "{}", rmem.reason);
    // 6.18 on 16 GiB already allows 32 MiB: keep the default rather than pin a lower value.
    assert_eq!(rmem.action, Action::KeepDefault);
    assert_eq!(rmem.value, "4096 131072 33554432");
    assert!(!rmem.changes_default && !rmem.written);
    // The send side defaults to 4 MiB, so it is raised.
    let wmem = r.setting("net.ipv4.tcp_wmem").unwrap();
    assert_eq!(wmem.value, "4096 16384 25165824");
    assert!(wmem.changes_default && wmem.written);
    assert!(r.files.sysctl_conf.contains("\nnet.ipv4.tcp_wmem = 4096 16384 25165824\n"));

    // Before 6.16 the receive cap was 6 MiB: now the BDP rule raises it.
    let old = report(&bdp_inputs(KernelVersion::new(6, 1)));
    let rmem = old.setting("net.ipv4.tcp_rmem").unwrap();
    assert_eq!(rmem.value, "4096 131072 25165824");
    assert_eq!(rmem.default, "4096 131072 6291456");
    assert!(rmem.changes_default && rmem.written);
    assert!(rmem.reason.contains("6 MiB") && rmem.reason.contains("24 MiB"), "{}", rmem.reason);
}

#[test]
fn tcp_max_tw_buckets_is_never_below_the_default() {
    for ram_mib in [256, 1024, 2048, 16_384, 24_064, 65_536, 1 << 20] {
        for rate in [0, 10, 1000, 50_000, 1_000_000] {
            for close in [0, 50, 100] {
                let i = Inputs { ram_mib, new_connections_per_sec: rate, active_close_percent: close, ..Inputs::preset(Workload::Proxy) };
                let r = report(&i);
                let s = r.setting("net.ipv4.tcp_max_tw_buckets").unwrap();
                let d = KernelDefaults::new(i.kernel, ram_mib).tcp_max_tw_buckets;
                assert_eq!(s.default, d.to_string());
                assert!(nums(&s.value)[0] >= d, "{ram_mib} MiB, {rate}/s: {} < {d}", s.value);
                assert!(nums(&s.value)[0] >= r.figures.time_wait_sockets.min(i32::MAX as u64));
            }
        }
    }
    // The seed's 20000 would lower the default on any host with a few GiB of RAM.
    let r = report(&Inputs::preset(Workload::ShortLived));
    assert_eq!(r.setting("net.ipv4.tcp_max_tw_buckets").unwrap().value, "65536");
}

fn client(rate: u64, close: u64) -> Inputs {
    Inputs { new_connections_per_sec: rate, active_close_percent: close, ..Inputs::preset(Workload::OutboundClient) }
}

#[test]
fn port_exhaustion_warning_appears_exactly_at_ports_over_60_seconds() {
    // The client widens the range to 10000-65535: 55536 ports, 925.6 connections/s when all close here.
    let r = report(&client(925, 100));
    assert_eq!(r.figures.local_ports, 55_536);
    assert!(r.warning("port_exhaustion").is_none());
    let r = report(&client(926, 100));
    let w = r.warning("port_exhaustion").expect("926/s > 55536 / 60");
    assert_eq!(w.severity, Severity::Warning);
    assert_eq!(w.field.as_deref(), Some("new_connections_per_sec"));
    assert!(w.message.contains("55536") && w.message.contains("925"), "{}", w.message);
    // Half the connections closed here: the threshold doubles (1851.2/s).
    assert!(report(&client(1851, 50)).warning("port_exhaustion").is_none());
    assert!(report(&client(1852, 50)).warning("port_exhaustion").is_some());
    // The peer closes everything: no TIME-WAIT here, no limit from it.
    assert!(report(&client(1_000_000, 0)).warning("port_exhaustion").is_none());
    // Servers accept connections on their listening port and spend no local ports.
    for w in [Workload::ShortLived, Workload::LongLived, Workload::Bulk] {
        let i = Inputs { new_connections_per_sec: 1_000_000, active_close_percent: 100, ..Inputs::preset(w) };
        assert!(report(&i).warning("port_exhaustion").is_none(), "{w:?}");
    }
    // A proxy's upstream connections do spend them.
    let proxy = Inputs { new_connections_per_sec: 2000, active_close_percent: 50, ..Inputs::preset(Workload::Proxy) };
    assert!(report(&proxy).warning("port_exhaustion").is_some());
}

#[test]
fn too_many_concurrent_outbound_connections_warn_separately() {
    let i = Inputs { peak_connections: 60_000, new_connections_per_sec: 10, ..Inputs::preset(Workload::OutboundClient) };
    let r = report(&i);
    assert!(r.warning("port_exhaustion").is_none());
    assert_eq!(r.warning("ports_busy").unwrap().field.as_deref(), Some("peak_connections"));
}

#[test]
fn presets_do_not_warn() {
    for w in Workload::ALL {
        let r = report(&Inputs::preset(w));
        let loud: Vec<_> = r.warnings.iter().filter(|w| w.severity != Severity::Info).collect();
        assert!(loud.is_empty(), "{w:?}: {loud:#?}");
    }
}

#[test]
fn generated_files_pass_the_linter() {
    let k = knowledge();
    for w in Workload::ALL {
        for kernel in [KernelVersion::new(4, 9), KernelVersion::new(5, 4), KernelVersion::new(6, 1), KernelVersion::new(6, 18)] {
            for comments in [true, false] {
                let i = Inputs { kernel, comments, ..Inputs::preset(w) };
                for lang in Lang::ALL {
                    let r = generate(&i, &k, lang);
                    let lint = lint_with(&r.files.sysctl_conf, &k, lang, &LintContext::from(&i)).unwrap();
                    let bad: Vec<_> = lint.findings.iter().filter(|f| f.severity != Severity::Info).collect();
                    assert!(bad.is_empty(), "{w:?} {kernel}: {bad:#?}\n{}", r.files.sysctl_conf);
                    let active = lint.lines.iter().filter(|l| l.kind == crate::tuning::LineKind::Setting).count();
                    assert_eq!(active, r.settings.iter().filter(|s| s.written).count());
                }
            }
        }
    }
}

#[test]
fn kept_defaults_are_commented_and_not_tcp_settings_never_written() {
    let r = report(&Inputs::preset(Workload::ShortLived));
    for s in &r.settings {
        let active = format!("\n{} = ", s.key);
        match s.action {
            Action::Set => {
                assert!(s.written && s.changes_default && s.value != s.default, "{}", s.key);
                assert!(r.files.sysctl_conf.contains(&active), "{}", s.key);
            }
            Action::KeepDefault => {
                assert_eq!(s.value, s.default, "{}", s.key);
                assert!(!s.written && !s.changes_default);
                assert!(!r.files.sysctl_conf.contains(&active), "{}", s.key);
                assert!(r.files.sysctl_conf.contains(&format!("# {} = {}", s.key, s.value)), "{}", s.key);
            }
            Action::NotForTcp => {
                assert!(!s.written);
                assert!(!r.files.sysctl_conf.contains(&active));
            }
        }
    }
    for key in ["net.core.rmem_default", "net.core.wmem_default"] {
        let s = r.setting(key).unwrap();
        assert_eq!(s.action, Action::NotForTcp);
        assert!(s.reason.contains("non-TCP") && s.reason.contains("131072") || s.reason.contains("16384"), "{}", s.reason);
    }
    // Comments off: nothing but the two header lines and the active settings.
    let quiet = report(&Inputs { comments: false, ..Inputs::preset(Workload::ShortLived) });
    let comment_lines = quiet.files.sysctl_conf.lines().filter(|l| l.starts_with('#')).count();
    assert_eq!(comment_lines, 2, "{}", quiet.files.sysctl_conf);
    assert!(!quiet.files.commands.apply.contains('#'));
}

#[test]
fn every_required_setting_is_covered_and_explained() {
    let r = report(&Inputs::preset(Workload::ShortLived));
    for key in [
        "net.core.somaxconn",
        "net.ipv4.tcp_max_syn_backlog",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.tcp_tw_reuse",
        "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_max_tw_buckets",
        "net.ipv4.tcp_rmem",
        "net.ipv4.tcp_wmem",
        "net.ipv4.tcp_mem",
        "net.core.rmem_max",
        "net.core.wmem_max",
        "net.ipv4.tcp_syncookies",
        "fs.file-max",
        "fs.nr_open",
        "net.core.netdev_max_backlog",
        "net.ipv4.tcp_slow_start_after_idle",
        "net.ipv4.tcp_keepalive_time",
        "net.ipv4.tcp_keepalive_intvl",
        "net.ipv4.tcp_keepalive_probes",
        "net.ipv4.tcp_fastopen",
        "net.ipv4.tcp_congestion_control",
        "net.core.default_qdisc",
    ] {
        let s = r.setting(key).unwrap_or_else(|| panic!("{key} missing"));
        assert!(!s.default.is_empty() && !s.source.is_empty() && s.source_url.starts_with("https://"), "{key}");
    }
    let somaxconn = r.setting("net.core.somaxconn").unwrap();
    assert!(somaxconn.reason.contains("min(application backlog, somaxconn)"), "{}", somaxconn.reason);
    let syn = r.setting("net.ipv4.tcp_max_syn_backlog").unwrap();
    assert!(syn.reason.contains("somaxconn") && syn.reason.contains("tcp_syncookies"), "{}", syn.reason);
    assert_eq!(syn.value, somaxconn.value);
    let fin = r.setting("net.ipv4.tcp_fin_timeout").unwrap();
    assert!(fin.reason.contains("TIME-WAIT is fixed at 60 s"), "{}", fin.reason);
    let tfo = r.setting("net.ipv4.tcp_fastopen").unwrap();
    assert_eq!(tfo.value, "1");
    assert!(tfo.reason.contains("TCP_FASTOPEN") && tfo.reason.contains("MSG_FASTOPEN"), "{}", tfo.reason);
    let time = r.setting("net.ipv4.tcp_keepalive_time").unwrap();
    assert!(time.reason.contains("7200 + 9 × 75 = 7875"), "{}", time.reason);
}

#[test]
fn workloads_steer_the_rules() {
    let bulk = report(&Inputs::preset(Workload::Bulk));
    assert_eq!(bulk.setting("net.ipv4.tcp_congestion_control").unwrap().value, "bbr");
    assert_eq!(bulk.setting("net.core.default_qdisc").unwrap().value, "fq");
    let rmem_max = bulk.setting("net.core.rmem_max").unwrap();
    assert_eq!(rmem_max.value, bulk.setting("net.ipv4.tcp_rmem").unwrap().value.split(' ').nth(2).unwrap());
    assert_eq!(bulk.setting("net.core.netdev_max_backlog").unwrap().value, "9000");

    let long = report(&Inputs::preset(Workload::LongLived));
    assert_eq!(long.setting("net.ipv4.tcp_keepalive_time").unwrap().value, "600");
    assert_eq!(long.setting("net.ipv4.tcp_keepalive_intvl").unwrap().value, "60");
    assert_eq!(long.setting("net.ipv4.tcp_keepalive_probes").unwrap().value, "10");
    assert_eq!(long.figures.keepalive_detect_seconds, 1200);
    assert_eq!(long.setting("net.ipv4.tcp_slow_start_after_idle").unwrap().value, "0");

    let proxy = report(&Inputs::preset(Workload::Proxy));
    assert_eq!(proxy.nofile.fds_per_connection, 2);
    assert_eq!(proxy.figures.sockets, 40_000);
    assert_eq!(proxy.setting("net.ipv4.ip_local_port_range").unwrap().value, "10000 65535");
    assert_eq!(proxy.setting("net.ipv4.tcp_tw_reuse").unwrap().value, "1");

    let short = report(&Inputs::preset(Workload::ShortLived));
    assert_eq!(short.setting("net.ipv4.ip_local_port_range").unwrap().action, Action::KeepDefault);
    assert_eq!(short.setting("net.ipv4.tcp_tw_reuse").unwrap().value, "2");
    assert_eq!(short.setting("net.ipv4.tcp_congestion_control").unwrap().action, Action::KeepDefault);
}

#[test]
fn nofile_limits_fit_under_nr_open() {
    let long = report(&Inputs::preset(Workload::LongLived));
    // 500000 × 1 + 1024, + 25%, rounded up to 1024.
    assert_eq!(long.nofile.hard, 626_688);
    assert_eq!(long.nofile.soft, long.nofile.hard);
    assert!(long.files.systemd_dropin.as_deref().unwrap().contains("\nLimitNOFILE=626688\n"));
    assert!(long.files.limits_conf.contains("*     hard  nofile  626688"));
    assert!(long.files.limits_conf.contains("root  soft  nofile  626688"));
    assert_eq!(long.setting("fs.nr_open").unwrap().action, Action::KeepDefault);

    let big = Inputs { peak_connections: 1_000_000, ..Inputs::preset(Workload::Proxy) };
    let r = report(&big);
    let nr_open = r.setting("fs.nr_open").unwrap();
    assert_eq!(nr_open.action, Action::Set);
    assert!(nums(&nr_open.value)[0] >= r.nofile.hard);
    assert_eq!(r.warning("nofile_over_nr_open").unwrap().severity, Severity::Info);
    let r = report(&Inputs { container: true, ..big });
    assert_eq!(r.warning("nofile_over_nr_open").unwrap().severity, Severity::Error);

    let small = report(&Inputs::preset(Workload::Bulk));
    assert_eq!(small.nofile.hard, 65_536);
}

#[test]
fn containers_leave_global_settings_to_the_host() {
    let i = Inputs { container: true, ..Inputs::preset(Workload::Bulk) };
    let r = report(&i);
    let w = r.warning("container_scope").unwrap();
    assert!(w.message.contains("net.core.default_qdisc"), "{}", w.message);
    assert!(w.message.contains("net.ipv4.tcp_congestion_control"), "{}", w.message);
    for s in &r.settings {
        if s.scope == Scope::Global {
            assert!(!s.written, "{}", s.key);
            assert!(!r.files.sysctl_conf.contains(&format!("\n{} = ", s.key)), "{}", s.key);
        }
    }
    assert!(r.files.commands.apply.contains(" --sysctl net.ipv4.tcp_wmem=\"4096 16384 250609664\" "), "{}", r.files.commands.apply);
    assert!(r.files.commands.apply.contains("sudo sysctl -w net.core.default_qdisc=\"fq\""));
    assert!(r.files.commands.apply.contains("--ulimit nofile=65536:65536"));
}

#[test]
fn old_kernels_are_flagged() {
    let r = report(&Inputs { kernel: KernelVersion::new(4, 4), ..Inputs::preset(Workload::Bulk) });
    assert_eq!(r.warning("old_kernel").unwrap().field.as_deref(), Some("kernel"));
    assert!(r.warning("tw_recycle_exists").is_some());
    assert!(r.warning("no_bbr").is_some());
    assert_eq!(r.setting("net.ipv4.tcp_congestion_control").unwrap().value, "cubic");
    let somaxconn = r.setting("net.core.somaxconn").unwrap();
    assert_eq!((somaxconn.default.as_str(), somaxconn.value.as_str()), ("128", "4096"));
    let r = report(&Inputs { kernel: KernelVersion::new(4, 4), ..Inputs::preset(Workload::ShortLived) });
    assert!(r.warning("no_bbr").is_none());
    let r = report(&Inputs { kernel: KernelVersion::new(4, 9), ..Inputs::preset(Workload::Bulk) });
    assert!(r.warning("no_bbr").is_none());
    assert_eq!(r.setting("net.ipv4.tcp_congestion_control").unwrap().value, "bbr");
    assert!(report(&Inputs::preset(Workload::Bulk)).warning("old_kernel").is_none());
}

#[test]
fn memory_warnings() {
    let i = Inputs { peak_connections: 2_000_000, ram_mib: 4096, ..Inputs::preset(Workload::LongLived) };
    let r = report(&i);
    assert_eq!(r.warning("memory_sockets").unwrap().field.as_deref(), Some("ram_mib"));
    let i = Inputs { nic_mbit: 100_000, rtt_ms: 200, ram_mib: 8192, ..Inputs::preset(Workload::Bulk) };
    assert!(report(&i).warning("memory_link").is_some());
    assert!(report(&i).warning("buffer_capped").is_some());
    assert!(report(&Inputs::preset(Workload::ShortLived)).warning("memory_buffers").is_some());
}

#[test]
fn header_repeats_the_inputs_and_the_permalink() {
    let i = Inputs::preset(Workload::Proxy);
    let r = generate_with_permalink(&i, &knowledge(), Lang::En, "https://tcplab.example/config");
    let conf = &r.files.sysctl_conf;
    assert!(conf.starts_with("# /etc/sysctl.d/90-tcplab.conf: "), "{conf}");
    assert!(conf.contains(&format!("# Permalink: https://tcplab.example/config?{}\n", i.to_query())));
    assert!(conf.contains("#   peak concurrent connections: 20000\n"), "{conf}");
    assert!(conf.contains("#   NIC bandwidth: 10000 Mbit/s\n"), "{conf}");
    assert!(conf.contains("sysctl --system") && conf.contains("sysctl -p reads only /etc/sysctl.conf"));
    let placeholder = report(&i);
    assert!(placeholder.files.sysctl_conf.contains("https://<host>/config?v=1&w=proxy&"));
    assert_eq!(placeholder.query, i.to_query());
}

#[test]
fn commands_save_apply_verify_and_roll_back() {
    let r = report(&Inputs::preset(Workload::Proxy));
    let c = &r.files.commands;
    assert!(c.save.contains("sysctl -a 2>/dev/null | grep -E \"^("), "{}", c.save);
    assert!(c.save.contains("net\\.ipv4\\.ip_local_port_range"));
    assert!(c.save.contains("tcplab_higher net.core.netdev_max_backlog \"9000\""), "{}", c.save);
    assert!(c.apply.contains("sudo sysctl --system"));
    assert!(c.apply.contains("systemctl daemon-reload"));
    for counter in
        ["TcpExtListenOverflows", "TcpExtListenDrops", "TcpExtTCPTimeWaitOverflow", "TcpExtTCPReqQFullDrop", "TcpExtSyncookiesSent"]
    {
        assert!(c.verify.contains(counter), "{counter}");
    }
    assert!(c.verify.contains("cat /proc/net/sockstat") && c.verify.contains("ss -lnt"));
    assert!(c.rollback.contains("sysctl -p /root/tcplab-sysctl-before.conf"));
    let no_systemd = report(&Inputs { systemd: false, ..Inputs::preset(Workload::Proxy) });
    assert!(no_systemd.files.systemd_dropin.is_none());
    assert!(!no_systemd.files.commands.apply.contains("systemctl"));
    assert_eq!(no_systemd.warning("limits_pam_only").unwrap().severity, Severity::Warning);
}

#[test]
fn both_languages_have_text_for_everything() {
    let k = knowledge();
    for w in Workload::ALL {
        for lang in Lang::ALL {
            let i = Inputs { container: true, kernel: KernelVersion::new(4, 4), ..Inputs::preset(w) };
            let r = generate(&i, &k, lang);
            for s in &r.settings {
                for t in [&s.reason, &s.explain, &s.risk] {
                    assert!(!t.trim().is_empty(), "{lang:?} {}", s.key);
                }
            }
            for t in report_texts(&r) {
                assert!(!t.contains(MISSING_TEXT), "{lang:?}: {t}");
                assert_eq!(unfilled_placeholder(&t), None, "{lang:?}: {t}");
            }
            if lang == Lang::ZhCn {
                let reason = &r.setting("net.ipv4.tcp_max_tw_buckets").unwrap().reason;
                assert!(reason.contains("TIME-WAIT 套接字数"), "{reason}");
            }
        }
    }
}

#[test]
fn out_of_range_inputs_still_give_a_report_that_names_the_fields() {
    let i = Inputs { rtt_ms: 0, nic_mbit: u64::MAX, kernel: KernelVersion::new(1, 0), ..Inputs::preset(Workload::Bulk) };
    let r = report(&i);
    let fields: Vec<_> = r.warnings.iter().filter(|w| w.code == "invalid_input").filter_map(|w| w.field.clone()).collect();
    assert_eq!(fields, ["nic_mbit", "rtt_ms", "kernel"]);
    assert_eq!(r.input_errors.len(), 3);
    assert_eq!(r.inputs, i);
    assert!(r.figures.bdp_bytes > 0);
    assert!(r.settings.iter().all(|s| !s.value.is_empty()));
}

#[test]
fn report_round_trips_through_json() {
    let r = report(&Inputs::preset(Workload::LongLived));
    let json = serde_json::to_string(&r).unwrap();
    assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), r);
    assert!(json.contains("\"action\":\"keep_default\""));
    assert!(json.contains("\"scope\":\"netns_inherited\""));
}

/// The worked example, by hand: a web server with 100,000 connections, 16 GiB, 1 Gbit/s
/// and 50 ms RTT, on Linux 6.18, 2,000 new connections/s of which it closes 10 % first.
#[test]
fn web_server_100k_connections_16_gib_1_gbit_50_ms() {
    let i = Inputs { peak_connections: 100_000, ram_mib: 16_384, nic_mbit: 1000, rtt_ms: 50, ..Inputs::preset(Workload::ShortLived) };
    let r = report(&i);
    // BDP = 10^9 / 8 bytes/s × 0.05 s.
    assert_eq!(r.figures.bdp_bytes, 6_250_000);
    // 2 × BDP = 12.5 MB, rounded up to whole MiB: 12 MiB.
    assert_eq!(r.figures.buffer_target_bytes, 12 * 1024 * 1024);
    assert_eq!(r.figures.sockets, 100_000);
    // 2000/s × 10 % closed here = 200 TIME-WAIT sockets a second, × 60 s.
    assert_eq!(r.figures.time_wait_per_sec, 200);
    assert_eq!(r.figures.time_wait_sockets, 12_000);
    for (key, value, action) in [
        // The send cap defaults to 4 MiB: raised to the 12 MiB the path needs.
        ("net.ipv4.tcp_wmem", "4096 16384 12582912", Action::Set),
        // The receive cap is 32 MiB since 6.16: already enough, so not pinned.
        ("net.ipv4.tcp_rmem", "4096 131072 33554432", Action::KeepDefault),
        // somaxconn is 4096 since 5.4; the SYN backlog is made to match it.
        ("net.core.somaxconn", "4096", Action::KeepDefault),
        ("net.ipv4.tcp_max_syn_backlog", "4096", Action::Set),
        // 16 GiB / 128 KiB = 131,072 hash slots, half of them buckets: 65,536 is far above
        // 12,000 TIME-WAIT sockets, so keep it (and never lower it).
        ("net.ipv4.tcp_max_tw_buckets", "65536", Action::KeepDefault),
        ("net.ipv4.tcp_tw_reuse", "2", Action::KeepDefault),
    ] {
        let s = r.setting(key).unwrap_or_else(|| panic!("{key} missing"));
        assert_eq!((s.value.as_str(), s.action), (value, action), "{key}: {}", s.reason);
    }
    // Only notes: the buffer caps times 100,000 exceed RAM, which is explained, not alarming.
    assert!(r.warnings.iter().all(|w| w.severity == Severity::Info), "{:#?}", r.warnings);
    assert!(r.warning("memory_buffers").is_some_and(|w| w.message.contains("4.2 TiB")));
}
