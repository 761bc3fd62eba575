//! Reading a pasted text line by line: sysctl.conf (`key = value`, `key=value`, `#`/`;` comments,
//! leading `-`), `sysctl -a` output (tabs between numbers), `sysctl -w key=value` commands,
//! limits.conf lines, and the prose and code fences around them when a whole how-to is pasted.
//! One pass, no backtracking: each line is looked at a constant number of times.

use serde::{Deserialize, Serialize};

/// What a line turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    Blank,
    Comment,
    /// `key = value` (also from `sysctl -w key=value` and `sysctl -a`).
    Setting,
    /// `<domain> <soft|hard|-> <item> <value>` from /etc/security/limits.conf.
    LimitsConf,
    /// A shell command such as `sysctl -p`.
    Command,
    /// Markdown code fences and `sysctl:` error lines: recognised, nothing to check.
    Noise,
    /// Anything else (prose, broken lines).
    Unrecognised,
}

/// One line of the input, numbered from 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedLine {
    pub number: usize,
    pub kind: LineKind,
    /// Normalised key (dots, no /proc/sys/ prefix) for settings; the item for limits lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The value with runs of blanks and tabs folded to one space.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// The parts of a limits.conf line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitsLine<'a> {
    pub domain: &'a str,
    pub kind: &'a str,
    pub item: &'a str,
    pub value: &'a str,
}

/// What a line holds, with borrowed parts, for the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed<'a> {
    Blank,
    Comment,
    Setting {
        key: String,
        raw_key: &'a str,
        value: &'a str,
    },
    Limits(LimitsLine<'a>),
    /// A `sysctl` command that loads files (`-p`, `--load`, `--system`); `reads_sysctl_conf_only`
    /// when it is `-p`/`--load` without a file other than /etc/sysctl.conf.
    Load {
        reads_sysctl_conf_only: bool,
    },
    OtherCommand,
    Noise,
    Unrecognised,
}

impl Parsed<'_> {
    pub fn kind(&self) -> LineKind {
        match self {
            Parsed::Blank => LineKind::Blank,
            Parsed::Comment => LineKind::Comment,
            Parsed::Setting { .. } => LineKind::Setting,
            Parsed::Limits(_) => LineKind::LimitsConf,
            Parsed::Load { .. } | Parsed::OtherCommand => LineKind::Command,
            Parsed::Noise => LineKind::Noise,
            Parsed::Unrecognised => LineKind::Unrecognised,
        }
    }
}

/// `net/ipv4/tcp_rmem` and `/proc/sys/net/ipv4/tcp_rmem` both mean `net.ipv4.tcp_rmem`.
pub fn normalise_key(raw: &str) -> String {
    let k = raw.trim();
    let k = k.strip_prefix("/proc/sys/").unwrap_or(k);
    if k.contains('/') { k.trim_matches('/').replace('/', ".") } else { k.to_string() }
}

/// A plausible sysctl name: letters, digits, `_ - . / *`, with at least one separator.
fn looks_like_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 256
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/' | b'*'))
        && (key.contains('.') || key.contains('/'))
        && key.bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'/')
}

pub fn parse_line(line: &str) -> Parsed<'_> {
    let t = line.trim();
    if t.is_empty() {
        return Parsed::Blank;
    }
    if t.starts_with('#') || t.starts_with(';') {
        return Parsed::Comment;
    }
    if t.starts_with("```") || t.starts_with("~~~") || t.starts_with("sysctl:") {
        return Parsed::Noise;
    }
    if let Some(cmd) = command(t) {
        return cmd;
    }
    if let Some((k, v)) = t.split_once('=') {
        // sysctl.d: a leading '-' means "ignore errors for this key".
        let raw_key = k.trim();
        let raw_key = raw_key.strip_prefix('-').map(str::trim).unwrap_or(raw_key);
        if looks_like_key(raw_key) {
            return Parsed::Setting { key: normalise_key(raw_key), raw_key, value: v.trim() };
        }
        return Parsed::Unrecognised;
    }
    let mut words = t.split_whitespace();
    if let (Some(domain), Some(kind), Some(item), Some(value), None) =
        (words.next(), words.next(), words.next(), words.next(), words.next())
        && matches!(kind, "soft" | "hard" | "-")
        && LIMITS_ITEMS.contains(&item)
    {
        return Parsed::Limits(LimitsLine { domain, kind, item, value });
    }
    Parsed::Unrecognised
}

