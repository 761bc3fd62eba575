//! The files to install, one tab each, with copy and download buttons, and the permalink.

use leptos::prelude::*;
use tcplab_core::tuning::Report;
use tcplab_core::tuning::files::{LIMITS_PATH, SYSCTL_PATH, SYSTEMD_PATH};

use crate::browser;
use crate::i18n::{Key, use_i18n};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Sysctl,
    Limits,
    Systemd,
    Commands,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Sysctl, Tab::Limits, Tab::Systemd, Tab::Commands];

    fn id(self) -> &'static str {
        match self {
            Tab::Sysctl => "sysctl",
            Tab::Limits => "limits",
            Tab::Systemd => "systemd",
            Tab::Commands => "commands",
        }
    }

    fn label(self) -> Key {
        match self {
            Tab::Sysctl => Key::ConfigTabSysctl,
            Tab::Limits => Key::ConfigTabLimits,
            Tab::Systemd => Key::ConfigTabSystemd,
            Tab::Commands => Key::ConfigTabCommands,
        }
    }

    /// Where the file goes, and the name a download gets.
    fn path_and_name(self) -> (&'static str, &'static str) {
        match self {
            Tab::Sysctl => (SYSCTL_PATH, "90-tcplab.conf"),
            Tab::Limits => (LIMITS_PATH, "90-tcplab-limits.conf"),
            Tab::Systemd => (SYSTEMD_PATH, "90-tcplab-systemd.conf"),
            Tab::Commands => ("", "tcplab-commands.sh"),
        }
    }
}

/// The text of a tab; `None` when the inputs make it unnecessary (no systemd).
fn text(report: &Report, tab: Tab, headings: [&str; 4]) -> Option<String> {
    let f = &report.files;
    match tab {
        Tab::Sysctl => Some(f.sysctl_conf.clone()),
        Tab::Limits => Some(f.limits_conf.clone()),
        Tab::Systemd => f.systemd_dropin.clone(),
        Tab::Commands => {
            let c = &f.commands;
            let parts = [&c.save, &c.apply, &c.verify, &c.rollback];
            Some(headings.iter().zip(parts).map(|(h, body)| format!("# ── {h} ──\n{}\n", body.trim_end())).collect::<Vec<_>>().join("\n"))
        }
    }
}

#[component]
pub fn Files(report: Memo<Option<Report>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let tab = RwSignal::new(Tab::Sysctl);
    let copied = RwSignal::new(None::<Result<(), ()>>);
    let headings = move || [Key::ConfigCmdSave, Key::ConfigCmdApply, Key::ConfigCmdVerify, Key::ConfigCmdRollback].map(|k| t(k)());
    let current = move || report.with(|r| r.as_ref().and_then(|r| text(r, tab.get(), headings())));
    let has_systemd = move || report.with(|r| r.as_ref().is_some_and(|r| r.files.systemd_dropin.is_some()));
    // A tab that disappears (systemd switched off) falls back to the first.
    Effect::new(move |_| {
        if tab.get() == Tab::Systemd && !has_systemd() {
            tab.set(Tab::Sysctl);
        }
    });
    let permalink = move || report.with(|r| r.as_ref().map(|r| format!("{}/config?{}", browser::origin(), r.query)).unwrap_or_default());

    let copy = move |_| {
        let Some(body) = current() else { return };
        leptos::task::spawn_local(async move {
            copied.set(Some(browser::copy(&body).await.map_err(|_| ())));
            set_timeout(move || copied.set(None), std::time::Duration::from_secs(3));
        });
    };
    let download = move |_| {
        if let Some(body) = current() {
            let _ = browser::download(tab.get_untracked().path_and_name().1, &body);
        }
    };

    view! {
        <section class="config-files">
            <h2>{t(Key::ConfigFiles)}</h2>
            <div class="tabs" role="tablist">
                {Tab::ALL.into_iter().map(|each| {
                    let visible = move || each != Tab::Systemd || has_systemd();
                    view! {
                        <button type="button" role="tab" data-testid=format!("tab-{}", each.id())
                            aria-selected=move || (tab.get() == each).to_string()
                            style:display=move || if visible() { "" } else { "none" }
                            on:click=move |_| tab.set(each)>
                            {t(each.label())}
                        </button>
                    }
                }).collect_view()}
            </div>
            <div role="tabpanel" class="file-panel">
                {move || {
                    let path = tab.get().path_and_name().0;
                    (!path.is_empty()).then(|| view! { <p class="install-as">{t(Key::ConfigInstallAs)} " " <code data-testid="install-path">{path}</code></p> })
                }}
                <div class="file-actions">
                    <button type="button" data-testid="copy" on:click=copy>{t(Key::ConfigCopy)}</button>
                    <button type="button" data-testid="download" on:click=download>{t(Key::ConfigDownload)}</button>
                    <span role="status" data-testid="copy-status">
                        {move || match copied.get() {
                            Some(Ok(())) => t(Key::ConfigCopied)(),
                            Some(Err(())) => t(Key::ConfigCopyFailed)(),
                            None => "",
                        }}
                    </span>
                </div>
                <pre class="file" tabindex="0" data-testid=move || format!("file-{}", tab.get().id())>{move || current().unwrap_or_default()}</pre>
            </div>
            <label class="permalink">
                <span>{t(Key::ConfigPermalink)}</span>
                <input type="text" readonly data-testid="permalink" prop:value=permalink
                    on:focus=|ev| {
                        use wasm_bindgen::JsCast;
                        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            input.select();
                        }
                    } />
            </label>
        </section>
    }
}
