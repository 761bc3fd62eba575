//! One question of a class quiz as the learner sees it, with its answer inputs. The editor's
//! preview shows the same component, so an instructor sees exactly what learners will.

use leptos::prelude::*;
use tcplab_core::api::StepTexts;
use tcplab_core::classroom::{ItemGrade, ItemPrompt};
use tcplab_core::quiz::Answer;
use tcplab_core::quiz::{Field, Kind, Prompt, parse_flags};
use tcplab_core::tcp::{Flags, TcpState};

use crate::components::player::{Numbering, RunPlayer};
use crate::components::question::{AskedStep, FlagsInput, Givens, field_label, side_label};
use crate::i18n::{Key, use_i18n};

/// What the learner has typed or picked for one question, until it is read into an answer.
#[derive(Clone, Copy)]
pub(super) struct AnswerInput {
    /// A number, or a spot-the-error question's right value (which may be flags).
    number: RwSignal<String>,
    flags: RwSignal<Flags>,
    choice: RwSignal<Option<usize>>,
    state: RwSignal<Option<TcpState>>,
    /// A whole segment's numbers, as typed.
    seq: RwSignal<String>,
    ack: RwSignal<String>,
    len: RwSignal<String>,
    /// The field a spot-the-error answer names.
    wrong_field: RwSignal<Option<Field>>,
}

/// Digits only, within u32: seq, ack and length.
fn whole(text: &str) -> Option<u32> {
    let text = halfwidth(text);
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) { text.parse().ok() } else { None }
}

/// Any finite decimal, such as `0.5` or `-3`.
fn decimal(text: &str) -> Option<f64> {
    halfwidth(text).parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A Chinese input method in full-width mode types `１２３．５`; read it as `123.5`.
fn halfwidth(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' | '。' => '.',
            '－' => '-',
            other => other,
        })
        .collect()
}

impl AnswerInput {
    pub(super) fn new() -> AnswerInput {
        AnswerInput {
            number: RwSignal::new(String::new()),
            flags: RwSignal::new(Flags::default()),
            choice: RwSignal::new(None),
            state: RwSignal::new(None),
            seq: RwSignal::new(String::new()),
            ack: RwSignal::new(String::new()),
            len: RwSignal::new(String::new()),
            wrong_field: RwSignal::new(None),
        }
    }

    /// The answer to send: an empty input is a blank (handing in an unfinished quiz is allowed);
    /// a number box holding something else is the message to show instead.
    pub(super) fn read(self, prompt: &ItemPrompt) -> Result<Answer, Key> {
        let text = self.number.get_untracked().trim().to_owned();
        match prompt {
            ItemPrompt::Model { prompt } => match prompt.kind {
                Kind::Field if prompt.field == Some(Field::Flags) => {
                    let value = self.flags.get_untracked();
                    Ok(if value == Flags::default() { Answer::Blank } else { Answer::Flags { value } })
                }
                Kind::Field if text.is_empty() => Ok(Answer::Blank),
                Kind::Field => whole(&text).map(Answer::number).ok_or(Key::QuizNotANumber),
                Kind::State => Ok(self.state.get_untracked().map_or(Answer::Blank, |value| Answer::State { value })),
                Kind::Next => {
                    let flags = self.flags.get_untracked();
                    let [seq, ack, len] = [self.seq, self.ack, self.len].map(|s| s.get_untracked().trim().to_owned());
                    if flags == Flags::default() && seq.is_empty() && ack.is_empty() && len.is_empty() {
                        return Ok(Answer::Blank);
                    }
                    // A segment without ACK carries no acknowledgement number: empty is 0.
                    let ack = if ack.is_empty() && !flags.ack { Some(0) } else { whole(&ack) };
                    match (whole(&seq), ack, whole(&len)) {
                        (Some(seq), Some(ack), Some(len)) => Ok(Answer::Segment { flags, seq, ack, len }),
                        _ => Err(Key::QuizNotANumber),
                    }
                }
                Kind::SpotError => match (self.wrong_field.get_untracked(), text.is_empty()) {
                    (None, true) => Ok(Answer::Blank),
                    // The value is what the field holds: flags such as SYN+ACK, else a number.
                    (Some(Field::Flags), false) => parse_flags(&text)
                        .map(|_| Answer::Error { field: Field::Flags, value: text.clone() })
                        .ok_or(Key::AttemptSpotIncomplete),
                    (Some(field), false) => whole(&text).map(|n| Answer::Error { field, value: n.to_string() }).ok_or(Key::QuizNotANumber),
                    _ => Err(Key::AttemptSpotIncomplete),
                },
            },
            ItemPrompt::Choice { .. } => Ok(self.choice.get_untracked().map_or(Answer::Blank, |index| Answer::Choice { index })),
            _ if text.is_empty() => Ok(Answer::Blank),
            ItemPrompt::Numeric { .. } => decimal(&text).map(|value| Answer::Number { value }).ok_or(Key::AttemptNotADecimal),
        }
    }