/// The items limits.conf(5) knows; anything else in that position is prose.
const LIMITS_ITEMS: [&str; 18] = [
    "core",
    "data",
    "fsize",
    "memlock",
    "nofile",
    "rss",
    "stack",
    "cpu",
    "nproc",
    "as",
    "maxlogins",
    "maxsyslogins",
    "priority",
    "locks",
    "sigpending",
    "msgqueue",
    "nice",
    "rtprio",
];

/// `sysctl ...` and `sudo sysctl ...`: `-w key=value` is a setting; `-p`/`--load`/`--system` load
/// files.
fn command(t: &str) -> Option<Parsed<'_>> {
    let rest = t.strip_prefix("sudo ").map(str::trim_start).unwrap_or(t);
    let rest = rest.strip_prefix("sysctl")?;
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
        return None;
    }
    let words: Vec<&str> = rest.split_whitespace().take(8).collect();
    if let Some(pos) = words.iter().position(|w| *w == "-w" || *w == "--write") {
        if let Some(kv) = words.get(pos + 1)
            && let Some((k, v)) = kv.split_once('=')
            && looks_like_key(k)
        {
            // The value may hold spaces when quoted: take the rest of the line after '='.
            let after = &t[t.find(kv).map(|i| i + k.len() + 1).unwrap_or(t.len()).min(t.len())..];
            let value = after.trim().trim_matches(|c| c == '"' || c == '\'');
            let value = if value.is_empty() { v } else { value };
            return Some(Parsed::Setting { key: normalise_key(k), raw_key: k, value });
        }
        return Some(Parsed::OtherCommand);
    }
    if words.contains(&"--system") {
        return Some(Parsed::Load { reads_sysctl_conf_only: false });
    }
    if let Some(pos) = words.iter().position(|w| *w == "-p" || *w == "--load" || w.starts_with("--load=")) {
        let file = words.get(pos + 1).copied().or_else(|| words[pos].strip_prefix("--load="));
        return Some(Parsed::Load { reads_sysctl_conf_only: file.is_none_or(|f| f == "/etc/sysctl.conf") });
    }
    Some(Parsed::OtherCommand)
}

/// Folds blanks and tabs (as `sysctl -a` prints triplets) into single spaces.
pub fn fold_spaces(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_value(line: &str) -> Option<(String, String)> {
        match parse_line(line) {
            Parsed::Setting { key, value, .. } => Some((key, fold_spaces(value))),
            _ => None,
        }
    }

    #[test]
    fn settings_in_every_spelling() {
        let want = Some(("net.ipv4.tcp_rmem".to_string(), "4096 131072 6291456".to_string()));
        assert_eq!(key_value("net.ipv4.tcp_rmem = 4096 131072 6291456"), want);
        assert_eq!(key_value("net.ipv4.tcp_rmem=4096 131072 6291456"), want);
        assert_eq!(key_value("net.ipv4.tcp_rmem = 4096\t131072\t6291456"), want);
        assert_eq!(key_value("  -net.ipv4.tcp_rmem = 4096 131072 6291456  "), want);
        assert_eq!(key_value("net/ipv4/tcp_rmem = 4096 131072 6291456"), want);
        assert_eq!(key_value("/proc/sys/net/ipv4/tcp_rmem = 4096 131072 6291456"), want);
        assert_eq!(key_value("sudo sysctl -w net.ipv4.tcp_rmem=\"4096 131072 6291456\""), want);
    }

    #[test]
    fn other_lines() {
        assert_eq!(parse_line("   ").kind(), LineKind::Blank);
        assert_eq!(parse_line("# net.ipv4.tcp_tw_recycle = 1").kind(), LineKind::Comment);
        assert_eq!(parse_line("; comment").kind(), LineKind::Comment);
        assert_eq!(parse_line("```conf").kind(), LineKind::Noise);
        assert_eq!(parse_line("sysctl: permission denied on key 'x'").kind(), LineKind::Noise);
        assert_eq!(parse_line("* soft nofile 100000").kind(), LineKind::LimitsConf);
        assert_eq!(parse_line("sysctl -p"), Parsed::Load { reads_sysctl_conf_only: true });
        assert_eq!(parse_line("sudo sysctl --system"), Parsed::Load { reads_sysctl_conf_only: false });
        assert_eq!(parse_line("sysctl -p /etc/sysctl.d/90-x.conf"), Parsed::Load { reads_sysctl_conf_only: false });
        assert_eq!(parse_line("- **seq=x**: 设置序列号为 x").kind(), LineKind::Unrecognised);
        assert_eq!(parse_line("在 TCP 协议中，三次握手").kind(), LineKind::Unrecognised);
        assert_eq!(parse_line("sysctlfoo = 1").kind(), LineKind::Unrecognised);
    }
}
