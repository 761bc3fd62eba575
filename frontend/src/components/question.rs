//! The pieces of a model question that the practice quiz, class quizzes and the quiz editor's
//! preview all show: the learner's numbers, the asked step with its blanks, the flag boxes, and
//! the names of fields and ends.

use leptos::prelude::*;
use tcplab_core::quiz::{Field, Prompt};
use tcplab_core::tcp::{Flags, Side};

use crate::i18n::{Key, use_i18n};

pub fn field_label(f: Field) -> Key {
    match f {
        Field::Seq => Key::QuizFieldSeq,
        Field::Ack => Key::QuizFieldAck,
        Field::Len => Key::QuizFieldLen,
        Field::Flags => Key::QuizFieldFlags,
    }
}

/// The learner's numbers: both ISNs and how many bytes each application writes.
#[component]
pub fn Givens(prompt: Prompt) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    view! {
        <dl class="givens" data-testid="givens">
            <dt>{t(Key::QuizClientIsn)}</dt><dd data-testid="given-client-isn">{prompt.client_isn}</dd>
            <dt>{t(Key::QuizServerIsn)}</dt><dd data-testid="given-server-isn">{prompt.server_isn}</dd>
            {prompt.client_writes.then(|| view! { <dt>{t(Key::QuizClientBytes)}</dt><dd data-testid="given-client-bytes">{prompt.client_bytes}</dd> })}
            {prompt.server_writes.then(|| view! { <dt>{t(Key::QuizServerBytes)}</dt><dd data-testid="given-server-bytes">{prompt.server_bytes}</dd> })}
            {prompt.second_isns.map(|(c, s)| view! { <dt>{t(Key::QuizSecondIsns)}</dt><dd>{format!("{c}, {s}")}</dd> })}
        </dl>
    }
}

pub fn side_label(side: Side) -> Key {
    match side {
        Side::Client => Key::QuizClient,
        Side::Server => Key::QuizServer,
    }
}

/// The asked step: what is known, and `?` for what the learner supplies.
#[component]
pub fn AskedStep(prompt: Prompt) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let a = prompt.asked.clone();
    let unknown = move || t(Key::QuizUnknown)().to_owned();
    let num = move |v: Option<u32>| v.map_or_else(unknown, |n| n.to_string());
    view! {
        <div class="asked-step" data-testid="asked-step">
            <h3>{t(Key::QuizAsked)} " #" {prompt.step + 1}</h3>
            <table class="header">
                <tr><th>{t(Key::QuizSender)}</th><td data-testid="asked-sender">{t(side_label(a.from))}</td></tr>
                <tr><th>{t(Key::QuizFieldFlags)}</th><td data-testid="asked-flags">{a.flags.map_or_else(unknown, |f| f.to_string())}</td></tr>
                <tr><th>{t(Key::QuizFieldSeq)}</th><td data-testid="asked-seq">{num(a.seq)}</td></tr>
                <tr><th>{t(Key::QuizFieldAck)}</th><td data-testid="asked-ack">{num(a.ack)}</td></tr>
                <tr><th>{t(Key::QuizFieldLen)}</th><td data-testid="asked-len">{num(a.len)}</td></tr>
            </table>
        </div>
    }
}

/// A flag's name and where it lives in `Flags`.
type FlagSlot = (&'static str, fn(&mut Flags) -> &mut bool);

/// A checkbox per flag; `testid` prefixes each box's test id (`flag-SYN`).
#[component]
pub fn FlagsInput(flags: RwSignal<Flags>, #[prop(default = "flag".to_owned())] testid: String) -> impl IntoView {
    let i18n = use_i18n();
    let boxes: [FlagSlot; 5] =
        [("SYN", |f| &mut f.syn), ("ACK", |f| &mut f.ack), ("FIN", |f| &mut f.fin), ("RST", |f| &mut f.rst), ("PSH", |f| &mut f.psh)];
    view! {
        <fieldset class="flags-input" data-testid="answer-flags">
            <legend>{i18n.t(Key::QuizFieldFlags)}</legend>
            {boxes.into_iter().map(|(name, slot)| view! {
                <label class="flag-box">
                    <input type="checkbox" data-testid=format!("{testid}-{name}")
                        prop:checked=move || flags.with(|f| { let mut f = *f; *slot(&mut f) })
                        on:change=move |ev| { let on = event_target_checked(&ev); flags.update(|f| *slot(f) = on) } />
                    " " {name}
                </label>
            }).collect_view()}
        </fieldset>
    }
}
