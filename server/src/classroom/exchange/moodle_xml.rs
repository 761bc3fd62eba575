//! Moodle XML, what Moodle's question bank exports and imports with nothing lost.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use tcplab_core::classroom::calculated::{self, Wildcard};
use tcplab_core::classroom::{ItemBody, Quiz};
use tcplab_core::lang::Text;
use tcplab_core::quiz::{Field, Kind};
use tcplab_core::tcp::{ScenarioId, Side};

use super::{Body, ImportError, MAX_FILE_QUESTIONS, Parsed, is, model_note, multilang, question_name, quote, too_many_questions, why};

/// Characters XML 1.0 cannot hold at all, even as references (NUL and the other C0 controls but
/// tab and line feed, U+FFFE, U+FFFF), are left out, and so is `\r`, which TCP Lab's texts no
/// longer hold: the editor refuses them, but a quiz saved before it did may have some.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

fn html(tag: &str, text: Option<&Text>) -> String {
    format!("<{tag} format=\"html\"><text>{}</text></{tag}>", text.map(|t| xml(&multilang(t))).unwrap_or_default())
}

/// The tag that marks TCP Lab's own model question in Moodle, so that it comes back as one.
const MODEL_TAG: &str = "tcplab-model";

/// A model item as a Moodle calculated question: the learner's numbers are wildcards with
/// datasets drawn as TCP Lab draws them, the answer the model's formula of them (see
/// `tcplab_core::classroom::calculated`). `None` when the answer is no formula (the flags).
fn calculated(name: &str, points: u32, scenario: ScenarioId, step: usize, field: Field, zh_titles: &Titles) -> Option<String> {
    let formula = calculated::formula(scenario, step, field)?;
    let segments = tcplab_core::classroom::segment_steps(scenario);
    let (n, (_, from, flags)) = segments.iter().enumerate().find(|(_, (s, ..))| *s == step)?;
    let mut shown = vec![Wildcard::ClientIsn, Wildcard::ServerIsn];
    let more: Vec<Wildcard> = formula.wildcards().filter(|w| !shown.contains(w)).collect();
    shown.extend(more);
    let (mut en, mut zh) = (Vec::new(), Vec::new());
    for w in &shown {
        let v = w.name();
        let (e, z) = match w {
            Wildcard::ClientIsn => {
                (format!("the client's initial sequence number (ISN) is {{{v}}}"), format!("客户端的初始序列号 (ISN) 为 {{{v}}}"))
            }
            Wildcard::ServerIsn => (format!("the server's is {{{v}}}"), format!("服务器的为 {{{v}}}")),
            Wildcard::ClientBytes => (format!("the client application writes {{{v}}} bytes"), format!("客户端应用写入 {{{v}}} 字节")),
            Wildcard::ServerBytes => (format!("the server application writes {{{v}}} bytes"), format!("服务器应用写入 {{{v}}} 字节")),
            Wildcard::SecondClientIsn => {
                (format!("the second connection's client ISN is {{{v}}}"), format!("第二条连接的客户端 ISN 为 {{{v}}}"))
            }
            Wildcard::SecondServerIsn => (format!("its server ISN is {{{v}}}"), format!("其服务器 ISN 为 {{{v}}}")),
        };
        en.push(e);
        zh.push(z);
    }
    let (field_en, field_zh) = match field {
        Field::Seq => ("sequence number (seq)", "序列号 (seq)"),
        Field::Ack => ("acknowledgement number (ack)", "确认号 (ack)"),
        _ => ("payload length in bytes (len)", "载荷长度（字节，len）"),
    };
    let (way_en, way_zh) = match from {
        Side::Client => ("client → server", "客户端 → 服务器"),
        Side::Server => ("server → client", "服务器 → 客户端"),
    };
    let title_zh = zh_titles.and_then(|t| t.get(scenario.as_str())).map_or(scenario.title(), String::as_str);
    let text = Text {
        en: format!(
            "In TCP Lab's scenario “{}”, {}. What is the {field_en} of segment {} ({flags}, {way_en})?",
            scenario.title(),
            en.join("; "),
            n + 1
        ),
        zh_cn: format!(
            "在 TCP Lab 的场景“{title_zh}”中，{}。第 {} 个报文段（{flags}，{way_zh}）的{field_zh}是多少？",
            zh.join("；"),
            n + 1
        ),
    };
    let learners = calculated::datasets(DATASET_ITEMS);
    let mut out = format!(
        "  <question type=\"calculated\">\n    <name><text>{}</text></name>\n    {}\n    {}\n    <defaultgrade>{points}</defaultgrade>\n    <penalty>0</penalty>\n    <hidden>0</hidden>\n",
        xml(name),
        html("questiontext", Some(&text)),
        html("generalfeedback", None)
    );
    out += "    <synchronize>0</synchronize>\n    <single>0</single>\n    <answernumbering>abc</answernumbering>\n    <shuffleanswers>0</shuffleanswers>\n";
    // Exact: tolerance 0 (nominal), shown with no decimals.
    out += &format!(
        "    <answer fraction=\"100\">\n      <text>{}</text>\n      <tolerance>0</tolerance>\n      <tolerancetype>2</tolerancetype>\n      <correctanswerformat>1</correctanswerformat>\n      <correctanswerlength>0</correctanswerlength>\n      <feedback format=\"html\"><text></text></feedback>\n    </answer>\n",
        formula.moodle()
    );
    out += "    <unitgradingtype>0</unitgradingtype>\n    <unitpenalty>0</unitpenalty>\n    <showunits>3</showunits>\n    <unitsleft>0</unitsleft>\n    <dataset_definitions>\n";
    for w in &shown {
        let (min, max) = w.range();
        out += &format!(
            "      <dataset_definition>\n        <status><text>private</text></status>\n        <name><text>{}</text></name>\n        <type>calculated</type>\n        <distribution><text>uniform</text></distribution>\n        <minimum><text>{min}</text></minimum>\n        <maximum><text>{max}</text></maximum>\n        <decimals><text>0</text></decimals>\n        <itemcount>{DATASET_ITEMS}</itemcount>\n        <dataset_items>\n",
            w.name()
        );
        for (i, p) in learners.iter().enumerate() {
            out += &format!("          <dataset_item><number>{}</number><value>{}</value></dataset_item>\n", i + 1, w.of(p));
        }
        out +=
            &format!("        </dataset_items>\n        <number_of_items>{DATASET_ITEMS}</number_of_items>\n      </dataset_definition>\n");
    }
    out += &format!(
        "    </dataset_definitions>\n    <tags><tag><text>{MODEL_TAG} {} {step} {}</text></tag></tags>\n  </question>\n",
        scenario.as_str(),
        field.as_str()
    );
    Some(out)
}

