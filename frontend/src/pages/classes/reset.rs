//! `/reset/:token`: an admin's one-time link to set a new password. Says whose account it is;
//! the new password (twice) logs this browser in and every other one out.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::{Problem, loading, send, show_problem, time};
use crate::api::classroom as rooms;
use crate::i18n::{Key, use_i18n};
use crate::pages::set_title;

#[component]
pub(super) fn ResetPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    set_title(t(Key::ResetTitle));
    let part = super::address_part();
    let token = move || rooms::token(&part());
    let info = LocalResource::new(move || {
        let token = token();
        async move { rooms::reset_info(&token).await }
    });
    view! {
        <section class="page" data-testid="page-reset">
            <h1>{t(Key::ResetTitle)}</h1>
            {move || match info.get() {
                None => loading().into_any(),
                // Used, expired or replaced by a newer link: the server says 404.
                Some(Err(e)) if e.status() == Some(404) => view! {
                    <p class="error" role="alert" data-testid="reset-error">{t(Key::ResetGone)}</p>
                }.into_any(),
                Some(Err(e)) => view! { <Problem error=e testid="reset-error" /> }.into_any(),
                Some(Ok(i)) => view! {
                    <p class="lead">{t(Key::ResetFor)} " " <strong data-testid="reset-username">{i.username.clone()}</strong></p>
                    <p class="note">{t(Key::ClassesInviteExpires)} " " {time::show(i.expires_at)}</p>
                    <ResetForm token=token() username=i.username />
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ResetForm(token: String, username: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let (new, again) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let mismatch = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None);
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if new.get_untracked() != again.get_untracked() {
            mismatch.set(true);
            return;
        }
        mismatch.set(false);
        let (token, password, navigate) = (token.clone(), new.get_untracked(), navigate.clone());
        send(busy, problem, async move { rooms::reset_password(&token, password).await }, move |_| {
            navigate("/classes", Default::default())
        });
    };
    let invalid =
        move || problem.with(|p: &Option<crate::api::ApiError>| p.as_ref().is_some_and(|e| e.field() == Some("password"))).to_string();
    view! {
        <form class="account-form" on:submit=submit>
            // For the password manager: whose password this is.
            <input type="text" name="username" autocomplete="username" value=username hidden=true readonly=true />
            <label class="field">
                <span>{t(Key::MyaccountNew)}</span>
                <input type="password" name="new-password" autocomplete="new-password" minlength="8" data-testid="reset-new" aria-invalid=invalid
                    prop:value=move || new.get() on:input=move |ev| new.set(event_target_value(&ev)) />
            </label>
            <label class="field">
                <span>{t(Key::MyaccountAgain)}</span>
                <input type="password" autocomplete="new-password" data-testid="reset-again" aria-invalid=move || mismatch.get().to_string()
                    prop:value=move || again.get() on:input=move |ev| again.set(event_target_value(&ev)) />
            </label>
            <p class="hint">{t(Key::ResetHint)}</p>
            <button type="submit" class="primary" data-testid="reset-save" disabled=move || busy.get()>{t(Key::ResetSave)}</button>
            {move || mismatch.get().then(|| view! { <p class="error" role="alert" data-testid="reset-mismatch">{t(Key::MyaccountMismatch)}</p> })}
        </form>
        {show_problem(problem, "reset-save-error")}
    }
}
