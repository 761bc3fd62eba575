//! `/quizzes/:id/edit`: the quiz editor, forms only. The settings and the questions (a model
//! question shows a live preview of a learner's variant); Save sends the whole quiz, and the
//! server's checks (a 422 naming the field) show next to the form.

mod draft;
mod exchange;
mod items;
mod keep;
mod model;

use leptos::prelude::*;
use leptos_router::components::A;
use tcplab_core::api::classroom::EditableQuiz;
use tcplab_core::classroom::{Counted, ScoreVisibility};

use super::{Problem, fetched, id_param};
use crate::api::{self, ApiError, classroom as rooms};
use crate::i18n::{Key, use_i18n};
use crate::pages::set_title;
use draft::{Draft, ItemDraft};
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

/// What a Save found wrong with one field, in the interface's words or the shared check's.
#[derive(Clone)]
struct FieldProblem {
    field: String,
    message: Message,
}

#[derive(Clone)]
enum Message {
    Key(Key),
    Text(tcplab_core::lang::Text),
    Server(ApiError),
}

/// Why the last Save did not go through.
#[derive(Clone)]
enum SaveProblem {
    /// Everything the form and the shared checks (`Quiz::check`, which the server runs too)
    /// found, all at once: nothing was sent.
    Fields(Vec<FieldProblem>),
    Server(ApiError),
}

impl SaveProblem {
    /// The JSON paths of the fields at fault (`items[2].question.choices`).
    fn fields(&self) -> Vec<String> {
        match self {
            SaveProblem::Fields(list) => list.iter().map(|p| p.field.clone()).collect(),
            SaveProblem::Server(ApiError::Server { body, .. }) => body.error.field.clone().into_iter().collect(),
            SaveProblem::Server(_) => Vec::new(),
        }
    }
}

/// The fields the last Save found at fault, for each input to mark itself.
#[derive(Clone, Copy)]
struct BadFields(Signal<Vec<String>>);

/// `aria-invalid` for the input of `field` (a JSON path): "true" while the last Save found it
/// at fault, else absent.
fn invalid(field: String) -> impl Fn() -> Option<&'static str> + Send + Sync + 'static {
    let bad = use_context::<BadFields>();
    move || bad.and_then(|b| b.0.with(|fields| fields.contains(&field).then_some("true")))
}

/// Where a field stands on the page: the settings in the form's order, then each question's.
fn page_order(field: &str) -> (usize, usize) {
    const SETTINGS: [&str; 6] = ["title", "opens_at", "closes_at", "attempts_allowed", "time_limit_s", "draw"];
    if let Some(i) = SETTINGS.iter().position(|s| *s == field) {
        return (0, i);
    }
    let item = field.strip_prefix("items[").and_then(|r| r.split_once(']')).and_then(|(n, _)| n.parse::<usize>().ok());
    item.map_or((1, 0), |n| (2, n))
}

/// Moves the focus to the first input marked invalid, once the marks are drawn.
fn focus_first_invalid() {
    request_animation_frame(|| {
        let first = document().query_selector(".editor-page [aria-invalid=\"true\"]").ok().flatten();
        if let Some(element) = first.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()) {
            let _ = element.focus();
        }
    });
}