/// Learners' numbers per wildcard in an exported calculated question: Moodle gives each learner
/// one item of them, so 40 make neighbours unlikely to share.
const DATASET_ITEMS: usize = 40;

/// The scenarios' Chinese titles, from `content/steps/zh-CN.toml`; English without them.
pub(super) type Titles<'a> = Option<&'a std::collections::BTreeMap<String, String>>;

pub(super) fn export(quiz: &Quiz, zh_titles: Titles) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
    for (i, item) in quiz.items.iter().enumerate() {
        let head = |kind: &str, text: &Text, explain: &Option<Text>| {
            format!(
                "  <question type=\"{kind}\">\n    <name><text>{}</text></name>\n    {}\n    {}\n    <defaultgrade>{}</defaultgrade>\n    <penalty>0</penalty>\n    <hidden>0</hidden>\n",
                xml(&question_name(quiz, i)),
                html("questiontext", Some(text)),
                html("generalfeedback", explain.as_ref()),
                item.points
            )
        };
        match &item.question {
            ItemBody::Model { scenario, step, field, kind, .. } => {
                // Only a number a formula gives can be a calculated question.
                let question =
                    (*kind == Kind::Field).then(|| calculated(&question_name(quiz, i), item.points, *scenario, *step, *field, &zh_titles));
                match question.flatten() {
                    Some(question) => out += &question,
                    None => out += &format!("  <!-- {} -->\n", model_note(*scenario, *step, *field, *kind)),
                }
                continue;
            }
            ItemBody::Choice { text, choices, explain } => {
                out += &head("multichoice", text, explain);
                out += "    <single>true</single>\n    <shuffleanswers>true</shuffleanswers>\n    <answernumbering>abc</answernumbering>\n";
                for c in choices {
                    out += &format!(
                        "    <answer fraction=\"{}\" format=\"html\"><text>{}</text></answer>\n",
                        if c.correct { 100 } else { 0 },
                        xml(&multilang(&c.text))
                    );
                }
            }
            ItemBody::Numeric { text, answer, tolerance, unit, explain } => {
                out += &head("numerical", text, explain);
                out += &format!("    <answer fraction=\"100\"><text>{answer}</text><tolerance>{tolerance}</tolerance></answer>\n");
                if let Some(unit) = unit {
                    // Shown, never costing a mark: Moodle draws the unit in a menu beside the
                    // answer box (showunits 2, UNITSELECT) when units are graded, and a unit
                    // penalty of 0 makes that grading free. Showunits 3 (UNITNONE) would hide it,
                    // and "optional" units (grading type 0) are typed, never shown.
                    out += &format!(
                        "    <units><unit><multiplier>1</multiplier><unit_name>{}</unit_name></unit></units>\n",
                        xml(&multilang(unit))
                    );
                    out += "    <unitgradingtype>1</unitgradingtype>\n    <unitpenalty>0</unitpenalty>\n    <showunits>2</showunits>\n    <unitsleft>0</unitsleft>\n";
                }
            }
        }
        out += "  </question>\n";
    }
    out + "</quiz>\n"
}

