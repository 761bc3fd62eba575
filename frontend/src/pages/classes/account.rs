//! On `/classes`, for a logged-in account: change the password (other browsers are logged
//! out), download everything kept about oneself, delete the account.

use leptos::prelude::*;
use tcplab_core::api::auth::{AccountDeletion, PasswordChange};

use super::{send, show_problem};
use crate::api::{self, ApiError};
use crate::i18n::{Key, use_i18n};

#[component]
pub(super) fn AccountSettings(on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let tr = move |k| i18n.t(k)();
    let (current, new, again, confirm_password) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<ApiError>);
    let changed = RwSignal::new(false);
    let mismatch = RwSignal::new(false);
    let invalid = move |field: &'static str| move || problem.with(|p| p.as_ref().is_some_and(|e| e.field() == Some(field))).to_string();
    let change = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        changed.set(false);
        if new.get_untracked() != again.get_untracked() {
            mismatch.set(true);
            return;
        }
        mismatch.set(false);
        let body = PasswordChange { current: current.get_untracked(), new: new.get_untracked() };
        send(busy, problem, async move { api::change_password(&body).await }, move |_| {
            changed.set(true);
            for s in [current, new, again] {
                s.set(String::new());
            }
        });
    };
    let delete = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !window().confirm_with_message(tr(Key::MyaccountConfirmDelete)).unwrap_or(false) {
            return;
        }
        let body = AccountDeletion { password: confirm_password.get_untracked() };
        send(busy, problem, async move { api::delete_account(&body).await }, move |_| on_change.run(()));
    };
    view! {
        <section class="account-settings" data-testid="account-settings">
            <h2>{t(Key::MyaccountTitle)}</h2>
            <form class="stack" on:submit=change>
                <h3>{t(Key::MyaccountPassword)}</h3>
                <label class="field">
                    <span>{t(Key::MyaccountCurrent)}</span>
                    <input type="password" autocomplete="current-password" data-testid="password-current" aria-invalid=invalid("current")
                        prop:value=move || current.get() on:input=move |ev| current.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{t(Key::MyaccountNew)}</span>
                    <input type="password" autocomplete="new-password" minlength="8" data-testid="password-new" aria-invalid=invalid("new")
                        prop:value=move || new.get() on:input=move |ev| new.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{t(Key::MyaccountAgain)}</span>
                    <input type="password" autocomplete="new-password" data-testid="password-again" aria-invalid=move || mismatch.get().to_string()
                        prop:value=move || again.get() on:input=move |ev| again.set(event_target_value(&ev)) />
                </label>
                <p class="hint">{t(Key::MyaccountPasswordHint)}</p>
                <button type="submit" class="primary" data-testid="password-save" disabled=move || busy.get()>{t(Key::MyaccountPasswordSave)}</button>
                {move || mismatch.get().then(|| view! { <p class="error" role="alert" data-testid="password-mismatch">{t(Key::MyaccountMismatch)}</p> })}
                {move || changed.get().then(|| view! { <p class="note" role="status" data-testid="password-changed">{t(Key::MyaccountChanged)}</p> })}
            </form>
            <h3>{t(Key::MyaccountData)}</h3>
            <p><a href="/api/account/export" download="" data-testid="account-export">{t(Key::MyaccountExport)}</a></p>
            <form class="stack" on:submit=delete>
                <h3>{t(Key::MyaccountDelete)}</h3>
                <p class="hint">{t(Key::MyaccountDeleteHint)}</p>
                <label class="field">
                    <span>{t(Key::MyaccountCurrent)}</span>
                    <input type="password" autocomplete="current-password" data-testid="delete-password" aria-invalid=invalid("password")
                        prop:value=move || confirm_password.get() on:input=move |ev| confirm_password.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="danger" data-testid="account-delete" disabled=move || busy.get()>{t(Key::MyaccountDeleteButton)}</button>
            </form>
            {show_problem(problem, "account-settings-error")}
        </section>
    }
}
