//! Play/pause, step, restart, speed, scrubber, numbering and new ISNs, all by mouse or keyboard.

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{Numbering, Playhead};
use crate::i18n::{Key, use_i18n};

/// How long one segment takes to cross the diagram at speed 1.
const STEP_MS: f64 = 900.0;

#[component]
pub fn Controls(head: Playhead, last: usize, on_new_isns: Option<Callback<()>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let go = move |step: usize| head.go(step, last);
    let toggle = move || head.toggle(last);
    view! {
        <div class="player-controls" role="toolbar" aria-label=t(Key::PlayerControls) data-testid="player-controls">
            <button type="button" on:click=move |_| go(0) aria-label=t(Key::PlayerRestart) data-testid="restart">{icon(ICON_RESTART)}</button>
            <button type="button" on:click=move |_| go(head.step.get_untracked().saturating_sub(1)) aria-label=t(Key::PlayerBack) data-testid="step-back">{icon(ICON_BACK)}</button>
            <button type="button" on:click=move |_| toggle() data-testid="play"
                aria-label=move || if head.playing.get() { t(Key::PlayerPause)() } else { t(Key::PlayerPlay)() }>
                {move || if head.playing.get() { icon(ICON_PAUSE) } else { icon(ICON_PLAY) }}
            </button>
            <button type="button" on:click=move |_| go(head.step.get_untracked() + 1) aria-label=t(Key::PlayerForward) data-testid="step-forward">{icon(ICON_FORWARD)}</button>
            <label class="scrubber">
                <span class="visually-hidden">{t(Key::PlayerStep)}</span>
                <input type="range" min="0" max=last.to_string() data-testid="scrubber"
                    prop:value=move || head.step.get().to_string()
                    on:input=move |ev| go(event_target_value(&ev).parse().unwrap_or(0)) />
            </label>
            <span class="step-count" data-testid="step-count">{move || format!("{}/{}", head.step.get() + 1, last + 1)}</span>
            <label>
                {t(Key::PlayerSpeed)} " "
                <select data-testid="speed" on:change=move |ev| head.speed.set(event_target_value(&ev).parse().unwrap_or(1.0))>
                    <option value="0.5">"0.5×"</option>
                    <option value="1" selected>"1×"</option>
                    <option value="2">"2×"</option>
                </select>
            </label>
            <button type="button" data-testid="numbering" aria-pressed=move || (head.numbering.get() == Numbering::Relative).to_string()
                on:click=move |_| head.numbering.update(|n| *n = if *n == Numbering::Absolute { Numbering::Relative } else { Numbering::Absolute })>
                {t(Key::PlayerRelative)}
            </button>
            {on_new_isns.map(|new_isns| view! {
                <button type="button" data-testid="new-isns" on:click=move |_| { head.playing.set(false); new_isns.run(()) }>{t(Key::PlayerNewIsns)}</button>
            })}
        </div>
    }
}

// Icons as paths on a 16 × 16 grid, drawn inline: font glyphs such as ⏮ are missing from
// many systems' fonts and show as empty boxes.
const ICON_RESTART: &str = "M3 2h2v12H3zM14 2v12L6 8z";
const ICON_BACK: &str = "M12 2v12L4 8z";
const ICON_PLAY: &str = "M4 2v12l10-6z";
const ICON_PAUSE: &str = "M3 2h4v12H3zM9 2h4v12H9z";
const ICON_FORWARD: &str = "M2 2v12l8-6zM11 2h2v12h-2z";

fn icon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false"><path d=path fill="currentColor" /></svg>
    }
}

/// The keys of the player, wherever focus is inside it (a button just clicked, the diagram):
/// Space plays or pauses, the arrows step, Home and End jump. A range or a select keeps its own
/// arrows, a button its own Space and Enter.
pub fn on_key(head: Playhead, last: usize, ev: &KeyboardEvent) {
    let tag = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).map(|el| el.tag_name()).unwrap_or_default();
    let own_arrows = matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA");
    let own_space = own_arrows || tag == "BUTTON";
    let handled = match ev.key().as_str() {
        " " if !own_space => {
            head.toggle(last);
            true
        }
        "ArrowRight" if !own_arrows => {
            head.go(head.step.get_untracked() + 1, last);
            true
        }
        "ArrowLeft" if !own_arrows => {
            head.go(head.step.get_untracked().saturating_sub(1), last);
            true
        }
        "Home" if !own_arrows => {
            head.go(0, last);
            true
        }
        "End" if !own_arrows => {
            head.go(last, last);
            true
        }
        _ => false,
    };
    if handled {
        ev.prevent_default();
    }
}

impl Playhead {
    /// Shows step `step` (at most `last`) whole, stopping any play.
    pub fn go(self, step: usize, last: usize) {
        self.playing.set(false);
        self.step.set(step.min(last));
        self.progress.set(1.0);
    }

    /// Plays from here (from the start when at the end), or pauses.
    pub fn toggle(self, last: usize) {
        if self.playing.get_untracked() {
            self.playing.set(false);
        } else {
            if self.step.get_untracked() >= last {
                self.step.set(0);
            }
            self.playing.set(true);
            play(self, last);
        }
    }
}

fn reduced_motion() -> bool {
    window().match_media("(prefers-reduced-motion: reduce)").ok().flatten().is_some_and(|m| m.matches())
}

/// Runs the animation frame by frame while `playing` is set. With reduced motion each step appears
/// whole, at the same pace, instead of travelling.
fn play(head: Playhead, last: usize) {
    let reduced = reduced_motion();
    head.progress.set(if reduced { 1.0 } else { 0.0 });
    frame(head, last, js_sys::Date::now(), reduced);
}

fn frame(head: Playhead, last: usize, started: f64, reduced: bool) {
    if !head.playing.get_untracked() {
        head.progress.set(1.0);
        return;
    }
    let now = js_sys::Date::now();
    let done = ((now - started) / (STEP_MS / head.speed.get_untracked())).min(1.0);
    if !reduced {
        head.progress.set(done);
    }
    let mut started = started;
    if done >= 1.0 {
        let step = head.step.get_untracked();
        if step >= last {
            head.playing.set(false);
            return;
        }
        head.step.set(step + 1);
        head.progress.set(if reduced { 1.0 } else { 0.0 });
        started = now;
    }
    request_animation_frame(move || frame(head, last, started, reduced));
}
