//! `/attempts/:id`: a learner takes a class quiz. Answers are saved on the server as the learner
//! works, so the attempt resumes on any device; Submit (or the end of the time) hands them in
//! and the server grades them. What comes back (score and right answers) depends on when the
//! instructor lets learners see them.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;
use tcplab_core::api::classroom::{AttemptResult, AttemptSubmission, AttemptView, ScoreOverride};
use tcplab_core::classroom::{ItemGrade, ItemPrompt};
use tcplab_core::quiz::Answer;

use super::autosave::{Autosave, SaveStatus};
use super::prompt::{AnswerInput, PromptView, answer_text};
use super::{Problem, fetched, id_param, points_word, time};
use crate::api::{self, ApiError, classroom as rooms};
use crate::i18n::{Key, use_i18n};
use crate::pages::set_title;

/// Loads the attempt (a new one, or one already handed in) and shows it.
#[component]
pub(super) fn AttemptPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    set_title(t(Key::AttemptTitle));
    let id = id_param();
    let attempt = LocalResource::new(move || {
        let id = id();
        async move { rooms::attempt(id.unwrap_or(0)).await }
    });
    view! {
        <section class="page attempt-page" data-testid="page-attempt">
            {fetched(attempt, Some(Key::AttemptTitle), |a| view! { <Attempt attempt=a /> }.into_any())}
            <p><A href="/classes">{"← "}{t(Key::ClassesTitle)}</A></p>
        </section>
    }
}

/// Why Submit did not go through: an unreadable number (question, message) or the server.
#[derive(Clone)]
enum SubmitProblem {
    Input(usize, Key),
    Server(ApiError),
}

/// A countdown is shown when the attempt is due within this many seconds.
const COUNTDOWN_FROM_S: i64 = 24 * 3600;

