//! Register, log in, log out: shown on the progress page, where keeping progress matters, and
//! on the class pages, which need an account.

use leptos::prelude::*;
use tcplab_core::api::auth::Me;

use crate::api::{self, ApiError};
use crate::i18n::{Key, use_i18n};

/// An account action: register, log in or log out, with the username and password typed.
type Action = fn(String, String) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Me, ApiError>>>>;

/// The username and password inputs of an account form; their test ids are
/// `{testid}-username` and `{testid}-password`. `new_password` when the password is being
/// chosen, so the browser offers to make one up rather than fill in a saved one.
#[component]
pub fn CredentialFields(name: RwSignal<String>, password: RwSignal<String>, testid: &'static str, new_password: bool) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    view! {
        <label class="field">
            <span>{t(Key::AccountUsername)}</span>
            <input type="text" name="username" autocomplete="username" autocapitalize="none" spellcheck="false"
                data-testid=format!("{testid}-username")
                prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
        </label>
        <label class="field">
            <span>{t(Key::AccountPassword)}</span>
            <input type="password" name="password" autocomplete=if new_password { "new-password" } else { "current-password" }
                data-testid=format!("{testid}-password")
                prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
        </label>
    }
}

/// `username` is what the server said last (`None`: anonymous); `on_change` runs after any
/// change of account, so the page can reload the progress. `title` and `intro` say why to log
/// in where the progress page's reason does not fit.
#[component]
pub fn AccountBox(
    username: Option<String>,
    on_change: Callback<()>,
    #[prop(default = Key::AccountTitle)] title: Key,
    #[prop(default = Key::AccountIntro)] intro: Key,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let run = move |action: Action| {
        busy.set(true);
        problem.set(None);
        let (n, p) = (name.get_untracked(), password.get_untracked());
        leptos::task::spawn_local(async move {
            match action(n, p).await {
                Ok(_) => {
                    password.set(String::new());
                    on_change.run(());
                }
                Err(e) => problem.set(Some(e)),
            }
            busy.set(false);
        });
    };
    match username {
        Some(user) => view! {
            <section class="account" data-testid="account">
                <p>{t(Key::AccountLoggedInAs)} " " <strong data-testid="account-name">{user}</strong></p>
                <button type="button" data-testid="logout" on:click=move |_| run(|_, _| Box::pin(api::logout()))>{t(Key::AccountLogout)}</button>
            </section>
        }.into_any(),
        None => view! {
            <section class="account" data-testid="account">
                <h2>{t(title)}</h2>
                <p>{t(intro)}</p>
                // Enter logs in (the form's submit); registering is the other button.
                <form class="account-form" method="post" action="/api/auth/login"
                    on:submit=move |ev| { ev.prevent_default(); run(|n, p| Box::pin(async move { api::login(&n, &p).await })) }>
                    <CredentialFields name=name password=password testid="account" new_password=false />
                    <button type="submit" class="primary" data-testid="login" disabled=move || busy.get()>{t(Key::AccountLogin)}</button>
                    " "
                    <button type="button" data-testid="register" disabled=move || busy.get()
                        on:click=move |_| run(|n, p| Box::pin(async move { api::register(&n, &p, None).await }))>{t(Key::AccountRegister)}</button>
                    {move || problem.get().map(|e| view! { <p class="error" role="alert" data-testid="account-error">{move || e.text(i18n)}</p> })}
                </form>
            </section>
        }.into_any(),
    }
}
