//! A model question in the editor: a scenario, one of its segments and what is asked of it (a
//! field to fill in, an end's state after it, the whole segment, or the field shown wrong), with
//! a live preview made here by the same code the server runs for each learner (their numbers
//! differ; "another learner's numbers" shows a different one).

use leptos::prelude::*;
use tcplab_core::api::StepTexts;
use tcplab_core::classroom::{Item, prompt, segment_steps};
use tcplab_core::quiz::{Field, Kind};
use tcplab_core::tcp::{Flags, ScenarioId, Side};

use super::super::prompt::{AnswerInput, PromptView};
use super::draft::ModelDraft;
use crate::components::question::{field_label, side_label};
use crate::i18n::{Key, use_i18n};

/// The step a new model question about `scenario` starts on.
pub(super) fn first_segment(scenario: ScenarioId) -> usize {
    segment_steps(scenario).first().map_or(0, |s| s.0)
}

fn random_seed() -> u64 {
    (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64
}

/// Scenario, segment and field selects, and the live preview of one learner's variant.
#[component]
pub(super) fn ModelEditor(model: ModelDraft, texts: Signal<Option<StepTexts>>, path: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let ModelDraft { scenario, step, field, kind, side } = model;
    let steps = Memo::new(move |_| segment_steps(scenario.get()));
    let seed = RwSignal::new(random_seed());
    let has_ack = move || steps.with(|s| s.iter().any(|(i, _, f)| *i == step.get() && f.ack));
    // An ack is only asked of a segment that carries one.
    let fit_field = move || {
        if field.get_untracked() == Field::Ack && !has_ack() {
            field.set(Field::Seq);
        }
    };
    let scenario_name = move |s: ScenarioId| {
        texts.with(|x| x.as_ref().and_then(|x| x.scenarios.get(s.as_str()).cloned())).unwrap_or_else(|| s.title().to_owned())
    };
    // `2: server → client SYN+ACK`
    let step_label = move |i: usize, from: Side, flags: Flags| {
        let side = |s| t(side_label(s))();
        format!("{}: {} → {} {flags}", i + 1, side(from), side(from.other()))
    };
    let preview = Memo::new(move |_| {
        let item = Item { points: 1, question: model.body() };
        prompt(&item, seed.get()).ok()
    });
    let kinds = [
        (Kind::Field, Key::QuizKindField),
        (Kind::State, Key::QuizKindState),
        (Kind::Next, Key::QuizKindNext),
        (Kind::SpotError, Key::QuizKindSpotError),
    ];
    let asks_field = move || matches!(kind.get(), Kind::Field | Kind::SpotError);
    view! {
        <div class="row">
            <label class="field">
                <span>{t(Key::EditorScenario)}</span>
                <select data-testid="model-scenario" data-field=format!("{path}.question.scenario") aria-invalid=super::invalid(format!("{path}.question.scenario")) on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(s) = ScenarioId::all().iter().copied().find(|s| s.as_str() == v) {
                        scenario.set(s);
                        step.set(first_segment(s));
                        fit_field();
                    }
                }>
                    {ScenarioId::all().iter().copied().map(|s| view! {
                        <option value=s.as_str() prop:selected=move || scenario.get() == s>{move || scenario_name(s)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{t(Key::EditorStep)}</span>
                <select data-testid="model-step" data-field=format!("{path}.question.step") aria-invalid=super::invalid(format!("{path}.question.step")) on:change=move |ev| {
                    if let Ok(s) = event_target_value(&ev).parse() {
                        step.set(s);
                        fit_field();
                    }
                }>
                    {move || steps.get().into_iter().map(|(i, from, flags)| view! {
                        <option value=i.to_string() prop:selected=move || step.get() == i>{move || step_label(i, from, flags)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{t(Key::EditorAsk)}</span>
                <select data-testid="model-kind" data-field=format!("{path}.question.kind") on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(k) = Kind::ALL.into_iter().find(|k| k.as_str() == v) {
                        kind.set(k);
                    }
                }>
                    {kinds.into_iter().map(|(k, key)| view! {
                        <option value=k.as_str() prop:selected=move || kind.get() == k>{t(key)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="field" hidden=move || kind.get() != Kind::State>
                <span>{t(Key::EditorSide)}</span>
                <select data-testid="model-side" data-field=format!("{path}.question.side") aria-invalid=super::invalid(format!("{path}.question.side")) on:change=move |ev| {
                    side.set(if event_target_value(&ev) == "server" { Side::Server } else { Side::Client });
                }>
                    {[Side::Client, Side::Server].into_iter().map(|s| view! {
                        <option value=if s == Side::Server { "server" } else { "client" } prop:selected=move || side.get() == s>{t(side_label(s))}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="field" hidden=move || !asks_field()>
                <span>{t(Key::EditorField)}</span>
                <select data-testid="model-field" data-field=format!("{path}.question.field") aria-invalid=super::invalid(format!("{path}.question.field")) on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(f) = Field::ALL.into_iter().find(|f| f.as_str() == v) {
                        field.set(f);
                    }
                }>
                    {Field::ALL.into_iter().map(|f| view! {
                        <option value=f.as_str() prop:selected=move || field.get() == f
                            disabled=move || f == Field::Ack && !has_ack()>{t(field_label(f))}</option>
                    }).collect_view()}
                </select>
            </label>
        </div>
        <section class="preview" data-testid="preview">
            <h4>{t(Key::EditorPreview)}</h4>
            <p class="note">{t(Key::EditorPreviewNote)} " "
                <button type="button" data-testid="preview-sample" on:click=move |_| seed.set(random_seed())>{t(Key::EditorAnotherSample)}</button>
            </p>
            {move || match preview.get() {
                Some(p) => view! { <PromptView index=0 prompt=p input=AnswerInput::new() texts=texts locked=false /> }.into_any(),
                None => view! { <p class="error" role="alert">{t(Key::EditorPreviewFailed)}</p> }.into_any(),
            }}
        </section>
    }
}
