//! Class quizzes to and from Moodle, so an instructor can carry questions between TCP Lab and a
//! Moodle course: GIFT (written by hand) and Moodle XML (what Moodle itself exports).
//!
//! Moodle keeps one text per question where TCP Lab keeps English and Chinese, so both travel in
//! the markup of Moodle's multilang filter, which shows each learner their language. Both
//! formats read into one [`Parsed`] form, checked here against what TCP Lab can hold.

mod gift;
mod moodle_xml;
#[cfg(test)]
mod tests;

use tcplab_core::api::classroom::ExchangeFormat;
use tcplab_core::classroom::{Item, ItemBody, Quiz};
use tcplab_core::lang::Text;
use tcplab_core::quiz::Choice;
use tcplab_core::quiz::{Field, Kind};
use tcplab_core::tcp::ScenarioId;

pub fn to_gift(quiz: &Quiz) -> String {
    gift::export(quiz)
}

/// `zh_titles`: the scenarios' Chinese titles for model questions' texts (English without).
pub fn to_moodle_xml(quiz: &Quiz, zh_titles: Option<&std::collections::BTreeMap<String, String>>) -> String {
    moodle_xml::export(quiz, zh_titles)
}

/// `points`: the points each imported question gets when the file does not say (Moodle XML's <defaultgrade> does say).
pub fn from_gift(text: &str, points: u32) -> Result<Vec<Item>, ImportError> {
    finish(gift::parse(text), points).map(|(items, _)| items)
}

/// `points` as for [`from_gift`].
pub fn from_moodle_xml(text: &str, points: u32) -> Result<Vec<Item>, ImportError> {
    finish(moodle_xml::parse(text)?, points).map(|(items, _)| items)
}

/// The questions of a GIFT or Moodle XML file, each with how the file names it (` "Name"` or
/// ` (line 12)`), for the import route to name a question a quiz cannot hold.
pub fn import(format: ExchangeFormat, text: &str, points: u32) -> Result<(Vec<Item>, Vec<String>), ImportError> {
    match format {
        ExchangeFormat::Gift => finish(gift::parse(text), points),
        ExchangeFormat::MoodleXml => finish(moodle_xml::parse(text)?, points),
    }
}

/// Everything that could not be imported, each problem naming the question (1-based, in file order) and, when known, its name or line.
/// All or nothing, so a quiz is never saved with some of a file's questions silently missing.
/// At most [`MAX_PROBLEMS`] are kept, and `more` counts the rest: a file of a hundred thousand
/// bad paragraphs gets a short answer, not a 60 MB one.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", self.text().en)]
pub struct ImportError {
    pub problems: Vec<ImportProblem>,
    pub more: usize,
}

impl ImportError {
    /// The whole answer in both languages, as the import route sends it.
    pub fn text(&self) -> Text {
        let join =
            |pick: fn(&Text) -> &str, sep: &str| self.problems.iter().map(|p| pick(&p.message).to_owned()).collect::<Vec<_>>().join(sep);
        let more = more_note(self.more);
        Text::new(
            format!("could not import the questions: {}{}", join(|t| &t.en, "; "), more.en),
            format!("无法导入这些题目：{}{}", join(|t| &t.zh_cn, "；"), more.zh_cn),
        )
    }
}

/// Problems listed in an import error; the first ones are enough to see what is wrong.
pub const MAX_PROBLEMS: usize = 20;
/// Questions a file may hold: a quiz takes 50, and a bank of a few hundred is the most anyone
/// imports from; past this the file is refused before its questions are read.
pub const MAX_FILE_QUESTIONS: usize = 1000;
/// Longest piece of the file quoted back in a problem.
const MAX_QUOTE: usize = 80;

fn more_note(more: usize) -> Text {
    if more == 0 {
        return Text::new("", "");
    }
    Text::new(format!("; and {more} more problem{}", if more == 1 { "" } else { "s" }), format!("；另有 {more} 个问题"))
}

/// Why something cannot be imported, in both languages.
fn why(en: impl Into<String>, zh_cn: impl Into<String>) -> Text {
    Text::new(en, zh_cn)
}

/// `text` as quoted in a problem: at most [`MAX_QUOTE`] characters, then an ellipsis.
fn quote(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(MAX_QUOTE).collect();
    if chars.next().is_some() { format!("{head}…") } else { head }
}

fn too_many_questions() -> ImportError {
    let most = tcplab_core::classroom::MAX_ITEMS;
    ImportError::file(why(
        format!("the file has more than {MAX_FILE_QUESTIONS} questions; a quiz holds at most {most}, so import a smaller part of the bank"),
        format!("文件中的题目超过 {MAX_FILE_QUESTIONS} 道；一个测验最多 {most} 道题，请只导入题库的一部分"),
    ))
}