/// Focuses the input of `field`, when a problem in the list is clicked.
fn focus_field(field: &str) {
    let found = document().query_selector(&format!(".editor-page [data-field=\"{field}\"]")).ok().flatten();
    if let Some(element) = found.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()) {
        let _ = element.focus();
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
    // A copy this browser kept of changes never saved, offered back before anything overwrites it.
    let offered = RwSignal::new(keep::kept(id, &saved.quiz));
    let base = StoredValue::new(saved.clone());
    // What the server holds: the status says "saved" while the form still matches it.
    let last_saved = RwSignal::new(Some(saved.quiz));
    let current = Memo::new(move |_| draft.quiz());
    let saving = RwSignal::new(false);
    let problem = RwSignal::new(None::<SaveProblem>);
    let error_fields = Signal::derive(move || problem.with(|p| p.as_ref().map(SaveProblem::fields).unwrap_or_default()));
    provide_context(BadFields(error_fields));
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
        // What the form cannot read and what the shared checks (the server's too) find, all at
        // once; a field already named for its unreadable value is not named again.
        let (quiz, bad) = draft.read();
        let mut found: Vec<FieldProblem> =
            bad.into_iter().map(|b| FieldProblem { field: b.field, message: Message::Key(b.message) }).collect();
        for p in quiz.check() {
            if !found.iter().any(|f| f.field == p.field) {
                found.push(FieldProblem { field: p.field, message: Message::Text(p.message) });
            }
        }
        // In the order of the page: settings, then the questions in turn.
        found.sort_by_key(|p| page_order(&p.field));
        let found = if found.is_empty() { Ok(quiz) } else { Err(found) };
        let quiz = match found {
            Ok(quiz) => quiz,
            Err(list) => {
                problem.set(Some(SaveProblem::Fields(list)));
                focus_first_invalid();
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
                    // Saved: a copy kept from before is older than what the server now holds.
                    keep::forget(id);
                    let _ = offered.try_set(None);
                    reload.try_run(answer);
                }
                Ok(answer) => {
                    let _ = offered.try_set(None);
                    last_saved.set(Some(answer.quiz));
                }
                Err(e) => {
                    problem.set(Some(SaveProblem::Server(e)));
                    focus_first_invalid();
                }
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
    let unsaved = Signal::derive(move || !last_saved.with(|s| current.with(|c| s.as_ref() == c.as_ref().ok())));
    keep::guard(unsaved, move || i18n.t(Key::EditorLeaveUnsaved)().to_owned());
    // The form as typed is kept in this browser until it is saved (or the copy is refused).
    Effect::new(move |_| {
        if offered.with(Option::is_some) {
            return;
        }
        match current.get() {
            Ok(quiz) if unsaved.get() => keep::keep(id, &quiz),
            Ok(_) => keep::forget(id),
            // Not a quiz yet (a number half typed): the last good copy stays.
            Err(_) => {}
        }
    });
    let restore = move |_| {
        if let Some(copy) = offered.get_untracked() {
            let mut quiz = base.get_value();
            quiz.quiz = copy.quiz;
            draft.load(&quiz);
        }
        offered.set(None);
    };
    let discard = move |_| {
        keep::forget(id);
        offered.set(None);
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
        {move || offered.get().map(|copy| view! {
            <div class="note warning" role="status" data-testid="local-copy">
                <p>{t(Key::EditorLocalCopy)} " " {crate::components::time::show((copy.written_ms / 1000.0) as i64)}</p>
                <button type="button" class="primary" data-testid="local-copy-restore" on:click=restore>{t(Key::EditorLocalRestore)}</button>
                " "
                <button type="button" data-testid="local-copy-discard" on:click=discard>{t(Key::EditorLocalDiscard)}</button>
            </div>
        })}
        {move || (draft.submitted.get() > 0).then(|| view! {
            <p class="note warning" data-testid="submitted-notice">{t(Key::EditorSubmittedNotice)} " " {draft.submitted.get()}</p>
        })}
        <Settings draft=draft />
        <h2>{t(Key::EditorQuestions)}</h2>
        <ItemList draft=draft error_fields=error_fields texts=texts />
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
                let list: Vec<FieldProblem> = match p {
                    SaveProblem::Fields(list) => list,
                    SaveProblem::Server(e @ ApiError::Server { status: 422, .. }) => {
                        let field = match &e { ApiError::Server { body, .. } => body.error.field.clone().unwrap_or_default(), _ => String::new() };
                        vec![FieldProblem { field, message: Message::Server(e) }]
                    }
                    // Not logged in, not allowed, unreachable ...: said in the interface's language.
                    SaveProblem::Server(e) => return view! { <Problem error=e testid="editor-error" /> }.into_any(),
                };
                let count = list.len();
                view! {
                    <div class="error" role="alert" data-testid="editor-error">
                        <p><strong>{t(Key::EditorNotSaved)}</strong> " " {count} " " {t(if count == 1 { Key::EditorProblem } else { Key::EditorProblems })}</p>
                        <ul class="problems">
                            {list.into_iter().map(|FieldProblem { field, message }| {
                                let message = match message {
                                    Message::Key(k) => t(k)().to_owned(),
                                    Message::Text(text) => i18n.pick(&text),
                                    Message::Server(e) => e.text(i18n),
                                };
                                let place = (!field.is_empty()).then(|| where_in_quiz(&field, t(Key::AttemptQuestion)()));
                                let target = field.clone();
                                view! {
                                    <li data-testid="editor-problem" data-field=field>
                                        {place.map(|place| view! {
                                            <button type="button" class="link" on:click=move |_| focus_field(&target)>{place}</button> ": "
                                        })}
                                        {message}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                }.into_any()
            })}
        </div>
        <Exchange id=id on_imported=reload unsaved=unsaved />
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
    let time_input = move |label: Key, value: RwSignal<String>, testid: &'static str, field: &'static str| {
        view! {
            <label class="field">
                <span>{t(label)}</span>
                <input type="datetime-local" data-testid=testid data-field=field aria-invalid=invalid(field.into())
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };
    view! {
        <fieldset class="quiz-settings">
            <legend>{t(Key::EditorSettings)}</legend>
            <label class="field">
                <span>{t(Key::EditorQuizTitle)}</span>
                <input type="text" data-testid="quiz-title-input" data-field="title" aria-invalid=invalid("title".into())
                    prop:value=move || draft.title.get() on:input=move |ev| draft.title.set(event_target_value(&ev)) />
            </label>
            <label class="field switch">
                <input type="checkbox" data-testid="quiz-published"
                    prop:checked=move || draft.published.get() on:change=move |ev| draft.published.set(event_target_checked(&ev)) />
                <span>{t(Key::EditorPublished)}</span>
            </label>
            <div class="row">
                {time_input(Key::EditorOpens, draft.opens, "quiz-opens", "opens_at")}
                {time_input(Key::EditorCloses, draft.closes, "quiz-closes", "closes_at")}
            </div>
            <p class="hint">{t(Key::EditorTimesHint)}</p>
            <div class="row">
                <label class="field">
                    <span>{t(Key::EditorAttempts)}</span>
                    <input type="number" min="1" max="20" data-testid="quiz-attempts" data-field="attempts_allowed" aria-invalid=invalid("attempts_allowed".into())
                        prop:value=move || draft.attempts.get() on:input=move |ev| draft.attempts.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{t(Key::EditorTimeLimit)}</span>
                    <input type="number" min="1" max="1440" step="any" inputmode="decimal" data-testid="quiz-time-limit" data-field="time_limit_s" aria-invalid=invalid("time_limit_s".into())
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
                <span>{t(Key::EditorDraw)}</span>
                <input type="number" min="1" max="50" inputmode="numeric" data-testid="quiz-draw" data-field="draw" aria-invalid=invalid("draw".into())
                    aria-describedby="quiz-draw-hint"
                    prop:value=move || draft.draw.get() on:input=move |ev| draft.draw.set(event_target_value(&ev)) />
            </label>
            <p class="hint" id="quiz-draw-hint">{t(Key::EditorDrawHint)} " " {move || draft.items.with(Vec::len)}</p>
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
