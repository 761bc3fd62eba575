//! Tests for the generator and the linter, run against the real knowledge file and the original
//! seed notes whose mistakes the generator exists to correct.

mod generate_tests;
mod inputs_tests;
mod knowledge_tests;
mod lint_tests;
mod property_tests;
mod seed_tests;

use super::knowledge::Knowledge;
use super::report::Report;

/// The knowledge file as the server ships it.
pub const PARAMS_TOML: &str = include_str!("../../../../content/tuning/params.toml");

/// The seed notes (shared/reference/000_2208375c21d18011.txt), verbatim: the classic "high
/// concurrency" advice, mistakes included.
pub const SEED_NOTES: &str = include_str!("seed_notes.md");

pub fn knowledge() -> Knowledge {
    toml::from_str(PARAMS_TOML).expect("content/tuning/params.toml parses")
}

/// The numbers of a sysctl value ("4096 131072 6291456" → [4096, 131072, 6291456]).
pub fn nums(value: &str) -> Vec<u64> {
    value.split_whitespace().filter_map(|w| w.parse().ok()).collect()
}

/// Every text a person reads in a report (not the shell commands, whose `${1:-}` has braces).
pub fn report_texts(r: &Report) -> Vec<String> {
    let mut out = Vec::new();
    for s in &r.settings {
        out.extend([s.reason.clone(), s.explain.clone(), s.risk.clone()]);
    }
    out.extend(r.warnings.iter().map(|w| w.message.clone()));
    out.push(r.nofile.reason.clone());
    out.push(r.files.sysctl_conf.clone());
    out.push(r.files.limits_conf.clone());
    out.extend(r.files.systemd_dropin.clone());
    out
}

/// A `{name}` left unfilled, if any.
pub fn unfilled_placeholder(text: &str) -> Option<String> {
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        if let Some(close) = after.find('}') {
            let name = &after[..close];
            if !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                return Some(name.to_string());
            }
            rest = &after[close + 1..];
        } else {
            break;
        }
    }
    None
}