/// `question` is 0 when the problem is with the file as a whole; `message` is a whole sentence
/// ("question 3 "Name": ..."), ready to show as it is, in both languages.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportProblem {
    pub question: usize,
    pub message: Text,
}

impl ImportError {
    fn file(message: Text) -> ImportError {
        ImportError { problems: vec![ImportProblem { question: 0, message }], more: 0 }
    }
}

/// One question as a file states it, texts still in Moodle's one-text form.
struct Parsed {
    /// ` "Name"` or ` (line 12)`, to point the instructor at the question in their file.
    label: String,
    points: Option<u32>,
    body: Result<Body, Text>,
}

enum Body {
    /// Answers are (fraction in percent, text).
    Choice {
        text: String,
        answers: Vec<(f64, String)>,
        explain: Option<String>,
    },
    TrueFalse {
        text: String,
        right: bool,
        explain: Option<String>,
    },
    /// Answers are (fraction, (answer, tolerance)); the answer may be a range `1..5`.
    Numeric {
        text: String,
        answers: Vec<(f64, (String, String))>,
        unit: Option<String>,
        explain: Option<String>,
    },
    /// TCP Lab's own model question, back from a Moodle calculated question it exported.
    Model {
        scenario: ScenarioId,
        step: usize,
        field: Field,
    },
    /// A kind of question TCP Lab has no place for, named for the instructor.
    Other(Text),
}

/// Moodle's multilang filter shows each learner the span in their language, as TCP Lab does.
/// The texts are HTML-escaped because Moodle renders question text as HTML. A text not yet
/// translated is the English alone, which Moodle shows to every learner.
fn multilang(text: &Text) -> String {
    if text.zh_cn.trim().is_empty() {
        return escape_html(&text.en);
    }
    format!(
        r#"<span lang="en" class="multilang">{}</span><span lang="zh_cn" class="multilang">{}</span>"#,
        escape_html(&text.en),
        escape_html(&text.zh_cn)
    )
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn unescape_html(s: &str) -> String {
    const ENTITIES: [(&str, &str); 9] = [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&#039;", "'"),
        ("&apos;", "'"),
        ("&nbsp;", " "),
        ("&#160;", " "),
        ("&amp;", "&"),
    ];
    let (mut out, mut rest) = (String::new(), s);
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let (from, to) = ENTITIES.iter().find(|(e, _)| rest.starts_with(e)).copied().unwrap_or(("&", "&"));
        out.push_str(to);
        rest = &rest[from.len()..];
    }
    out + rest
}

/// The English and Chinese spans of a multilang text, in any order; a text without both is the
/// same in both languages, as a learner of either would see it in Moodle.
fn split_multilang(s: &str) -> Text {
    let s = s.trim();
    let lower = s.to_ascii_lowercase();
    let (mut en, mut zh, mut at) = (None, None, 0);
    while let Some(start) = lower[at..].find("<span").map(|i| i + at) {
        let Some(open_end) = lower[start..].find('>').map(|i| i + start) else { break };
        at = open_end + 1;
        let attrs = &s[start + 5..open_end];
        if !attrs.starts_with(char::is_whitespace) || !attr(attrs, "class").is_some_and(|c| c.split_whitespace().any(|c| c == "multilang"))
        {
            continue;
        }
        let Some(end) = lower[at..].find("</span>").map(|i| i + at) else { break };
        match attr(attrs, "lang").map(str::to_ascii_lowercase).as_deref() {
            Some("en") => en = en.or(Some(&s[at..end])),
            Some("zh_cn" | "zh-cn" | "zh") => zh = zh.or(Some(&s[at..end])),
            _ => {}
        }
        at = end + "</span>".len();
    }
    match (en, zh) {
        (Some(en), Some(zh)) => Text { en: html_to_text(en), zh_cn: html_to_text(zh) },
        _ => {
            let text = html_to_text(s);
            Text { en: text.clone(), zh_cn: text }
        }
    }
}

