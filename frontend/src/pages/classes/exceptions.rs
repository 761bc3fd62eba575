//! On a quiz's results page, for its instructor: exceptions for single learners (extra
//! attempts, their own close, extra minutes per attempt), listed and set one learner at a time.

use leptos::prelude::*;
use tcplab_core::api::classroom::{Allowance, LearnerException};

use super::{Problem, send};
use crate::api::{ApiError, classroom as rooms};
use crate::components::time;
use crate::i18n::{Key, use_i18n};

#[component]
pub(super) fn Exceptions(quiz_id: i64, class_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let list = RwSignal::new(Vec::<LearnerException>::new());
    let members = RwSignal::new(Vec::<String>::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<ApiError>);
    leptos::task::spawn_local(async move {
        match rooms::exceptions(quiz_id).await {
            Ok(l) => list.set(l),
            Err(e) => problem.set(Some(e)),
        }
        if let Ok(detail) = rooms::class(class_id).await {
            members.set(detail.members);
        }
    });
    let learner = RwSignal::new(String::new());
    let extra = RwSignal::new("0".to_owned());
    let closes = RwSignal::new(String::new());
    let minutes = RwSignal::new("0".to_owned());
    let put = move |exception: LearnerException| {
        send(busy, problem, async move { rooms::set_exception(quiz_id, &exception).await }, move |l| list.set(l));
    };
    let save = move |_| {
        // A box that is not a whole number goes as too many, which the server names.
        let whole = |s: RwSignal<String>| s.with_untracked(|s| s.trim().parse::<u32>().unwrap_or(u32::MAX));
        let allowance = Allowance {
            extra_attempts: whole(extra),
            closes_at: closes.with_untracked(|c| time::from_input(c)),
            extra_time_s: whole(minutes).saturating_mul(60),
        };
        put(LearnerException { username: learner.get_untracked(), allowance });
    };
    let invalid = move |field: &'static str| move || problem.with(|p| p.as_ref().is_some_and(|e| e.field() == Some(field))).to_string();
    view! {
        <section class="exceptions" data-testid="exceptions">
            <h2>{t(Key::ExceptionsTitle)}</h2>
            <p class="hint">{t(Key::ExceptionsLead)}</p>
            {move || if list.with(Vec::is_empty) {
                view! { <p class="note" data-testid="exceptions-none">{t(Key::ExceptionsNone)}</p> }.into_any()
            } else {
                view! {
                    <ul data-testid="exceptions-list">
                        {list.get().into_iter().map(|e| {
                            let name = e.username.clone();
                            let a = e.allowance.clone();
                            let (row_id, remove_id) = (format!("exception-{name}"), format!("exception-remove-{name}"));
                            view! {
                                <li data-testid=row_id>
                                    <strong>{name.clone()}</strong> ": "
                                    {a.extra_attempts} " " {t(Key::ExceptionsSummaryAttempts)}
                                    {a.closes_at.map(|c| view! { " · " {t(Key::ExceptionsSummaryCloses)} " " {time::show(c)} })}
                                    " · " {a.extra_time_s / 60} " " {t(Key::ExceptionsSummaryMinutes)} " "
                                    <button type="button" data-testid=remove_id disabled=move || busy.get()
                                        on:click={
                                            let name = name.clone();
                                            move |_| put(LearnerException { username: name.clone(), allowance: Allowance::default() })
                                        }>
                                        {t(Key::ExceptionsRemove)}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <div class="row">
                <label class="field">
                    <span>{t(Key::ExceptionsLearner)}</span>
                    <select data-testid="exception-learner" aria-invalid=invalid("username") on:change=move |ev| learner.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {move || members.get().into_iter().map(|m| view! { <option value=m.clone()>{m.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{t(Key::ExceptionsExtraAttempts)}</span>
                    <input type="number" min="0" max="20" data-testid="exception-attempts" aria-invalid=invalid("extra_attempts")
                        prop:value=move || extra.get() on:input=move |ev| extra.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{t(Key::ExceptionsCloses)}</span>
                    <input type="datetime-local" data-testid="exception-closes" aria-invalid=invalid("closes_at")
                        prop:value=move || closes.get() on:input=move |ev| closes.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{t(Key::ExceptionsExtraMinutes)}</span>
                    <input type="number" min="0" max="1440" data-testid="exception-minutes" aria-invalid=invalid("extra_time_s")
                        prop:value=move || minutes.get() on:input=move |ev| minutes.set(event_target_value(&ev)) />
                </label>
            </div>
            <button type="button" class="primary" data-testid="exception-save" disabled=move || busy.get() on:click=save>{t(Key::ExceptionsSave)}</button>
            {move || problem.get().map(|e| view! { <Problem error=e testid="exception-error" /> })}
        </section>
    }
}
