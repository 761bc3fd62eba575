//! Criterion bench for the config generator and the linter (`cargo bench -p tcplab-core --bench
//! tuning`): what the page does on every keystroke. Target: a typical config generated and linted
//! in under 1 ms each; the summary at the end says whether the medians meet it.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use tcplab_core::lang::Lang;
use tcplab_core::tuning::{Inputs, Knowledge, LintContext, Workload, generate, lint_with};

const PARAMS_TOML: &str = include_str!("../../content/tuning/params.toml");
const TARGET: Duration = Duration::from_millis(1);

fn knowledge() -> Knowledge {
    toml::from_str(PARAMS_TOML).expect("content/tuning/params.toml parses")
}

/// A typical pasted file: the generator's own output for a web server.
fn typical_conf(k: &Knowledge) -> String {
    generate(&Inputs::preset(Workload::ShortLived), k, Lang::En).files.sysctl_conf
}

fn benches(c: &mut Criterion, k: &Knowledge) {
    let inputs = Inputs { peak_connections: 100_000, rtt_ms: 50, ..Inputs::preset(Workload::ShortLived) };
    c.bench_function("generate (web server, 100k connections)", |b| b.iter(|| generate(black_box(&inputs), k, Lang::En)));
    let conf = typical_conf(k);
    let ctx = LintContext::default();
    c.bench_function("lint (a typical sysctl.conf)", |b| b.iter(|| lint_with(black_box(&conf), k, Lang::En, &ctx)));
}

/// Median of many single runs, for the one-line verdict (criterion's own report is above it).
fn median(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..501)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let k = knowledge();
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c, &k);
    c.final_summary();

    let inputs = Inputs::preset(Workload::ShortLived);
    let conf = typical_conf(&k);
    let ctx = LintContext::default();
    for (what, time) in [
        ("generate", median(|| drop(black_box(generate(&inputs, &k, Lang::En))))),
        ("lint", median(|| drop(black_box(lint_with(&conf, &k, Lang::En, &ctx))))),
    ] {
        let verdict = if time < TARGET { "ok" } else { "OVER" };
        println!("{what}: median {:.1} µs (target under 1 ms: {verdict})", time.as_secs_f64() * 1e6);
    }
}
