//! The frame of a page whose feature is still to come: its title and what it will do.

use leptos::prelude::*;

use crate::i18n::{Key, use_i18n};

/// A page heading, an introduction and a note on what is coming. Sets the document title too, so
/// tabs and history entries say which page they are.
#[component]
pub fn Placeholder(id: &'static str, title: Key, intro: Key, coming: Key) -> impl IntoView {
    let i18n = use_i18n();
    let title = i18n.t(title);
    Effect::new(move |_| {
        document().set_title(&format!("{} · {}", title(), i18n.t(Key::AppName)()));
    });
    view! {
        <section class="page" data-testid=format!("page-{id}")>
            <h1>{title}</h1>
            <p class="lead">{i18n.t(intro)}</p>
            <p class="note">{i18n.t(coming)}</p>
        </section>
    }
}
