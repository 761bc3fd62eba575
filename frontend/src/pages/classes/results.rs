//! `/quizzes/:id/results`: how a quiz went. Each learner's best attempt counts: the spread of
//! the scores, per question how often it was right and the common wrong answers, and a row per
//! learner; the same as CSV to download.

use leptos::prelude::*;
use leptos_router::components::A;
use tcplab_core::api::StepTexts;
use tcplab_core::api::classroom::QuizResults;
use tcplab_core::classroom::{Item, ItemBody};
use tcplab_core::quiz::{Kind, WrongKind};

use super::chart::ScoreChart;
use super::exceptions::Exceptions;
use super::{fetched, id_param};
use crate::api::{self, classroom as rooms};
use crate::components::question::{field_label, side_label};
use crate::i18n::{I18n, Key, use_i18n};
use crate::pages::set_title;

/// Loads the results of the quiz in the address.
#[component]
pub(super) fn ResultsPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    set_title(t(Key::ResultsTitle));
    let id = id_param();
    let results = LocalResource::new(move || {
        let id = id();
        async move { rooms::results(id.unwrap_or(0)).await }
    });
    view! {
        <section class="page results-page" data-testid="page-results">
            {fetched(results, Some(Key::ResultsTitle), move |r| view! { <Results results=r refresh=Callback::new(move |()| results.refetch()) /> }.into_any())}
        </section>
    }
}

/// A question in a few words: a model question's scenario, step and field, else its text.
fn item_title(item: &Item, texts: &Option<StepTexts>, i18n: I18n) -> String {
    match &item.question {
        ItemBody::Model { scenario, step, field, kind, side } => {
            let name =
                texts.as_ref().and_then(|x| x.scenarios.get(scenario.as_str()).cloned()).unwrap_or_else(|| scenario.title().to_owned());
            let t = move |k| i18n.t(k)();
            let asked = match (kind, side) {
                (Kind::Field, _) => t(field_label(*field)).to_owned(),
                (Kind::State, Some(s)) => format!("{} ({})", t(Key::QuizKindState), t(side_label(*s))),
                (Kind::State, None) => t(Key::QuizKindState).to_owned(),
                (Kind::Next, _) => t(Key::QuizKindNext).to_owned(),
                (Kind::SpotError, _) => format!("{} ({})", t(Key::QuizKindSpotError), t(field_label(*field))),
            };
            format!("{name} · #{} · {asked}", step + 1)
        }
        ItemBody::Choice { text, .. } | ItemBody::Numeric { text, .. } => i18n.pick(text),
    }
}

/// A kind of wrong answer in words; a choice by its text in the instructor's list.
fn wrong_text(wrong: &WrongKind, item: Option<&Item>, i18n: I18n) -> String {
    let t = move |k| i18n.t(k)();
    match wrong {
        WrongKind::Blank => t(Key::ResultsBlank).to_owned(),
        WrongKind::Off { by } => format!("{} {}{}", t(Key::ResultsRightAnswer), if *by < 0 { "−" } else { "+" }, by.unsigned_abs()),
        WrongKind::OtherSide => t(Key::ResultsOtherSide).to_owned(),
        WrongKind::Flags { flags } => flags.clone(),
        WrongKind::Choice { index } => match item.map(|i| &i.question) {
            Some(ItemBody::Choice { choices, .. }) => choices.get(*index).map_or_else(|| format!("#{}", index + 1), |c| i18n.pick(&c.text)),
            _ => format!("#{}", index + 1),
        },
        WrongKind::Value { value } => value.clone(),
    }
}

