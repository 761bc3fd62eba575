//! The quiz as the editor's form holds it: a signal per input, with numbers kept as typed, so
//! typing `0.` on the way to `0.5` is not rewritten under the cursor. [`Draft::quiz`] reads it
//! back into a [`Quiz`], naming the field of every number that is not one.

use leptos::prelude::*;
use tcplab_core::api::classroom::EditableQuiz;
use tcplab_core::classroom::{Counted, Item, ItemBody, Quiz, ScoreVisibility};
use tcplab_core::lang::Text;
use tcplab_core::quiz::Choice;
use tcplab_core::quiz::{Field, Kind};
use tcplab_core::tcp::{ScenarioId, Side};

use super::super::time;
use crate::i18n::Key;

/// A text in both languages.
#[derive(Clone, Copy)]
pub(super) struct TextDraft {
    pub en: RwSignal<String>,
    pub zh: RwSignal<String>,
}

impl TextDraft {
    fn new(text: Option<&Text>) -> TextDraft {
        TextDraft {
            en: RwSignal::new(text.map(|t| t.en.clone()).unwrap_or_default()),
            zh: RwSignal::new(text.map(|t| t.zh_cn.clone()).unwrap_or_default()),
        }
    }

    fn text(self) -> Text {
        Text { en: self.en.get(), zh_cn: self.zh.get() }
    }

    /// An optional text (unit, explanation) left empty in both languages is none.
    fn optional(self) -> Option<Text> {
        let t = self.text();
        (!(t.en.trim().is_empty() && t.zh_cn.trim().is_empty())).then_some(t)
    }
}

#[derive(Clone, Copy)]
pub(super) struct ChoiceDraft {
    pub text: TextDraft,
    pub correct: RwSignal<bool>,
}

impl ChoiceDraft {
    pub(super) fn new(choice: Option<&Choice>) -> ChoiceDraft {
        ChoiceDraft { text: TextDraft::new(choice.map(|c| &c.text)), correct: RwSignal::new(choice.is_some_and(|c| c.correct)) }
    }
}

/// A model question: which scenario, which of its segments, what is asked (a field, an end's
/// state, the segment, the wrong field) and, as the kind needs, the field or the end.
#[derive(Clone, Copy)]
pub(super) struct ModelDraft {
    pub scenario: RwSignal<ScenarioId>,
    pub step: RwSignal<usize>,
    pub field: RwSignal<Field>,
    pub kind: RwSignal<Kind>,
    pub side: RwSignal<Side>,
}

impl ModelDraft {
    /// The question as the form holds it; the end only for a state question.
    pub(super) fn body(self) -> ItemBody {
        let kind = self.kind.get();
        let side = (kind == Kind::State).then(|| self.side.get());
        ItemBody::Model { scenario: self.scenario.get(), step: self.step.get(), field: self.field.get(), kind, side }
    }
}

#[derive(Clone, Copy)]
pub(super) enum BodyDraft {
    Model(ModelDraft),
    Choice { text: TextDraft, choices: RwSignal<Vec<ChoiceDraft>>, explain: TextDraft },
    Numeric { text: TextDraft, answer: RwSignal<String>, tolerance: RwSignal<String>, unit: TextDraft, explain: TextDraft },
}

#[derive(Clone, Copy)]
pub(super) struct ItemDraft {
    pub points: RwSignal<String>,
    pub body: BodyDraft,
}

impl ItemDraft {
    pub(super) fn new(item: &Item) -> ItemDraft {
        let body = match &item.question {
            ItemBody::Model { scenario, step, field, kind, side } => BodyDraft::Model(ModelDraft {
                scenario: RwSignal::new(*scenario),
                step: RwSignal::new(*step),
                field: RwSignal::new(*field),
                kind: RwSignal::new(*kind),
                side: RwSignal::new(side.unwrap_or(Side::Client)),
            }),
            ItemBody::Choice { text, choices, explain } => BodyDraft::Choice {
                text: TextDraft::new(Some(text)),
                choices: RwSignal::new(choices.iter().map(|c| ChoiceDraft::new(Some(c))).collect()),
                explain: TextDraft::new(explain.as_ref()),
            },
            ItemBody::Numeric { text, answer, tolerance, unit, explain } => BodyDraft::Numeric {
                text: TextDraft::new(Some(text)),
                answer: RwSignal::new(answer.to_string()),
                tolerance: RwSignal::new(tolerance.to_string()),
                unit: TextDraft::new(unit.as_ref()),
                explain: TextDraft::new(explain.as_ref()),
            },
        };
        ItemDraft { points: RwSignal::new(item.points.to_string()), body }
    }

