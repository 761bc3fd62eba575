//! The report explained: warnings first (they may change what you do), then the figures the rules
//! computed, then every setting with its value, default, reason, risk and source.

use leptos::prelude::*;
use tcplab_core::tuning::{Action, Report, Severity};

use crate::i18n::{Key, use_i18n};

fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

pub fn severity_label(s: Severity) -> Key {
    match s {
        Severity::Error => Key::ConfigSeverityError,
        Severity::Warning => Key::ConfigSeverityWarning,
        Severity::Info => Key::ConfigSeverityInfo,
    }
}

#[component]
pub fn Warnings(report: Memo<Option<Report>>) -> impl IntoView {
    let i18n = use_i18n();
    let warnings = move || report.with(|r| r.as_ref().map(|r| r.warnings.clone()).unwrap_or_default());
    view! {
        <section class="config-warnings" data-testid="warnings" aria-live="polite">
            <h2>{i18n.t(Key::ConfigWarnings)}</h2>
            {move || {
                let list = warnings();
                if list.is_empty() {
                    view! { <p class="note" data-testid="no-warnings">{i18n.t(Key::ConfigNoWarnings)}</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {list.into_iter().map(|w| view! {
                                <li class=format!("finding {}", severity_class(w.severity)) data-testid="warning" data-code=w.code.clone()
                                    data-field=w.field.clone().unwrap_or_default()>
                                    <strong>{i18n.t(severity_label(w.severity))}</strong> " " {w.message}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}

fn bytes(n: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    if n >= 1024 * 1024 { format!("{:.1} MiB", n as f64 / MIB) } else { format!("{} KiB", n.div_ceil(1024)) }
}

#[component]
pub fn Figures(report: Memo<Option<Report>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let row = move |label: Key, value: Box<dyn Fn(&Report) -> String + Send + Sync>, id: &'static str| {
        view! {
            <tr>
                <th scope="row">{t(label)}</th>
                <td data-testid=format!("figure-{id}")>{move || report.with(|r| r.as_ref().map(&value).unwrap_or_default())}</td>
            </tr>
        }
    };
    view! {
        <section class="config-figures">
            <h2>{t(Key::ConfigFigures)}</h2>
            <table data-testid="figures">
                {row(Key::ConfigBdp, Box::new(|r| bytes(r.figures.bdp_bytes)), "bdp")}
                {row(Key::ConfigSockets, Box::new(|r| r.figures.sockets.to_string()), "sockets")}
                {row(Key::ConfigTimeWait, Box::new(|r| r.figures.time_wait_sockets.to_string()), "time-wait")}
                {row(Key::ConfigPorts, Box::new(|r| r.figures.local_ports.to_string()), "ports")}
                {row(Key::ConfigSocketMemory, Box::new(|r| bytes(r.figures.socket_memory_bytes)), "socket-memory")}
                {row(Key::ConfigKeepalive, Box::new(|r| r.figures.keepalive_detect_seconds.to_string()), "keepalive")}
                {row(Key::ConfigNofile, Box::new(|r| format!("{} / {}", r.nofile.soft, r.nofile.hard)), "nofile")}
            </table>
        </section>
    }
}

#[component]
pub fn Settings(report: Memo<Option<Report>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let settings = move || report.with(|r| r.as_ref().map(|r| r.settings.clone()).unwrap_or_default());
    view! {
        <section class="config-settings">
            <h2>{t(Key::ConfigSettings)}</h2>
            <ul class="settings" data-testid="settings">
                {move || settings().into_iter().map(|s| view! {
                    <li class="setting" data-testid="setting" data-key=s.key.clone() data-action=format!("{:?}", s.action)>
                        <div class="setting-line">
                            <code>{format!("{} = {}", s.key, s.value)}</code>
                            <span class=format!("badge {}", if s.changes_default { "changed" } else { "default" })>
                                {t(match s.action {
                                    Action::Set => Key::ConfigActionSet,
                                    Action::KeepDefault => Key::ConfigActionKeep,
                                    Action::NotForTcp => Key::ConfigActionNotTcp,
                                })}
                            </span>
                            {(s.action == Action::Set && !s.written).then(|| view! { <span class="badge">{t(Key::ConfigNotWritten)}</span> })}
                            <small>{t(Key::ConfigColDefault)} ": " <code>{s.default.clone()}</code></small>
                        </div>
                        <div class="setting-why">
                            <p data-testid="setting-reason">{s.reason.clone()}</p>
                            <p class="explain">{s.explain.clone()}</p>
                            <p class="risk"><strong>{t(Key::ConfigRisk)}</strong> " " {s.risk.clone()}</p>
                            <p class="source"><strong>{t(Key::ConfigSource)}</strong> " "
                                <a href=s.source_url.clone() rel="noopener noreferrer" target="_blank">{s.source.clone()}</a>
                            </p>
                        </div>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
