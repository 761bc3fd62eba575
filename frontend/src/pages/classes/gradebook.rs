//! `/classes/:id/gradebook`: every member's counted score on every published quiz, for the
//! class's instructor, with the CSV downloads Moodle's and Canvas's gradebook importers read.

use leptos::prelude::*;
use leptos_router::components::A;
use tcplab_core::api::classroom::Gradebook;
use tcplab_core::classroom::Counted;

use super::{fetched, id_param};
use crate::api::classroom as rooms;
use crate::i18n::{Key, use_i18n};
use crate::pages::set_title;

#[component]
pub(super) fn GradebookPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    set_title(t(Key::GradebookTitle));
    let id = id_param();
    let book = LocalResource::new(move || {
        let id = id();
        async move { rooms::gradebook(id.unwrap_or(0)).await }
    });
    view! {
        <section class="page gradebook-page" data-testid="page-gradebook">
            {fetched(book, Some(Key::GradebookTitle), |b| view! { <Book book=b /> }.into_any())}
        </section>
    }
}

#[component]
fn Book(book: Gradebook) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let class_id = book.class_id;
    view! {
        <p><A href=format!("/classes/{class_id}")>{"← "}{book.class_name.clone()}</A></p>
        <h1>{t(Key::GradebookTitle)}</h1>
        <p class="lead">{t(Key::GradebookLead)}</p>
        <p>
            <a href=rooms::gradebook_csv_href(class_id, "moodle") download="" data-testid="gradebook-csv-moodle">{t(Key::GradebookCsvMoodle)}</a>
            " · "
            <a href=rooms::gradebook_csv_href(class_id, "canvas") download="" data-testid="gradebook-csv-canvas">{t(Key::GradebookCsvCanvas)}</a>
        </p>
        <p class="hint">{t(Key::GradebookCsvHint)}</p>
        {if book.learners.is_empty() || book.quizzes.is_empty() {
            view! { <p class="note" data-testid="gradebook-empty">{t(Key::GradebookEmpty)}</p> }.into_any()
        } else {
            view! {
                // Wide classes scroll inside their box, not the page, on a phone.
                <div class="table-scroll" role="region" tabindex="0" aria-label=move || t(Key::GradebookTitle)()>
                    <table class="results gradebook" data-testid="gradebook-table">
                        <thead>
                            <tr>
                                <th scope="col">{t(Key::GradebookLearner)}</th>
                                {book.quizzes.clone().into_iter().map(|q| {
                                    let counted = match q.counted { Counted::Best => Key::EditorCountedBest, Counted::Latest => Key::EditorCountedLatest };
                                    view! {
                                        <th scope="col">
                                            <A href=format!("/quizzes/{}/results", q.id)>{q.title}</A>
                                            <br /><small>{format!("/ {} · ", q.max_points)} {t(counted)}</small>
                                        </th>
                                    }
                                }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {book.learners.clone().into_iter().map(|l| view! {
                                <tr data-testid=format!("gradebook-row-{}", l.username)>
                                    <th scope="row">{l.username.clone()}</th>
                                    {l.scores.into_iter().map(|s| view! {
                                        <td data-testid="gradebook-score">{s.map(|s| s.to_string()).unwrap_or_else(|| "–".into())}</td>
                                    }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
