//! `/join/:code`: the link an instructor hands out. Joins the class and opens it: at once after
//! logging in or registering here, or with a press of "Join" for somebody already logged in, so
//! a link planted on another page cannot put them in a class unasked.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use super::{Problem, loading, send, show_problem};
use crate::api::{self, classroom as rooms};
use crate::components::account::AccountBox;
use crate::i18n::{Key, use_i18n};
use crate::pages::set_title;

/// Logs in if need be, joins, and goes to the class.
#[component]
pub(super) fn JoinPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    set_title(t(Key::JoinTitle));
    let part = super::address_part();
    let code = move || rooms::token(&part());
    let me = LocalResource::new(api::me);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None);
    let navigate = use_navigate();
    let logged_in_here = RwSignal::new(false);
    // `replace` keeps the join link out of the back button's way.
    let join = move || {
        let navigate = navigate.clone();
        send(busy, problem, rooms::join_class(code()), move |c| {
            navigate(&format!("/classes/{}", c.id), NavigateOptions { replace: true, ..Default::default() })
        });
    };
    let join_after_login = join.clone();
    Effect::new(move |joined: Option<bool>| {
        if joined == Some(true) {
            return true;
        }
        let ready = logged_in_here.get() && me.get().is_some_and(|m| m.is_ok_and(|m| m.username.is_some()));
        if ready {
            join_after_login();
        }
        ready
    });
    view! {
        <section class="page" data-testid="page-join">
            <h1>{t(Key::JoinTitle)}</h1>
            <p class="lead">{t(Key::JoinIntro)} " " <code data-testid="join-page-code">{code}</code></p>
            {move || match me.get() {
                None => loading().into_any(),
                Some(Err(e)) => view! { <Problem error=e /> }.into_any(),
                Some(Ok(m)) if m.username.is_none() => view! {
                    <AccountBox username=None on_change=Callback::new(move |()| { logged_in_here.set(true); me.refetch() })
                        title=Key::ClassesLoginTitle intro=Key::JoinLogin />
                }.into_any(),
                Some(Ok(_)) => view! {
                    {
                        let join = join.clone();
                        move || (!logged_in_here.get() && !busy.get() && problem.with(Option::is_none)).then(|| {
                            let join = join.clone();
                            view! { <button type="button" class="primary" data-testid="join-confirm" on:click=move |_| join()>{t(Key::JoinConfirm)}</button> }
                        })
                    }
                    {move || busy.get().then(loading)}
                    {show_problem(problem, "join-error")}
                    {move || problem.with(Option::is_some).then(|| view! { <p><A href="/classes">{t(Key::JoinBack)}</A></p> })}
                }.into_any(),
            }}
        </section>
    }
}
