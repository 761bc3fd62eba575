//! The scenario player: the animated sequence diagram, its controls and the header of the current
//! segment. Everything it shows comes from the shared model's `Run`; it computes nothing about TCP.

mod controls;
mod detail;
mod diagram;
mod numbers;

use leptos::prelude::*;
use tcplab_core::api::StepTexts;
use tcplab_core::tcp::{Run, ScenarioId, ScenarioParams, run};

use crate::i18n::{Key, use_i18n};
pub use detail::{path as state_path, timer_name};
pub use numbers::Numbering;

/// Where the player is: which step is shown, and how far its segment has travelled (0..=1).
#[derive(Clone, Copy)]
pub struct Playhead {
    pub step: RwSignal<usize>,
    pub progress: RwSignal<f64>,
    pub playing: RwSignal<bool>,
    pub speed: RwSignal<f64>,
    pub numbering: RwSignal<Numbering>,
}

/// Random initial sequence numbers, like a kernel would pick: every learner sees their own.
/// One time in four they sit just below 2^32 so that wrap-around shows up.
pub fn random_isns() -> (u32, u32) {
    let r = || (js_sys::Math::random() * 4_294_967_296.0) as u32;
    if js_sys::Math::random() < 0.25 { (u32::MAX - (r() % 300), u32::MAX - (r() % 300)) } else { (r(), r()) }
}

/// Plays one scenario. `initial_step` and `isns` come from the URL, so a deep link shows exactly
/// the same numbers and step to whoever opens it.
#[component]
pub fn Player(
    scenario: ScenarioId,
    isns: (u32, u32),
    #[prop(default = 0)] initial_step: usize,
    #[prop(into)] texts: Signal<Option<StepTexts>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let isns = RwSignal::new(isns);
    let model = Memo::new(move |_| {
        let (client_isn, server_isn) = isns.get();
        run(scenario, &ScenarioParams::with_isns(client_isn, server_isn)).map_err(|e| e.to_string())
    });
    let head = Playhead {
        step: RwSignal::new(initial_step),
        progress: RwSignal::new(1.0),
        playing: RwSignal::new(false),
        speed: RwSignal::new(1.0),
        numbering: RwSignal::new(Numbering::Absolute),
    };
    let on_new_isns = move || {
        isns.set(random_isns());
        head.step.set(0);
        head.progress.set(1.0);
    };
    // The address follows the player once it is used (not when it first shows: a lesson holds
    // several), so the address bar and the link button both reopen this very step.
    let path = window().location().pathname().unwrap_or_default();
    let query = move || {
        let (client, server) = isns.get();
        format!("scenario={}&step={}&client_isn={client}&server_isn={server}", scenario.as_str(), head.step.get())
    };
    let follow_path = path.clone();
    Effect::new(move |first: Option<()>| {
        let q = query();
        if first.is_some() {
            crate::browser::replace_query(&follow_path, &q);
        }
    });
    let copied = RwSignal::new(None::<bool>);
    let copy_link = move |_| {
        let url = format!("{}{}?{}", crate::browser::origin(), path, query());
        crate::browser::replace_query(&path, &query());
        leptos::task::spawn_local(async move { copied.set(Some(crate::browser::copy(&url).await.is_ok())) });
    };
    view! {
        <div class="player" data-testid="player" data-scenario=scenario.as_str()>
            {(!scenario.recorded()).then(|| view! { <p class="note" data-testid="unchecked">{i18n.t(Key::PlayerUnchecked)}</p> })}
            {move || match model.get() {
                Err(message) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Ok(run) => view! { <Loaded run=run head=head on_new_isns=Some(Callback::new(move |()| on_new_isns())) texts=texts /> }.into_any(),
            }}
            <p class="player-link">
                <button type="button" data-testid="copy-step-link" on:click=copy_link>{i18n.t(Key::PlayerCopyLink)}</button>
                " "
                <span role="status" data-testid="copy-step-link-status">{move || match copied.get() {
                    Some(true) => i18n.t(Key::ConfigCopied)(),
                    Some(false) => i18n.t(Key::ConfigCopyFailed)(),
                    None => "",
                }}</span>
            </p>
        </div>
    }
}

#[component]
fn Loaded(run: Run, head: Playhead, on_new_isns: Option<Callback<()>>, texts: Signal<Option<StepTexts>>) -> impl IntoView {
    let run = StoredValue::new(run);
    let last = run.with_value(|r| r.steps.len().saturating_sub(1));
    if head.step.get_untracked() > last {
        head.step.set(last);
    }
    let i18n = use_i18n();
    // Focusable itself (tabindex -1: not a tab stop), so a click anywhere in the player,
    // the diagram included, keeps the keys working.
    view! {
        <div class="player-frame" tabindex="-1" on:keydown=move |ev| controls::on_key(head, last, &ev)>
            <controls::Controls head=head last=last on_new_isns=on_new_isns />
            <div class="player-body">
                <diagram::Diagram run=run head=head />
                <detail::Detail run=run head=head texts=texts />
            </div>
            <details class="player-keys" data-testid="player-keys">
                <summary>{i18n.t(Key::PlayerKeysTitle)}</summary>
                <p>{i18n.t(Key::PlayerKeyboardHelp)}</p>
            </details>
        </div>
    }
}

/// Plays a run that is not a scenario the learner picked: a conversation read from a capture
/// (relative numbers, from the first step), or the steps of a quiz question (absolute numbers,
/// ending on the last step).
#[component]
pub fn RunPlayer(
    run: Run,
    #[prop(into)] texts: Signal<Option<StepTexts>>,
    #[prop(default = Numbering::Relative)] numbering: Numbering,
    #[prop(default = false)] at_end: bool,
    #[prop(default = "capture")] label: &'static str,
) -> impl IntoView {
    let start = if at_end { run.steps.len().saturating_sub(1) } else { 0 };
    let head = Playhead {
        step: RwSignal::new(start),
        progress: RwSignal::new(1.0),
        playing: RwSignal::new(false),
        speed: RwSignal::new(1.0),
        numbering: RwSignal::new(numbering),
    };
    view! {
        <div class="player" data-testid="player" data-scenario=label>
            <Loaded run=run head=head on_new_isns=None texts=texts />
        </div>
    }
}
