//! `/classes/:id`: for its instructor the join code and link, the members and every quiz with
//! its editor and results; for a member the published quizzes, to start.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use tcplab_core::api::classroom::{ClassChange, ClassDetail, QuizInfo, QuizWindow};
use tcplab_core::classroom::Quiz;

use super::{CopyButton, fetched, id_param, send, show_problem, time, window_label};
use crate::api::classroom as rooms;
use crate::i18n::{Key, use_i18n};
use crate::pages::set_title;

/// Loads the class and shows the teacher's or the member's view of it.
#[component]
pub(super) fn ClassPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    set_title(t(Key::ClassTitle));
    let id = id_param();
    let detail = LocalResource::new(move || {
        let id = id();
        async move { rooms::class(id.unwrap_or(0)).await }
    });
    let reload = Callback::new(move |()| detail.refetch());
    view! {
        <section class="page" data-testid="page-class">
            <p><A href="/classes">{"← "}{t(Key::ClassesTitle)}</A></p>
            {fetched(detail, Some(Key::ClassTitle), move |d| if d.teaching {
                view! { <Teaching detail=d reload=reload /> }.into_any()
            } else {
                view! { <Member detail=d /> }.into_any()
            })}
        </section>
    }
}

/// When learners may take a quiz, in words and local times.
fn window_text(q: &QuizInfo, t: impl Fn(Key) -> &'static str) -> String {
    let mut text = t(window_label(q.window)).to_owned();
    let at = match q.window {
        QuizWindow::NotYetOpen => q.opens_at.map(|s| (Key::ClassOpensAt, s)),
        QuizWindow::Open | QuizWindow::Draft => q.closes_at.map(|s| (Key::ClassClosesAt, s)),
        QuizWindow::Closed => None,
    };
    if let Some((key, secs)) = at {
        text.push_str(&format!(" · {} {}", t(key), time::show(secs)));
    }
    text
}

