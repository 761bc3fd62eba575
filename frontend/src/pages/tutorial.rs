//! The tutorial: the list of lessons, and one lesson with its text and its animated scenarios.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use tcplab_core::tcp::ScenarioId;

use super::set_title;
use crate::api;
use crate::components::player::{Player, random_isns};
use crate::i18n::{Key, use_i18n};

/// The lessons in teaching order.
#[component]
pub fn TutorialPage() -> impl IntoView {
    let i18n = use_i18n();
    set_title(i18n.t(Key::TutorialTitle));
    let lessons = LocalResource::new(move || api::lessons(i18n.lang.get()));
    view! {
        <section class="page" data-testid="page-tutorial">
            <h1>{i18n.t(Key::TutorialTitle)}</h1>
            <p class="lead">{i18n.t(Key::TutorialIntro)}</p>
            <Suspense fallback=move || view! { <p>{i18n.t(Key::StatusChecking)}</p> }>
                {move || lessons.get().map(|result| match result {
                    Err(e) => view! { <p class="error" role="alert">{move || e.brief(i18n)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ol class="lesson-list" data-testid="lesson-list">
                            {list.into_iter().map(|l| {
                                let missing = l.lang != i18n.lang.get_untracked();
                                view! {
                                    <li>
                                        <A href=format!("/lessons/{}", l.id) attr:data-testid=format!("lesson-link-{}", l.id)>{l.title}</A>
                                        <p>{l.summary}</p>
                                        {missing.then(|| view! { <p class="note">{i18n.t(Key::LessonNotTranslated)}</p> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// One lesson: its text from the server and a player for each scenario it names. The URL may
/// carry `scenario`, `step`, `client_isn` and `server_isn`, so a link reproduces exactly what the
/// sender saw.
#[component]
pub fn LessonPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let lesson = LocalResource::new(move || {
        let (id, lang) = (id(), i18n.lang.get());
        async move { api::lesson(&id, lang).await }
    });
    // Opening a lesson is progress: recorded once per lesson shown (a failure only loses that mark).
    Effect::new(move |previous: Option<String>| {
        let current = id();
        if previous.as_deref() != Some(current.as_str()) && !current.is_empty() {
            let lesson = current.clone();
            leptos::task::spawn_local(async move {
                let _ = api::visit_lesson(&lesson, false).await;
            });
        }
        current
    });
    let finished = RwSignal::new(false);
    let finish = move |_| {
        let lesson = id();
        leptos::task::spawn_local(async move {
            if api::visit_lesson(&lesson, true).await.is_ok() {
                finished.set(true);
            }
        });
    };
    let steps = LocalResource::new(move || api::steps(i18n.lang.get()));
    // Without the sentences the player still works; it just explains less.
    let texts = Signal::derive(move || steps.get().and_then(Result::ok));
    view! {
        <section class="page lesson" data-testid="page-lesson">
            <p><A href="/">{"← "}{i18n.t(Key::NavTutorial)}</A></p>
            <Suspense fallback=move || view! { <p>{i18n.t(Key::StatusChecking)}</p> }>
                {move || lesson.get().map(|result| match result {
                    Err(e) => view! { <p class="error" role="alert" data-testid="lesson-error">{move || e.brief(i18n)}</p> }.into_any(),
                    Ok(page) => {
                        document().set_title(&format!("{} · TCP Lab", page.summary.title));
                        let q = query.get_untracked();
                        let wanted: Option<ScenarioId> = q.get("scenario").and_then(|s| s.parse().ok());
                        let step: usize = q.get("step").and_then(|s| s.parse().ok()).unwrap_or(0);
                        let deep_isns = q.get("client_isn").zip(q.get("server_isn"))
                            .and_then(|(c, s)| Some((c.parse().ok()?, s.parse().ok()?)));
                        let scenarios: Vec<ScenarioId> = page.summary.scenarios.iter().filter_map(|s| s.parse().ok()).collect();
                        let not_translated = page.summary.lang != page.requested;
                        view! {
                            <article data-testid="lesson" data-lang=page.summary.lang.tag() lang=page.summary.lang.tag()>
                                {not_translated.then(|| view! { <p class="note" data-testid="not-translated">{i18n.t(Key::LessonNotTranslated)}</p> })}
                                <div class="lesson-text" inner_html=page.html></div>
                            </article>
                            {scenarios.into_iter().map(|scenario| {
                                let chosen = wanted == Some(scenario);
                                let isns = if chosen { deep_isns.unwrap_or_else(random_isns) } else { random_isns() };
                                let start = if chosen { step } else { 0 };
                                let title = move || texts.with(|t| t.as_ref().and_then(|t| t.scenarios.get(scenario.as_str()).cloned()))
                                    .unwrap_or_else(|| scenario.title().to_owned());
                                view! {
                                    <h2 class="scenario-title">{title}</h2>
                                    <Player scenario=scenario isns=isns initial_step=start texts=texts />
                                }
                            }).collect_view()}
                            <p class="lesson-finish">
                                <button type="button" class="primary" data-testid="lesson-finish" disabled=move || finished.get() on:click=finish>
                                    {move || if finished.get() { i18n.t(Key::LessonFinished)() } else { i18n.t(Key::LessonFinish)() }}
                                </button>
                            </p>
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}
