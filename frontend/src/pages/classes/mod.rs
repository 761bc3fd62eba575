//! Classes and class quizzes: joining and running classes, writing quizzes, taking them and
//! reading their results. All of them are one wasm chunk (`CourseRoute`), fetched the first time
//! one of them opens, so learners who never use a class download none of it. They are one route
//! of the app's router, which picks the page here from the address: every route of the router
//! costs each first visit about 2 KB of code, and these pages are used together anyway.
//!
//! User-written text (class and quiz names, questions, usernames) is only ever a text node or an
//! attribute value here, which Leptos escapes; links carry numeric ids or filtered codes.

mod account;
mod admin;
mod autosave;
mod chart;
mod class;
mod editor;
mod exceptions;
mod gradebook;
mod invite;
mod join;
mod list;
mod prompt;
mod reset;
mod results;
mod take;

use std::future::Future;

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use tcplab_core::api::ErrorCode;
use tcplab_core::api::auth::Role;
use tcplab_core::api::classroom::QuizWindow;

use crate::api::ApiError;
use crate::components::time;
use crate::i18n::{Key, use_i18n};

lazy_page! {
    /// The route of every class page (`/classes`, `/classes/:id`, `/classes/:id/gradebook`, `/join/:code`,
    /// `/quizzes/:id/edit`, `/quizzes/:id/results`, `/attempts/:id`, `/invite/:token`, `/reset/:token`), and of
    /// addresses the app does not know, which it answers with the page that says so.
    CourseRoute => CoursePages
}

/// The page for the address, once the strings only these pages use are here (`GET /api/ui`,
/// see `frontend/build.rs`).
#[component]
fn CoursePages() -> impl IntoView {
    let i18n = use_i18n();
    let ready = Memo::new(move |_| i18n.page_texts_ready());
    move || {
        if ready.get() {
            view! { <Pages /> }.into_any()
        } else if i18n.page_texts_failed() {
            view! { <super::TextsFailedPage /> }.into_any()
        } else {
            view! { <section class="page" aria-busy="true"></section> }.into_any()
        }
    }
}

#[component]
fn Pages() -> impl IntoView {
    let location = use_location();
    let page = Memo::new(move |_| location.pathname.with(|path| page_of(path)));
    move || match page.get() {
        Page::Classes => view! { <list::ClassesPage /> }.into_any(),
        Page::Class => view! { <class::ClassPage /> }.into_any(),
        Page::Gradebook => view! { <gradebook::GradebookPage /> }.into_any(),
        Page::Join => view! { <join::JoinPage /> }.into_any(),
        Page::Editor => view! { <editor::EditorPage /> }.into_any(),
        Page::Results => view! { <results::ResultsPage /> }.into_any(),
        Page::Attempt => view! { <take::AttemptPage /> }.into_any(),
        Page::Invite => view! { <invite::InvitePage /> }.into_any(),
        Page::Reset => view! { <reset::ResetPage /> }.into_any(),
        Page::Unknown => view! { <super::NotFoundPage /> }.into_any(),
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Page {
    Classes,
    Class,
    Gradebook,
    Join,
    Editor,
    Results,
    Attempt,
    Invite,
    Reset,
    Unknown,
}

fn page_of(path: &str) -> Page {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        ["classes"] => Page::Classes,
        ["classes", _] => Page::Class,
        ["classes", _, "gradebook"] => Page::Gradebook,
        ["join", _] => Page::Join,
        ["quizzes", _, "edit"] => Page::Editor,
        ["quizzes", _, "results"] => Page::Results,
        ["attempts", _] => Page::Attempt,
        ["invite", _] => Page::Invite,
        ["reset", _] => Page::Reset,
        _ => Page::Unknown,
    }
}

/// The part of the address after the page's name: the `:id` of `/classes/:id` and
/// `/quizzes/:id/edit`, the `:code` of `/join/:code`, the `:token` of `/invite/:token`.
fn address_part() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let location = use_location();
    move || location.pathname.with(|path| path.trim_matches('/').split('/').nth(1).unwrap_or_default().to_owned())
}

/// The address's `:id` as a number; `None` for anything else, which no page has.
fn id_param() -> impl Fn() -> Option<i64> + Copy + Send + Sync + 'static {
    let part = address_part();
    move || part().parse().ok()
}

/// Sends `request` with `busy` set while it is out; its error goes to `problem`, its answer to
/// `done`. A second press while busy is ignored, so a double click cannot create two classes.
fn send<T: 'static>(
    busy: RwSignal<bool>,
    problem: RwSignal<Option<ApiError>>,
    request: impl Future<Output = Result<T, ApiError>> + 'static,
    done: impl FnOnce(T) + 'static,
) {
    if busy.get_untracked() {
        return;
    }
    busy.set(true);
    problem.set(None);
    // Not cancelled with the view: the button that sent it may vanish as `busy` flips. An
    // answer arriving after its page was left sets signals that are gone, which does nothing;
    // callbacks it calls are run with `try_run`.
    leptos::task::spawn_local(async move {
        match request.await {
            Ok(answer) => done(answer),
            Err(e) => problem.set(Some(e)),
        }
        busy.set(false);
    });
}

