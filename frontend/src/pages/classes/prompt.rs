//! One question of a class quiz as the learner sees it, with its answer inputs. The editor's
//! preview shows the same component, so an instructor sees exactly what learners will.

use leptos::prelude::*;
use tcplab_core::api::StepTexts;
use tcplab_core::classroom::{ItemGrade, ItemPrompt};
use tcplab_core::quiz::Answer;
use tcplab_core::quiz::{Field, Prompt};
use tcplab_core::tcp::Flags;

use crate::components::player::{Numbering, RunPlayer};
use crate::components::question::{AskedStep, FlagsInput, Givens, field_label};
use crate::i18n::{Key, use_i18n};

/// What the learner has typed or picked for one question, until it is read into an answer.
#[derive(Clone, Copy)]
pub(super) struct AnswerInput {
    number: RwSignal<String>,
    flags: RwSignal<Flags>,
    choice: RwSignal<Option<usize>>,
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
        AnswerInput { number: RwSignal::new(String::new()), flags: RwSignal::new(Flags::default()), choice: RwSignal::new(None) }
    }

    /// The answer to send: an empty input is a blank (handing in an unfinished quiz is allowed);
    /// a number box holding something else is the message to show instead.
    pub(super) fn read(self, prompt: &ItemPrompt) -> Result<Answer, Key> {
        let text = self.number.get_untracked().trim().to_owned();
        match prompt {
            ItemPrompt::Model { prompt } if prompt.field == Some(Field::Flags) => {
                let value = self.flags.get_untracked();
                Ok(if value == Flags::default() { Answer::Blank } else { Answer::Flags { value } })
            }
            ItemPrompt::Choice { .. } => Ok(self.choice.get_untracked().map_or(Answer::Blank, |index| Answer::Choice { index })),
            _ if text.is_empty() => Ok(Answer::Blank),
            ItemPrompt::Model { .. } => whole(&text).map(Answer::number).ok_or(Key::QuizNotANumber),
            ItemPrompt::Numeric { .. } => decimal(&text).map(|value| Answer::Number { value }).ok_or(Key::AttemptNotADecimal),
        }
    }

    /// Makes the running effect depend on everything typed or picked here.
    pub(super) fn track(self) {
        self.number.track();
        self.flags.track();
        self.choice.track();
    }

    /// Shows an answer already saved or handed in.
    pub(super) fn fill(self, answer: &Answer) {
        match answer {
            Answer::Number { value } => self.number.set(value.to_string()),
            Answer::Flags { value } => self.flags.set(*value),
            Answer::Choice { index } => self.choice.set(Some(*index)),
            // A blank clears what this page may hold (a stale tab shown the server's copy).
            Answer::Blank => {
                self.number.set(String::new());
                self.flags.set(Flags::default());
                self.choice.set(None);
            }
            _ => {}
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
    let field = prompt.field.unwrap_or(Field::Seq);
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
        <p class="ask" data-testid="question-text">{t(Key::QuizAskField)} " " <strong>{t(field_label(field))}</strong></p>
        <fieldset class="attempt-answer" disabled=move || locked.get()>
            {if field == Field::Flags {
                view! { <FlagsInput flags=input.flags testid=format!("attempt-flag-{index}") /> }.into_any()
            } else {
                view! { <NumberBox index=index input=input label=Signal::derive(move || t(field_label(field))().to_owned()) decimals=false /> }.into_any()
            }}
        </fieldset>
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