    /// A copy with its own inputs, holding what this one holds now (typos included).
    pub(super) fn copy(self) -> ItemDraft {
        let text = |t: TextDraft| TextDraft { en: fresh(t.en), zh: fresh(t.zh) };
        let body = match self.body {
            BodyDraft::Model(m) => BodyDraft::Model(ModelDraft {
                scenario: fresh(m.scenario),
                step: fresh(m.step),
                field: fresh(m.field),
                kind: fresh(m.kind),
                side: fresh(m.side),
            }),
            BodyDraft::Choice { text: t, choices, explain } => BodyDraft::Choice {
                text: text(t),
                choices: RwSignal::new(
                    choices.get_untracked().into_iter().map(|c| ChoiceDraft { text: text(c.text), correct: fresh(c.correct) }).collect(),
                ),
                explain: text(explain),
            },
            BodyDraft::Numeric { text: t, answer, tolerance, unit, explain } => BodyDraft::Numeric {
                text: text(t),
                answer: fresh(answer),
                tolerance: fresh(tolerance),
                unit: text(unit),
                explain: text(explain),
            },
        };
        ItemDraft { points: fresh(self.points), body }
    }

    /// A model question about the first segment of the first scenario, to change from there.
    pub(super) fn model() -> ItemDraft {
        let scenario = ScenarioId::Handshake;
        let step = super::model::first_segment(scenario);
        ItemDraft::new(&Item { points: 1, question: ItemBody::Model { scenario, step, field: Field::Seq, kind: Kind::Field, side: None } })
    }

    /// A multiple-choice question with two empty choices, none marked right yet.
    pub(super) fn choice() -> ItemDraft {
        let empty = Text::default();
        let choice = Choice { text: empty.clone(), correct: false };
        ItemDraft::new(&Item {
            points: 1,
            question: ItemBody::Choice { text: empty, choices: vec![choice.clone(), choice], explain: None },
        })
    }

    /// A numeric question with an empty answer.
    pub(super) fn numeric() -> ItemDraft {
        let d = ItemDraft::new(&Item {
            points: 1,
            question: ItemBody::Numeric { text: Text::default(), answer: 0.0, tolerance: 0.0, unit: None, explain: None },
        });
        if let BodyDraft::Numeric { answer, .. } = d.body {
            answer.set(String::new());
        }
        d
    }

    /// The item, each number that is not one (`items[2].question.answer`) named in `bad` and
    /// read as a stand-in, so that the rest can still be checked.
    fn item(self, path: &str, bad: &mut Vec<Invalid>) -> Item {
        let points = self.points.with(|p| p.trim().parse::<u32>()).ok();
        if points.is_none() {
            bad.push(Invalid::at(format!("{path}.points"), Key::EditorNotWhole));
        }
        let question = match self.body {
            BodyDraft::Model(m) => m.body(),
            BodyDraft::Choice { text, choices, explain } => ItemBody::Choice {
                text: text.text(),
                choices: choices.get().into_iter().map(|c| Choice { text: c.text.text(), correct: c.correct.get() }).collect(),
                explain: explain.optional(),
            },
            BodyDraft::Numeric { text, answer, tolerance, unit, explain } => {
                let mut number = |s: RwSignal<String>, name: &str, empty: Option<f64>| {
                    let v = s.get();
                    let v = v.trim();
                    let n = match (v.is_empty(), empty) {
                        (true, Some(default)) => Some(default),
                        _ => v.parse::<f64>().ok().filter(|n| n.is_finite()),
                    };
                    if n.is_none() {
                        bad.push(Invalid::at(format!("{path}.question.{name}"), Key::AttemptNotADecimal));
                    }
                    n
                };
                let (answer, tolerance) = (number(answer, "answer", None), number(tolerance, "tolerance", Some(0.0)));
                ItemBody::Numeric {
                    text: text.text(),
                    answer: answer.unwrap_or_default(),
                    tolerance: tolerance.unwrap_or_default(),
                    unit: unit.optional(),
                    explain: explain.optional(),
                }
            }
        };
        Item { points: points.unwrap_or(1), question }
    }
}

/// A new signal holding what `s` holds now.
fn fresh<T: Clone + Send + Sync + 'static>(s: RwSignal<T>) -> RwSignal<T> {
    RwSignal::new(s.get_untracked())
}

/// A value the form cannot turn into a quiz: where, and what to type instead.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Invalid {
    pub field: String,
    pub message: Key,
}

impl Invalid {
    fn at(field: String, message: Key) -> Invalid {
        Invalid { field, message }
    }
}

