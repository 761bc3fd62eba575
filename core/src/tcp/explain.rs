//! The numbers a step's explanation sentence refers to. The sentences themselves are content
//! (`content/steps/<lang>.toml`); this fills their `{placeholders}` from the model.

use super::step::{Step, StepKind};

/// The placeholders a sentence may use, with this step's values.
pub fn vars(step: &Step) -> Vec<(&'static str, String)> {
    match &step.kind {
        StepKind::Segment { segment, sent_ms, .. } => vec![
            ("seq", segment.seq.to_string()),
            ("ack", segment.ack.to_string()),
            ("len", segment.len.to_string()),
            ("next", segment.end_seq().to_string()),
            ("ack_minus_one", segment.ack.wrapping_sub(1).to_string()),
            ("ms", "0".to_owned()),
            ("at_ms", sent_ms.to_string()),
        ],
        StepKind::Timer { at_ms, delay_ms, .. } => vec![("ms", delay_ms.to_string()), ("at_ms", at_ms.to_string())],
    }
}

/// The names [`vars`] can ever give, for checking content files.
pub const PLACEHOLDERS: [&str; 7] = ["seq", "ack", "len", "next", "ack_minus_one", "ms", "at_ms"];

/// Replaces each `{name}` in `template` with its value; unknown names are left as written.
pub fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if vars.iter().any(|(n, _)| *n == name) => {
                let value = vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str()).unwrap_or_default();
                out.push_str(value);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Placeholder names used in `template`, for validation of content.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    names
}