#[derive(Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Node>,
    pos: usize,
}

impl Node {
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Moodle wraps every text in a `<text>` element.
    fn text(&self, name: &str) -> Option<String> {
        Some(self.child(name)?.child("text")?.text.clone())
    }
}

/// Where each line starts, so the line of many positions is found by binary search rather than
/// by counting from the start of the file each time.
struct Lines(Vec<usize>);

impl Lines {
    fn of(src: &str) -> Lines {
        Lines(std::iter::once(0).chain(src.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1)).collect())
    }

    /// The line (from 1) holding byte `pos`.
    fn line(&self, pos: usize) -> usize {
        self.0.partition_point(|&start| start <= pos)
    }
}

fn line_col(src: &str, pos: usize) -> (usize, usize) {
    let before = &src.as_bytes()[..pos.min(src.len())];
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    (before.iter().filter(|&&b| b == b'\n').count() + 1, before.len() - line_start + 1)
}

fn malformed(src: &str, pos: u64, error: impl std::fmt::Display) -> Text {
    let (line, col) = line_col(src, pos as usize);
    why(
        format!("the file is not well-formed XML (line {line}, column {col}): {error}"),
        format!("文件不是格式正确的 XML（第 {line} 行，第 {col} 列）：{error}"),
    )
}

fn element(e: &BytesStart, pos: usize) -> Result<Node, String> {
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        attrs.push((a.key.as_ref().to_owned(), a.normalized_value(XmlVersion::Implicit1_0).map_err(|e| e.to_string())?.into_owned()));
    }
    Ok(Node { name: e.name().as_ref().to_owned(), attrs, pos, ..Node::default() })
}

/// Elements a file may have: Moodle writes 40 to 60 for a multiple-choice question (four per
/// answer, two per feedback, hints, tags), and categories add their own, so 200 a question leaves
/// room for any real bank of [`MAX_FILE_QUESTIONS`] while bounding the tree's memory (about 30 MB
/// at most) whatever the file holds.
const MAX_ELEMENTS: usize = 200 * MAX_FILE_QUESTIONS;