/// What a Moodle learner reads of a question's HTML: TCP Lab shows texts as written, so
/// `<p dir="ltr">Which flag?</p>` must arrive as "Which flag?", not with its tags. Line breaks
/// and paragraph ends become newlines; other tags go; entities are decoded once, so an escaped
/// `&lt;script&gt;` comes back as the text `<script>`.
///
/// Linear in the text: once no `>` is left, the rest is copied as it is, instead of looking for
/// a `>` again after every `<`.
fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let is_tag = rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        let end = if is_tag { rest.find('>') } else { None };
        if is_tag && end.is_none() {
            break;
        }
        match end {
            Some(end) => {
                let name = rest[1..end]
                    .trim_start_matches('/')
                    .split(|c: char| c.is_whitespace() || c == '/')
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let closing = rest[1..].starts_with('/');
                if name == "br" || (closing && matches!(name.as_str(), "p" | "div" | "li" | "h1" | "h2" | "h3" | "h4" | "tr")) {
                    out.push('\n');
                }
                rest = &rest[end + 1..];
            }
            None => {
                out.push('<');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    // Windows and old Mac line ends (and Moodle's &#13;) as the one line break TCP Lab keeps.
    unescape_html(&out).replace("\r\n", "\n").replace('\r', "\n").trim().to_owned()
}

/// The value of attribute `name` in the inside of an HTML start tag.
fn attr<'a>(mut tag: &'a str, name: &str) -> Option<&'a str> {
    loop {
        let eq = tag.find('=')?;
        let key = tag[..eq].trim();
        let after = tag[eq + 1..].trim_start();
        let (value, rest) = match after.chars().next()? {
            q @ ('"' | '\'') => after[1..].split_once(q)?,
            _ => after.split_at(after.find(char::is_whitespace).unwrap_or(after.len())),
        };
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
        tag = rest;
    }
}

/// A numeric question's text with its unit after it, as GIFT (which has no units) shows it.
fn with_unit(text: &Text, unit: &Text) -> Text {
    let zh_cn = if text.zh_cn.trim().is_empty() { String::new() } else { format!("{}（{}）", text.zh_cn, unit.zh_cn) };
    Text { en: format!("{} ({})", text.en, unit.en), zh_cn }
}

fn model_note(scenario: ScenarioId, step: usize, field: Field, kind: Kind) -> String {
    let what = match kind {
        Kind::Field => format!("field {}", field.as_str()),
        Kind::SpotError => format!("spot the wrong {}", field.as_str()),
        other => other.as_str().to_owned(),
    };
    format!(
        "TCP Lab model question (scenario {scenario}, step {step}, {what}) cannot be exported here: each learner gets their own numbers, which only Moodle XML carries (as a calculated question) when the answer is a number"
    )
}

/// The name Moodle lists a question under: TCP Lab items have none, so the quiz's and a number.
fn question_name(quiz: &Quiz, index: usize) -> String {
    let title = quiz.title.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{} {}", if title.is_empty() { "TCP Lab" } else { &title }, index + 1)
}

fn finish(questions: Vec<Parsed>, points: u32) -> Result<(Vec<Item>, Vec<String>), ImportError> {
    if questions.is_empty() {
        return Err(ImportError::file(why("the file has no questions", "文件中没有题目")));
    }
    if questions.len() > MAX_FILE_QUESTIONS {
        return Err(too_many_questions());
    }
    let (mut items, mut problems, mut more) = (Vec::new(), Vec::new(), 0);
    let mut labels = Vec::new();
    for (i, q) in questions.into_iter().enumerate() {
        match q.body.and_then(item_body) {
            Ok(question) => {
                items.push(Item { points: q.points.unwrap_or(points), question });
                labels.push(q.label);
            }
            Err(_) if problems.len() >= MAX_PROBLEMS => more += 1,
            Err(m) => {
                let n = i + 1;
                let message = why(format!("question {n}{}: {}", q.label, m.en), format!("第 {n} 道题{}：{}", q.label, m.zh_cn));
                problems.push(ImportProblem { question: n, message });
            }
        }
    }
    if problems.is_empty() { Ok((items, labels)) } else { Err(ImportError { problems, more }) }
}

fn is(fraction: f64, percent: f64) -> bool {
    (fraction - percent).abs() < 1e-6
}

/// The one fully right answer among answers that are fully right or fully wrong.
fn only_right<T>(answers: &[(f64, T)]) -> Result<&T, Text> {
    if let Some((f, _)) = answers.iter().find(|(f, _)| !is(*f, 0.0) && !is(*f, 100.0)) {
        return Err(why(
            format!("gives partial credit ({f} %); TCP Lab takes one right answer, the others wrong"),
            format!("给了部分分（{f} %）；TCP Lab 只接受一个正确答案，其余都算错"),
        ));
    }
    let right: Vec<&T> = answers.iter().filter(|(f, _)| is(*f, 100.0)).map(|(_, a)| a).collect();
    match right[..] {
        [one] => Ok(one),
        [] => Err(why("has no right answer; TCP Lab takes exactly one", "没有正确答案；TCP Lab 需要恰好一个")),
        _ => Err(why(
            format!("has {} right answers; TCP Lab takes exactly one", right.len()),
            format!("有 {} 个正确答案；TCP Lab 需要恰好一个", right.len()),
        )),
    }
}

