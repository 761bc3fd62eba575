//! The current step up close: the TCP header field by field with the flag bits lit, both ends'
//! states, a sentence explaining the values, and the Linux settings that act on the step. An
//! aria-live region reads each step out.

use leptos::prelude::*;
use leptos_router::components::A;
use tcplab_core::api::StepTexts;
use tcplab_core::tcp::{Fate, Run, Side, StateChange, StepKind, TcpOptions, TfoOption, TimerKind, fill};

use super::{Playhead, numbers};
use crate::i18n::{I18n, Key, use_i18n};

/// The eight flag bits in header order, so learners see where each one sits.
const FLAG_BITS: [&str; 8] = ["CWR", "ECE", "URG", "ACK", "PSH", "RST", "SYN", "FIN"];

pub fn timer_name(i18n: I18n, timer: TimerKind) -> &'static str {
    i18n.t(match timer {
        TimerKind::LossProbe => Key::PlayerTimerLossProbe,
        TimerKind::Retransmission => Key::PlayerTimerRetransmission,
        TimerKind::SynAckRetransmission => Key::PlayerTimerSynAckRetransmission,
        TimerKind::TimeWait => Key::PlayerTimerTimeWait,
        TimerKind::Keepalive => Key::PlayerTimerKeepalive,
    })()
}

/// "LISTEN → SYN-RECEIVED": the states a change went through.
pub fn path(change: &StateChange) -> String {
    change.path().iter().map(|s| s.name()).collect::<Vec<_>>().join(" → ")
}

#[component]
pub fn Detail(run: StoredValue<Run>, head: Playhead, texts: Signal<Option<StepTexts>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let step = move || run.with_value(|r| r.steps.get(head.step.get()).cloned());
    let side_name = move |side: Side| match side {
        Side::Client => t(Key::PlayerClient)(),
        Side::Server => t(Key::PlayerServer)(),
    };
    let explanation = move || {
        let step = step()?;
        let values = run.with_value(|r| numbers::sentence_vars(r, &step, head.numbering.get()));
        texts.with(|texts| texts.as_ref().and_then(|t| t.steps.get(step.key.as_str()).map(|s| fill(s, &values))))
    };
    let announcement = move || {
        let Some(step) = step() else { return String::new() };
        let total = run.with_value(|r| r.steps.len());
        let what = match &step.kind {
            StepKind::Segment { segment, fate, .. } => {
                let (seq, ack) = run.with_value(|r| numbers::shown(r, step.connection, segment, head.numbering.get()));
                let fate = match fate {
                    Fate::Lost => format!(" ({})", t(Key::PlayerLost)()),
                    Fate::Dropped { .. } => format!(" ({})", t(Key::PlayerDropped)()),
                    Fate::Delivered { .. } => String::new(),
                };
                format!(
                    "{} → {}: {} seq={seq} ack={ack} len={}{fate}",
                    side_name(segment.from),
                    side_name(segment.to()),
                    segment.flags,
                    segment.len
                )
            }
            StepKind::Timer { side, timer, .. } => format!("{}: {}", side_name(*side), timer_name(i18n, *timer)),
        };
        format!(
            "{} {}/{total}: {what}. {} {}, {} {}.",
            t(Key::PlayerStep)(),
            step.index + 1,
            t(Key::PlayerClient)(),
            step.client.after.name(),
            t(Key::PlayerServer)(),
            step.server.after.name()
        )
    };
    view! {
        <section class="detail" data-testid="detail">
            <p class="announcement" aria-live="polite" data-testid="announcement">{announcement}</p>
            <p class="explanation" data-testid="explanation">
                <strong>{t(Key::PlayerWhy)} ": "</strong>
                {move || explanation().unwrap_or_default()}
            </p>
            {move || step().map(|step| {
                let connection = run.with_value(|r| r.steps.iter().any(|s| s.connection > 0))
                    .then(|| view! { <p class="connection">{t(Key::PlayerConnection)} " " {step.connection + 1}</p> });
                let states = view! {
                    <dl class="states" data-testid="states">
                        <dt>{t(Key::PlayerClient)}</dt>
                        <dd data-testid="client-state">{path(&step.client)}</dd>
                        <dt>{t(Key::PlayerServer)}</dt>
                        <dd data-testid="server-state">{path(&step.server)}</dd>
                    </dl>
                };
                let header = match &step.kind {
                    StepKind::Segment { segment, .. } => {
                        let (seq, ack) = run.with_value(|r| numbers::shown(r, step.connection, segment, head.numbering.get()));
                        let lit = |bit: &str| match bit {
                            "ACK" => segment.flags.ack,
                            "PSH" => segment.flags.psh,
                            "RST" => segment.flags.rst,
                            "SYN" => segment.flags.syn,
                            "FIN" => segment.flags.fin,
                            _ => false,
                        };
                        view! {
                            <table class="header" data-testid="header">
                                <tbody>
                                    <tr><th>{t(Key::PlayerSeq)}</th><td data-testid="field-seq">{seq}</td></tr>
                                    <tr><th>{t(Key::PlayerAck)}</th><td data-testid="field-ack">{ack}</td></tr>
                                    <tr><th>{t(Key::PlayerFlags)}</th><td class="flags" data-testid="field-flags" data-flags=segment.flags.to_string()>
                                        {FLAG_BITS.iter().map(|bit| view! { <span class="flag" class:on=lit(bit) data-on=lit(bit).to_string()>{*bit}</span> }).collect_view()}
                                    </td></tr>
                                    <tr><th>{t(Key::PlayerLen)}</th><td data-testid="field-len">{segment.len}</td></tr>
                                    <tr><th>{t(Key::PlayerWindow)}</th><td>{segment.window}</td></tr>
                                    <tr><th>{t(Key::PlayerOptions)}</th><td>{options_text(&segment.options)}</td></tr>
                                </tbody>
                            </table>
                        }.into_any()
                    }
                    StepKind::Timer { .. } => ().into_any(),
                };
                let settings = (!step.settings.is_empty()).then(|| view! {
                    <aside class="settings" data-testid="step-settings">
                        <p>{t(Key::PlayerSettings)}</p>
                        <ul>
                            {step.settings.iter().map(|s| view! { <li><code>{s.as_str()}</code></li> }).collect_view()}
                        </ul>
                        <A href="/config">{t(Key::PlayerSettingsLink)}</A>
                    </aside>
                });
                view! { {connection} {header} {states} {settings} }
            })}
        </section>
    }
}

fn options_text(options: &TcpOptions) -> String {
    let mut parts = Vec::new();
    if let Some(mss) = options.mss {
        parts.push(format!("MSS {mss}"));
    }
    if options.sack_permitted {
        parts.push("SACK_PERM".to_owned());
    }
    if options.timestamps {
        parts.push("TS".to_owned());
    }
    if let Some(ws) = options.window_scale {
        parts.push(format!("WS {ws}"));
    }
    for (left, right) in &options.sack {
        parts.push(format!("SACK {left}–{right}"));
    }
    match &options.tfo {
        Some(TfoOption::CookieRequest) => parts.push("TFO cookie request".to_owned()),
        Some(TfoOption::Cookie { len }) => parts.push(format!("TFO cookie ({len} B)")),
        None => {}
    }
    if parts.is_empty() { "—".to_owned() } else { parts.join(", ") }
}
