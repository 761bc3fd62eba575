//! The quiz: pick a kind of question, see the scenario up to the step asked about, answer, and
//! get the server's verdict with the steps replayed. The browser never knows the answer before
//! the server says it.

mod bank;
mod form;
mod submit;

use std::sync::Arc;

use leptos::prelude::*;
use tcplab_core::api::{AnswerSubmission, BankFeedback, BankQuestionView, Feedback, QuestionView, StepTexts};
use tcplab_core::quiz::{Answer, Kind, Topic, WrongKind};
use tcplab_core::tcp::{Fate, Side, Step, StepKind};

use super::set_title;
use crate::api::{self, ApiError};
use crate::components::player::{Numbering, RunPlayer};
use crate::components::question::{AskedStep, Givens, field_label, side_label};
use crate::i18n::{Key, use_i18n};
use bank::{BankAsking, BankGraded};
use form::AnswerForm;
use submit::{Sender, SubmitRow};

#[derive(Clone)]
enum Stage {
    Choosing,
    Loading,
    Failed(ApiError),
    Asking(Arc<QuestionView>),
    Graded(Arc<QuestionView>, Arc<Feedback>),
    BankAsking(Arc<BankQuestionView>),
    BankGraded(Arc<BankQuestionView>, Arc<BankFeedback>),
}

pub(super) fn topic_label(topic: Topic) -> Key {
    match topic {
        Topic::Field => Key::QuizKindField,
        Topic::State => Key::QuizKindState,
        Topic::Next => Key::QuizKindNext,
        Topic::SpotError => Key::QuizKindSpotError,
        Topic::Tuning => Key::QuizKindTuning,
    }
}

lazy_page! {
    /// The route: the quiz is a wasm chunk of its own, fetched the first time /quiz opens.
    QuizRoute => QuizPage
}

