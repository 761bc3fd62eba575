//! A quiz as an instructor writes it, and the checks that keep a bad one from being saved.

use serde::{Deserialize, Serialize};

use crate::lang::Text;
use crate::quiz::{Choice, Field, Kind};
use crate::tcp::{ScenarioId, Side};

/// Questions a quiz may hold: a question bank to draw from (`Quiz::draw`).
pub const MAX_ITEMS: usize = 500;
/// Questions one attempt may ask: enough for an exam; a longer one is better split.
pub const MAX_ASKED: usize = 50;
/// Points a single question may carry.
pub const MAX_POINTS: u32 = 100;
const MAX_TITLE: usize = 200;
const MAX_TEXT: usize = 4000;

/// When learners see their score and the right answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ScoreVisibility {
    /// As soon as they submit.
    #[default]
    Immediately,
    /// Once the quiz has closed, so nobody passes answers on while it is open.
    AfterClose,
    /// Never: the instructor goes over the results in class.
    Never,
}

impl ScoreVisibility {
    pub fn as_str(self) -> &'static str {
        match self {
            ScoreVisibility::Immediately => "immediately",
            ScoreVisibility::AfterClose => "after_close",
            ScoreVisibility::Never => "never",
        }
    }

    pub fn parse(text: &str) -> Option<ScoreVisibility> {
        [ScoreVisibility::Immediately, ScoreVisibility::AfterClose, ScoreVisibility::Never].into_iter().find(|v| v.as_str() == text)
    }
}

/// Which of a learner's attempts counts in the results and the gradebook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Counted {
    /// The best score (the earliest of equal ones): trying again can only help.
    #[default]
    Best,
    /// The latest hand-in: a retake replaces the earlier score, as in a mastery course.
    Latest,
}

impl Counted {
    pub fn as_str(self) -> &'static str {
        match self {
            Counted::Best => "best",
            Counted::Latest => "latest",
        }
    }
}

/// Read from the text the database stores (`Counted::as_str`).
impl TryFrom<String> for Counted {
    type Error = String;

    fn try_from(text: String) -> Result<Counted, String> {
        [Counted::Best, Counted::Latest]
            .into_iter()
            .find(|c| c.as_str() == text)
            .ok_or_else(|| format!("{text:?} is not a counted attempt"))
    }
}

/// Read from the text the database stores (`ScoreVisibility::as_str`).
impl TryFrom<String> for ScoreVisibility {
    type Error = String;

    fn try_from(text: String) -> Result<ScoreVisibility, String> {
        ScoreVisibility::parse(&text).ok_or_else(|| format!("{text:?} is not a score visibility"))
    }
}

/// A quiz as saved by the editor. Times are Unix seconds (UTC); `None` means no limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    pub title: String,
    #[serde(default)]
    pub items: Vec<Item>,
    /// A draft is visible to its instructor only.
    #[serde(default)]
    pub published: bool,
    #[serde(default)]
    pub opens_at: Option<i64>,
    #[serde(default)]
    pub closes_at: Option<i64>,
    /// How many times a learner may submit it (their best counts).
    #[serde(default = "one")]
    pub attempts_allowed: u32,
    #[serde(default)]
    pub show_scores: ScoreVisibility,
    /// Seconds an attempt may last from its start, enforced by the server; `None`: no limit.
    /// An attempt started near the close still ends at the close.
    #[serde(default)]
    pub time_limit_s: Option<u32>,
    /// Which attempt counts when a learner has several.
    #[serde(default)]
    pub counted: Counted,
    /// A pool: each attempt is given this many of the questions, its own pick (in the quiz's
    /// order); `None` gives every question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draw: Option<u32>,
}

/// The shortest and longest time limit an attempt may have.
pub const TIME_LIMITS_S: std::ops::RangeInclusive<u32> = 60..=24 * 3600;

fn one() -> u32 {
    1
}

fn is_field(kind: &Kind) -> bool {
    *kind == Kind::Field
}

