//! Many generated inputs: generate never panics, and "only raise" holds for every value.

use super::{knowledge, nums, unfilled_placeholder};
use crate::lang::Lang;
use crate::tuning::defaults::KernelDefaults;
use crate::tuning::generate;
use crate::tuning::inputs::{Inputs, KernelVersion, Workload};
use crate::tuning::knowledge::Direction;
use crate::tuning::lint::{LintContext, lint_with};
use crate::tuning::report::{Action, Severity};

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Mostly log-uniform in [lo, hi], sometimes an edge, sometimes out of range.
    fn pick(&mut self, lo: u64, hi: u64, wild: bool) -> u64 {
        match self.next() % 16 {
            0 => lo,
            1 => hi,
            2 if wild => self.next(),
            3 if wild => 0,
            _ => {
                let bits = 64 - hi.leading_zeros();
                let b = (self.next() % u64::from(bits.max(1))) as u32 + 1;
                let span = if b >= 64 { u64::MAX } else { (1u64 << b) - 1 };
                (lo + (self.next() & span)).min(hi)
            }
        }
    }
}

fn random_inputs(rng: &mut Rng, wild: bool) -> Inputs {
    let w = Workload::ALL[(rng.next() % 5) as usize];
    Inputs {
        workload: w,
        peak_connections: rng.pick(1, 10_000_000, wild),
        new_connections_per_sec: rng.pick(0, 1_000_000, wild),
        active_close_percent: rng.pick(0, 100, wild),
        ram_mib: rng.pick(256, 16_777_216, wild),
        cpu_cores: rng.pick(1, 4096, wild),
        nic_mbit: rng.pick(10, 1_600_000, wild),
        rtt_ms: rng.pick(1, 2000, wild),
        kernel: KernelVersion::new(rng.pick(3, 9, wild).min(u64::from(u32::MAX)) as u32, (rng.next() % 25) as u32),
        container: rng.next().is_multiple_of(2),
        systemd: !rng.next().is_multiple_of(3),
        comments: rng.next().is_multiple_of(2),
    }
}

#[test]
fn generate_never_panics_and_only_raises() {
    let k = knowledge();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut valid = 0;
    for n in 0..1500 {
        let wild = n % 4 == 0;
        let i = random_inputs(&mut rng, wild);
        let lang = if n % 2 == 0 { Lang::En } else { Lang::ZhCn };
        let r = generate(&i, &k, lang);
        assert_eq!(r.settings.len(), 24);
        if i.validate().is_err() {
            assert!(!r.input_errors.is_empty());
            assert!(r.warnings.iter().any(|w| w.code == "invalid_input" && w.field.is_some()));
            continue;
        }
        valid += 1;
        let d = KernelDefaults::new(i.kernel, i.ram_mib);
        for s in &r.settings {
            assert_eq!(s.default, d.get(&s.key).map(|v| v.conf()).unwrap_or_default(), "{}", s.key);
            if s.action == Action::KeepDefault {
                assert_eq!(s.value, s.default, "{}: {i:?}", s.key);
            }
            let (v, def) = (nums(&s.value), nums(&s.default));
            match s.direction {
                Some(Direction::Raise) => {
                    assert_eq!(v.len(), def.len(), "{}", s.key);
                    for (a, b) in v.iter().zip(&def) {
                        assert!(a >= b, "{} = {} lowers {}: {i:?}", s.key, s.value, s.default);
                    }
                }
                Some(Direction::Widen) => {
                    assert!(v[0] <= def[0] && v[1] >= def[1], "{} narrows: {i:?}", s.key);
                    assert!(v[0] >= 1024 && v[0] % 2 != v[1] % 2, "{}", s.value);
                }
                None => {}
            }
            assert_eq!(unfilled_placeholder(&s.reason), None, "{}", s.reason);
        }
        assert!(r.nofile.soft <= r.nofile.hard);
        let nr_open = nums(&r.setting("fs.nr_open").unwrap().value)[0];
        assert!(r.nofile.hard <= nr_open, "{} > {nr_open}", r.nofile.hard);
        let tw = nums(&r.setting("net.ipv4.tcp_max_tw_buckets").unwrap().value)[0];
        assert!(tw >= d.tcp_max_tw_buckets);
        let rmem = nums(&r.setting("net.ipv4.tcp_rmem").unwrap().value);
        assert!(rmem[0] <= rmem[1] && rmem[1] <= rmem[2]);
        // Port exhaustion, exactly as the facts state it.
        let expect = i.workload.opens_outbound()
            && u128::from(i.new_connections_per_sec) * u128::from(i.active_close_percent) * 60 > u128::from(r.figures.local_ports) * 100;
        assert_eq!(r.warning("port_exhaustion").is_some(), expect, "{i:?}");
        if n % 10 == 1 {
            let lint = lint_with(&r.files.sysctl_conf, &k, lang, &LintContext::from(&i)).unwrap();
            let loud: Vec<_> = lint.findings.iter().filter(|f| f.severity != Severity::Info).collect();
            assert!(loud.is_empty(), "{i:?}: {loud:#?}");
        }
    }
    assert!(valid > 900, "{valid}");
}

#[test]
fn extreme_inputs() {
    let k = knowledge();
    let zero = Inputs {
        workload: Workload::Proxy,
        peak_connections: 0,
        new_connections_per_sec: 0,
        active_close_percent: 0,
        ram_mib: 0,
        cpu_cores: 0,
        nic_mbit: 0,
        rtt_ms: 0,
        kernel: KernelVersion::new(0, 0),
        container: true,
        systemd: false,
        comments: true,
    };
    let max = Inputs {
        peak_connections: u64::MAX,
        new_connections_per_sec: u64::MAX,
        active_close_percent: u64::MAX,
        ram_mib: u64::MAX,
        cpu_cores: u64::MAX,
        nic_mbit: u64::MAX,
        rtt_ms: u64::MAX,
        kernel: KernelVersion::new(u32::MAX, u32::MAX),
        ..zero.clone()
    };
    for i in [zero, max] {
        for lang in Lang::ALL {
            let r = generate(&i, &k, lang);
            assert!(!r.input_errors.is_empty());
            assert!(!r.files.sysctl_conf.is_empty());
        }
    }
}
