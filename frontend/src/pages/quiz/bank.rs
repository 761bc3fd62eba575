//! Questions from the tuning bank: a number with its unit, or one of several choices. As with
//! the model questions, the browser learns the answer only from the server's verdict.

use std::sync::Arc;

use leptos::prelude::*;
use tcplab_core::api::{BankFeedback, BankQuestionView, BankSubmission};
use tcplab_core::quiz::bank::BankAnswer;

use super::{Stage, new_attempt_id};
use crate::api::{self, ApiError};
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
            number.with(|n| read_u64(n)).map(|value| BankAnswer::Number { value })
        } else {
            choice.get().map(|index| BankAnswer::Choice { index })
        }
    };
    let bad_number = move || number.with(|n| !n.trim().is_empty() && read_u64(n).is_none());
    let attempt = StoredValue::new(new_attempt_id());
    let sending = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let q = question.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(answer) = answer() else { return };
        let q = q.clone();
        sending.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            let submission = BankSubmission { attempt_id: attempt.get_value(), answer };
            match api::submit_bank_answer(&q.id, &submission).await {
                Ok(feedback) => stage.set(Stage::BankGraded(q, Arc::new(feedback))),
                Err(ApiError::Network(_)) => problem.set(Some(i18n.t(Key::QuizFailed)().to_owned())),
                Err(other) => problem.set(Some(other.to_string())),
            }
            sending.set(false);
        });
    };
    let text = prompt.text.clone();
    let unit = prompt.unit.clone();
    let choices = prompt.choices.clone();
    view! {
        <div class="question" data-testid="question" data-kind="tuning" data-bank-id=prompt.id.clone()>
            <form class="answer-form" data-testid="answer-form" on:submit=submit>
                <p class="ask" data-testid="question-text">{move || text.get(i18n.lang.get()).to_owned()}</p>
                {if numeric {
                    let unit = unit.clone().unwrap_or_default();
                    view! {
                        <label class="field" class:invalid=bad_number>
                            <span>{t(Key::QuizYourAnswer)} " (" {move || unit.get(i18n.lang.get()).to_owned()} ")"</span>
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
                                    " " {move || c.get(i18n.lang.get()).to_owned()}
                                </label>
                            }).collect_view()}
                        </fieldset>
                    }.into_any()
                }}
                <button type="submit" class="primary" data-testid="submit" disabled=move || sending.get() || answer().is_none()>
                    {move || if sending.get() { t(Key::QuizSubmitting)() } else { t(Key::QuizSubmit)() }}
                </button>
                {move || problem.get().map(|p| view! { <p class="error" role="alert" data-testid="submit-error">{p}</p> })}
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
    let expected_answer = feedback.expected;
    let expected = move || match expected_answer {
        BankAnswer::Number { value } => {
            let unit = prompt.unit.as_ref().map(|u| u.get(i18n.lang.get()).to_owned()).unwrap_or_default();
            format!("{value} {unit}")
        }
        BankAnswer::Choice { index } => prompt.choices.get(index).map(|c| c.get(i18n.lang.get()).to_owned()).unwrap_or_default(),
    };
    view! {
        <div class="feedback" data-testid="feedback" data-correct=feedback.correct.to_string() role="status">
            <p class="ask">{move || text.get(i18n.lang.get()).to_owned()}</p>
            <p class=if feedback.correct { "verdict right" } else { "verdict wrong" } data-testid="verdict">
                {if feedback.correct { t(Key::QuizRight) } else { t(Key::QuizWrong) }}
            </p>
            <p>{t(Key::QuizExpected)} " " <strong data-testid="expected">{expected}</strong></p>
            <h2>{t(Key::QuizWhy)}</h2>
            <p data-testid="explain">{move || explain.get(i18n.lang.get()).to_owned()}</p>
        </div>
    }
}