/// The result once handed in (at the top), then the questions with their inputs. Answers are
/// saved as they change ([`Autosave`]); when the attempt's time runs out the page hands in
/// what is there, and the server does so itself if the page is gone.
#[component]
fn Attempt(attempt: AttemptView) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let steps = LocalResource::new(move || api::steps(i18n.lang.get()));
    let texts = Signal::derive(move || steps.get().and_then(Result::ok));
    let inputs: Arc<Vec<AnswerInput>> = Arc::new(attempt.items.iter().map(|_| AnswerInput::new()).collect());
    let shown = attempt.result.as_ref().map_or(&attempt.saved, |r| &r.answers);
    for (input, answer) in inputs.iter().zip(shown) {
        input.fill(answer);
    }
    let resumed = attempt.result.is_none() && attempt.saved.iter().any(|a| !matches!(a, Answer::Blank));
    let result = RwSignal::new(attempt.result.clone());
    // The class's instructor reading a learner's attempt: nothing to fill in or hand in.
    let reviewing = attempt.learner.is_some();
    let locked = Signal::derive(move || reviewing || result.with(Option::is_some));
    let sending = RwSignal::new(false);
    let problem = RwSignal::new(None::<SubmitProblem>);
    let items = Arc::new(attempt.items.clone());
    let attempt_id = attempt.attempt_id;
    // Handed in elsewhere, or graded by the server at its time: show what the server has,
    // answers included (this page's own may differ).
    let reload = {
        let inputs = inputs.clone();
        Callback::new(move |_: ()| {
            let inputs = inputs.clone();
            leptos::task::spawn_local(async move {
                if let Ok(view) = rooms::attempt(attempt_id).await {
                    if let Some(r) = &view.result {
                        for (input, answer) in inputs.iter().zip(&r.answers) {
                            input.fill(answer);
                        }
                    }
                    result.set(view.result);
                }
            });
        })
    };
    let prompts = Arc::new(attempt.items.iter().map(|i| i.prompt.clone()).collect::<Vec<_>>());
    let saving = Autosave::start(attempt_id, inputs.clone(), prompts, attempt.saved.clone(), Signal::derive(move || !locked.get()), reload);
    // Reads every answer and sends them. `forced` when the time is up: no question asked, and
    // a number box that cannot be read goes in as blank.
    let hand_in = {
        let (inputs, items) = (inputs.clone(), items.clone());
        move |forced: bool| {
            if sending.get_untracked() || locked.get_untracked() {
                return;
            }
            let read: Result<Vec<_>, _> = inputs
                .iter()
                .zip(items.iter())
                .enumerate()
                .map(|(i, (input, item))| match input.read(&item.prompt) {
                    Err(_) if forced => Ok(Answer::Blank),
                    other => other.map_err(|k| (i, k)),
                })
                .collect();
            let answers = match read {
                Ok(answers) => answers,
                Err((i, key)) => {
                    problem.set(Some(SubmitProblem::Input(i, key)));
                    return;
                }
            };
            let blank = answers.iter().filter(|a| matches!(a, Answer::Blank)).count();
            let question = if blank == 1 { Key::AttemptConfirmBlankOne } else { Key::AttemptConfirmBlank };
            if !forced && blank > 0 && !window().confirm_with_message(&format!("{blank} {}", t(question)())).unwrap_or(false) {
                return;
            }
            saving.stop();
            sending.set(true);
            problem.set(None);
            leptos::task::spawn_local(async move {
                match rooms::submit_attempt(attempt_id, &AttemptSubmission { answers }).await {
                    Ok(view) => result.set(view.result),
                    // Too late, or handed in on another device: the server's copy stands.
                    Err(e) if e.status() == Some(409) => reload.run(()),
                    Err(e) => problem.set(Some(SubmitProblem::Server(e))),
                }
                sending.set(false);
            });
        }
    };
    // The time left, counted on the server's clock.
    let left = RwSignal::new(None::<i64>);
    if let Some(due) = attempt.due_at.filter(|due| due - attempt.now < COUNTDOWN_FROM_S && !reviewing) {
        let offset = attempt.now - js_sys::Date::now() as i64 / 1000;
        let tick = {
            let hand_in = hand_in.clone();
            move || {
                let remaining = due - (js_sys::Date::now() as i64 / 1000 + offset);
                left.set(Some(remaining));
                if remaining <= 0 && !locked.get_untracked() {
                    hand_in(true);
                }
            }
        };
        tick();
        if let Ok(handle) = set_interval_with_handle(tick, std::time::Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    }
    let max = attempt.max_points;
    let handed_in = Memo::new(move |_| result.with(Option::is_some));
    let submit = {
        let hand_in = hand_in.clone();
        // Only the button hands in: Enter in an answer box must not send a half-done quiz.
        move |_: leptos::ev::MouseEvent| hand_in(false)
    };
    view! {
        <h1 data-testid="attempt-title">{attempt.title.clone()}</h1>
        {attempt.learner.clone().map(|name| view! { <p class="lead">{t(Key::AttemptBy)} " " <strong data-testid="attempt-learner">{name}</strong></p> })}
        {attempt.closes_at.map(|s| view! { <p class="note">{t(Key::AttemptCloses)} " " {time::show(s)}</p> })}
        {move || (result.with(Option::is_none) && left.get().is_some()).then(|| {
            let remaining = left.get().unwrap_or(0);
            view! {
                <p class=if remaining <= 60 { "timer urgent" } else { "timer" } role="timer" data-testid="attempt-time-left">
                    {t(Key::AttemptTimeLeft)} " " <strong>{time::countdown(remaining)}</strong>
                </p>
                {(remaining <= 0).then(|| view! { <p class="note" role="status" data-testid="attempt-time-up">{t(Key::AttemptTimeUp)}</p> })}
            }
        })}
        {(resumed && !reviewing).then(|| view! { <p class="note" data-testid="attempt-resumed">{t(Key::AttemptResumed)}</p> })}
        // The score first: a handed-in attempt is read from the top.
        {move || result.get().map(|r| view! { <Outcome result=r max=max /> })}
        // On whether there is a result, not on the result: a new score must not redraw the form.
        {move || (reviewing && handed_in.get()).then(|| view! { <ScoreForm attempt_id=attempt_id result=result max=max /> })}
        <form class="attempt-form" on:submit=|ev| ev.prevent_default()>
            {attempt.items.iter().cloned().enumerate().map(|(i, item)| {
                let input = inputs[i];
                let prompt = item.prompt.clone();
                let grade = move || result.with(|r| r.as_ref().and_then(|r| r.grades.as_ref()).and_then(|g| g.get(i).cloned()));
                view! {
                    <section class="attempt-item" data-testid=format!("attempt-item-{i}")>
                        <h2>{t(Key::AttemptQuestion)} " " {i + 1} <small>" · " {item.points} " " {t(points_word(item.points))}</small></h2>
                        <PromptView index=i prompt=item.prompt input=input texts=texts locked=locked
                            grade=Signal::derive(grade) reviewing=reviewing />
                        {move || grade().map(|g| view! { <Verdict index=i grade=g prompt=prompt.clone() /> })}
                    </section>
                }
            }).collect_view()}
            {move || (!reviewing && result.with(Option::is_none)).then(|| view! {
                <SaveLine status=saving.status />
                <button type="button" class="primary" data-testid="submit-attempt" disabled=move || sending.get() on:click=submit.clone()>
                    {move || if sending.get() { t(Key::QuizSubmitting)() } else { t(Key::AttemptSubmit)() }}
                </button>
            })}
            {move || problem.get().map(|p| match p {
                SubmitProblem::Input(i, key) => view! {
                    <p class="error" role="alert" data-testid="attempt-error">{t(Key::AttemptQuestion)} " " {i + 1} ": " {t(key)}</p>
                }.into_any(),
                SubmitProblem::Server(e) => view! { <Problem error=e testid="attempt-error" /> }.into_any(),
            })}
        </form>
    }
}

