//! Moving questions to and from Moodle: the saved quiz as GIFT or Moodle XML (plain download
//! links), and questions in either format added to the quiz's end.

use leptos::prelude::*;
use tcplab_core::api::classroom::{EditableQuiz, ExchangeFormat, ImportRequest};

use super::super::{send, show_problem};
use crate::api::classroom as rooms;
use crate::i18n::{Key, use_i18n};

/// Export links for the saved quiz and the import box; `on_imported` gets the quiz after.
#[component]
pub(super) fn Exchange(id: i64, on_imported: Callback<EditableQuiz>, #[prop(into)] unsaved: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let format = RwSignal::new(ExchangeFormat::Gift);
    let text = RwSignal::new(String::new());
    let points = RwSignal::new("1".to_owned());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None);
    let imported = RwSignal::new(None::<u32>);
    let bad_points = RwSignal::new(false);
    let import = move |_| {
        let Some(points) = points.with_untracked(|p| p.trim().parse::<u32>().ok().filter(|p| (1..=100).contains(p))) else {
            bad_points.set(true);
            return;
        };
        bad_points.set(false);
        let request = ImportRequest { format: format.get_untracked(), text: text.get_untracked(), points: Some(points) };
        imported.set(None);
        send(busy, problem, async move { rooms::import(id, &request).await }, move |report| {
            text.set(String::new());
            imported.set(Some(report.imported));
            on_imported.try_run(report.quiz);
        });
    };
    view! {
        <section class="exchange" aria-labelledby="exchange-heading">
            <h2 id="exchange-heading">{t(Key::EditorMoodle)}</h2>
            <p>
                {t(Key::EditorExport)} " "
                <a href=rooms::export_href(id, ExchangeFormat::Gift) download="" data-testid="export-gift">"GIFT"</a> " · "
                <a href=rooms::export_href(id, ExchangeFormat::MoodleXml) download="" data-testid="export-moodle">"Moodle XML"</a>
            </p>
            <p class="note">{t(Key::EditorImportNote)}</p>
            <div class="row">
                <label class="field">
                    <span>{t(Key::EditorFormat)}</span>
                    <select data-testid="import-format" on:change=move |ev| {
                        format.set(if event_target_value(&ev) == "moodle_xml" { ExchangeFormat::MoodleXml } else { ExchangeFormat::Gift })
                    }>
                        <option value="gift">"GIFT"</option>
                        <option value="moodle_xml">"Moodle XML"</option>
                    </select>
                </label>
                <label class="field">
                    <span>{t(Key::EditorPoints)}</span>
                    <input type="number" min="1" max="100" data-testid="import-points"
                        prop:value=move || points.get() on:input=move |ev| points.set(event_target_value(&ev)) />
                </label>
            </div>
            <label class="field">
                <span>{t(Key::EditorImportText)}</span>
                <textarea rows="8" spellcheck="false" data-testid="import-text"
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </label>
            // The import lands in the saved quiz and the form reloads from it: unsaved edits first.
            <button type="button" data-testid="import-button" disabled=move || busy.get() || unsaved.get() || text.with(|t| t.trim().is_empty()) on:click=import>
                {t(Key::EditorImport)}
            </button>
            {move || unsaved.get().then(|| view! { <p class="note" data-testid="import-save-first">{t(Key::EditorSaveFirst)}</p> })}
            {move || bad_points.get().then(|| view! { <p class="error" role="alert" data-testid="import-error">{t(Key::EditorPointsRange)}</p> })}
            {move || imported.get().map(|n| view! { <p role="status" data-testid="import-status">{t(Key::EditorImported)} " " {n}</p> })}
            {show_problem(problem, "import-error")}
        </section>
    }
}
