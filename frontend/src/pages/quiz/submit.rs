//! Sending an answer, the same for model and bank questions: one attempt id per question shown
//! (kept when the learner presses Submit again after a network failure, so the server counts
//! the answer once), the button's "grading…" state, and the problem shown under it.

use std::future::Future;

use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::{I18n, Key, use_i18n};

/// An id for one press of "submit". Not a secret: uniqueness is all it needs.
fn new_attempt_id() -> String {
    let part = || format!("{:08x}", (js_sys::Math::random() * 4_294_967_296.0) as u32);
    format!("{}{}{}{}", part(), part(), part(), part())
}

#[derive(Clone, Copy)]
pub(super) struct Sender {
    attempt: StoredValue<String>,
    sending: RwSignal<bool>,
    problem: RwSignal<Option<String>>,
    i18n: I18n,
}

impl Sender {
    /// Made once per question shown, inside its component.
    pub(super) fn new() -> Sender {
        Sender {
            attempt: StoredValue::new(new_attempt_id()),
            sending: RwSignal::new(false),
            problem: RwSignal::new(None),
            i18n: use_i18n(),
        }
    }

    /// Sends `request(attempt_id)` and hands the server's verdict to `graded`. A network failure
    /// says the answer was not lost; the server's own error is shown as it names the problem.
    pub(super) fn send<T, Fut>(self, request: impl FnOnce(String) -> Fut + 'static, graded: impl FnOnce(T) + 'static)
    where
        T: 'static,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        self.sending.set(true);
        self.problem.set(None);
        leptos::task::spawn_local(async move {
            match request(self.attempt.get_value()).await {
                Ok(verdict) => graded(verdict),
                Err(ApiError::Network(_)) => self.problem.set(Some(self.i18n.t(Key::QuizFailed)().to_owned())),
                Err(other) => self.problem.set(Some(other.to_string())),
            }
            self.sending.set(false);
        });
    }
}

/// The Submit button, disabled while sending or until `ready`, and the problem under it.
#[component]
pub(super) fn SubmitRow(sender: Sender, #[prop(into)] ready: Signal<bool>) -> impl IntoView {
    let t = move |k| sender.i18n.t(k);
    view! {
        <button type="submit" class="primary" data-testid="submit" disabled=move || sender.sending.get() || !ready.get()>
            {move || if sender.sending.get() { t(Key::QuizSubmitting)() } else { t(Key::QuizSubmit)() }}
        </button>
        {move || sender.problem.get().map(|p| view! { <p class="error" role="alert" data-testid="submit-error">{p}</p> })}
    }
}