/// The class's instructor changes a handed-in attempt's score, with the reason its learner reads.
#[component]
fn ScoreForm(attempt_id: i64, result: RwSignal<Option<AttemptResult>>, max: u32) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let current = result.with_untracked(|r| r.as_ref().and_then(|r| r.score)).unwrap_or(0);
    let reason0 = result.with_untracked(|r| r.as_ref().and_then(|r| r.overridden.as_ref()).map(|o| o.reason.clone())).unwrap_or_default();
    let score = RwSignal::new(current.to_string());
    let reason = RwSignal::new(reason0);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let send = move |change: ScoreOverride| {
        saved.set(false);
        super::send(busy, problem, async move { rooms::set_score(attempt_id, &change).await }, move |view| {
            result.set(view.result);
            saved.set(true);
        });
    };
    let save = move |_| {
        // The server checks the range and names the field; a box that is not a number is 0..=max's problem too.
        let value = score.with_untracked(|s| s.trim().parse::<u32>().unwrap_or(u32::MAX));
        send(ScoreOverride { score: Some(value), reason: reason.get_untracked() });
    };
    let remove = move |_| send(ScoreOverride { score: None, reason: String::new() });
    view! {
        <section class="override" data-testid="score-override">
            <h2>{t(Key::OverrideTitle)}</h2>
            <p class="hint">{t(Key::OverrideLead)}</p>
            <label class="field">
                <span>{t(Key::OverrideScore)} {format!(" (0–{max})")}</span>
                <input type="number" min="0" max=max.to_string() inputmode="numeric" data-testid="override-score"
                    aria-invalid=move || problem.with(|p| p.as_ref().is_some_and(|e| e.field() == Some("score"))).to_string()
                    prop:value=move || score.get() on:input=move |ev| score.set(event_target_value(&ev)) />
            </label>
            <label class="field">
                <span>{t(Key::OverrideReason)}</span>
                <textarea rows="2" maxlength="500" data-testid="override-reason"
                    aria-invalid=move || problem.with(|p| p.as_ref().is_some_and(|e| e.field() == Some("reason"))).to_string()
                    prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            </label>
            <div class="row">
                <button type="button" class="primary" data-testid="override-save" disabled=move || busy.get() on:click=save>{t(Key::OverrideSave)}</button>
                {move || result.with(|r| r.as_ref().is_some_and(|r| r.overridden.is_some())).then(|| view! {
                    <button type="button" data-testid="override-remove" disabled=move || busy.get() on:click=remove>{t(Key::OverrideRemove)}</button>
                })}
            </div>
            {move || saved.get().then(|| view! { <p class="note" role="status" data-testid="override-saved">{t(Key::OverrideSaved)}</p> })}
            {move || problem.get().map(|e| view! { <Problem error=e testid="override-error" /> })}
        </section>
    }
}

