//! The linter: reads a sysctl.conf (or `sysctl -a` output, or a pasted how-to) and reports, line by
//! line, what does not do what its author expected.
//!
//! Values are judged against a kernel context: by default Linux 6.18 with 16 GiB of RAM
//! ([`LintContext::default`]); [`lint_with`] takes another, for example one made from the
//! generator's [`Inputs`] (`LintContext::from(&inputs)`), so "lowers the default" means the default
//! of that kernel on that machine.
//!
//! Limits keep it safe to run on anything pasted into a web form: at most [`MAX_BYTES`] bytes and
//! [`MAX_LINES`] lines, checked before any parsing (a 10 MB paste is refused after one length
//! comparison); every step is linear in the input (hash maps for cross-line checks, one stable sort
//! of the findings).

mod checks;
pub mod parse;

use std::fmt;

use serde::{Deserialize, Serialize};

use super::inputs::{Inputs, KernelVersion};
use super::knowledge::Knowledge;
use super::report::Severity;
use crate::api::ErrorCode;
use crate::lang::Lang;

pub use parse::{LineKind, ParsedLine};

/// Largest input accepted: 256 KiB (a full `sysctl -a` is well under 100 KiB).
pub const MAX_BYTES: usize = 256 * 1024;
/// Most lines accepted.
pub const MAX_LINES: usize = 5000;

/// The kernel and machine the values are judged against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LintContext {
    pub kernel: KernelVersion,
    pub ram_mib: u64,
}

impl Default for LintContext {
    fn default() -> LintContext {
        LintContext { kernel: KernelVersion::new(6, 18), ram_mib: 16 * 1024 }
    }
}

impl From<&Inputs> for LintContext {
    fn from(i: &Inputs) -> LintContext {
        let c = i.clamped();
        LintContext { kernel: c.kernel, ram_mib: c.ram_mib }
    }
}

/// One thing found on one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// 1-based line number.
    pub line: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Stable identifier, such as `lowers_default`.
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// A line to put instead (a commented-out line means: delete it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// The result of linting a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LintReport {
    pub context: LintContext,
    pub lang: Lang,
    /// Every line, in order, with what it was read as.
    pub lines: Vec<ParsedLine>,
    /// Sorted by line.
    pub findings: Vec<Finding>,
    pub settings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl LintReport {
    pub fn find(&self, code: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| f.code == code)
    }
}

/// Why a text was not linted at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum LintError {
    TooLarge { size: usize, limit: usize },
    Binary,
    TooManyLines { lines: usize, limit: usize },
    NothingRecognised,
}

impl LintError {
    /// The stable code, as in the JSON `code` field.
    pub fn code(&self) -> ErrorCode {
        match self {
            LintError::TooLarge { .. } => ErrorCode::TooLarge,
            LintError::Binary => ErrorCode::Binary,
            LintError::TooManyLines { .. } => ErrorCode::TooManyLines,
            LintError::NothingRecognised => ErrorCode::NothingRecognised,
        }
    }

    /// The message in `lang`, from the knowledge file.
    pub fn message(&self, k: &Knowledge, lang: Lang) -> String {
        match self {
            LintError::TooLarge { size, limit } => k.text(
                "lint_error.too_large",
                lang,
                &[("size", size.to_string()), ("limit", limit.to_string()), ("kib", (limit / 1024).to_string())],
            ),
            LintError::Binary => k.text("lint_error.binary", lang, &[]),
            LintError::TooManyLines { lines, limit } => {
                k.text("lint_error.too_many_lines", lang, &[("lines", lines.to_string()), ("limit", limit.to_string())])
            }
            LintError::NothingRecognised => k.text("lint_error.nothing", lang, &[]),
        }
    }
}

/// English, for logs.
impl fmt::Display for LintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LintError::TooLarge { size, limit } => {
                write!(f, "input too large: {size} bytes, the limit is {limit} bytes ({} KiB)", limit / 1024)
            }
            LintError::Binary => write!(f, "input looks like binary data, not text"),
            LintError::TooManyLines { lines, limit } => write!(f, "too many lines: {lines}, the limit is {limit}"),
            LintError::NothingRecognised => write!(f, "no line looks like sysctl.conf or sysctl -a output"),
        }
    }
}

impl std::error::Error for LintError {}

/// Lints `text` against the default context (Linux 6.18, 16 GiB RAM).
pub fn lint(text: &str, knowledge: &Knowledge, lang: Lang) -> Result<LintReport, LintError> {
    lint_with(text, knowledge, lang, &LintContext::default())
}

/// Lints raw bytes (as a request body arrives): size first, then NUL bytes and UTF-8.
pub fn lint_bytes(bytes: &[u8], knowledge: &Knowledge, lang: Lang, ctx: &LintContext) -> Result<LintReport, LintError> {
    if bytes.len() > MAX_BYTES {
        return Err(LintError::TooLarge { size: bytes.len(), limit: MAX_BYTES });
    }
    if bytes.contains(&0) {
        return Err(LintError::Binary);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| LintError::Binary)?;
    lint_with(text, knowledge, lang, ctx)
}

/// Lints `text` against `ctx`.
pub fn lint_with(text: &str, knowledge: &Knowledge, lang: Lang, ctx: &LintContext) -> Result<LintReport, LintError> {
    if text.len() > MAX_BYTES {
        return Err(LintError::TooLarge { size: text.len(), limit: MAX_BYTES });
    }
    if looks_binary(text) {
        return Err(LintError::Binary);
    }
    let newlines = text.bytes().filter(|&b| b == b'\n').count();
    let lines = newlines + usize::from(!text.is_empty() && !text.ends_with('\n'));
    if lines > MAX_LINES {
        return Err(LintError::TooManyLines { lines, limit: MAX_LINES });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);

    let parsed: Vec<(usize, &str, parse::Parsed<'_>)> = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| {
            let l = l.strip_suffix('\r').unwrap_or(l);
            (i + 1, l, parse::parse_line(l))
        })
        .filter(|(n, l, _)| !(*n > lines && l.is_empty()))
        .collect();
    let recognised =
        parsed.iter().any(|(_, _, p)| matches!(p.kind(), LineKind::Setting | LineKind::LimitsConf | LineKind::Command | LineKind::Comment));
    if !recognised {
        return Err(LintError::NothingRecognised);
    }

    let mut findings = checks::Checker::new(knowledge, lang, ctx).run(&parsed);
    findings.sort_by_key(|f| f.line);
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings, infos) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
    let lines: Vec<ParsedLine> = parsed
        .iter()
        .map(|(n, _, p)| {
            let (key, value) = match p {
                parse::Parsed::Setting { key, value, .. } => (Some(key.clone()), Some(parse::fold_spaces(value))),
                parse::Parsed::Limits(l) => (Some(l.item.to_string()), Some(l.value.to_string())),
                _ => (None, None),
            };
            ParsedLine { number: *n, kind: p.kind(), key, value }
        })
        .collect();
    let settings = lines.iter().filter(|l| l.kind == LineKind::Setting).count();
    Ok(LintReport { context: *ctx, lang, lines, findings, settings, errors, warnings, infos })
}

/// NUL anywhere, or more than one character in eight that is a control character (other than tab,
/// CR, LF) or a replacement character: not something a person typed.
fn looks_binary(text: &str) -> bool {
    if text.as_bytes().contains(&0) {
        return true;
    }
    let (mut total, mut odd) = (0usize, 0usize);
    for c in text.chars() {
        total += 1;
        if (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{fffd}' {
            odd += 1;
        }
    }
    odd > 0 && odd * 8 > total
}
