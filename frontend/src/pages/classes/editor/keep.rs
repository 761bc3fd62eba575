//! The editor keeps work: a question before unsaved changes are left behind (closing or
//! reloading the tab, or a link inside the app), and a copy of the form in this browser's
//! storage as it is typed, offered back when the editor next opens (after a crash, the back
//! button, a lost connection).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use tcplab_core::classroom::Quiz;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// What this browser keeps of an unsaved quiz.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct LocalCopy {
    /// When it was written, in milliseconds since the epoch (the notice shows it).
    pub written_ms: f64,
    pub quiz: Quiz,
}

fn key(id: i64) -> String {
    format!("tcplab.editor.{id}")
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The copy kept for quiz `id`, unless it is what the server holds already.
pub(super) fn kept(id: i64, saved: &Quiz) -> Option<LocalCopy> {
    let text = storage()?.get_item(&key(id)).ok().flatten()?;
    serde_json::from_str::<LocalCopy>(&text).ok().filter(|copy| copy.quiz != *saved)
}

/// Keeps `quiz` for quiz `id` (a full storage only means no copy: the form still has it).
pub(super) fn keep(id: i64, quiz: &Quiz) {
    let copy = LocalCopy { written_ms: js_sys::Date::now(), quiz: quiz.clone() };
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(&copy)) {
        let _ = storage.set_item(&key(id), &text);
    }
}

/// Forgets the copy of quiz `id`: it was saved, or thrown away.
pub(super) fn forget(id: i64) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&key(id));
    }
}

/// While `unsaved` says so, asks before the page is closed or reloaded (the browser's own
/// question) and before a link takes the app elsewhere (`question`, a confirm). Both listeners
/// go with the editor.
pub(super) fn guard(unsaved: Signal<bool>, question: impl Fn() -> String + 'static) {
    let unload = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if unsaved.get_untracked() {
            ev.prevent_default();
            // Older engines read the question's presence from here.
            ev.set_return_value("unsaved");
        }
    });
    // In the capture phase, before the router's own click listener (on the window, bubbling),
    // which leaves a click alone once its default is prevented.
    let click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        if !unsaved.get_untracked() || ev.button() != 0 || ev.meta_key() || ev.ctrl_key() || ev.shift_key() || ev.alt_key() {
            return;
        }
        let link = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|e| e.closest("a[href]").ok().flatten());
        let Some(link) = link.and_then(|l| l.dyn_into::<web_sys::HtmlAnchorElement>().ok()) else { return };
        // Downloads and new tabs leave the form where it is.
        if link.has_attribute("download") || link.target() == "_blank" {
            return;
        }
        if !window().confirm_with_message(&question()).unwrap_or(true) {
            ev.prevent_default();
            ev.stop_propagation();
        }
    });
    let _ = document().add_event_listener_with_callback_and_bool("click", click.as_ref().unchecked_ref(), true);
    let click = StoredValue::new_local(click);
    on_cleanup(move || {
        unload.remove();
        click.try_with_value(|c| {
            let _ = document().remove_event_listener_with_callback_and_bool("click", c.as_ref().unchecked_ref(), true);
        });
    });
}
