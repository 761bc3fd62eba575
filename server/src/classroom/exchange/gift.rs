//! GIFT, Moodle's format for writing questions by hand: one question per paragraph, answers in
//! braces, `~ = # { } :` and `\` escaped with a backslash.

use tcplab_core::classroom::{ItemBody, Quiz};
use tcplab_core::lang::Text;

use super::{Body, MAX_FILE_QUESTIONS, Parsed, model_note, multilang, question_name, quote};

const SPECIAL: &str = "~=#{}:\\";
/// GIFT has no units, so a numeric question's unit rides in a comment, which Moodle ignores, to
/// come back on import.
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
            ItemBody::Model { scenario, step, field } => out += &format!("// {}\n\n", model_note(*scenario, *step, *field)),
            ItemBody::Choice { text: t, choices, explain } => {
                out += &format!("::{name}::[html]{} {{\n", text(t));
                for c in choices {
                    out += &format!("\t{}{}\n", if c.correct { '=' } else { '~' }, text(&c.text));
                }
                out += &format!("{}}}\n\n", feedback(explain));
            }
            ItemBody::Numeric { text: t, answer, tolerance, unit, explain } => {
                if let Some(unit) = unit {
                    out += &format!("{UNIT} {}\n", text(unit));
                }
                out += &format!("::{name}::[html]{} {{#{answer}:{tolerance}\n{}}}\n\n", text(t), feedback(explain));
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

/// Up to the answer's own `#feedback`, which TCP Lab has no place for.
fn before_feedback(s: &Lexed) -> String {
    plain(trim(&s[..find(s, "#").unwrap_or(s.len())]))
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

fn body(s: &Lexed, unit: Option<String>) -> Result<Body, String> {
    let Some(open) = find(s, "{") else { return Ok(Body::Other("description (text without answers)".into())) };
    let close = find(&s[open..], "}").ok_or("the answers have no closing }")? + open;
    let mut text = plain(trim(&s[..open]));
    for format in ["[html]", "[moodle]", "[plain]", "[markdown]"] {
        if let Some(rest) = text.strip_prefix(format) {
            text = rest.trim_start().to_owned();
        }
    }
    // Text after the answers makes a "missing word" question; Moodle marks the gap the same way.
    let after = plain(trim(&s[close + 1..]));
    if !after.is_empty() {
        text = format!("{text} _____ {after}");
    }
    let inner = &s[open + 1..close];
    let (inner, explain) = match find(inner, "####") {
        Some(i) => (trim(&inner[..i]), Some(plain(trim(&inner[i + 4..])))),
        None => (trim(inner), None),
    };
    if inner.is_empty() {
        return Ok(Body::Other("essay".into()));
    }
    if at(inner, 0, "#") {
        let rest = trim(&inner[1..]);
        let list = if rest.iter().any(|&(c, e)| !e && (c == '=' || c == '~')) {
            answers(rest)?
        } else {
            vec![('=', 100.0, before_feedback(rest))]
        };
        let answers = list.into_iter().map(|(_, f, a)| {
            let (answer, tolerance) = a.split_once(':').unwrap_or((&a, ""));
            (f, (answer.to_owned(), tolerance.to_owned()))
        });
        return Ok(Body::Numeric { text, answers: answers.collect(), unit, explain });
    }
    match before_feedback(inner).to_uppercase().as_str() {
        "T" | "TRUE" => return Ok(Body::TrueFalse { text, right: true, explain }),
        "F" | "FALSE" => return Ok(Body::TrueFalse { text, right: false, explain }),
        _ => {}
    }
    if find(inner, "->").is_some() {
        return Ok(Body::Other("matching".into()));
    }
    let list = answers(inner)?;
    if list.iter().all(|(marker, _, _)| *marker == '=') {
        return Ok(Body::Other("short answer".into()));
    }
    Ok(Body::Choice { text, answers: list.into_iter().map(|(_, f, a)| (f, a)).collect(), explain })
}

/// The `=right` and `~wrong` answers: (marker, fraction in percent from `%50%` or the marker, text).
fn answers(s: &Lexed) -> Result<Vec<(char, f64, String)>, String> {
    let starts: Vec<usize> = (0..s.len()).filter(|&i| at(s, i, "=") || at(s, i, "~")).collect();
    if starts.first().is_none_or(|&first| !trim(&s[..first]).is_empty()) {
        return Err(format!("cannot read the answers {:?}: each starts with = (right) or ~ (wrong)", quote(&plain(s))));
    }
    let mut out = Vec::new();
    for (k, &i) in starts.iter().enumerate() {
        let mut a = trim(&s[i + 1..starts.get(k + 1).copied().unwrap_or(s.len())]);
        let mut fraction = if s[i].0 == '=' { 100.0 } else { 0.0 };
        if at(a, 0, "%") {
            let close = find(&a[1..], "%").ok_or("a %fraction% has no closing %")? + 1;
            let f = plain(&a[1..close]);
            fraction = f.trim().parse().map_err(|_| format!("the fraction {f:?} is not a number"))?;
            a = &a[close + 1..];
        }
        out.push((s[i].0, fraction, before_feedback(a)));
    }
    Ok(out)
}