/// The whole document as a tree under a nameless root: Moodle files are small.
fn tree(src: &str) -> Result<Node, Text> {
    let mut reader = Reader::from_str(src);
    let mut stack = vec![Node::default()];
    let mut elements = 0;
    loop {
        let pos = reader.buffer_position();
        let event = reader.read_event().map_err(|e| malformed(src, reader.error_position(), e))?;
        let top = stack.len() - 1;
        if matches!(event, Event::Start(_) | Event::Empty(_)) {
            elements += 1;
            if elements > MAX_ELEMENTS {
                return Err(why(
                    format!(
                        "the file has more than {MAX_ELEMENTS} XML elements; a Moodle file of {MAX_FILE_QUESTIONS} questions has far fewer"
                    ),
                    format!("文件中的 XML 元素超过 {MAX_ELEMENTS} 个；{MAX_FILE_QUESTIONS} 道题的 Moodle 文件远没有这么多"),
                ));
            }
        }
        match event {
            // Moodle files nest six deep; a deeper one is not Moodle's and would only cost stack.
            Event::Start(_) if top > 20 => return Err(malformed(src, pos, "elements nested too deeply")),
            Event::Start(e) => stack.push(element(&e, pos as usize).map_err(|e| malformed(src, pos, e))?),
            Event::Empty(e) => stack[top].children.push(element(&e, pos as usize).map_err(|e| malformed(src, pos, e))?),
            Event::End(_) if top > 0 => {
                let node = stack.remove(top);
                stack[top - 1].children.push(node);
            }
            Event::Text(t) => stack[top].text += &t.xml10_content(),
            Event::CData(t) => stack[top].text += &t.xml10_content(),
            Event::GeneralRef(r) => match r.resolve_char_ref().map_err(|e| malformed(src, pos, e))? {
                Some(c) => stack[top].text.push(c),
                None => {
                    let name = r.xml10_content();
                    let value = resolve_predefined_entity(&name).ok_or_else(|| malformed(src, pos, format!("unknown entity &{name};")))?;
                    stack[top].text += value;
                }
            },
            Event::Eof if top > 0 => return Err(malformed(src, src.len() as u64, format!("<{}> is never closed", stack[top].name))),
            Event::Eof => return Ok(stack.remove(0)),
            _ => {}
        }
    }
}

pub(super) fn parse(src: &str) -> Result<Vec<Parsed>, ImportError> {
    let doc = tree(src).map_err(ImportError::file)?;
    let quiz = doc.child("quiz").ok_or_else(|| {
        ImportError::file(why(
            "this is not a Moodle XML question file: it has no <quiz> element",
            "这不是 Moodle XML 题目文件：其中没有 <quiz> 元素",
        ))
    })?;
    let questions: Vec<&Node> = quiz.all("question").filter(|q| q.attr("type") != Some("category")).collect();
    if questions.len() > MAX_FILE_QUESTIONS {
        return Err(too_many_questions());
    }
    let lines = Lines::of(src);
    Ok(questions.into_iter().map(|q| question(&lines, q)).collect())
}