    /// Makes the running effect depend on everything typed or picked here.
    pub(super) fn track(self) {
        self.number.track();
        self.flags.track();
        self.choice.track();
        self.state.track();
        self.seq.track();
        self.ack.track();
        self.len.track();
        self.wrong_field.track();
    }

    /// Shows an answer already saved or handed in.
    pub(super) fn fill(self, answer: &Answer) {
        match answer {
            Answer::Number { value } => self.number.set(value.to_string()),
            Answer::Flags { value } => self.flags.set(*value),
            Answer::Choice { index } => self.choice.set(Some(*index)),
            Answer::State { value } => self.state.set(Some(*value)),
            Answer::Segment { flags, seq, ack, len } => {
                self.flags.set(*flags);
                self.seq.set(seq.to_string());
                self.ack.set(ack.to_string());
                self.len.set(len.to_string());
            }
            Answer::Error { field, value } => {
                self.wrong_field.set(Some(*field));
                self.number.set(value.clone());
            }
            // A blank clears what this page may hold (a stale tab shown the server's copy).
            Answer::Blank => {
                for s in [self.number, self.seq, self.ack, self.len] {
                    s.set(String::new());
                }
                self.flags.set(Flags::default());
                self.choice.set(None);
                self.state.set(None);
                self.wrong_field.set(None);
            }
        }
    }
}

/// An answer as text: a number, flags such as `SYN+ACK`, or the chosen text in this learner's
/// order. Reactive in the language when called inside the view.
pub(super) fn answer_text(answer: &Answer, prompt: &ItemPrompt) -> String {
    let i18n = use_i18n();
    match answer {
        Answer::Blank => i18n.t(Key::ResultsBlank)().to_owned(),
        Answer::Choice { index } => match prompt {
            ItemPrompt::Choice { choices, .. } => choices.get(*index).map(|c| i18n.pick(c)).unwrap_or_default(),
            _ => index.to_string(),
        },
        other => crate::pages::quiz::answer_text(other),
    }
}

