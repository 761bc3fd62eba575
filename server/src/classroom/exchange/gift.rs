//! GIFT, Moodle's format for writing questions by hand: one question per paragraph, answers in
//! braces, `~ = # { } :` and `\` escaped with a backslash.

use tcplab_core::classroom::{ItemBody, Quiz};
use tcplab_core::lang::Text;

use super::{Body, MAX_FILE_QUESTIONS, Parsed, model_note, multilang, question_name, quote, why};

const SPECIAL: &str = "~=#{}:\\";
/// GIFT has no units: a numeric question's unit is written after its text, where Moodle shows
/// it, and in a comment, which Moodle ignores, so that it comes back as a unit on import.
const UNIT: &str = "// TCP Lab unit:";

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            // Texts no longer hold it (a quiz saved before the editor refused it may).
            '\r' => {}
            c if SPECIAL.contains(c) => out.extend(['\\', c]),
            c => out.push(c),
        }
    }
    out
}

fn text(t: &Text) -> String {
    escape(&multilang(t))
}

fn feedback(explain: &Option<Text>) -> String {
    explain.as_ref().map(|e| format!("\t####{}\n", text(e))).unwrap_or_default()
}

pub(super) fn export(quiz: &Quiz) -> String {
    let mut out = String::from("// Exported from TCP Lab: each text in English and Chinese for Moodle's multilang filter.\n\n");
    for (i, item) in quiz.items.iter().enumerate() {
        let name = escape(&question_name(quiz, i));
        match &item.question {
            ItemBody::Model { scenario, step, field, kind, .. } => {
                out += &format!("// {}\n\n", model_note(*scenario, *step, *field, *kind))
            }
            ItemBody::Choice { text: t, choices, explain } => {
                out += &format!("::{name}::[html]{} {{\n", text(t));
                for c in choices {
                    out += &format!("\t{}{}\n", if c.correct { '=' } else { '~' }, text(&c.text));
                }
                out += &format!("{}}}\n\n", feedback(explain));
            }
            ItemBody::Numeric { text: t, answer, tolerance, unit, explain } => {
                let shown = match unit {
                    Some(unit) => {
                        out += &format!("{UNIT} {}\n", text(unit));
                        super::with_unit(t, unit)
                    }
                    None => t.clone(),
                };
                out += &format!("::{name}::[html]{} {{#{answer}:{tolerance}\n{}}}\n\n", text(&shown), feedback(explain));
            }
        }
    }
    out
}

/// Characters with whether they were escaped: structure is found among the unescaped ones only.
type Lexed = [(char, bool)];

fn lex(s: &str) -> Vec<(char, bool)> {
    let (mut out, mut chars) = (Vec::new(), s.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, chars.peek().copied()) {
            ('\\', Some('n')) => out.push(('\n', true)),
            ('\\', Some(n)) if SPECIAL.contains(n) => out.push((n, true)),
            _ => {
                out.push((c, c == '\\'));
                continue;
            }
        }
        chars.next();
    }
    out
}

fn plain(s: &Lexed) -> String {
    s.iter().map(|(c, _)| c).collect()
}

fn trim(s: &Lexed) -> &Lexed {
    let ws = |&(c, escaped): &(char, bool)| !escaped && c.is_whitespace();
    let start = s.iter().position(|x| !ws(x)).unwrap_or(s.len());
    let end = s.iter().rposition(|x| !ws(x)).map_or(start, |i| i + 1);
    &s[start..end]
}

fn at(s: &Lexed, i: usize, pat: &str) -> bool {
    pat.chars().enumerate().all(|(k, p)| s.get(i + k) == Some(&(p, false)))
}

fn find(s: &Lexed, pat: &str) -> Option<usize> {
    (0..s.len()).find(|&i| at(s, i, pat))
}

/// Up to the answer's own `#feedback`, which TCP Lab has no place for, in the text's format.
fn before_feedback(s: &Lexed, format: Format) -> String {
    formatted(&plain(trim(&s[..find(s, "#").unwrap_or(s.len())])), format)
}

/// A GIFT text's format: `[html]`, `[moodle]` and `[markdown]` are read as HTML (their tags go,
/// their text stays); `[plain]` is shown by Moodle exactly as written.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Html,
    Plain,
}

/// The text's own `[format]` marker, or `default`, and the text after it.
fn format_of(text: &str, default: Format) -> (Format, &str) {
    for (marker, format) in [("[html]", Format::Html), ("[moodle]", Format::Html), ("[markdown]", Format::Html), ("[plain]", Format::Plain)]
    {
        if let Some(rest) = text.strip_prefix(marker) {
            return (format, rest.trim_start());
        }
    }
    (default, text)
}

/// `text` without its format marker, as HTML for the reader that follows: a plain text's `<`
/// and `&` are escaped, so they stay the characters the instructor wrote.
fn formatted(text: &str, default: Format) -> String {
    match format_of(text, default) {
        (Format::Html, rest) => rest.to_owned(),
        (Format::Plain, rest) => super::escape_html(rest),
    }
}

