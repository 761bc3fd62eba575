//! The inputs: workload presets and a form that changes the report as you type. A field that
//! cannot be read keeps its last good value and says why; the ranges come from the shared crate.

use leptos::prelude::*;
use tcplab_core::tuning::{BOOL_FIELDS, BoolField, FieldError, Inputs, KernelVersion, NUM_FIELDS, NumField, Workload};

use crate::i18n::{Key, use_i18n};

/// The shared crate's field tables, as statics so that components can hold `&'static` entries.
static NUMBERS: [NumField; 7] = NUM_FIELDS;
static SWITCHES: [BoolField; 3] = BOOL_FIELDS;

fn preset_label(w: Workload) -> Key {
    match w {
        Workload::ShortLived => Key::ConfigPresetShort,
        Workload::Proxy => Key::ConfigPresetProxy,
        Workload::LongLived => Key::ConfigPresetLong,
        Workload::Bulk => Key::ConfigPresetBulk,
        Workload::OutboundClient => Key::ConfigPresetClient,
    }
}

fn field_label(json: &str) -> Key {
    match json {
        "peak_connections" => Key::ConfigPeakConnections,
        "new_connections_per_sec" => Key::ConfigNewConnectionsPerSec,
        "active_close_percent" => Key::ConfigActiveClosePercent,
        "ram_mib" => Key::ConfigRamMib,
        "cpu_cores" => Key::ConfigCpuCores,
        "nic_mbit" => Key::ConfigNicMbit,
        "rtt_ms" => Key::ConfigRttMs,
        "container" => Key::ConfigContainer,
        "systemd" => Key::ConfigSystemd,
        _ => Key::ConfigComments,
    }
}

/// A preset sets what describes the traffic; the host facts (kernel, container, systemd) and the
/// comments choice stay as the user set them.
fn apply_preset(current: &Inputs, w: Workload) -> Inputs {
    Inputs {
        kernel: current.kernel,
        container: current.container,
        systemd: current.systemd,
        comments: current.comments,
        ..Inputs::preset(w)
    }
}

#[component]
pub fn Presets(inputs: RwSignal<Inputs>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="presets" data-testid="presets">
            <legend>{i18n.t(Key::ConfigPresets)}</legend>
            {Workload::ALL.into_iter().map(|w| {
                let pressed = move || inputs.with(|i| *i == apply_preset(i, w));
                view! {
                    <button type="button" data-testid=format!("preset-{}", w.key()) aria-pressed=move || pressed().to_string()
                        on:click=move |_| inputs.update(|i| *i = apply_preset(i, w))>
                        {i18n.t(preset_label(w))}
                    </button>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
pub fn InputsForm(inputs: RwSignal<Inputs>, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    view! {
        <form class="config-form" data-testid="config-form" on:submit=|ev| ev.prevent_default()>
            <h2>{t(Key::ConfigInputs)}</h2>
            <label class="field">
                <span>{t(Key::ConfigWorkload)}</span>
                <select data-testid="field-workload"
                    prop:value=move || inputs.with(|i| i.workload.key())
                    on:change=move |ev| {
                        if let Some(w) = Workload::from_key(&event_target_value(&ev)) {
                            inputs.update(|i| i.workload = w);
                        }
                    }>
                    {Workload::ALL.into_iter().map(|w| view! { <option value=w.key()>{t(preset_label(w))}</option> }).collect_view()}
                </select>
            </label>
            {NUMBERS.iter().map(|f| view! { <NumberField field=f inputs=inputs errors=errors /> }).collect_view()}
            <KernelField inputs=inputs errors=errors />
            {SWITCHES.iter().map(|f| view! {
                <label class="field switch">
                    <input type="checkbox" data-testid=format!("field-{}", f.json)
                        prop:checked=move || inputs.with(|i| (f.get)(i))
                        on:change=move |ev| inputs.update(|i| (f.set)(i, event_target_checked(&ev))) />
                    <span>{t(field_label(f.json))}</span>
                </label>
            }).collect_view()}
        </form>
    }
}

/// A whole-number field. Its text is its own, so a half-typed value ("1e") stays on screen with a
/// message instead of being overwritten; the report uses the last value that parsed.
#[component]
fn NumberField(field: &'static NumField, inputs: RwSignal<Inputs>, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(inputs.with_untracked(|i| (field.get)(i)).to_string());
    let unreadable = RwSignal::new(false);
    // A preset or a permalink changes the value from outside: show it.
    Effect::new(move |_| {
        let value = inputs.with(|i| (field.get)(i));
        if text.with_untracked(|t| read_number(t)) != Some(value) {
            text.set(value.to_string());
            unreadable.set(false);
        }
    });
    let out_of_range = move || errors.with(|e| e.iter().any(|e| e.field == field.json));
    let invalid = move || unreadable.get() || out_of_range();
    let id = format!("field-{}", field.json);
    let hint_id = format!("{id}-hint");
    view! {
        <label class="field" class:invalid=invalid>
            <span>{i18n.t(field_label(field.json))}</span>
            <input type="text" inputmode="numeric" autocomplete="off" data-testid=id.clone() id=id
                aria-invalid=move || invalid().to_string() aria-describedby=hint_id.clone()
                prop:value=move || text.get()
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    let parsed = read_number(&value);
                    text.set(value);
                    unreadable.set(parsed.is_none());
                    if let Some(n) = parsed {
                        inputs.update(|i| (field.set)(i, n));
                    }
                } />
            <small id=hint_id class="hint" data-testid=format!("hint-{}", field.json)>
                {move || if unreadable.get() { i18n.t(Key::ConfigNotANumber)().to_owned() } else {
                    format!("{} {}–{}", i18n.t(Key::ConfigRange)(), field.min, field.max)
                }}
            </small>
        </label>
    }
}

/// Digits, with the separators people type in big numbers ("100,000", "100_000") allowed.
fn read_number(text: &str) -> Option<u64> {
    let digits: String = text.chars().filter(|c| !matches!(c, ',' | '_' | ' ')).collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[component]
fn KernelField(inputs: RwSignal<Inputs>, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(inputs.with_untracked(|i| i.kernel.to_string()));
    let unreadable = RwSignal::new(false);
    Effect::new(move |_| {
        let value = inputs.with(|i| i.kernel);
        if text.with_untracked(|t| KernelVersion::parse(t)) != Some(value) {
            text.set(value.to_string());
            unreadable.set(false);
        }
    });
    let invalid = move || unreadable.get() || errors.with(|e| e.iter().any(|e| e.field == "kernel"));
    view! {
        <label class="field" class:invalid=invalid>
            <span>{i18n.t(Key::ConfigKernel)}</span>
            <input type="text" autocomplete="off" data-testid="field-kernel" aria-invalid=move || invalid().to_string()
                prop:value=move || text.get()
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    let parsed = KernelVersion::parse(&value);
                    text.set(value);
                    unreadable.set(parsed.is_none());
                    if let Some(k) = parsed {
                        inputs.update(|i| i.kernel = k);
                    }
                } />
            <small class="hint" data-testid="hint-kernel">
                {move || if unreadable.get() { i18n.t(Key::ConfigNotAKernel)().to_owned() } else {
                    format!("{} {}–{}", i18n.t(Key::ConfigRange)(), KernelVersion::MIN, KernelVersion::MAX)
                }}
            </small>
        </label>
    }
}