/// Whether the answers are saved: quiet while all is well, an alert while a save keeps failing.
#[component]
fn SaveLine(status: RwSignal<SaveStatus>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    move || match status.get() {
        SaveStatus::Idle => ().into_any(),
        SaveStatus::Saving => {
            view! { <p class="note save-status" data-testid="attempt-save-status" data-state="saving">{t(Key::AttemptSaving)}</p> }
                .into_any()
        }
        SaveStatus::Saved(at) => view! {
            <p class="note save-status" data-testid="attempt-save-status" data-state="saved">
                {t(Key::AttemptSaved)} " " <time datetime=at.clone()>{time::clock_iso(&at)}</time>
            </p>
        }
        .into_any(),
        SaveStatus::Failed(e) => view! {
            <p class="error save-status" role="alert" data-testid="attempt-save-status" data-state="failed">
                {t(Key::AttemptSaveFailed)} " " {move || e.text(i18n)}
            </p>
        }
        .into_any(),
    }
}

/// Right or wrong, and the right answer, under one question.
#[component]
fn Verdict(index: usize, grade: ItemGrade, prompt: ItemPrompt) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let ItemGrade { grading, points } = grade;
    let expected = grading.expected.clone();
    view! {
        <p class=if grading.correct { "verdict right" } else { "verdict wrong" }
            data-testid=format!("item-result-{index}") data-correct=grading.correct.to_string()>
            {if grading.correct { "✓ " } else { "✗ " }}
            {if grading.correct { t(Key::QuizRight) } else { t(Key::QuizWrong) }}
            " (" {points} " " {t(points_word(points))} ")"
        </p>
        {(!grading.correct).then(|| view! {
            <p>{t(Key::QuizExpected)} " " <strong data-testid=format!("item-expected-{index}")>{move || answer_text(&expected, &prompt)}</strong></p>
        })}
        {grading.explain.map(|text| view! {
            <p class="explain" data-testid=format!("item-explain-{index}")><strong>{t(Key::QuizWhy)}</strong> " " {move || i18n.pick(&text)}</p>
        })}
    }
}

/// After Submit: the score, or when it will be shown.
#[component]
fn Outcome(result: AttemptResult, max: u32) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let when = time::show_iso(&result.submitted_at);
    let answers_later = result.score.is_some() && result.grades.is_none();
    let right = result.grades.as_ref().map(|g| (g.iter().filter(|g| g.grading.correct).count(), g.len()));
    view! {
        <section class="outcome" role="status" data-testid="attempt-result">
            <p>{t(Key::AttemptSubmitted)} " " <time datetime=result.submitted_at.clone()>{when}</time></p>
            {match result.score {
                Some(score) => view! {
                    <p class="score">{t(Key::AttemptScore)} " " <strong data-testid="attempt-score">{format!("{score} / {max}")}</strong></p>
                }.into_any(),
                None => view! { <p class="note" data-testid="attempt-score-later">{t(Key::AttemptScoreLater)}</p> }.into_any(),
            }}
            {right.map(|(right, all)| view! {
                <p>{t(Key::AttemptRightCount)} " " <strong data-testid="attempt-right-count">{format!("{right} / {all}")}</strong></p>
            })}
            {result.overridden.clone().map(|o| view! {
                <p data-testid="attempt-overridden">{t(Key::AttemptOverridden)} " " <strong>{format!("{} / {max}", o.graded)}</strong></p>
                <p data-testid="attempt-override-reason">{t(Key::AttemptOverrideReason)} " " {o.reason}</p>
            })}
            {answers_later.then(|| view! { <p class="note" data-testid="attempt-answers-later">{t(Key::AttemptAnswersLater)}</p> })}
            {result.graded_at_due.then(|| view! { <p class="note" data-testid="attempt-graded-at-due">{t(Key::AttemptGradedAtDue)}</p> })}
        </section>
    }
}
