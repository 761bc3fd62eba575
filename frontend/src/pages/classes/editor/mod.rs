//! `/quizzes/:id/edit`: the quiz editor, forms only. The settings and the questions (a model
//! question shows a live preview of a learner's variant); Save sends the whole quiz, and the
//! server's checks (a 422 naming the field) show next to the form.

mod draft;
mod exchange;
mod items;
mod model;

use leptos::prelude::*;
use leptos_router::components::A;
use tcplab_core::api::classroom::EditableQuiz;
use tcplab_core::classroom::{Counted, ScoreVisibility};

use super::{Problem, fetched, id_param};
use crate::api::{self, ApiError, classroom as rooms};
use crate::i18n::{Key, use_i18n};
use crate::pages::set_title;
use draft::{Draft, Invalid, ItemDraft};
use exchange::Exchange;
use items::ItemList;

/// Loads the quiz in the address into the editor.
#[component]
pub(super) fn EditorPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    set_title(t(Key::EditorTitle));
    let id = id_param();
    let loaded = LocalResource::new(move || {
        let id = id();
        async move { rooms::quiz(id.unwrap_or(0)).await }
    });
    view! {
        <section class="page editor-page" data-testid="page-quiz-editor">
            <h1>{t(Key::EditorTitle)}</h1>
            {fetched(loaded, None, |quiz| view! { <Editor saved=quiz /> }.into_any())}
        </section>
    }
}

/// A field's JSON path as the editor shows it: `items[2].question.choices` is in "Question 3".
fn where_in_quiz(field: &str, question: &str) -> String {
    let rest = field.strip_prefix("items[").and_then(|r| r.split_once(']'));
    match rest.and_then(|(n, tail)| Some((n.parse::<usize>().ok()? + 1, tail.trim_start_matches('.')))) {
        Some((n, "")) => format!("{question} {n}"),
        Some((n, tail)) => format!("{question} {n} · {}", tail.trim_start_matches("question.")),
        None => field.to_owned(),
    }
}

/// Why the last Save did not go through.
#[derive(Clone)]
enum SaveProblem {
    Form(Invalid),
    Server(ApiError),
}

impl SaveProblem {
    /// The JSON path of the field at fault (`items[2].question.choices`), if one is named.
    fn field(&self) -> Option<String> {
        match self {
            SaveProblem::Form(invalid) => Some(invalid.field.clone()),
            SaveProblem::Server(ApiError::Server { body, .. }) => body.error.field.clone(),
            SaveProblem::Server(_) => None,
        }
    }
}

/// The form for one quiz, its Save button and status, and the Moodle exchange.
#[component]
fn Editor(saved: EditableQuiz) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let id = saved.id;
    let class_id = saved.class_id;
    let class_name = saved.class_name.clone();
    let draft = Draft::new();
    draft.load(&saved);
    // What the server holds: the status says "saved" while the form still matches it.
    let last_saved = RwSignal::new(Some(saved.quiz));
    let current = Memo::new(move |_| draft.quiz());
    let saving = RwSignal::new(false);
    let problem = RwSignal::new(None::<SaveProblem>);
    let error_field = Signal::derive(move || problem.with(|p| p.as_ref().and_then(SaveProblem::field)));
    let steps = LocalResource::new(move || api::steps(i18n.lang.get()));
    let texts = Signal::derive(move || steps.get().and_then(Result::ok));
    let reload = Callback::new(move |quiz: EditableQuiz| {
        draft.load(&quiz);
        last_saved.set(Some(quiz.quiz));
    });
    let save = move |_| {
        if saving.get_untracked() {
            return;
        }
        let quiz = match current.get_untracked() {
            Ok(quiz) => quiz,
            Err(invalid) => {
                problem.set(Some(SaveProblem::Form(invalid)));
                return;
            }
        };
        saving.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            match rooms::save_quiz(id, &quiz).await {
                // Anything typed while the save was out stays: the form is reloaded only if
                // it still holds what was sent. (`try_`: the page may be gone by now.)
                Ok(answer) if current.try_with_untracked(|c| c.as_ref() == Ok(&quiz)) == Some(true) => {
                    reload.try_run(answer);
                }
                Ok(answer) => last_saved.set(Some(answer.quiz)),
                Err(e) => problem.set(Some(SaveProblem::Server(e))),
            }
            saving.set(false);
        });
    };
    let status = move || {
        if saving.get() {
            ("saving", Key::EditorSaving)
        } else if last_saved.with(|s| current.with(|c| s.as_ref() == c.as_ref().ok())) {
            ("saved", Key::EditorSaved)
        } else {
            ("unsaved", Key::EditorUnsaved)
        }
    };
    let add = move |make: fn() -> ItemDraft| {
        let new = draft.own(make);
        draft.items.update(|v| v.push(new));
    };
    view! {
        <p>
            <A href=format!("/classes/{class_id}")>{"← "}{class_name}</A> " · "
            <A href=format!("/quizzes/{id}/results") attr:data-testid="editor-results">{t(Key::ClassResults)}</A>
        </p>
        {move || (draft.submitted.get() > 0).then(|| view! {
            <p class="note warning" data-testid="submitted-notice">{t(Key::EditorSubmittedNotice)} " " {draft.submitted.get()}</p>
        })}
        <Settings draft=draft />
        <h2>{t(Key::EditorQuestions)}</h2>
        <ItemList draft=draft error_field=error_field texts=texts />
        <div class="add-buttons">
            <button type="button" data-testid="add-model" on:click=move |_| add(ItemDraft::model)>{t(Key::EditorAddModel)}</button>
            <button type="button" data-testid="add-choice" on:click=move |_| add(ItemDraft::choice)>{t(Key::EditorAddChoice)}</button>
            <button type="button" data-testid="add-numeric" on:click=move |_| add(ItemDraft::numeric)>{t(Key::EditorAddNumeric)}</button>
        </div>
        <div class="save-bar">
            <button type="button" class="primary" data-testid="save-quiz" disabled=move || saving.get() on:click=save>{t(Key::EditorSave)}</button>
            " "
            <span role="status" data-testid="save-status" data-state=move || status().0>{move || t(status().1)()}</span>
            {move || problem.get().map(|p| {
                let field_attr = p.field();
                let (message, place) = match p {
                    SaveProblem::Form(invalid) => (t(invalid.message)().to_owned(), Some(invalid.field)),
                    SaveProblem::Server(e @ ApiError::Server { status: 422, .. }) => {
                        let field = match &e { ApiError::Server { body, .. } => body.error.field.clone(), _ => None };
                        (e.text(i18n), field)
                    }
                    // Not logged in, not allowed, unreachable ...: said in the interface's language.
                    SaveProblem::Server(e) => return view! { <Problem error=e testid="editor-error" /> }.into_any(),
                };
                view! {
                    <p class="error" role="alert" data-testid="editor-error" data-field=field_attr>
                        {place.map(|f| view! { <strong>{where_in_quiz(&f, t(Key::AttemptQuestion)())}</strong> ": " })}
                        {message}
                    </p>
                }.into_any()
            })}
        </div>
        <Exchange id=id on_imported=reload unsaved=Signal::derive(move || status().0 == "unsaved") />
    }
}

