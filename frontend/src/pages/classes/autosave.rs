//! An attempt's answers saved on the server as the learner works, so a closed tab, a crash or
//! another device loses nothing. A change is sent a moment after the last keystroke, only for
//! the questions that changed, one save at a time (so saves cannot overtake each other); a
//! failed save is tried again. A number box holding something unreadable is not sent: the
//! last readable answer stays saved.

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use tcplab_core::api::classroom::{AnswersToSave, SavedAnswer};
use tcplab_core::classroom::ItemPrompt;
use tcplab_core::quiz::Answer;

use super::prompt::AnswerInput;
use crate::api::{ApiError, classroom as rooms};

/// How long after the last change a save goes out.
const DEBOUNCE: Duration = Duration::from_millis(700);
/// How long after a failed save the next try goes out.
const RETRY: Duration = Duration::from_secs(5);

/// Where saving stands, for the line under the questions.
#[derive(Clone)]
pub(super) enum SaveStatus {
    Idle,
    Saving,
    /// When the server stored them (ISO 8601).
    Saved(String),
    Failed(ApiError),
}

#[derive(Clone, Copy)]
pub(super) struct Autosave {
    pub status: RwSignal<SaveStatus>,
    attempt_id: i64,
    inputs: StoredValue<Arc<Vec<AnswerInput>>>,
    prompts: StoredValue<Arc<Vec<ItemPrompt>>>,
    /// What the server holds, as far as this page knows: one per question.
    sent: StoredValue<Vec<Answer>>,
    busy: StoredValue<bool>,
    timer: StoredValue<Option<TimeoutHandle>>,
    /// Whether changes are still saved: not once handed in.
    enabled: Signal<bool>,
    /// The attempt can take no more answers (handed in elsewhere, or its time is up).
    on_closed: Callback<()>,
}

impl Autosave {
    /// Starts saving the inputs' changes; `saved` is what the server holds already.
    pub(super) fn start(
        attempt_id: i64,
        inputs: Arc<Vec<AnswerInput>>,
        prompts: Arc<Vec<ItemPrompt>>,
        saved: Vec<Answer>,
        enabled: Signal<bool>,
        on_closed: Callback<()>,
    ) -> Autosave {
        let mut sent = saved;
        sent.resize(inputs.len(), Answer::Blank);
        let saving = Autosave {
            status: RwSignal::new(SaveStatus::Idle),
            attempt_id,
            inputs: StoredValue::new(inputs.clone()),
            prompts: StoredValue::new(prompts),
            sent: StoredValue::new(sent),
            busy: StoredValue::new(false),
            timer: StoredValue::new(None),
            enabled,
            on_closed,
        };
        Effect::new(move |_| {
            for input in inputs.iter() {
                input.track();
            }
            if enabled.get() {
                saving.schedule(DEBOUNCE);
            }
        });
        // Leaving the tab or the page: what is pending goes now, not after the pause.
        let hidden = window_event_listener(leptos::ev::visibilitychange, move |_| saving.now());
        let gone = window_event_listener(leptos::ev::pagehide, move |_| saving.now());
        on_cleanup(move || {
            hidden.remove();
            gone.remove();
            saving.cancel();
        });
        saving
    }

    fn cancel(self) {
        if let Some(handle) = self.timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    }

    fn schedule(self, after: Duration) {
        self.cancel();
        if let Ok(handle) = set_timeout_with_handle(move || self.now(), after) {
            self.timer.set_value(Some(handle));
        }
    }

    /// Stops saving: the hand-in sends every answer itself.
    pub(super) fn stop(self) {
        self.cancel();
    }

    /// Sends what changed, unless a save is on its way (it sends the rest when it returns).
    fn now(self) {
        self.cancel();
        if self.busy.get_value() || !self.enabled.get_untracked() {
            return;
        }
        let changed: Vec<SavedAnswer> = self.inputs.with_value(|inputs| {
            self.prompts.with_value(|prompts| {
                self.sent.with_value(|sent| {
                    inputs
                        .iter()
                        .zip(prompts.iter())
                        .enumerate()
                        .filter_map(|(index, (input, prompt))| input.read(prompt).ok().map(|answer| SavedAnswer { index, answer }))
                        .filter(|s| sent.get(s.index) != Some(&s.answer))
                        .collect()
                })
            })
        });
        if changed.is_empty() {
            return;
        }
        self.busy.set_value(true);
        self.status.set(SaveStatus::Saving);
        leptos::task::spawn_local(async move {
            let result = rooms::save_answers(self.attempt_id, &AnswersToSave { answers: changed.clone() }).await;
            self.busy.set_value(false);
            match result {
                Ok(saved) => {
                    self.sent.update_value(|sent| {
                        for s in changed {
                            sent[s.index] = s.answer;
                        }
                    });
                    self.status.set(SaveStatus::Saved(saved.saved_at));
                    // Anything typed while this save was out.
                    self.now();
                }
                Err(e) if e.status() == Some(409) => {
                    self.status.set(SaveStatus::Failed(e));
                    self.on_closed.run(());
                }
                Err(e) => {
                    self.status.set(SaveStatus::Failed(e));
                    self.schedule(RETRY);
                }
            }
        });
    }
}
