//! On `/classes`, for admins: the accounts, searched by the start of their name, each with its
//! role and classes; disable one (asked first: it is logged out everywhere) or enable it, and
//! make a one-time password-reset link to send its owner.

use leptos::prelude::*;
use tcplab_core::api::auth::{ACCOUNTS_PER_PAGE, AccountRow, ResetLink};

use super::{CopyButton, role_label, send, show_problem, time};
use crate::api::{ApiError, classroom as rooms};
use crate::i18n::{Key, use_i18n};

#[component]
pub(super) fn AccountsAdmin() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let search = RwSignal::new(String::new());
    let offset = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        let (q, from) = (search.get(), offset.get());
        async move { rooms::accounts(&q, from).await }
    });
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<ApiError>);
    let link = RwSignal::new(None::<ResetLink>);
    let toggle = move |row: AccountRow| {
        let disable = !row.disabled;
        if disable && !window().confirm_with_message(&format!("{} {}", i18n.t(Key::AdminConfirmDisable)(), row.username)).unwrap_or(false) {
            return;
        }
        send(busy, problem, async move { rooms::set_disabled(&row.username, disable).await }, move |_| list.refetch());
    };
    let reset =
        move |username: String| send(busy, problem, async move { rooms::create_reset(&username).await }, move |l| link.set(Some(l)));
    view! {
        <section class="admin-accounts" data-testid="admin-accounts">
            <h2>{t(Key::AdminTitle)}</h2>
            <label class="field">
                <span>{t(Key::AdminSearch)}</span>
                <input type="search" autocomplete="off" data-testid="admin-search"
                    prop:value=move || search.get() on:input=move |ev| {
                        offset.set(0);
                        search.set(event_target_value(&ev));
                    } />
            </label>
            {show_problem(problem, "admin-error")}
            {move || link.get().map(|l| {
                let url = format!("{}/reset/{}", crate::browser::origin(), rooms::token(l.path.trim_start_matches("/reset/")));
                view! {
                    <div class="note" role="status" data-testid="reset-link-box">
                        <p>{t(Key::AdminResetFor)} " " <strong>{l.username.clone()}</strong> " · " {t(Key::ClassesInviteExpires)} " " {time::show(l.expires_at)}</p>
                        <p class="wrap-anywhere"><code data-testid="reset-link">{url.clone()}</code> " " <CopyButton text=url testid="reset-copy" /></p>
                        <p class="hint">{t(Key::AdminResetHint)}</p>
                    </div>
                }
            })}
            {move || list.get().map(|answer| match answer {
                Err(e) => view! { <super::Problem error=e testid="admin-list-error" /> }.into_any(),
                Ok(page) => {
                    let from = offset.get_untracked();
                    let more = from + ACCOUNTS_PER_PAGE < page.total;
                    view! {
                        <p data-testid="admin-total">{page.total} " " {t(Key::AdminAccounts)}</p>
                        <div class="table-scroll" tabindex="0" role="region" aria-label=t(Key::AdminTitle)>
                        <table class="results" data-testid="admin-table">
                            <thead><tr>
                                <th scope="col">{t(Key::AccountUsername)}</th>
                                <th scope="col">{t(Key::AdminRole)}</th>
                                <th scope="col">{t(Key::AdminCreated)}</th>
                                <th scope="col">{t(Key::AdminClasses)}</th>
                                <th scope="col">{t(Key::AdminActions)}</th>
                            </tr></thead>
                            <tbody>
                                {page.accounts.into_iter().map(|row| {
                                    let name = row.username.clone();
                                    let for_reset = name.clone();
                                    let disabled = row.disabled;
                                    let for_toggle = row.clone();
                                    view! {
                                        <tr data-testid=format!("admin-row-{name}") data-disabled=disabled.to_string()>
                                            <td>{name.clone()} {disabled.then(|| view! { " " <span class="badge" data-testid="admin-disabled">{t(Key::AdminDisabled)}</span> })}</td>
                                            <td>{t(role_label(row.role))}</td>
                                            <td>{time::show_iso(&row.created_at)}</td>
                                            <td>{row.classes}</td>
                                            <td class="actions">
                                                <button type="button" class=if disabled { "" } else { "danger" } data-testid="admin-toggle"
                                                    disabled=move || busy.get() on:click=move |_| toggle(for_toggle.clone())>
                                                    {t(if disabled { Key::AdminEnable } else { Key::AdminDisable })}
                                                </button>
                                                " "
                                                <button type="button" data-testid="admin-reset" disabled=move || busy.get() || disabled
                                                    on:click=move |_| reset(for_reset.clone())>{t(Key::AdminReset)}</button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                        <p>
                            <button type="button" data-testid="admin-previous" disabled={from == 0}
                                on:click=move |_| offset.update(|o| *o = o.saturating_sub(ACCOUNTS_PER_PAGE))>{t(Key::AdminPrevious)}</button>
                            " "
                            <button type="button" data-testid="admin-next" disabled={!more}
                                on:click=move |_| offset.update(|o| *o += ACCOUNTS_PER_PAGE)>{t(Key::AdminNext)}</button>
                        </p>
                    }.into_any()
                }
            })}
        </section>
    }
}