impl Default for Quiz {
    fn default() -> Quiz {
        Quiz {
            title: String::new(),
            items: Vec::new(),
            published: false,
            opens_at: None,
            closes_at: None,
            attempts_allowed: 1,
            show_scores: ScoreVisibility::Immediately,
            time_limit_s: None,
            counted: Counted::Best,
            draw: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub points: u32,
    pub question: ItemBody,
}

/// One question of a quiz.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum ItemBody {
    /// A question about one step of a model scenario, of any practice kind; every learner gets
    /// their own ISNs and byte counts, so their numbers differ and copying a neighbour's answer
    /// does not help.
    Model {
        scenario: ScenarioId,
        step: usize,
        /// The field asked for (`kind` field) or shown wrong (`spot_error`); unused otherwise.
        field: Field,
        /// A field (the default, which older quizzes are), an end's state after the step, the
        /// whole segment, or which field of the shown segment is wrong and its right value.
        #[serde(default, skip_serializing_if = "is_field")]
        kind: Kind,
        /// The end a state question asks about.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        side: Option<Side>,
    },
    /// Exactly one right choice; each learner sees the choices in their own order.
    Choice {
        text: Text,
        choices: Vec<Choice>,
        #[serde(default)]
        explain: Option<Text>,
    },
    /// A number, right within `tolerance` either way.
    Numeric {
        text: Text,
        answer: f64,
        #[serde(default)]
        tolerance: f64,
        #[serde(default)]
        unit: Option<Text>,
        #[serde(default)]
        explain: Option<Text>,
    },
}

/// What is wrong with a quiz: the field (a JSON path such as `items[2].question.choices`) and why,
/// in every language (the editor shows it to an instructor reading either).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub field: String,
    pub message: Text,
}

fn problem(field: impl Into<String>, en: impl Into<String>, zh_cn: impl Into<String>) -> Problem {
    Problem { field: field.into(), message: Text::new(en, zh_cn) }
}

/// The first control character of `text` other than those `allowed`, with its place (from 1).
/// Such characters cannot be shown, and Moodle XML cannot hold them at all.
fn control_char(text: &str, allowed: &[char]) -> Option<(usize, char)> {
    text.chars().enumerate().find(|(_, c)| c.is_control() && !allowed.contains(c)).map(|(i, c)| (i + 1, c))
}

/// Where `text` has a control character, the problem naming it; `allowed` says, in English and
/// Chinese, what may be used instead.
fn control_problem(field: impl Into<String>, (at, c): (usize, char), allowed: (&str, &str)) -> Problem {
    problem(
        field,
        format!("remove the control character U+{:04X} (character {at}); {}", c as u32, allowed.0),
        format!("请删除控制字符 U+{:04X}（第 {at} 个字符）；{}", c as u32, allowed.1),
    )
}

/// English present (Chinese may wait: a reader of Chinese sees the English, marked as not
/// translated), neither too long, and nothing but printable text, line breaks and tabs. Text is
/// stored as written and escaped where shown.
fn check_text(path: &str, text: &Text, out: &mut Vec<Problem>) {
    for (lang, t) in [("en", &text.en), ("zh-CN", &text.zh_cn)] {
        if let Some(found) = control_char(t, &['\n', '\t']) {
            out.push(control_problem(format!("{path}.{lang}"), found, ("only line breaks and tabs may be used", "只能使用换行和制表符")));
        } else if t.trim().is_empty() && lang == "en" {
            out.push(problem(
                format!("{path}.{lang}"),
                "write the text in English (Chinese may follow later)",
                "请写出英文文本（中文可以以后再补）",
            ));
        } else if t.chars().count() > MAX_TEXT {
            out.push(problem(format!("{path}.{lang}"), format!("at most {MAX_TEXT} characters"), format!("最多 {MAX_TEXT} 个字符")));
        }
    }
}

impl Quiz {
    /// Every problem, each naming its field; empty when the quiz can be saved.
    pub fn check(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let title = self.title.trim();
        if let Some(found) = control_char(title, &[]) {
            out.push(control_problem("title", found, ("a title is one line of text", "标题只占一行")));
        } else if title.is_empty() {
            out.push(problem("title", "give the quiz a title", "请给测验起一个标题"));
        } else if title.chars().count() > MAX_TITLE {
            out.push(problem("title", format!("at most {MAX_TITLE} characters"), format!("最多 {MAX_TITLE} 个字符")));
        }
        if !(1..=20).contains(&self.attempts_allowed) {
            out.push(problem("attempts_allowed", "allow 1 to 20 attempts", "允许作答 1 到 20 次"));
        }
        if self.time_limit_s.is_some_and(|s| !TIME_LIMITS_S.contains(&s)) {
            out.push(problem("time_limit_s", "a time limit is 1 minute to 24 hours", "限时为 1 分钟到 24 小时"));
        }
        if let (Some(open), Some(close)) = (self.opens_at, self.closes_at)
            && close <= open
        {
            out.push(problem("closes_at", "the quiz must close after it opens", "测验的关闭时间必须晚于开放时间"));
        }
        if self.items.len() > MAX_ITEMS {
            out.push(problem("items", format!("at most {MAX_ITEMS} questions"), format!("最多 {MAX_ITEMS} 道题")));
        }
        match self.draw {
            Some(n) if n == 0 || n as usize > self.items.len().max(1) => out.push(problem(
                "draw",
                format!("draw 1 to {} questions (the quiz has {})", self.items.len().max(1), self.items.len()),
                format!("抽取的题数应为 1 到 {}（测验共有 {} 道题）", self.items.len().max(1), self.items.len()),
            )),
            Some(n) if n as usize > MAX_ASKED => out.push(problem(
                "draw",
                format!("a learner is asked at most {MAX_ASKED} questions"),
                format!("每位学习者最多回答 {MAX_ASKED} 道题"),
            )),
            None if self.items.len() > MAX_ASKED && self.items.len() <= MAX_ITEMS => out.push(problem(
                "items",
                format!(
                    "a learner is asked at most {MAX_ASKED} questions: draw at most {MAX_ASKED} of these {} for each",
                    self.items.len()
                ),
                format!("每位学习者最多回答 {MAX_ASKED} 道题：请为每人从这 {} 道题中最多抽取 {MAX_ASKED} 道", self.items.len()),
            )),
            _ => {}
        }
        // In a pool every pick must be out of the same, or learners' maxima would differ.
        if self.draw.is_some()
            && let Some(first) = self.items.first()
            && let Some(i) = self.items.iter().position(|it| it.points != first.points)
        {
            out.push(problem(
                format!("items[{i}].points"),
                format!("every question of a pool carries the same points ({}), so every learner's pick is out of the same", first.points),
                format!("题库抽题时每道题的分值必须相同（{} 分），这样每位学习者的满分才一样", first.points),
            ));
        }
        if self.published && self.items.is_empty() {
            out.push(problem("items", "a published quiz needs at least one question", "发布的测验至少要有一道题"));
        }
        for (i, item) in self.items.iter().enumerate() {
            item.check(&format!("items[{i}]"), &mut out);
        }
        out
    }
}

