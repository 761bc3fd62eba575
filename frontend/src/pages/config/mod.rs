//! The Linux config generator. The rules run here in the browser (the shared crate), so the output
//! follows every keystroke; the server only sends the knowledge file once. The address bar always
//! holds the permalink of what is on screen.

mod explain;
mod files;
mod form;
mod lint;

use std::sync::Arc;

use leptos::prelude::*;
use tcplab_core::tuning::{FieldError, Inputs, Knowledge, Report, generate_with_permalink, query_key};

use super::set_title;
use crate::api::{self, ApiError};
use crate::browser;
use crate::i18n::{Key, use_i18n};

/// Reads the inputs from a permalink query. Fields with bad values are left at the preset and
/// named, so a mangled link still opens something useful.
fn inputs_from_link(query: &str) -> (Inputs, Vec<FieldError>) {
    if query.is_empty() {
        return (Inputs::default(), Vec::new());
    }
    match Inputs::from_query(query) {
        Ok(inputs) => (inputs, Vec::new()),
        Err(errors) => {
            let bad: Vec<&str> = errors.iter().map(|e| query_key(&e.field).unwrap_or(e.field.as_str())).collect();
            let kept: Vec<&str> = query.split('&').filter(|part| !bad.contains(&part.split_once('=').map_or(*part, |(k, _)| k))).collect();
            (Inputs::from_query(&kept.join("&")).unwrap_or_default(), errors)
        }
    }
}

lazy_page! {
    /// The route. Its view is a wasm chunk of its own (`#[lazy_route]`, split by `cargo xtask dist`):
    /// the generator and its rules download the first time /config opens, not with the tutorial.
    ConfigRoute => ConfigPage
}

#[component]
pub fn ConfigPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    set_title(t(Key::ConfigTitle));

    let (start, link_errors) = inputs_from_link(&browser::query());
    let inputs = RwSignal::new(start);
    let knowledge = RwSignal::new(None::<Result<Arc<Knowledge>, ApiError>>);
    leptos::task::spawn_local(async move {
        knowledge.set(Some(api::tuning_knowledge().await.map(Arc::new)));
    });
    let base = format!("{}/config", browser::origin());
    let report = Memo::new(move |_| {
        let k = knowledge.get()?.ok()?;
        Some(generate_with_permalink(&inputs.get(), &k, i18n.lang.get(), &base))
    });
    Effect::new(move |_| browser::replace_query("/config", &inputs.with(Inputs::to_query)));
    let field_errors = Signal::derive(move || report.with(|r| r.as_ref().map(|r| r.input_errors.clone()).unwrap_or_default()));

    view! {
        <section class="page config-page" data-testid="page-config">
            <h1>{t(Key::ConfigTitle)}</h1>
            <p class="lead">{t(Key::ConfigIntro)}</p>
            {(!link_errors.is_empty()).then(|| view! {
                <p class="note warning" role="status" data-testid="link-problem">
                    {t(Key::ConfigLinkProblem)} " "
                    {link_errors.iter().map(|e| e.field.clone()).collect::<Vec<_>>().join(", ")}
                </p>
            })}
            <form::Presets inputs=inputs />
            <div class="config-layout">
                <form::InputsForm inputs=inputs errors=field_errors />
                <div class="config-output">
                    {move || match knowledge.get() {
                        None => view! { <p data-testid="config-loading">{t(Key::ConfigLoading)}</p> }.into_any(),
                        Some(Err(e)) => view! {
                            <p class="error" role="alert" data-testid="config-error">{t(Key::ConfigFailed)} " " {move || e.text(i18n)}</p>
                        }.into_any(),
                        Some(Ok(_)) => view! { <Output report=report /> }.into_any(),
                    }}
                </div>
            </div>
            <lint::Linter inputs=inputs knowledge=knowledge />
        </section>
    }
}

/// Everything computed from the inputs.
#[component]
fn Output(report: Memo<Option<Report>>) -> impl IntoView {
    view! {
        <explain::Warnings report=report />
        <files::Files report=report />
        <explain::Figures report=report />
        <explain::Settings report=report />
    }
}