/// The whole form.
#[derive(Clone, Copy)]
pub(super) struct Draft {
    pub title: RwSignal<String>,
    pub published: RwSignal<bool>,
    pub opens: RwSignal<String>,
    pub closes: RwSignal<String>,
    pub attempts: RwSignal<String>,
    /// Minutes, as typed; empty for no limit.
    pub time_limit: RwSignal<String>,
    pub show: RwSignal<ScoreVisibility>,
    pub counted: RwSignal<Counted>,
    /// Questions each learner is given, as typed; empty for all of them.
    pub draw: RwSignal<String>,
    pub items: RwSignal<Vec<ItemDraft>>,
    /// Submitted attempts, for the warning that edits do not change them.
    pub submitted: RwSignal<u32>,
    /// The editor's owner: item drafts made in event handlers belong to it, not to the list's
    /// render, which disposes what it owns each time the list changes.
    owner: StoredValue<Owner>,
}

impl Draft {
    pub(super) fn new() -> Draft {
        Draft {
            title: RwSignal::new(String::new()),
            published: RwSignal::new(false),
            opens: RwSignal::new(String::new()),
            closes: RwSignal::new(String::new()),
            attempts: RwSignal::new("1".into()),
            time_limit: RwSignal::new(String::new()),
            show: RwSignal::new(ScoreVisibility::Immediately),
            counted: RwSignal::new(Counted::Best),
            draw: RwSignal::new(String::new()),
            items: RwSignal::new(Vec::new()),
            submitted: RwSignal::new(0),
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
        }
    }

    /// Runs `make` (which creates signals) as the editor's own.
    pub(super) fn own<T>(self, make: impl FnOnce() -> T) -> T {
        self.owner.with_value(|owner| owner.with(make))
    }

    /// Puts a quiz from the server into the form.
    pub(super) fn load(self, saved: &EditableQuiz) {
        let q = &saved.quiz;
        self.title.set(q.title.clone());
        self.published.set(q.published);
        self.opens.set(q.opens_at.map(time::to_input).unwrap_or_default());
        self.closes.set(q.closes_at.map(time::to_input).unwrap_or_default());
        self.attempts.set(q.attempts_allowed.to_string());
        // A limit set through the API in seconds shows as minutes with decimals.
        self.time_limit.set(
            q.time_limit_s
                .map(|s| if s.is_multiple_of(60) { (s / 60).to_string() } else { format!("{:.2}", f64::from(s) / 60.0) })
                .unwrap_or_default(),
        );
        self.show.set(q.show_scores);
        self.counted.set(q.counted);
        self.draw.set(q.draw.map(|n| n.to_string()).unwrap_or_default());
        self.submitted.set(saved.submitted);
        self.items.set(self.own(|| q.items.iter().map(ItemDraft::new).collect()));
    }

    /// The quiz to save, or every value the form cannot read. Reading every signal, it also
    /// tells a memo when anything changed.
    pub(super) fn quiz(self) -> Result<Quiz, Vec<Invalid>> {
        let (quiz, bad) = self.read();
        if bad.is_empty() { Ok(quiz) } else { Err(bad) }
    }

    /// The form as a quiz, with stand-ins for the values it cannot read, and those values'
    /// fields: the editor lists them with the quiz's own problems, all at once.
    pub(super) fn read(self) -> (Quiz, Vec<Invalid>) {
        let mut bad = Vec::new();
        let attempts = self.attempts.with(|a| a.trim().parse::<u32>()).ok();
        if attempts.is_none() {
            bad.push(Invalid::at("attempts_allowed".into(), Key::EditorNotWhole));
        }
        let time_limit_s = self.time_limit.with(|m| {
            let m = m.trim();
            if m.is_empty() {
                return Some(None);
            }
            m.parse::<f64>().ok().filter(|m| m.is_finite() && *m > 0.0 && *m <= 100_000.0).map(|m| Some((m * 60.0).round() as u32))
        });
        if time_limit_s.is_none() {
            bad.push(Invalid::at("time_limit_s".into(), Key::AttemptNotADecimal));
        }
        let draw = self.draw.with(|d| {
            let d = d.trim();
            if d.is_empty() { Some(None) } else { d.parse::<u32>().ok().map(Some) }
        });
        if draw.is_none() {
            bad.push(Invalid::at("draw".into(), Key::EditorNotWhole));
        }
        let items = self.items.get().into_iter().enumerate().map(|(i, d)| d.item(&format!("items[{i}]"), &mut bad)).collect();
        let quiz = Quiz {
            title: self.title.get(),
            items,
            published: self.published.get(),
            opens_at: self.opens.with(|t| time::from_input(t)),
            closes_at: self.closes.with(|t| time::from_input(t)),
            attempts_allowed: attempts.unwrap_or(1),
            show_scores: self.show.get(),
            time_limit_s: time_limit_s.flatten(),
            counted: self.counted.get(),
            draw: draw.flatten(),
        };
        (quiz, bad)
    }
}