/// Question `index` (from 0) with its inputs; `locked` once handed in.
#[component]
pub(super) fn PromptView(
    index: usize,
    prompt: ItemPrompt,
    input: AnswerInput,
    #[prop(into)] texts: Signal<Option<StepTexts>>,
    #[prop(into)] locked: Signal<bool>,
    /// The graded item once handed in (and shown), to mark the learner's choice.
    #[prop(into, optional)]
    grade: Signal<Option<ItemGrade>>,
    /// An instructor reading a learner's attempt: the numbers are theirs, not the reader's.
    #[prop(optional)]
    reviewing: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    // Each question's inputs sit in a fieldset that is disabled once handed in; the scenario
    // player stays outside it, so the steps can still be replayed.
    match prompt {
        ItemPrompt::Model { prompt } => {
            view! { <ModelPrompt index=index prompt=prompt input=input texts=texts locked=locked reviewing=reviewing /> }.into_any()
        }
        ItemPrompt::Choice { text, choices } => view! {
            <p class="ask" data-testid="question-text">{move || i18n.pick(&text)}</p>
            <fieldset class="choices attempt-answer" disabled=move || locked.get()>
                <legend>{t(Key::QuizChooseOne)}</legend>
                {choices.into_iter().enumerate().map(|(k, c)| {
                    // Once graded: the learner's choice marked right or wrong in words and
                    // colour (not only a greyed-out radio), and the right one when it was missed.
                    let mark = move || {
                        let grading = grade.get()?.grading;
                        let chosen = input.choice.get() == Some(k);
                        let right = matches!(grading.expected, Answer::Choice { index } if index == k);
                        match (chosen, right) {
                            (true, true) => Some(("choice chosen right", format!("✓ {}", t(Key::AttemptYourChoice)()))),
                            (true, false) => Some(("choice chosen wrong", format!("✗ {}", t(Key::AttemptYourChoice)()))),
                            (false, true) => Some(("choice right", t(Key::AttemptRightChoice)().to_owned())),
                            (false, false) => None,
                        }
                    };
                    view! {
                        <label class=move || mark().map_or("choice", |(class, _)| class) data-testid=format!("attempt-choice-label-{index}-{k}")>
                            <input type="radio" name=format!("attempt-{index}") data-testid=format!("attempt-choice-{index}-{k}")
                                prop:checked=move || input.choice.get() == Some(k)
                                on:change=move |_| input.choice.set(Some(k)) />
                            " " {move || i18n.pick(&c)}
                            {move || mark().map(|(_, words)| view! { " " <span class="choice-mark">{words}</span> })}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
        }
        .into_any(),
        ItemPrompt::Numeric { text, unit } => {
            let label = move || match &unit {
                Some(u) => format!("{} ({})", t(Key::QuizYourAnswer)(), i18n.pick(u)),
                None => t(Key::QuizYourAnswer)().to_owned(),
            };
            view! {
                <p class="ask" data-testid="question-text">{move || i18n.pick(&text)}</p>
                <fieldset class="attempt-answer" disabled=move || locked.get()>
                    <NumberBox index=index input=input label=Signal::derive(label) decimals=true />
                </fieldset>
            }
            .into_any()
        }
    }
}

/// A model question: the learner's numbers, the steps so far, the asked segment and the blank.
#[component]
fn ModelPrompt(
    index: usize,
    prompt: Prompt,
    input: AnswerInput,
    texts: Signal<Option<StepTexts>>,
    locked: Signal<bool>,
    reviewing: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let scenario = prompt.scenario;
    let title = move || {
        texts.with(|x| x.as_ref().and_then(|x| x.scenarios.get(scenario.as_str()).cloned())).unwrap_or_else(|| scenario.title().to_owned())
    };
    let shown = prompt.run(prompt.shown.clone());
    let (kind, side) = (prompt.kind, prompt.side);
    let field = prompt.field.unwrap_or(Field::Seq);
    let ask = match kind {
        Kind::Field => Key::QuizAskField,
        Kind::State => Key::QuizAskState,
        Kind::Next => Key::QuizAskNext,
        Kind::SpotError => Key::QuizAskSpotError,
    };
    let number_label = move |key: Key| Signal::derive(move || t(key)().to_owned());
    let inputs = match kind {
        Kind::Field if field == Field::Flags => view! { <FlagsInput flags=input.flags testid=format!("attempt-flag-{index}") /> }.into_any(),
        Kind::Field => view! { <NumberBox index=index input=input label=number_label(field_label(field)) decimals=false /> }.into_any(),
        Kind::State => view! {
            <label class="field">
                <span>{t(Key::QuizAskState)}</span>
                <select data-testid=format!("attempt-state-{index}") on:change=move |ev| input.state.set(TcpState::parse(&event_target_value(&ev)))>
                    <option value="">"—"</option>
                    {TcpState::ALL.into_iter().map(|s| view! {
                        <option value=s.name() prop:selected=move || input.state.get() == Some(s)>{s.name()}</option>
                    }).collect_view()}
                </select>
            </label>
        }
        .into_any(),
        Kind::Next => view! {
            <FlagsInput flags=input.flags testid=format!("attempt-flag-{index}") />
            <div class="row">
                <TextBox testid=format!("attempt-seq-{index}") label=Key::QuizFieldSeq value=input.seq />
                <TextBox testid=format!("attempt-ack-{index}") label=Key::QuizFieldAck value=input.ack />
                <TextBox testid=format!("attempt-len-{index}") label=Key::QuizFieldLen value=input.len />
            </div>
        }
        .into_any(),
        Kind::SpotError => view! {
            <label class="field">
                <span>{t(Key::QuizWrongField)}</span>
                <select data-testid=format!("attempt-wrong-field-{index}") on:change=move |ev| {
                    let v = event_target_value(&ev);
                    input.wrong_field.set(Field::ALL.into_iter().find(|f| f.as_str() == v));
                }>
                    <option value="">"—"</option>
                    {Field::ALL.into_iter().map(|f| view! {
                        <option value=f.as_str() prop:selected=move || input.wrong_field.get() == Some(f)>{t(field_label(f))}</option>
                    }).collect_view()}
                </select>
            </label>
            <TextBox testid=format!("attempt-value-{index}") label=Key::QuizRightValue value=input.number />
        }
        .into_any(),
    };
    view! {
        <p class="scenario-title" data-testid="question-scenario" data-scenario=scenario.as_str()>{title}</p>
        <h3>{t(if reviewing { Key::AttemptTheirNumbers } else { Key::QuizGivens })}</h3>
        <Givens prompt=prompt.clone() />
        <h3>{t(Key::QuizSoFar)}</h3>
        {if shown.steps.is_empty() {
            view! { <p class="note">{t(Key::QuizFirstStep)}</p> }.into_any()
        } else {
            view! { <RunPlayer run=shown texts=texts numbering=Numbering::Absolute at_end=true label="attempt" /> }.into_any()
        }}
        <AskedStep prompt=prompt />
        <p class="ask" data-testid="question-text" data-kind=kind.as_str()>
            {t(ask)}
            {side.map(|s| view! { " (" {t(side_label(s))} ")" })}
            {(kind == Kind::Field).then(|| view! { " " <strong>{t(field_label(field))}</strong> })}
        </p>
        <fieldset class="attempt-answer" disabled=move || locked.get()>{inputs}</fieldset>
    }
}

/// A text box kept as typed (a segment's numbers, a right value), read when handed in.
#[component]
fn TextBox(testid: String, label: Key, value: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field">
            <span>{i18n.t(label)}</span>
            <input type="text" autocomplete="off" data-testid=testid
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        </label>
    }
}

/// The number box of question `index`, saying at once when what is typed is not a number.
#[component]
fn NumberBox(index: usize, input: AnswerInput, label: Signal<String>, decimals: bool) -> impl IntoView {
    let i18n = use_i18n();
    let (hint, wrong) =
        if decimals { (Key::AttemptDecimalHint, Key::AttemptNotADecimal) } else { (Key::QuizNumberHint, Key::QuizNotANumber) };
    let bad = move || {
        input.number.with(|n| {
            let n = n.trim();
            !n.is_empty() && if decimals { decimal(n).is_none() } else { whole(n).is_none() }
        })
    };
    view! {
        <label class="field" class:invalid=bad>
            <span>{label}</span>
            <input type="text" autocomplete="off" inputmode=if decimals { "decimal" } else { "numeric" }
                data-testid=format!("attempt-number-{index}") aria-invalid=move || bad().to_string()
                prop:value=move || input.number.get() on:input=move |ev| input.number.set(event_target_value(&ev)) />
            <small class="hint">{move || i18n.t(if bad() { wrong } else { hint })()}</small>
        </label>
    }
}