#[component]
pub fn QuizPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    set_title(t(Key::QuizTitle));
    // The sentences explaining each step, fetched once for every question and verdict on the page.
    let texts_res = LocalResource::new(move || api::steps(i18n.lang.get()));
    let texts = Signal::derive(move || texts_res.get().and_then(Result::ok));
    let stage = RwSignal::new(Stage::Choosing);
    let current = RwSignal::new(None::<Topic>);
    let ask = move |topic: Topic| {
        current.set(Some(topic));
        stage.set(Stage::Loading);
        leptos::task::spawn_local(async move {
            let next = match topic.kind() {
                Some(kind) => api::new_question(kind).await.map(|q| Stage::Asking(Arc::new(q))),
                None => api::new_bank_question().await.map(|q| Stage::BankAsking(Arc::new(q))),
            };
            stage.set(next.unwrap_or_else(Stage::Failed));
        });
    };
    let next_button = move |topic: Topic| {
        view! {
            <button type="button" class="primary" data-testid="next-question" on:click=move |_| ask(topic)>
                {t(Key::QuizAnother)}
            </button>
        }
    };
    view! {
        <section class="page quiz-page" data-testid="page-quiz">
            <h1>{t(Key::QuizTitle)}</h1>
            <p class="lead">{t(Key::QuizIntro)}</p>
            <fieldset class="presets" data-testid="quiz-kinds">
                <legend>{t(Key::QuizChoose)}</legend>
                {Topic::ALL.into_iter().map(|k| view! {
                    <button type="button" data-testid=format!("kind-{}", k.as_str())
                        aria-pressed=move || (current.get() == Some(k)).to_string()
                        on:click=move |_| ask(k)>{t(topic_label(k))}</button>
                }).collect_view()}
            </fieldset>
            {move || match stage.get() {
                Stage::Choosing => ().into_any(),
                Stage::Loading => view! { <p>{t(Key::QuizLoading)}</p> }.into_any(),
                Stage::Failed(e) => view! { <p class="error" role="alert" data-testid="quiz-error">{move || e.text(i18n)}</p> }.into_any(),
                Stage::Asking(q) => view! { <Asking question=q stage=stage texts=texts /> }.into_any(),
                Stage::Graded(q, f) => {
                    let topic = q.prompt.kind.into();
                    view! { <Graded question=q feedback=f texts=texts /> {next_button(topic)} }.into_any()
                }
                Stage::BankAsking(q) => view! { <BankAsking question=q stage=stage /> }.into_any(),
                Stage::BankGraded(q, f) => view! { <BankGraded question=q feedback=f /> {next_button(Topic::Tuning)} }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Asking(question: Arc<QuestionView>, stage: RwSignal<Stage>, texts: Signal<Option<StepTexts>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let prompt = question.prompt.clone();
    let answer = RwSignal::new(None::<Answer>);
    let sender = Sender::new();
    let question_text = match prompt.kind {
        Kind::Field => Key::QuizAskField,
        Kind::State => Key::QuizAskState,
        Kind::Next => Key::QuizAskNext,
        Kind::SpotError => Key::QuizAskSpotError,
    };
    let side = prompt.side;
    let scenario_id = prompt.scenario.as_str();
    let shown = prompt.run(prompt.shown.clone());
    let q = question.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(answer) = answer.get_untracked() else { return };
        let q = q.clone();
        let id = q.id.clone();
        sender.send(
            move |attempt_id| async move { api::submit_answer(&id, &AnswerSubmission { attempt_id, answer }).await },
            move |feedback| stage.set(Stage::Graded(q, Arc::new(feedback))),
        );
    };
    view! {
        <div class="question" data-testid="question" data-kind=prompt.kind.as_str() data-scenario=prompt.scenario.as_str()>
            <p class="scenario-title" data-testid="question-scenario">
                {move || texts.with(|x| x.as_ref().and_then(|x| x.scenarios.get(scenario_id).cloned())).unwrap_or_else(|| scenario_id.to_owned())}
            </p>
            <h2>{t(Key::QuizGivens)}</h2>
            <Givens prompt=prompt.clone() />
            <h2>{t(Key::QuizSoFar)}</h2>
            {if shown.steps.is_empty() {
                view! { <p class="note">{t(Key::QuizFirstStep)}</p> }.into_any()
            } else {
                view! { <RunPlayer run=shown texts=texts numbering=Numbering::Absolute at_end=true label="quiz" /> }.into_any()
            }}
            <AskedStep prompt=prompt.clone() />
            <form class="answer-form" data-testid="answer-form" on:submit=submit>
                <p class="ask" data-testid="question-text">
                    {t(question_text)}
                    {side.map(|s| view! { " (" {t(side_label(s))} ")" })}
                    {prompt.field.filter(|_| prompt.kind == Kind::Field).map(|f| view! { " " <strong>{t(field_label(f))}</strong> })}
                </p>
                <AnswerForm prompt=prompt.clone() answer=answer />
                <SubmitRow sender=sender ready=Signal::derive(move || answer.with(Option::is_some)) />
            </form>
        </div>
    }
}

/// An answer as text, for the feedback: a number, flags such as `SYN+ACK`, a state ...
pub(in crate::pages) fn answer_text(a: &Answer) -> String {
    match a {
        Answer::Blank => String::new(),
        Answer::Choice { index } => format!("#{}", index + 1),
        Answer::Number { value } => value.to_string(),
        Answer::Flags { value } => value.to_string(),
        Answer::State { value } => value.name().to_owned(),
        Answer::Segment { flags, seq, ack, len } => format!("{flags} seq={seq} ack={ack} len={len}"),
        Answer::Error { field, value } => format!("{} = {value}", field.as_str()),
    }
}

/// "Server received SYN: LISTEN → SYN-RECEIVED.": why `side` is in its state after `step`.
fn state_sentence(i18n: crate::i18n::I18n, side: Side, step: &Step) -> String {
    let change = match side {
        Side::Client => &step.client,
        Side::Server => &step.server,
    };
    let path = crate::components::player::state_path(change);
    let (key, flags) = match &step.kind {
        StepKind::Segment { segment, fate, .. } => {
            let key = match (segment.from == side, fate, change.changed()) {
                (true, _, true) => Key::QuizStateSent,
                (true, _, false) => Key::QuizStateStaysSent,
                (false, Fate::Lost, _) => Key::QuizStateNotReceived,
                (false, _, true) => Key::QuizStateReceived,
                (false, _, false) => Key::QuizStateStaysReceived,
            };
            (key, segment.flags.to_string())
        }
        StepKind::Timer { .. } => (Key::QuizStateTimer, String::new()),
    };
    let timer = match &step.kind {
        StepKind::Timer { timer, .. } => crate::components::player::timer_name(i18n, *timer),
        StepKind::Segment { .. } => "",
    };
    let sentence = i18n.t(key)()
        .replace("{side}", i18n.t(side_label(side))())
        .replace("{flags}", &flags)
        .replace("{path}", &path)
        .replace("{state}", change.after.name())
        .replace("{timer}", timer);
    // The side's name is written for the middle of a sentence ("server"); this one starts with it.
    let mut chars = sentence.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[component]
fn Graded(question: Arc<QuestionView>, feedback: Arc<Feedback>, texts: Signal<Option<StepTexts>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let prompt = question.prompt.clone();
    let replay = prompt.run(feedback.replay.clone());
    // What was asked, in words: the step, who sent it, and the field or the end.
    let sender = prompt.asked.from;
    let about = match (prompt.field, prompt.side) {
        (Some(f), _) => Some(t(field_label(f))),
        (None, Some(s)) => Some(t(side_label(s))),
        (None, None) => None,
    };
    let mistake = feedback.wrong.clone().and_then(|w| match w {
        WrongKind::Off { by } => Some(view! {
            <p class="mistake" data-testid="mistake">{t(Key::QuizOffBy)} " " {format!("{}{}", if by < 0 { "−" } else { "+" }, by.unsigned_abs())}</p>
        }.into_any()),
        WrongKind::OtherSide => Some(view! { <p class="mistake" data-testid="mistake">{t(Key::QuizOtherSideNumber)}</p> }.into_any()),
        _ => None,
    });
    // A state question is explained from the end asked about (the step's own sentence may
    // speak of the other end): what it sent, received or timed out on, and where that took it.
    let state_why = prompt.side.and_then(|side| replay.steps.get(feedback.step).map(|step| state_sentence(i18n, side, step)));
    let state_why = state_why.map(|text| view! { <p class="state-why" data-testid="state-why">{text}</p> });
    view! {
        <div class="feedback" data-testid="feedback" data-correct=feedback.correct.to_string() role="status">
            <p class=if feedback.correct { "verdict right" } else { "verdict wrong" } data-testid="verdict">
                {if feedback.correct { t(Key::QuizRight) } else { t(Key::QuizWrong) }}
            </p>
            <p data-testid="feedback-asked">
                {t(Key::QuizAskedAbout)} ": " {t(Key::QuizInStep)} " #" {feedback.step + 1} " · " {t(Key::QuizSender)} " " {t(side_label(sender))}
                {about.map(|a| view! { " · " <strong>{a}</strong> })}
            </p>
            <dl class="answers-compare">
                <div><dt>{t(Key::QuizYourAnswer)}</dt><dd><code data-testid="your-answer">{answer_text(&feedback.answer)}</code></dd></div>
                <div><dt>{t(Key::QuizExpected)}</dt><dd><code data-testid="expected">{answer_text(&feedback.expected)}</code></dd></div>
            </dl>
            {mistake}
            {state_why}
            <h2>{t(Key::QuizGivens)}</h2>
            <Givens prompt=prompt.clone() />
            <h2>{t(Key::QuizReplay)}</h2>
            <RunPlayer run=replay texts=texts numbering=Numbering::Absolute at_end=true label="feedback" />
        </div>
    }
}