pub(super) fn parse(text: &str) -> Vec<Parsed> {
    let (mut questions, mut block, mut start, mut unit) = (Vec::new(), String::new(), 0, None);
    for (n, line) in text.trim_start_matches('\u{feff}').lines().chain([""]).enumerate() {
        let trimmed = line.trim();
        if let Some(u) = trimmed.strip_prefix(UNIT) {
            unit = Some(plain(&lex(u)));
        } else if trimmed.is_empty() {
            if !block.is_empty() {
                questions.push(question(&block, start, unit.take()));
                block.clear();
                // One more than the limit is enough for the caller to refuse the file.
                if questions.len() > MAX_FILE_QUESTIONS {
                    break;
                }
            }
            unit = None;
        } else if !trimmed.starts_with("//") && !trimmed.starts_with("$CATEGORY:") {
            if block.is_empty() {
                start = n + 1;
            }
            block += line;
            block.push('\n');
        }
    }
    questions
}

fn question(raw: &str, line: usize, unit: Option<String>) -> Parsed {
    let chars = lex(raw);
    let mut s = trim(&chars);
    let mut label = format!(" (line {line})");
    if at(s, 0, "::")
        && let Some(end) = find(&s[2..], "::")
    {
        let title = plain(trim(&s[2..2 + end]));
        if !title.is_empty() {
            label = format!(" \"{}\"", quote(&title));
        }
        s = trim(&s[end + 4..]);
    }
    Parsed { label, points: None, body: body(s, unit) }
}

fn body(s: &Lexed, unit: Option<String>) -> Result<Body, Text> {
    let Some(open) = find(s, "{") else {
        return Ok(Body::Other(why("description (text without answers)", "说明（没有答案的文字）")));
    };
    let close = find(&s[open..], "}").ok_or_else(|| why("the answers have no closing }", "答案缺少结尾的 }"))? + open;
    // The question's format is also its answers' and feedback's unless they name their own.
    let written = plain(trim(&s[..open]));
    let (format, _) = format_of(&written, Format::Html);
    let mut text = formatted(&written, format);
    // Text after the answers makes a "missing word" question; Moodle marks the gap the same way.
    let after = plain(trim(&s[close + 1..]));
    if !after.is_empty() {
        text = format!("{text} _____ {after}");
    }
    let inner = &s[open + 1..close];
    let (inner, explain) = match find(inner, "####") {
        Some(i) => (trim(&inner[..i]), Some(formatted(&plain(trim(&inner[i + 4..])), format))),
        None => (trim(inner), None),
    };
    if inner.is_empty() {
        return Ok(Body::Other(why("essay", "论述")));
    }
    // Moodle's order (qformat_gift): numerical, then multiple choice whenever a `~` is there
    // (its answers may well hold `->`), then matching, true/false and short answer.
    if at(inner, 0, "#") {
        let rest = trim(&inner[1..]);
        // `~#feedback` after the answers is Moodle's catch-all wrong answer (`*`, no credit),
        // whose feedback TCP Lab has no place for.
        let rest = trim(&rest[..find(rest, "~").unwrap_or(rest.len())]);
        let list = if find(rest, "=").is_some() { answers(rest, format)? } else { vec![('=', 100.0, before_feedback(rest, format))] };
        let answers = list.into_iter().map(|(_, f, a)| {
            let (answer, tolerance) = a.split_once(':').unwrap_or((&a, ""));
            (f, (answer.to_owned(), tolerance.to_owned()))
        });
        return Ok(Body::Numeric { text, answers: answers.collect(), unit, explain });
    }
    if find(inner, "~").is_none() {
        match before_feedback(inner, format).to_uppercase().as_str() {
            "T" | "TRUE" => return Ok(Body::TrueFalse { text, right: true, explain }),
            "F" | "FALSE" => return Ok(Body::TrueFalse { text, right: false, explain }),
            _ => {}
        }
        if find(inner, "->").is_some() {
            return Ok(Body::Other(why("matching", "匹配")));
        }
    }
    let list = answers(inner, format)?;
    if list.iter().all(|(marker, _, _)| *marker == '=') {
        return Ok(Body::Other(why("short answer", "简答")));
    }
    Ok(Body::Choice { text, answers: list.into_iter().map(|(_, f, a)| (f, a)).collect(), explain })
}

/// The `=right` and `~wrong` answers: (marker, fraction in percent from `%50%` or the marker, text).
fn answers(s: &Lexed, format: Format) -> Result<Vec<(char, f64, String)>, Text> {
    let starts: Vec<usize> = (0..s.len()).filter(|&i| at(s, i, "=") || at(s, i, "~")).collect();
    if starts.first().is_none_or(|&first| !trim(&s[..first]).is_empty()) {
        let quoted = quote(&plain(s));
        return Err(why(
            format!("cannot read the answers {quoted:?}: each starts with = (right) or ~ (wrong)"),
            format!("读不懂答案“{quoted}”：每个答案以 =（正确）或 ~（错误）开头"),
        ));
    }
    let mut out = Vec::new();
    for (k, &i) in starts.iter().enumerate() {
        let mut a = trim(&s[i + 1..starts.get(k + 1).copied().unwrap_or(s.len())]);
        let mut fraction = if s[i].0 == '=' { 100.0 } else { 0.0 };
        if at(a, 0, "%") {
            let close = find(&a[1..], "%").ok_or_else(|| why("a %fraction% has no closing %", "%分数% 缺少结尾的 %"))? + 1;
            let f = plain(&a[1..close]);
            fraction = f.trim().parse().map_err(|_| why(format!("the fraction {f:?} is not a number"), format!("分数“{f}”不是数字")))?;
            a = &a[close + 1..];
        }
        out.push((s[i].0, fraction, before_feedback(a, format)));
    }
    Ok(out)
}