impl Item {
    fn check(&self, path: &str, out: &mut Vec<Problem>) {
        if !(1..=MAX_POINTS).contains(&self.points) {
            out.push(problem(
                format!("{path}.points"),
                format!("points must be 1 to {MAX_POINTS}"),
                format!("分值必须是 1 到 {MAX_POINTS}"),
            ));
        }
        let q = format!("{path}.question");
        match &self.question {
            ItemBody::Model { scenario, step, field, kind, side } => {
                if let Err(e) = super::variant::model_item_question(0, *scenario, *step, *field, *kind, *side) {
                    let zh_cn = match e.field {
                        "scenario" => "这个场景不能用在测验中",
                        "step" => "这一步不是该场景中的报文段",
                        "field" => "在这一步不能考这个字段（这个报文段没有 ACK 标志，也就没有确认号）",
                        "side" => "状态题要指明问的是哪一端",
                        _ => "这道题无法生成",
                    };
                    out.push(problem(format!("{q}.{}", e.field), e.message, zh_cn));
                }
            }
            ItemBody::Choice { text, choices, explain } => {
                check_text(&format!("{q}.text"), text, out);
                if let Some(explain) = explain {
                    check_text(&format!("{q}.explain"), explain, out);
                }
                if !(2..=10).contains(&choices.len()) {
                    out.push(problem(format!("{q}.choices"), "give 2 to 10 choices", "请给出 2 到 10 个选项"));
                }
                let right = choices.iter().filter(|c| c.correct).count();
                if right != 1 {
                    out.push(problem(
                        format!("{q}.choices"),
                        format!("mark exactly one choice as right ({right} are)"),
                        format!("请只把一个选项标为正确（现在有 {right} 个）"),
                    ));
                }
                for (j, c) in choices.iter().enumerate() {
                    check_text(&format!("{q}.choices[{j}].text"), &c.text, out);
                }
            }
            ItemBody::Numeric { text, answer, tolerance, unit, explain } => {
                check_text(&format!("{q}.text"), text, out);
                if !answer.is_finite() {
                    out.push(problem(format!("{q}.answer"), "the answer must be a number", "答案必须是一个数字"));
                }
                if !tolerance.is_finite() || *tolerance < 0.0 {
                    out.push(problem(format!("{q}.tolerance"), "the tolerance must be 0 or more", "允许误差必须大于或等于 0"));
                }
                if let Some(unit) = unit {
                    check_text(&format!("{q}.unit"), unit, out);
                }
                if let Some(explain) = explain {
                    check_text(&format!("{q}.explain"), explain, out);
                }
            }
        }
    }
}

impl Quiz {
    /// How many questions an attempt is given: the pool's draw, else all.
    pub fn asked(&self) -> usize {
        self.draw.map_or(self.items.len(), |d| (d as usize).min(self.items.len()))
    }

    /// The points an attempt is out of. A pool's questions all carry the same points (the check
    /// says so), so every learner's pick is out of the same.
    pub fn max_points(&self) -> u32 {
        match self.draw {
            Some(_) => self.items.first().map_or(0, |i| i.points) * self.asked() as u32,
            None => self.items.iter().map(|i| i.points).sum(),
        }
    }
}