/// A number of the file, `what` it is named in both languages ("answer", "答案").
fn number(s: &str, what: (&str, &str)) -> Result<f64, Text> {
    let s = s.trim();
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| why(format!("the {} {s:?} is not a number", what.0), format!("{}“{s}”不是数字", what.1)))
}

const ANSWER: (&str, &str) = ("answer", "答案");

/// A text as TCP Lab keeps it, or why it cannot: one that is only a picture in some language
/// (Moodle files often hold `<img>`s, which TCP Lab has no place for) is named as such.
fn text_of(raw: &str, what: (&str, &str)) -> Result<Text, Text> {
    let text = split_multilang(raw);
    if (text.en.is_empty() || text.zh_cn.is_empty()) && raw.to_ascii_lowercase().contains("<img") {
        return Err(why(
            format!("{} is only a picture, which TCP Lab cannot show; write it in words", what.0),
            format!("{}只有一张图片，TCP Lab 无法显示图片；请用文字写出来", what.1),
        ));
    }
    Ok(text)
}

const QUESTION_TEXT: (&str, &str) = ("the question text", "题干");

fn item_body(body: Body) -> Result<ItemBody, Text> {
    let explain = |e: Option<String>| -> Result<Option<Text>, Text> {
        e.filter(|e| !e.trim().is_empty()).map(|e| text_of(&e, ("the feedback", "反馈"))).transpose()
    };
    match body {
        Body::Choice { text, answers, explain: e } => {
            let n = answers.len();
            let count = (!(2..=10).contains(&n)).then(|| {
                why(
                    format!("has {n} choice{}; TCP Lab takes 2 to 10", if n == 1 { "" } else { "s" }),
                    format!("有 {n} 个选项；TCP Lab 接受 2 到 10 个"),
                )
            });
            let both = |a: Text, b: Text| why(format!("{}; and {}", a.en, b.en), format!("{}；另外{}", a.zh_cn, b.zh_cn));
            if let Some(problems) = only_right(&answers).err().into_iter().chain(count).reduce(both) {
                return Err(problems);
            }
            let choices = answers
                .iter()
                .enumerate()
                .map(|(i, (f, t))| {
                    let what = (format!("choice {}", i + 1), format!("选项 {}", i + 1));
                    Ok(Choice { text: text_of(t, (&what.0, &what.1))?, correct: is(*f, 100.0) })
                })
                .collect::<Result<_, Text>>()?;
            Ok(ItemBody::Choice { text: text_of(&text, QUESTION_TEXT)?, choices, explain: explain(e)? })
        }
        Body::TrueFalse { text, right, explain: e } => {
            let choice = |en: &str, zh: &str, correct| Choice { text: Text { en: en.into(), zh_cn: zh.into() }, correct };
            Ok(ItemBody::Choice {
                text: text_of(&text, QUESTION_TEXT)?,
                choices: vec![choice("True", "对", right), choice("False", "错", !right)],
                explain: explain(e)?,
            })
        }
        Body::Numeric { text, answers, unit, explain: e } => {
            let (answer, tolerance) = only_right(&answers)?;
            let (answer, tolerance) = match answer.split_once("..") {
                Some((lo, hi)) => {
                    let (lo, hi) = (number(lo, ANSWER)?, number(hi, ANSWER)?);
                    ((lo + hi) / 2.0, (hi - lo).abs() / 2.0)
                }
                None if tolerance.trim().is_empty() => (number(answer, ANSWER)?, 0.0),
                None => (number(answer, ANSWER)?, number(tolerance, ("tolerance", "允许误差"))?.abs()),
            };
            let unit = unit.filter(|u| !u.trim().is_empty()).map(|u| split_multilang(&u));
            let mut text = text_of(&text, QUESTION_TEXT)?;
            // TCP Lab's own GIFT writes the unit after the text too (`with_unit`): take it off.
            if let Some(unit) = &unit {
                let (en, zh) = (format!(" ({})", unit.en), format!("（{}）", unit.zh_cn));
                if let (Some(e), Some(z)) = (text.en.strip_suffix(&en), text.zh_cn.strip_suffix(&zh)) {
                    text = Text { en: e.to_owned(), zh_cn: z.to_owned() };
                }
            }
            Ok(ItemBody::Numeric { text, answer, tolerance, unit, explain: explain(e)? })
        }
        Body::Model { scenario, step, field } => Ok(ItemBody::Model { scenario, step, field, kind: Kind::Field, side: None }),
        Body::Other(kind) => Err(why(
            format!("{} questions cannot be imported; TCP Lab takes multiple choice, true/false and numeric", kind.en),
            format!("不能导入{}题；TCP Lab 接受单选题、判断题和数值题", kind.zh_cn),
        )),
    }
}
