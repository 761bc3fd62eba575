//! `/classes`: the classes one has joined and, for instructors, the ones they teach; forms to
//! join one by its code and to start one; for admins, invites for new instructors.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use tcplab_core::api::auth::{Invite, Role};
use tcplab_core::api::classroom::ClassSummary;

use super::{CopyButton, Problem, fetched, send, show_problem, time};
use crate::api::{self, classroom as rooms};
use crate::components::account::AccountBox;
use crate::i18n::{Key, use_i18n};
use crate::pages::set_title;

/// Classes need an account: anonymous visitors get the login box first.
#[component]
pub(super) fn ClassesPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    set_title(t(Key::ClassesTitle));
    let me = LocalResource::new(api::me);
    let refresh = Callback::new(move |()| me.refetch());
    view! {
        <section class="page classes-page" data-testid="page-classes">
            <h1>{t(Key::ClassesTitle)}</h1>
            <p class="lead">{t(Key::ClassesIntro)}</p>
            {move || me.get().map(|answer| match answer {
                Err(e) => view! { <Problem error=e /> }.into_any(),
                Ok(me) => match me.username {
                    None => view! {
                        <AccountBox username=None on_change=refresh title=Key::ClassesLoginTitle intro=Key::ClassesLoginIntro />
                    }.into_any(),
                    Some(name) => view! {
                        <AccountBox username=Some(name) on_change=refresh />
                        <p data-testid="my-role">{t(Key::ClassesYourRole)} " " {t(super::role_label(me.role))}</p>
                        <Lists role=me.role />
                        {(me.role == Role::Admin).then(|| view! { <super::admin::AccountsAdmin /> })}
                        <super::account::AccountSettings on_change=refresh />
                    }.into_any(),
                },
            })}
        </section>
    }
}

/// The join form, the class lists and, by role, the forms to start a class and to invite.
#[component]
fn Lists(role: Role) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let archived = RwSignal::new(false);
    let classes = LocalResource::new(move || rooms::classes(archived.get()));
    view! {
        <JoinForm />
        <label class="field switch">
            <input type="checkbox" data-testid="show-archived"
                prop:checked=move || archived.get() on:change=move |ev| archived.set(event_target_checked(&ev)) />
            <span>{t(Key::ClassesShowArchived)}</span>
        </label>
        {fetched(classes, None, move |c| view! {
            <h2>{t(Key::ClassesJoined)}</h2>
            <ClassList classes=c.joined teaching=false />
            {role.teaches().then(|| view! {
                <h2>{t(Key::ClassesTeaching)}</h2>
                <ClassList classes=c.teaching teaching=true />
            })}
        }.into_any())}
        {role.teaches().then(|| view! { <NewClassForm /> })}
        {(role == Role::Admin).then(|| view! { <InviteBox /> })}
    }
}

/// Links to classes; a teacher's list shows each join code, a learner's the teacher.
#[component]
fn ClassList(classes: Vec<ClassSummary>, teaching: bool) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    if classes.is_empty() {
        let none = if teaching { Key::ClassesNoneTeaching } else { Key::ClassesNoneJoined };
        return view! { <p class="note">{t(none)}</p> }.into_any();
    }
    let testid = if teaching { "classes-teaching" } else { "classes-joined" };
    view! {
        <ul class="class-list" data-testid=testid>
            {classes.into_iter().map(|c| view! {
                <li>
                    <A href=format!("/classes/{}", c.id) attr:data-testid=format!("class-link-{}", c.id)>{c.name}</A>
                    {c.archived.then(|| view! { " " <span class="badge" data-testid="class-archived">{t(Key::ClassArchived)}</span> })}
                    {if teaching {
                        view! {
                            " · " {c.members} " " {t(Key::ClassesMembers)}
                            {c.join_code.map(|code| view! { " · " {t(Key::ClassJoinCode)} " " <code>{code}</code> })}
                        }.into_any()
                    } else {
                        view! { " · " {t(Key::ClassesTaughtBy)} " " {c.teacher} }.into_any()
                    }}
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The code an instructor gave out; joining opens the class.
#[component]
fn JoinForm() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let code = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None);
    let navigate = use_navigate();
    let join = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = code.get_untracked().trim().to_owned();
        if text.is_empty() {
            return;
        }
        let navigate = navigate.clone();
        send(busy, problem, rooms::join_class(text), move |c| navigate(&format!("/classes/{}", c.id), Default::default()));
    };
    view! {
        <form class="inline-form" on:submit=join>
            <label class="field">
                <span>{t(Key::ClassesJoinCode)}</span>
                <input type="text" autocomplete="off" data-testid="join-code-input"
                    prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev)) />
            </label>
            <button type="submit" class="primary" data-testid="join-class" disabled=move || busy.get()>{t(Key::ClassesJoin)}</button>
        </form>
        {show_problem(problem, "join-error")}
    }
}

/// Starts a class and opens it, where its join code is.
#[component]
fn NewClassForm() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let name = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None);
    let navigate = use_navigate();
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = name.get_untracked().trim().to_owned();
        if text.is_empty() {
            return;
        }
        let navigate = navigate.clone();
        send(busy, problem, rooms::create_class(text), move |c| navigate(&format!("/classes/{}", c.id), Default::default()));
    };
    view! {
        <h2>{t(Key::ClassesNew)}</h2>
        <form class="inline-form" on:submit=create>
            <label class="field">
                <span>{t(Key::ClassesName)}</span>
                <input type="text" autocomplete="off" data-testid="class-name-input"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            </label>
            <button type="submit" class="primary" data-testid="create-class" disabled=move || busy.get()>{t(Key::ClassesCreate)}</button>
        </form>
        {show_problem(problem, "create-class-error")}
    }
}

/// Admins make one-time links that register an instructor; the link is shown once, to copy.
#[component]
fn InviteBox() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None);
    let invite = RwSignal::new(None::<Invite>);
    let create = move |_| send(busy, problem, rooms::create_invite(Role::Instructor), move |i| invite.set(Some(i)));
    view! {
        <h2>{t(Key::ClassesInviteTitle)}</h2>
        <p>{t(Key::ClassesInviteIntro)}</p>
        <button type="button" class="primary" data-testid="invite-create" disabled=move || busy.get() on:click=create>
            {t(Key::ClassesInviteCreate)}
        </button>
        {show_problem(problem, "invite-error")}
        {move || invite.get().map(|i| {
            // Only our own path with the token's characters, whatever the answer holds.
            let link = format!("{}/invite/{}", crate::browser::origin(), rooms::token(i.path.trim_start_matches("/invite/")));
            view! {
                <p class="share">
                    <code data-testid="invite-link">{link.clone()}</code> " "
                    <CopyButton text=link testid="invite-copy" />
                </p>
                <p class="note">{t(Key::ClassesInviteExpires)} " " {time::show(i.expires_at)}</p>
            }
        })}
    }
}