/// The chart, the questions' statistics and the learners' table.
#[component]
fn Results(results: QuizResults, refresh: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let steps = LocalResource::new(move || api::steps(i18n.lang.get()));
    let texts = Signal::derive(move || steps.get().and_then(Result::ok));
    let QuizResults { id, class_id, quiz, summary } = results;
    let items = StoredValue::new(quiz.items.clone());
    let questions = quiz.items.len();
    let deleted = summary.learners.iter().any(|l| l.username.starts_with('#'));
    view! {
        <p>
            <A href=format!("/classes/{class_id}")>{"← "}{t(Key::ClassTitle)}</A> " · "
            <A href=format!("/quizzes/{id}/edit")>{t(Key::ClassEdit)}</A>
        </p>
        <h1>{t(Key::ResultsTitle)} ": " <span data-testid="results-quiz-title">{quiz.title.clone()}</span></h1>
        <p>
            <span data-testid="results-learners">{summary.learners.len()}</span> " " {t(Key::ResultsLearners)} " · "
            <a href=rooms::results_csv_href(id) download="" data-testid="download-csv">{t(Key::ResultsDownloadCsv)}</a>
        </p>
        {(summary.earlier_version > 0).then(|| view! {
            <p class="note" data-testid="results-earlier">{summary.earlier_version} " " {t(Key::ResultsEarlierVersion)}</p>
        })}
        <h2>{t(Key::ResultsDistribution)}</h2>
        <ScoreChart histogram=summary.histogram />
        <h2>{t(Key::ResultsQuestions)}</h2>
        <table class="results" data-testid="results-items">
            <thead><tr>
                <th>"#"</th><th>{t(Key::ResultsQuestion)}</th><th>{t(Key::ResultsRight)}</th><th>{t(Key::ResultsCommonWrong)}</th>
            </tr></thead>
            <tbody>
                {summary.items.into_iter().enumerate().map(|(i, stats)| {
                    let rate = (stats.correct * 100).checked_div(stats.answered).unwrap_or(0);
                    let wrong = stats.common_wrong;
                    view! {
                        <tr data-testid=format!("results-item-{i}")>
                            <td>{i + 1}</td>
                            <td>{move || items.with_value(|items| items.get(i).map(|item| texts.with(|x| item_title(item, x, i18n)))).unwrap_or_default()}</td>
                            <td data-testid="item-rate">{format!("{} / {} ({rate} %)", stats.correct, stats.answered)}</td>
                            <td>
                                <ul class="wrong-answers">
                                    {wrong.into_iter().map(|(kind, count)| view! {
                                        <li>{move || items.with_value(|items| wrong_text(&kind, items.get(i), i18n))} " × " {count}</li>
                                    }).collect_view()}
                                </ul>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <h2>{t(Key::ResultsLearnersTitle)}</h2>
        <table class="results" data-testid="results-table">
            <thead><tr>
                <th>{t(Key::AccountUsername)}</th><th>{t(Key::ClassAttempts)}</th><th>{t(Key::ClassBest)}</th>
                {(1..=questions).map(|n| view! { <th>{format!("#{n}")}</th> }).collect_view()}
            </tr></thead>
            <tbody>
                {summary.learners.into_iter().map(|l| {
                    let name = l.username.clone();
                    view! {
                    <tr data-testid=format!("results-row-{name}")>
                        <td><A href=format!("/attempts/{}", l.best_attempt) attr:data-testid="learner-attempt">{
                            // A deleted account is `#<id>`: usernames never start with `#`.
                            if l.username.starts_with('#') {
                                view! { {t(Key::ResultsDeletedLearner)} " " {l.username} }.into_any()
                            } else {
                                l.username.into_any()
                            }
                        }</A></td>
                        <td>{l.attempts}</td>
                        <td data-testid="learner-best">{format!("{} / {}", l.best, l.max)}</td>
                        // An attempt on questions edited since: its marks belong to other questions.
                        {if l.current {
                            l.correct.into_iter().map(|right| match right {
                                Some(right) => view! { <td data-correct=right.to_string()>{if right { "✓" } else { "✗" }}</td> }.into_any(),
                                // A pool did not ask this learner this question.
                                None => view! {
                                    <td data-correct="none" title=t(Key::ResultsNotAsked)>
                                        <span aria-hidden="true">"–"</span><span class="visually-hidden">{t(Key::ResultsNotAsked)}</span>
                                    </td>
                                }.into_any(),
                            }).collect_view().into_any()
                        } else {
                            view! { <td class="note" colspan=questions.to_string()>{t(Key::ResultsEarlierShort)}</td> }.into_any()
                        }}
                    </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {deleted.then(|| view! { <Purge class_id=class_id on_done=refresh /> })}
        <Exceptions quiz_id=id class_id=class_id />
    }
}

/// Removes, after a question, the results deleted accounts left in the class.
#[component]
fn Purge(class_id: i64, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None);
    let done = RwSignal::new(None::<u32>);
    let purge = move |_| {
        if window().confirm_with_message(i18n.t(Key::ResultsConfirmPurge)()).unwrap_or(false) {
            super::send(busy, problem, rooms::purge_deleted(class_id), move |d| {
                done.set(Some(d.attempts));
                on_done.run(());
            });
        }
    };
    view! {
        <p>
            <button type="button" class="danger" data-testid="purge-deleted" disabled=move || busy.get() on:click=purge>{t(Key::ResultsPurge)}</button>
            {move || done.get().map(|n| view! { " " <span role="status" data-testid="purged">{n} " " {t(Key::ResultsPurged)}</span> })}
        </p>
        {super::show_problem(problem, "purge-error")}
    }
}
