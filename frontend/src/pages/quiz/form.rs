//! The answer inputs for each kind of question. The form checks what it can (a number is a
//! number) and gives the page an `Answer`; whether it is right is for the server to say.

use leptos::prelude::*;
use tcplab_core::quiz::{Answer, Field, Kind, Prompt};
use tcplab_core::tcp::{Flags, TcpState};

use crate::components::question::{FlagsInput, field_label};
use crate::i18n::{Key, use_i18n};

/// Digits only, within u32.
fn read_u32(text: &str) -> Option<u32> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) { None } else { t.parse().ok() }
}

#[component]
fn NumberInput(label: Key, id: &'static str, text: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let bad = move || text.with(|t| !t.trim().is_empty() && read_u32(t).is_none());
    view! {
        <label class="field" class:invalid=bad>
            <span>{i18n.t(label)}</span>
            <input type="text" inputmode="numeric" autocomplete="off" data-testid=format!("answer-{id}")
                aria-invalid=move || bad().to_string()
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) />
            <small class="hint">{move || if bad() { i18n.t(Key::QuizNotANumber)() } else { i18n.t(Key::QuizNumberHint)() }}</small>
        </label>
    }
}

/// The form for `prompt`; `answer` always holds what would be sent, or `None` while incomplete.
#[component]
pub fn AnswerForm(prompt: Prompt, answer: RwSignal<Option<Answer>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let number = RwSignal::new(String::new());
    let flags = RwSignal::new(Flags::default());
    let state = RwSignal::new(None::<TcpState>);
    let (seq, ack, len) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let wrong_field = RwSignal::new(None::<Field>);
    let value = RwSignal::new(String::new());
    let kind = prompt.kind;
    let asked_field = prompt.field;
    Effect::new(move |_| {
        let built = match (kind, asked_field) {
            (Kind::Field, Some(Field::Flags)) => Some(Answer::Flags { value: flags.get() }),
            (Kind::Field, _) => number.with(|n| read_u32(n)).map(Answer::number),
            (Kind::State, _) => state.get().map(|value| Answer::State { value }),
            (Kind::Next, _) => {
                let f = flags.get();
                let ack_value = if f.ack { ack.with(|a| read_u32(a)) } else { Some(ack.with(|a| read_u32(a)).unwrap_or(0)) };
                match (seq.with(|s| read_u32(s)), ack_value, len.with(|l| read_u32(l))) {
                    (Some(seq), Some(ack), Some(len)) => Some(Answer::Segment { flags: f, seq, ack, len }),
                    _ => None,
                }
            }
            (Kind::SpotError, _) => match (wrong_field.get(), value.with(|v| v.trim().to_owned())) {
                (Some(field), v) if !v.is_empty() => Some(Answer::Error { field, value: v }),
                _ => None,
            },
        };
        answer.set(built);
    });
    match (kind, asked_field) {
        (Kind::Field, Some(Field::Flags)) => view! { <FlagsInput flags=flags /> }.into_any(),
        (Kind::Field, Some(f)) => view! { <NumberInput label=field_label(f) id="number" text=number /> }.into_any(),
        (Kind::Field, None) => view! { <NumberInput label=Key::QuizFieldSeq id="number" text=number /> }.into_any(),
        (Kind::State, _) => view! {
            <label class="field">
                <span>{t(Key::QuizAskState)}</span>
                <select data-testid="answer-state" on:change=move |ev| state.set(TcpState::parse(&event_target_value(&ev)))>
                    <option value="">"—"</option>
                    {TcpState::ALL.into_iter().map(|s| view! { <option value=s.name()>{s.name()}</option> }).collect_view()}
                </select>
            </label>
        }
        .into_any(),
        (Kind::Next, _) => view! {
            <FlagsInput flags=flags />
            <NumberInput label=Key::QuizFieldSeq id="seq" text=seq />
            <NumberInput label=Key::QuizFieldAck id="ack" text=ack />
            <NumberInput label=Key::QuizFieldLen id="len" text=len />
        }
        .into_any(),
        (Kind::SpotError, _) => view! {
            <label class="field">
                <span>{t(Key::QuizWrongField)}</span>
                <select data-testid="answer-wrong-field" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    wrong_field.set(Field::ALL.into_iter().find(|f| f.as_str() == v));
                }>
                    <option value="">"—"</option>
                    {Field::ALL.into_iter().map(|f| view! { <option value=f.as_str()>{t(field_label(f))}</option> }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{t(Key::QuizRightValue)}</span>
                <input type="text" autocomplete="off" data-testid="answer-value" placeholder="1001 / SYN+ACK"
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
        .into_any(),
    }
}