/// The instructor's view.
#[component]
fn Teaching(detail: ClassDetail, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let tr = move |k| i18n.t(k)();
    let class_id = detail.class.id;
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None);
    let navigate = use_navigate();
    let new_quiz = move |_| {
        let quiz = Quiz { title: tr(Key::ClassNewQuizTitle).to_owned(), ..Quiz::default() };
        let navigate = navigate.clone();
        send(busy, problem, async move { rooms::create_quiz(class_id, &quiz).await }, move |q| {
            navigate(&format!("/quizzes/{}/edit", q.id), Default::default())
        });
    };
    let duplicate = move |id: i64| {
        send(busy, problem, rooms::duplicate_quiz(id), move |_| {
            reload.try_run(());
        })
    };
    let delete_quiz = move |id: i64, title: String| {
        if confirm(&format!("{} “{title}”", tr(Key::ClassConfirmDeleteQuiz))) {
            send(busy, problem, rooms::delete_quiz(id), move |_| {
                reload.try_run(());
            });
        }
    };
    let remove = move |name: String| {
        if confirm(&format!("{} {name}", tr(Key::ClassConfirmRemoveMember))) {
            send(busy, problem, async move { rooms::remove_member(class_id, &name).await }, move |_| {
                reload.try_run(());
            });
        }
    };
    let code = detail.class.join_code.clone().map(|c| rooms::token(&c)).unwrap_or_default();
    let link = format!("{}/join/{code}", crate::browser::origin());
    let members = detail.members.clone();
    let archived = detail.class.archived;
    view! {
        <h1 data-testid="class-name">{detail.class.name.clone()}</h1>
        {archived.then(|| view! { <p class="note" role="status" data-testid="class-archived-note">{t(Key::ClassArchivedNote)}</p> })}
        <Manage detail=detail.clone() reload=reload />
        <section class="share" aria-labelledby="join-heading">
            <h2 id="join-heading">{t(Key::ClassJoinHeading)}</h2>
            <p>{t(Key::ClassJoinCode)} " " <code class="join-code" data-testid="join-code">{code.clone()}</code></p>
            <p>{t(Key::ClassJoinLink)} " " <code data-testid="join-link">{link.clone()}</code> " " <CopyButton text=link testid="join-link-copy" /></p>
        </section>
        <h2>{t(Key::ClassQuizzes)}</h2>
        <p><A href=format!("/classes/{}/gradebook", detail.class.id) attr:data-testid="gradebook-link">{t(Key::ClassGradebook)}</A></p>
        <button type="button" class="primary" data-testid="new-quiz" disabled=move || busy.get() || archived on:click=new_quiz>{t(Key::ClassNewQuiz)}</button>
        {show_problem(problem, "class-error")}
        {if detail.quizzes.is_empty() {
            view! { <p class="note">{t(Key::ClassNoQuizzes)}</p> }.into_any()
        } else {
            view! {
                <table class="quiz-table" data-testid="quiz-table">
                    <thead><tr>
                        <th>{t(Key::ClassQuizTitle)}</th><th>{t(Key::ClassStatus)}</th>
                        <th>{t(Key::ClassQuestions)}</th><th>{t(Key::ClassActions)}</th>
                    </tr></thead>
                    <tbody>
                        {detail.quizzes.into_iter().map(|q| {
                            let (id, title, questions, max) = (q.id, q.title.clone(), q.questions, q.max_points);
                            let title_again = title.clone();
                            let status = move || window_text(&q, tr);
                            view! {
                                <tr data-testid=format!("quiz-row-{id}")>
                                    <td>{title}</td>
                                    <td data-testid="quiz-status">{status}</td>
                                    <td>{questions} " · " {max} " " {t(super::points_word(max))}</td>
                                    <td class="actions">
                                        <A href=format!("/quizzes/{id}/edit") attr:data-testid=format!("edit-quiz-{id}")>{t(Key::ClassEdit)}</A>
                                        <A href=format!("/quizzes/{id}/results") attr:data-testid=format!("results-quiz-{id}")>{t(Key::ClassResults)}</A>
                                        <button type="button" data-testid=format!("duplicate-quiz-{id}") disabled=move || busy.get() || archived
                                            on:click=move |_| duplicate(id)>{t(Key::ClassDuplicate)}</button>
                                        <button type="button" class="danger" data-testid=format!("delete-quiz-{id}") disabled=move || busy.get() || archived
                                            on:click={
                                                let title = title_again.clone();
                                                move |_| delete_quiz(id, title.clone())
                                            }>{t(Key::ClassDelete)}</button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <h2>{t(Key::ClassMembers)} " (" {members.len()} ")"</h2>
        {if members.is_empty() {
            view! { <p class="note">{t(Key::ClassNoMembers)}</p> }.into_any()
        } else {
            view! {
                <ul class="members" data-testid="members">
                    {members.into_iter().map(|m| {
                        let testid = format!("remove-member-{m}");
                        view! {
                            <li>
                                {m.clone()} " "
                                <button type="button" data-testid=testid disabled=move || busy.get() || archived
                                    on:click=move |_| remove(m.clone())>{t(Key::ClassRemoveMember)}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

fn confirm(question: &str) -> bool {
    window().confirm_with_message(question).unwrap_or(false)
}

/// Rename, archive or bring back, and delete (after saying what goes with it).
#[component]
fn Manage(detail: ClassDetail, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let tr = move |k| i18n.t(k)();
    let class_id = detail.class.id;
    let archived = detail.class.archived;
    let name = RwSignal::new(detail.class.name.clone());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None);
    let navigate = use_navigate();
    let change = move |change: ClassChange| {
        send(busy, problem, async move { rooms::change_class(class_id, &change).await }, move |_| {
            reload.try_run(());
        });
    };
    let rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        change(ClassChange { name: Some(name.get_untracked()), archived: None });
    };
    let (quizzes, members) = (detail.quizzes.len(), detail.members.len());
    let delete = move |_| {
        let question = format!(
            "{} {quizzes} {} · {members} {} · {}",
            tr(Key::ClassConfirmDelete),
            tr(Key::ClassQuizzes),
            tr(Key::ClassesMembers),
            tr(Key::ClassConfirmDeleteAttempts)
        );
        if confirm(&question) {
            let navigate = navigate.clone();
            send(busy, problem, rooms::delete_class(class_id), move |_| navigate("/classes", Default::default()));
        }
    };
    view! {
        <details class="manage" data-testid="manage-class">
            <summary>{t(Key::ClassManage)}</summary>
            <form class="inline-form" on:submit=rename>
                <label class="field">
                    <span>{t(Key::ClassRename)}</span>
                    <input type="text" maxlength="100" data-testid="class-rename-input" disabled=archived
                        aria-invalid=move || problem.with(|p: &Option<crate::api::ApiError>| p.as_ref().is_some_and(|e| e.field() == Some("name"))).to_string()
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                </label>
                <button type="submit" data-testid="class-rename" disabled=move || busy.get() || archived>{t(Key::ClassRenameSave)}</button>
            </form>
            <p class="hint">{t(Key::ClassArchiveHint)}</p>
            <button type="button" data-testid="class-archive" disabled=move || busy.get()
                on:click=move |_| change(ClassChange { name: None, archived: Some(!archived) })>
                {if archived { t(Key::ClassUnarchive) } else { t(Key::ClassArchive) }}
            </button>
            " "
            <button type="button" class="danger" data-testid="class-delete" disabled=move || busy.get() on:click=delete>{t(Key::ClassDeleteClass)}</button>
            {show_problem(problem, "manage-error")}
        </details>
    }
}

/// A member's view: the published quizzes, each with a button to take it.
#[component]
fn Member(detail: ClassDetail) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let tr = move |k| i18n.t(k)();
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None);
    let navigate = use_navigate();
    let start = {
        let navigate = navigate.clone();
        move |quiz_id: i64| {
            let navigate = navigate.clone();
            send(busy, problem, rooms::start_attempt(quiz_id), move |a| {
                navigate(&format!("/attempts/{}", a.attempt_id), Default::default())
            });
        }
    };
    let class_id = detail.class.id;
    let leave = move |_| {
        if confirm(tr(Key::ClassConfirmLeave)) {
            let navigate = navigate.clone();
            send(busy, problem, rooms::leave_class(class_id), move |_| navigate("/classes", Default::default()));
        }
    };
    view! {
        <h1 data-testid="class-name">{detail.class.name.clone()}</h1>
        <p>{t(Key::ClassesTaughtBy)} " " {detail.class.teacher.clone()}</p>
        <h2>{t(Key::ClassQuizzes)}</h2>
        {show_problem(problem, "class-error")}
        {if detail.quizzes.is_empty() {
            view! { <p class="note">{t(Key::ClassNoQuizzesYet)}</p> }.into_any()
        } else {
            view! {
                <ul class="quiz-list" data-testid="quiz-list">
                    {detail.quizzes.into_iter().map(|q| {
                        let id = q.id;
                        let left = q.attempts_used < q.attempts_allowed;
                        let can_start = q.window == QuizWindow::Open && left;
                        let label = if q.attempts_used == 0 { Key::ClassStart } else { Key::ClassTryAgain };
                        let (used, allowed, best, max, last) = (q.attempts_used, q.attempts_allowed, q.best, q.max_points, q.last_attempt);
                        let title = q.title.clone();
                        let limit = q.time_limit_s;
                        let status = move || window_text(&q, tr);
                        let start = start.clone();
                        view! {
                            <li class="quiz-card" data-testid=format!("quiz-row-{id}")>
                                <h3>{title}</h3>
                                <p data-testid="quiz-status">{status}</p>
                                {limit.map(|s| view! {
                                    <p data-testid="quiz-time-limit">{t(Key::ClassTimeLimit)} " " {minutes(s)} " " {t(Key::ClassMinutes)}</p>
                                })}
                                <p>
                                    {t(Key::ClassAttempts)} " " <span data-testid="quiz-attempts">{format!("{used} / {allowed}")}</span>
                                    {best.map(|b| view! { " · " {t(Key::ClassBest)} " " <span data-testid="quiz-best">{format!("{b} / {max}")}</span> })}
                                    // Back to the latest attempt: its answers, and the right ones once shown.
                                    {last.filter(|_| used > 0).map(|a| view! {
                                        " · " <A href=format!("/attempts/{a}") attr:data-testid=format!("last-attempt-{id}")>{t(Key::ClassesYourAnswers)}</A>
                                    })}
                                </p>
                                {if can_start {
                                    view! {
                                        <button type="button" class="primary" data-testid=format!("start-quiz-{id}") disabled=move || busy.get()
                                            on:click=move |_| start(id)>{t(label)}</button>
                                    }.into_any()
                                } else if !left {
                                    view! { <p class="note">{t(Key::ClassNoAttemptsLeft)}</p> }.into_any()
                                } else {
                                    ().into_any()
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <p class="leave">
            <button type="button" data-testid="leave-class" disabled=move || busy.get() on:click=leave>{t(Key::ClassLeave)}</button>
            " " <span class="hint">{t(Key::ClassLeaveHint)}</span>
        </p>
    }
}

/// A time limit in minutes: whole, or with one decimal when set in seconds through the API.
fn minutes(seconds: u32) -> String {
    if seconds.is_multiple_of(60) { (seconds / 60).to_string() } else { format!("{:.1}", f64::from(seconds) / 60.0) }
}