/// A failed call, said in the interface's language where the status says it all (not logged
/// in, not allowed, not found, unreachable), else in the server's own words with the field.
#[component]
fn Problem(error: ApiError, #[prop(default = "problem")] testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let detail = match &error {
        ApiError::Server { body, .. } => Some((body.error.code, body.error.field.as_deref().unwrap_or(""))),
        _ => None,
    };
    // What the status says on its own (when no field is named: a wrong current password is a
    // 403 about `current`), and the class errors a learner meets, in the interface's words;
    // anything else by its code and field (`ApiError::text`).
    let unnamed = detail.is_none_or(|(_, field)| field.is_empty());
    let known = match (error.status(), detail) {
        (None, _) => Some(Key::ClassesNetwork),
        (Some(401), _) if unnamed => Some(Key::ClassesNeedLogin),
        (Some(403), _) if unnamed => Some(Key::ClassesForbidden),
        (Some(404), _) if unnamed => Some(Key::ClassesNotFound),
        (_, Some((ErrorCode::UnknownCode, _))) => Some(Key::ClassesUnknownCode),
        (_, Some((ErrorCode::OwnClass, _))) => Some(Key::ClassesOwnClass),
        (_, Some((ErrorCode::Conflict, "quiz"))) => Some(Key::ClassesQuizNotOpen),
        (_, Some((ErrorCode::Conflict, "attempts"))) => Some(Key::ClassesAttemptsUsed),
        (_, Some((ErrorCode::Conflict, "attempt"))) => Some(Key::ClassesAlreadySubmitted),
        (_, Some((_, "invite"))) => Some(Key::InviteGone),
        _ => None,
    };
    view! {
        <p class="error" role="alert" data-testid=testid>
            {move || known.map_or_else(|| error.text(i18n), |k| i18n.t(k)().to_owned())}
        </p>
    }
}

/// `problem`'s current error, if any, as [`Problem`].
fn show_problem(problem: RwSignal<Option<ApiError>>, testid: &'static str) -> impl IntoView {
    move || problem.get().map(|error| view! { <Problem error=error testid=testid /> })
}

/// "1 point", "2 points".
fn points_word(n: u32) -> Key {
    if n == 1 { Key::ClassPoint } else { Key::ClassPoints }
}

/// "Loading…" until a resource answers.
fn loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="note" data-testid="loading">{i18n.t(Key::ClassesLoading)}</p> }
}

/// The shape of every class page: "Loading…" until `resource` answers, then its error as
/// [`Problem`] or `ready`'s view of its value. `heading`, when given, stands above the first
/// two, where the value's own view has none yet.
fn fetched<T: Clone + Send + Sync + 'static>(
    resource: LocalResource<Result<T, ApiError>>,
    heading: Option<Key>,
    ready: impl Fn(T) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let title = move || heading.map(|k| view! { <h1>{i18n.t(k)}</h1> });
    move || match resource.get() {
        None => view! { {title()} {loading()} }.into_any(),
        Some(Err(e)) => view! { {title()} <Problem error=e /> }.into_any(),
        Some(Ok(value)) => ready(value),
    }
}

fn role_label(role: Role) -> Key {
    match role {
        Role::Learner => Key::ClassesRoleLearner,
        Role::Instructor => Key::ClassesRoleInstructor,
        Role::Admin => Key::ClassesRoleAdmin,
    }
}

fn window_label(window: QuizWindow) -> Key {
    match window {
        QuizWindow::Draft => Key::ClassDraft,
        QuizWindow::NotYetOpen => Key::ClassNotYetOpen,
        QuizWindow::Open => Key::ClassOpen,
        QuizWindow::Closed => Key::ClassClosed,
    }
}

/// A button that copies `text` (a link to hand out), and says whether the browser let it.
#[component]
fn CopyButton(text: String, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(None::<bool>);
    let copy = move |_| {
        let text = text.clone();
        leptos::task::spawn_local(async move { copied.set(Some(crate::browser::copy(&text).await.is_ok())) });
    };
    // The config generator's words for the same action.
    view! {
        <button type="button" data-testid=testid on:click=copy>
            {move || if copied.get() == Some(true) { i18n.t(Key::ConfigCopied)() } else { i18n.t(Key::ConfigCopy)() }}
        </button>
        {move || (copied.get() == Some(false)).then(|| view! { <span class="hint" role="status">{i18n.t(Key::ConfigCopyFailed)}</span> })}
    }
}

#[cfg(test)]
mod tests {
    use super::{Page, page_of};

    #[test]
    fn each_class_address_opens_its_page_and_others_are_unknown() {
        let cases = [
            ("/classes", Page::Classes),
            ("/classes/", Page::Classes),
            ("/classes/12", Page::Class),
            ("/classes/12/gradebook", Page::Gradebook),
            ("/join/AB12CD", Page::Join),
            ("/quizzes/3/edit", Page::Editor),
            ("/quizzes/3/results", Page::Results),
            ("/attempts/7", Page::Attempt),
            ("/invite/tok", Page::Invite),
            ("/reset/tok", Page::Reset),
            ("/quizzes/3", Page::Unknown),
            ("/classes/1/2", Page::Unknown),
            ("/nothing-here", Page::Unknown),
            ("/", Page::Unknown),
        ];
        for (path, page) in cases {
            assert_eq!(page_of(path), page, "{path}");
        }
    }
}
