//! `/invite/:token`: an admin's one-time link. Says which role it gives and registers an account
//! with it.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::{Problem, loading, role_label, send, show_problem, time};
use crate::api::{self, classroom as rooms};
use crate::components::account::CredentialFields;
use crate::i18n::{Key, use_i18n};
use crate::pages::set_title;

/// What the invite gives, and the form to register with it.
#[component]
pub(super) fn InvitePage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    set_title(t(Key::InviteTitle));
    let part = super::address_part();
    let token = move || rooms::token(&part());
    let info = LocalResource::new(move || {
        let token = token();
        async move { rooms::invite(&token).await }
    });
    view! {
        <section class="page" data-testid="page-invite">
            <h1>{t(Key::InviteTitle)}</h1>
            {move || match info.get() {
                None => loading().into_any(),
                // Used or expired: the server says 404 and the page says what that means here.
                Some(Err(e)) if e.status() == Some(404) => view! {
                    <p class="error" role="alert" data-testid="invite-error">{t(Key::InviteGone)}</p>
                }.into_any(),
                Some(Err(e)) => view! { <Problem error=e testid="invite-error" /> }.into_any(),
                Some(Ok(i)) => view! {
                    <p class="lead" data-testid="invite-role" data-role=i.role.as_str()>
                        {t(Key::InviteGives)} " " <strong>{t(role_label(i.role))}</strong>
                    </p>
                    <p class="note">{t(Key::ClassesInviteExpires)} " " {time::show(i.expires_at)}</p>
                    <RegisterForm token=token() />
                }.into_any(),
            }}
        </section>
    }
}

/// Username and password for the new account; done, it opens the classes.
#[component]
fn RegisterForm(token: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None);
    let navigate = use_navigate();
    let register = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (n, p, token) = (name.get_untracked(), password.get_untracked(), token.clone());
        let navigate = navigate.clone();
        send(busy, problem, async move { api::register(&n, &p, Some(&token)).await }, move |_| navigate("/classes", Default::default()));
    };
    view! {
        <form class="account-form" on:submit=register>
            <CredentialFields name=name password=password testid="invite" new_password=true />
            <button type="submit" class="primary" data-testid="invite-register" disabled=move || busy.get()>{t(Key::AccountRegister)}</button>
        </form>
        {show_problem(problem, "invite-register-error")}
    }
}