/// Title, draft or published, when it opens and closes, attempts and when scores show.
#[component]
fn Settings(draft: Draft) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let visibility = [
        (ScoreVisibility::Immediately, Key::EditorShowImmediately),
        (ScoreVisibility::AfterClose, Key::EditorShowAfterClose),
        (ScoreVisibility::Never, Key::EditorShowNever),
    ];
    let time_input = move |label: Key, value: RwSignal<String>, testid: &'static str| {
        view! {
            <label class="field">
                <span>{t(label)}</span>
                <input type="datetime-local" data-testid=testid
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };
    view! {
        <fieldset class="quiz-settings">
            <legend>{t(Key::EditorSettings)}</legend>
            <label class="field">
                <span>{t(Key::EditorQuizTitle)}</span>
                <input type="text" data-testid="quiz-title-input"
                    prop:value=move || draft.title.get() on:input=move |ev| draft.title.set(event_target_value(&ev)) />
            </label>
            <label class="field switch">
                <input type="checkbox" data-testid="quiz-published"
                    prop:checked=move || draft.published.get() on:change=move |ev| draft.published.set(event_target_checked(&ev)) />
                <span>{t(Key::EditorPublished)}</span>
            </label>
            <div class="row">
                {time_input(Key::EditorOpens, draft.opens, "quiz-opens")}
                {time_input(Key::EditorCloses, draft.closes, "quiz-closes")}
            </div>
            <p class="hint">{t(Key::EditorTimesHint)}</p>
            <div class="row">
                <label class="field">
                    <span>{t(Key::EditorAttempts)}</span>
                    <input type="number" min="1" max="20" data-testid="quiz-attempts"
                        prop:value=move || draft.attempts.get() on:input=move |ev| draft.attempts.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{t(Key::EditorTimeLimit)}</span>
                    <input type="number" min="1" max="1440" step="any" inputmode="decimal" data-testid="quiz-time-limit"
                        aria-describedby="quiz-time-limit-hint"
                        prop:value=move || draft.time_limit.get() on:input=move |ev| draft.time_limit.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{t(Key::EditorShowScores)}</span>
                    <select data-testid="quiz-show-scores" on:change=move |ev| {
                        if let Some(v) = ScoreVisibility::parse(&event_target_value(&ev)) {
                            draft.show.set(v);
                        }
                    }>
                        {visibility.into_iter().map(|(v, key)| view! {
                            <option value=v.as_str() prop:selected=move || draft.show.get() == v>{t(key)}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <p class="hint" id="quiz-time-limit-hint">{t(Key::EditorTimeLimitHint)}</p>
            <label class="field">
                <span>{t(Key::EditorCounted)}</span>
                <select data-testid="quiz-counted" on:change=move |ev| {
                    draft.counted.set(if event_target_value(&ev) == "latest" { Counted::Latest } else { Counted::Best });
                }>
                    {[(Counted::Best, Key::EditorCountedBest), (Counted::Latest, Key::EditorCountedLatest)].into_iter().map(|(v, key)| view! {
                        <option value=v.as_str() prop:selected=move || draft.counted.get() == v>{t(key)}</option>
                    }).collect_view()}
                </select>
            </label>
        </fieldset>
    }
}
