//! The learner's progress: mastery per kind of question and the latest answers, from the server,
//! so it is the same on every device the learner uses.

use leptos::prelude::*;
use leptos_router::components::A;

use super::quiz::topic_label;
use super::set_title;
use crate::api;
use crate::components::account::AccountBox;
use crate::i18n::{Key, use_i18n};

lazy_page! {
    /// The route, a wasm chunk of its own like the quiz.
    ProgressRoute => ProgressPage
}

#[component]
pub fn ProgressPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    set_title(t(Key::ProgressTitle));
    let progress = LocalResource::new(api::progress);
    // Lessons are named by their titles in the reader's language; the id while the list loads.
    let lessons_list = LocalResource::new(move || api::lessons(i18n.lang.get()));
    let title_of = move |id: &str| {
        lessons_list
            .with(|l| l.as_ref().and_then(|l| l.as_ref().ok()).and_then(|l| l.iter().find(|s| s.id == id).map(|s| s.title.clone())))
            .unwrap_or_else(|| id.to_owned())
    };
    view! {
        <section class="page" data-testid="page-progress">
            <h1>{t(Key::ProgressTitle)}</h1>
            <p class="lead">{t(Key::ProgressIntro)}</p>
            {move || progress.get().map(|result| match result {
                Err(e) => view! { <p class="error" role="alert">{t(Key::ProgressFailed)} " " {move || e.text(i18n)}</p> }.into_any(),
                Ok(p) => {
                    let empty = p.history.is_empty();
                    let lessons = p.lessons.clone();
                    view! {
                        <AccountBox username=p.username.clone() on_change=Callback::new(move |()| progress.refetch()) />
                        {empty.then(|| view! { <p class="note" data-testid="progress-empty">{t(Key::ProgressEmpty)}</p> })}
                        <table class="progress-topics" data-testid="topics">
                            <thead><tr>
                                <th>{t(Key::ProgressKind)}</th><th>{t(Key::ProgressAnswered)}</th>
                                <th>{t(Key::ProgressCorrect)}</th><th>{t(Key::ProgressMastery)}</th>
                            </tr></thead>
                            <tbody>
                                {p.topics.into_iter().map(|topic| view! {
                                    <tr data-testid="topic" data-kind=topic.kind.as_str()>
                                        <th scope="row">{t(topic_label(topic.kind))}</th>
                                        <td data-testid="topic-answered">{topic.answered}</td>
                                        <td data-testid="topic-correct">{topic.correct}</td>
                                        <td>
                                            <meter min="0" max="1" value=topic.mastery.to_string()></meter>
                                            " " {format!("{:.0} %", topic.mastery * 100.0)}
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <p><A href="/quiz" attr:data-testid="continue">{t(Key::ProgressContinue)}</A></p>
                        {(!lessons.is_empty()).then(move || {
                            let next = lessons.iter().find(|l| l.completed_at.is_none()).map(|l| l.id.clone());
                            view! {
                                <h2>{t(Key::ProgressLessons)}</h2>
                                {next.map(|id| view! {
                                    <p>{t(Key::ProgressContinueLesson)} " "
                                        <A href=format!("/lessons/{id}") attr:data-testid="continue-lesson">{move || title_of(&id)}</A></p>
                                })}
                                <ul class="history" data-testid="lessons">
                                    {lessons.into_iter().map(|l| {
                                        let finished = l.completed_at.is_some();
                                        let href = format!("/lessons/{}", l.id);
                                        let id = l.id.clone();
                                        view! {
                                            <li data-testid="lesson-progress" data-lesson=l.id data-finished=finished.to_string()>
                                                <A href=href>{move || title_of(&id)}</A> " · "
                                                {if finished { t(Key::ProgressFinished) } else { t(Key::ProgressOpened) }}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }
                        })}
                        {(!empty).then(|| view! {
                            <h2>{t(Key::ProgressHistory)}</h2>
                            <ol class="history" data-testid="history">
                                {p.history.into_iter().map(|h| view! {
                                    <li data-testid="history-item" data-correct=h.correct.to_string()>
                                        <time datetime=h.at.clone()>{crate::components::time::show_iso(&h.at)}</time>
                                        " · " {t(topic_label(h.kind))} " · " {if h.correct { "✓" } else { "✗" }}
                                    </li>
                                }).collect_view()}
                            </ol>
                        })}
                    }.into_any()
                }
            })}
        </section>
    }
}
