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
    let go = move |step: usize| {
        head.playing.set(false);
        head.step.set(step.min(last));
        head.progress.set(1.0);
    };
    let toggle = move || {
        if head.playing.get_untracked() {
            head.playing.set(false);
        } else {
            if head.step.get_untracked() >= last {
                head.step.set(0);
            }
            head.playing.set(true);
            play(head, last);
        }
    };
    // Space and arrow keys anywhere in the player; buttons and the scrubber keep their own keys.
    let on_keydown = move |ev: KeyboardEvent| {
        let on_control = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "BUTTON" | "INPUT" | "SELECT"));
        match ev.key().as_str() {
            " " if !on_control => {
                ev.prevent_default();
                toggle();
            }
            "ArrowRight" if !on_control => {
                ev.prevent_default();
                go(head.step.get_untracked() + 1);
            }
            "ArrowLeft" if !on_control => {
                ev.prevent_default();
                go(head.step.get_untracked().saturating_sub(1));
            }
            "Home" if !on_control => go(0),
            "End" if !on_control => go(last),
            _ => {}
        }
    };
    view! {
        <div class="player-controls" role="toolbar" aria-label=t(Key::PlayerControls) tabindex="0" on:keydown=on_keydown data-testid="player-controls">
            <button type="button" on:click=move |_| go(0) aria-label=t(Key::PlayerRestart) data-testid="restart">"⏮"</button>
            <button type="button" on:click=move |_| go(head.step.get_untracked().saturating_sub(1)) aria-label=t(Key::PlayerBack) data-testid="step-back">"◀"</button>
            <button type="button" on:click=move |_| toggle() data-testid="play"
                aria-label=move || if head.playing.get() { t(Key::PlayerPause)() } else { t(Key::PlayerPlay)() }>
                {move || if head.playing.get() { "⏸" } else { "▶" }}
            </button>
            <button type="button" on:click=move |_| go(head.step.get_untracked() + 1) aria-label=t(Key::PlayerForward) data-testid="step-forward">"▶|"</button>
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
