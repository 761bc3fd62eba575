//! The linter: paste a sysctl.conf (or `sysctl -a` output) and see, line by line, what does not do
//! what its author thought. Runs in the browser with the shared crate's checks.

use std::sync::Arc;

use leptos::prelude::*;
use tcplab_core::tuning::{Inputs, Knowledge, LintContext, lint_with};

use super::explain::severity_label;
use crate::i18n::{Key, use_i18n};

#[component]
pub fn Linter(inputs: RwSignal<Inputs>, knowledge: RwSignal<Option<Result<Arc<Knowledge>, crate::api::ApiError>>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let text = RwSignal::new(String::new());
    let result = Memo::new(move |_| {
        let k = knowledge.get()?.ok()?;
        let pasted = text.get();
        if pasted.trim().is_empty() {
            return None;
        }
        let ctx = inputs.with(|i| LintContext::from(i));
        let lang = i18n.lang.get();
        Some(lint_with(&pasted, &k, lang, &ctx).map_err(|e| e.message(&k, lang)))
    });
    view! {
        <section class="config-lint" data-testid="linter">
            <h2>{t(Key::ConfigLintTitle)}</h2>
            <p>{t(Key::ConfigLintIntro)}</p>
            <textarea data-testid="lint-input" rows="8" spellcheck="false" placeholder=t(Key::ConfigLintPlaceholder)
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            {move || result.get().map(|r| match r {
                Err(message) => view! { <p class="error" role="alert" data-testid="lint-error">{message}</p> }.into_any(),
                Ok(report) if report.findings.is_empty() => {
                    view! { <p class="note" data-testid="lint-clean">{t(Key::ConfigLintClean)}</p> }.into_any()
                }
                Ok(report) => view! {
                    <p data-testid="lint-summary">{report.settings} " " {t(Key::ConfigLintSummary)} " " {report.findings.len()}</p>
                    <ol class="findings" data-testid="lint-findings">
                        {report.findings.into_iter().map(|f| view! {
                            <li class=format!("finding {}", format!("{:?}", f.severity).to_lowercase()) data-testid="finding"
                                data-code=f.code.clone() data-line=f.line.to_string()>
                                <strong>{t(Key::ConfigLine)} " " {f.line} " · " {t(severity_label(f.severity))}</strong>
                                {f.key.map(|k| view! { " " <code>{k}</code> })}
                                <p>{f.message}</p>
                                {f.fix.map(|fix| view! { <p class="fix">{t(Key::ConfigFix)} " " <code>{fix}</code></p> })}
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any(),
            })}
        </section>
    }
}
