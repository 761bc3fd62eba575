//! A small indicator of whether the server (and its database) answers.

use leptos::prelude::*;

use crate::api;
use crate::i18n::{Key, use_i18n};

/// Asks `/healthz` once when the app starts. It tells a learner at once when progress cannot be
/// saved, and it is the app's first real use of the API client.
#[component]
pub fn ServerStatus() -> impl IntoView {
    let i18n = use_i18n();
    let health = LocalResource::new(api::health);
    let state = move || match health.get() {
        None => ("checking", i18n.t(Key::StatusChecking)(), String::new()),
        Some(Ok(h)) => ("ok", i18n.t(Key::StatusOk)(), format!(" · v{}", h.version)),
        Some(Err(e)) => ("down", i18n.t(Key::StatusDown)(), format!(" · {e}")),
    };
    view! {
        <p class="server-status" data-testid="server-status" data-state=move || state().0>
            {i18n.t(Key::StatusLabel)} ": " {move || state().1} {move || state().2}
        </p>
    }
}
