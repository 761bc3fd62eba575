//! Questions from the tuning bank: a number with its unit, or one of several choices. As with
//! the model questions, the browser learns the answer only from the server's verdict.

use std::sync::Arc;

use leptos::prelude::*;
use tcplab_core::api::{BankFeedback, BankQuestionView, BankSubmission};
use tcplab_core::quiz::Answer;

use super::Stage;
use super::submit::{Sender, SubmitRow};
use crate::api;
use crate::i18n::{Key, use_i18n};

/// Digits only, within u64.
fn read_u64(text: &str) -> Option<u64> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) { None } else { t.parse().ok() }
}

#[component]
pub(super) fn BankAsking(question: Arc<BankQuestionView>, stage: RwSignal<Stage>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let prompt = question.prompt.clone();
    let number = RwSignal::new(String::new());
    let choice = RwSignal::new(None::<usize>);
    let numeric = prompt.choices.is_empty();
    let answer = move || {
        if numeric {
            number.with(|n| read_u64(n)).map(|value| Answer::number(value as f64))
        } else {
            choice.get().map(|index| Answer::Choice { index })
        }
    };
    let bad_number = move || number.with(|n| !n.trim().is_empty() && read_u64(n).is_none());
    let sender = Sender::new();
    let q = question.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(answer) = answer() else { return };
        let q = q.clone();
        let id = q.id.clone();
        sender.send(
            move |attempt_id| async move { api::submit_bank_answer(&id, &BankSubmission { attempt_id, answer }).await },
            move |feedback| stage.set(Stage::BankGraded(q, Arc::new(feedback))),
        );
    };
    let text = prompt.text.clone();
    let unit = prompt.unit.clone();
    let choices = prompt.choices.clone();
    view! {
        <div class="question" data-testid="question" data-kind="tuning" data-bank-id=prompt.id.clone()>
            <form class="answer-form" data-testid="answer-form" on:submit=submit>
                <p class="ask" data-testid="question-text">{move || i18n.pick(&text)}</p>
                {if numeric {
                    let unit = unit.clone().unwrap_or_default();
                    view! {
                        <label class="field" class:invalid=bad_number>
                            <span>{t(Key::QuizYourAnswer)} " (" {move || i18n.pick(&unit)} ")"</span>
                            <input type="text" inputmode="numeric" autocomplete="off" data-testid="answer-number"
                                aria-invalid=move || bad_number().to_string()
                                prop:value=move || number.get() on:input=move |ev| number.set(event_target_value(&ev)) />
                            {move || bad_number().then(|| view! { <small class="hint">{t(Key::QuizNotAWholeNumber)}</small> })}
                        </label>
                    }.into_any()
                } else {
                    view! {
                        <fieldset class="choices" data-testid="answer-choices">
                            <legend>{t(Key::QuizChooseOne)}</legend>
                            {choices.into_iter().enumerate().map(|(i, c)| view! {
                                <label class="choice">
                                    <input type="radio" name="choice" data-testid=format!("choice-{i}")
                                        prop:checked=move || choice.get() == Some(i)
                                        on:change=move |_| choice.set(Some(i)) />
                                    " " {move || i18n.pick(&c)}
                                </label>
                            }).collect_view()}
                        </fieldset>
                    }.into_any()
                }}
                <SubmitRow sender=sender ready=Signal::derive(move || answer().is_some()) />
            </form>
        </div>
    }
}

#[component]
pub(super) fn BankGraded(question: Arc<BankQuestionView>, feedback: Arc<BankFeedback>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let prompt = question.prompt.clone();
    let text = prompt.text.clone();
    let explain = feedback.explain.clone();
    let expected_answer = feedback.expected.clone();
    let expected = move || match &expected_answer {
        Answer::Number { value } => {
            let unit = prompt.unit.as_ref().map(|u| i18n.pick(u)).unwrap_or_default();
            format!("{value} {unit}")
        }
        Answer::Choice { index } => prompt.choices.get(*index).map(|c| i18n.pick(c)).unwrap_or_default(),
        other => super::answer_text(other),
    };
    view! {
        <div class="feedback" data-testid="feedback" data-correct=feedback.correct.to_string() role="status">
            <p class="ask">{move || i18n.pick(&text)}</p>
            <p class=if feedback.correct { "verdict right" } else { "verdict wrong" } data-testid="verdict">
                {if feedback.correct { t(Key::QuizRight) } else { t(Key::QuizWrong) }}
            </p>
            <p>{t(Key::QuizExpected)} " " <strong data-testid="expected">{expected}</strong></p>
            <h2>{t(Key::QuizWhy)}</h2>
            <p data-testid="explain">{move || i18n.pick(&explain)}</p>
        </div>
    }
}
