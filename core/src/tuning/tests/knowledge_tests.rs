use std::collections::BTreeSet;

use super::{PARAMS_TOML, knowledge};
use crate::lang::Lang;
use crate::tuning::knowledge::{Knowledge, MESSAGE_IDS, REQUIRED_PARAMS};

/// Sources that ask the knowledge file for messages.
const SOURCES: [&str; 6] = [
    include_str!("../mod.rs"),
    include_str!("../rules.rs"),
    include_str!("../warnings.rs"),
    include_str!("../files.rs"),
    include_str!("../lint/mod.rs"),
    include_str!("../lint/checks.rs"),
];

const PREFIXES: [&str; 9] = ["reason.", "warn.", "file.", "cmd.", "lint.", "lint_error.", "word.", "workload.", "field."];

/// Every string literal in the sources that looks like a message id.
fn ids_in_sources() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for src in SOURCES {
        for (i, piece) in src.split('"').enumerate() {
            if i % 2 == 1
                && PREFIXES.iter().any(|p| piece.starts_with(p))
                && piece.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
            {
                out.insert(piece.to_string());
            }
        }
    }
    out
}

fn placeholders(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.insert(after[..close].to_string());
        rest = &after[close + 1..];
    }
    out
}

#[test]
fn the_file_passes_its_own_check() {
    let k = knowledge();
    assert_eq!(k.check(), Vec::<String>::new());
    assert_eq!(k.version, 1);
    for key in REQUIRED_PARAMS {
        assert!(k.param(key).is_some(), "{key}");
    }
}

#[test]
fn message_ids_match_the_sources_and_the_file() {
    let used = ids_in_sources();
    let listed: BTreeSet<String> = MESSAGE_IDS.iter().map(|s| s.to_string()).collect();
    let in_file: BTreeSet<String> = knowledge().messages.keys().cloned().collect();
    assert_eq!(used, listed, "MESSAGE_IDS differs from the ids used in the sources");
    assert_eq!(listed, in_file, "params.toml [msg] tables differ from MESSAGE_IDS");
}

#[test]
fn every_text_exists_in_both_languages_with_the_same_placeholders() {
    let k = knowledge();
    let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for p in &k.params {
        for t in [&p.title, &p.explain, &p.risk] {
            assert!(!t.en.trim().is_empty() && !t.zh_cn.trim().is_empty(), "{}", p.key);
            assert!(cjk(&t.zh_cn), "{}: zh-CN is not Chinese: {}", p.key, t.zh_cn);
            assert!(!cjk(&t.en), "{}: en has Chinese", p.key);
        }
    }
    for (id, t) in &k.messages {
        assert_eq!(placeholders(&t.en), placeholders(&t.zh_cn), "{id}");
        assert!(cjk(&t.zh_cn) || t.zh_cn.is_ascii(), "{id}");
        assert!(!cjk(&t.en), "{id}");
    }
    assert_eq!(k.text("word.yes", Lang::ZhCn, &[]), "是");
    assert!(k.text("no.such.id", Lang::En, &[]).contains("no.such.id"));
}

#[test]
fn a_broken_file_is_reported_not_panicked_on() {
    let mut k = knowledge();
    k.params.retain(|p| p.key != "net.core.somaxconn");
    k.messages.remove("lint.sysctl_p");
    if let Some(p) = k.params.first_mut() {
        p.explain.zh_cn.clear();
    }
    let problems = k.check();
    assert!(problems.iter().any(|p| p.contains("net.core.somaxconn")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("lint.sysctl_p")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("explain.zh-CN is empty")), "{problems:?}");
    // An empty knowledge still generates (with marked gaps) instead of panicking.
    let r = crate::tuning::generate(&crate::tuning::Inputs::default(), &Knowledge::default(), Lang::En);
    assert!(r.settings[0].reason.contains(crate::tuning::knowledge::MISSING_TEXT));
}

#[test]
fn knowledge_round_trips_through_json_for_the_browser() {
    let k = knowledge();
    let json = serde_json::to_string(&k).unwrap();
    assert!(json.contains("\"zh-CN\":"));
    assert_eq!(serde_json::from_str::<Knowledge>(&json).unwrap(), k);
    assert!(PARAMS_TOML.len() < 200 * 1024);
}
