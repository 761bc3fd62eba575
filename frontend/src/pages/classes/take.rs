//! `/attempts/:id`: a learner takes a class quiz. Every answer goes to the server at once, on
//! Submit, and is graded there; what comes back (score and right answers) depends on when the
//! instructor lets learners see them.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::A;
use tcplab_core::api::classroom::{AttemptResult, AttemptSubmission, AttemptView};
use tcplab_core::classroom::{ItemGrade, ItemPrompt};
use tcplab_core::quiz::Answer;

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

/// The result once handed in (at the top), then the questions with their inputs.
#[component]
fn Attempt(attempt: AttemptView) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let steps = LocalResource::new(move || api::steps(i18n.lang.get()));
    let texts = Signal::derive(move || steps.get().and_then(Result::ok));
    let inputs: Arc<Vec<AnswerInput>> = Arc::new(attempt.items.iter().map(|_| AnswerInput::new()).collect());
    if let Some(r) = &attempt.result {
        for (input, answer) in inputs.iter().zip(&r.answers) {
            input.fill(answer);
        }
    }
    let result = RwSignal::new(attempt.result.clone());
    // The class's instructor reading a learner's attempt: nothing to fill in or hand in.
    let reviewing = attempt.learner.is_some();
    let locked = Signal::derive(move || reviewing || result.with(Option::is_some));
    let sending = RwSignal::new(false);
    let problem = RwSignal::new(None::<SubmitProblem>);
    let items = Arc::new(attempt.items.clone());
    let attempt_id = attempt.attempt_id;
    let submit = {
        let (inputs, items) = (inputs.clone(), items.clone());
        // Only the button hands in: Enter in an answer box must not send a half-done quiz.
        move |_: leptos::ev::MouseEvent| {
            if sending.get_untracked() {
                return;
            }
            let read: Result<Vec<_>, _> = inputs
                .iter()
                .zip(items.iter())
                .enumerate()
                .map(|(i, (input, item))| input.read(&item.prompt).map_err(|k| (i, k)))
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
            if blank > 0 && !window().confirm_with_message(&format!("{blank} {}", t(question)())).unwrap_or(false) {
                return;
            }
            sending.set(true);
            problem.set(None);
            leptos::task::spawn_local(async move {
                match rooms::submit_attempt(attempt_id, &AttemptSubmission { answers }).await {
                    Ok(view) => result.set(view.result),
                    Err(e) => problem.set(Some(SubmitProblem::Server(e))),
                }
                sending.set(false);
            });
        }
    };
    let max = attempt.max_points;
    view! {
        <h1 data-testid="attempt-title">{attempt.title.clone()}</h1>
        {attempt.learner.clone().map(|name| view! { <p class="lead">{t(Key::AttemptBy)} " " <strong data-testid="attempt-learner">{name}</strong></p> })}
        {attempt.closes_at.map(|s| view! { <p class="note">{t(Key::AttemptCloses)} " " {time::show(s)}</p> })}
        // The score first: a handed-in attempt is read from the top.
        {move || result.get().map(|r| view! { <Outcome result=r max=max /> })}
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
            {answers_later.then(|| view! { <p class="note" data-testid="attempt-answers-later">{t(Key::AttemptAnswersLater)}</p> })}
        </section>
    }
}