fn question(lines: &Lines, q: &Node) -> Parsed {
    let name = q.text("name").unwrap_or_default().trim().to_owned();
    let label = if name.is_empty() { format!(" (line {})", lines.line(q.pos)) } else { format!(" \"{}\"", quote(&name)) };
    let points = q
        .child("defaultgrade")
        .and_then(|g| g.text.trim().parse::<f64>().ok())
        .map(f64::round)
        .filter(|p| (1.0..=100.0).contains(p))
        .map(|p| p as u32);
    let (text, explain) = (q.text("questiontext").unwrap_or_default(), q.text("generalfeedback"));
    // Percent in the attribute; files from Moodle 1.x give it as a <fraction> child instead,
    // which Moodle still reads (as a share of 1, or written as percent).
    let fraction = |a: &Node| match (a.attr("fraction"), a.child("fraction")) {
        (Some(f), _) => f.trim().parse::<f64>().unwrap_or(f64::NAN),
        (None, Some(child)) => child.text.trim().parse::<f64>().map_or(f64::NAN, |f| if f.abs() <= 1.0 { f * 100.0 } else { f }),
        (None, None) => 0.0,
    };
    let own = |a: &Node, name: &str| a.child(name).map(|t| t.text.clone()).unwrap_or_default();
    // An answer's text outside a <text> element is Moodle 1.x's form, still read.
    let answer_text = |a: &Node| a.child("text").map_or_else(|| a.text.trim().to_owned(), |t| t.text.clone());
    let answers = || q.all("answer").map(|a| (fraction(a), answer_text(a)));
    let body = match q.attr("type").unwrap_or("") {
        "multichoice" if q.child("single").is_some_and(|s| matches!(s.text.trim(), "false" | "0")) => Err(why(
            "lets learners choose several answers (<single>false</single>); TCP Lab's multiple choice takes one",
            "允许学习者选择多个答案（<single>false</single>）；TCP Lab 的选择题只能选一个",
        )),
        "multichoice" => Ok(Body::Choice { text, answers: answers().collect(), explain }),
        "truefalse" => match answers().filter(|(f, _)| is(*f, 100.0)).map(|(_, t)| t.trim().to_ascii_lowercase()).collect::<Vec<_>>()[..] {
            [ref right] if right == "true" || right == "false" => Ok(Body::TrueFalse { text, right: right == "true", explain }),
            _ => Err(why("has no single right answer, true or false", "没有唯一的正确答案（true 或 false）")),
        },
        "numerical" => {
            let unit = q
                .child("units")
                .and_then(|u| u.all("unit").find(|u| u.child("multiplier").is_none_or(|m| m.text.trim().parse() == Ok(1.0))));
            let answers = q.all("answer").map(|a| (fraction(a), (answer_text(a), own(a, "tolerance"))));
            Ok(Body::Numeric { text, answers: answers.collect(), unit: unit.map(|u| own(u, "unit_name")), explain })
        }
        "calculated" if model_tag(q).is_some() => model_tag(q).ok_or_else(|| why("", "")),
        kind => Ok(Body::Other(kind_name(kind))),
    };
    Parsed { label, points, body }
}

/// TCP Lab's own model question, exported as a calculated question with its tag.
fn model_tag(q: &Node) -> Option<Body> {
    let tags = q.child("tags")?;
    let tag = tags.all("tag").filter_map(|t| t.child("text")).find_map(|t| t.text.trim().strip_prefix(MODEL_TAG))?;
    let mut parts = tag.split_whitespace();
    let scenario = parts.next()?.parse().ok()?;
    let step = parts.next()?.parse().ok()?;
    let field = parts.next()?;
    let field = Field::ALL.into_iter().find(|f| f.as_str() == field)?;
    Some(Body::Model { scenario, step, field })
}

/// A Moodle question type as an instructor knows it, in both languages.
fn kind_name(kind: &str) -> Text {
    let (en, zh) = match kind {
        "shortanswer" => ("short answer", "简答"),
        "essay" => ("essay", "论述"),
        "matching" => ("matching", "匹配"),
        "description" => ("description", "说明"),
        "cloze" | "multianswer" => ("cloze (embedded answers)", "完形填空（嵌入式答案）"),
        "ddwtos" => ("drag and drop into text", "拖放到文本"),
        "gapselect" => ("select missing words", "选择缺失的词"),
        "ddimageortext" => ("drag and drop onto image", "拖放到图片"),
        "ddmarker" => ("drag and drop markers", "拖放标记"),
        "calculated" | "calculatedsimple" | "calculatedmulti" => ("calculated", "计算"),
        "randomsamatch" => ("random short-answer matching", "随机简答匹配"),
        "" => ("untyped", "无类型"),
        other => {
            let other = quote(other);
            return why(other.clone(), other);
        }
    };
    why(en, zh)
}
