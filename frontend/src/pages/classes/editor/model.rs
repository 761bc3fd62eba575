//! Adding a model question: a scenario, one of its segments and the field to fill in, with a
//! live preview made here by the same code the server runs for each learner (their numbers
//! differ; "another sample" shows a different learner's).

use leptos::prelude::*;
use tcplab_core::api::StepTexts;
use tcplab_core::classroom::{Item, ItemBody, prompt};
use tcplab_core::quiz::{Field, QUIZ_SCENARIOS};
use tcplab_core::tcp::{Flags, ScenarioId, ScenarioParams, Side, run};

use super::super::prompt::{AnswerInput, PromptView};
use super::draft::{Draft, ItemDraft};
use crate::i18n::{I18n, Key, use_i18n};
use crate::pages::quiz::{field_label, side_label};

/// The steps of `scenario` that are segments: (step, sender, flags). Which steps they are does
/// not depend on the numbers, so the defaults do.
fn segment_steps(scenario: ScenarioId) -> Vec<(usize, Side, Flags)> {
    run(scenario, &ScenarioParams::default())
        .map(|r| r.steps.iter().enumerate().filter_map(|(i, s)| s.segment().map(|seg| (i, seg.from, seg.flags))).collect())
        .unwrap_or_default()
}

fn scenario_name(texts: &Option<StepTexts>, scenario: ScenarioId) -> String {
    texts.as_ref().and_then(|x| x.scenarios.get(scenario.as_str()).cloned()).unwrap_or_else(|| scenario.title().to_owned())
}

/// `2: server → client SYN+ACK`
fn step_label(step: usize, from: Side, flags: Flags, i18n: I18n) -> String {
    let side = |s| i18n.t(side_label(s))();
    format!("{}: {} → {} {flags}", step + 1, side(from), side(from.other()))
}

/// A model question in one line: scenario, step and field.
pub(super) fn describe(texts: &Option<StepTexts>, scenario: ScenarioId, step: usize, field: Field, i18n: I18n) -> String {
    let segment = segment_steps(scenario).into_iter().find(|(i, ..)| *i == step);
    let step_text = segment.map_or_else(|| format!("{}", step + 1), |(i, from, flags)| step_label(i, from, flags, i18n));
    format!("{} · {step_text} · {}", scenario_name(texts, scenario), i18n.t(field_label(field))())
}

fn random_seed() -> u64 {
    (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64
}

#[component]
pub(super) fn ModelAdder(draft: Draft, texts: Signal<Option<StepTexts>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let scenario = RwSignal::new(QUIZ_SCENARIOS[0]);
    let steps = Memo::new(move |_| segment_steps(scenario.get()));
    let step = RwSignal::new(steps.with_untracked(|s| s.first().map_or(0, |s| s.0)));
    let field = RwSignal::new(Field::Seq);
    let seed = RwSignal::new(random_seed());
    let has_ack = move || steps.with(|s| s.iter().any(|(i, _, f)| *i == step.get() && f.ack));
    // An ack is only asked of a segment that carries one.
    let fit_field = move || {
        if field.get_untracked() == Field::Ack && !has_ack() {
            field.set(Field::Seq);
        }
    };
    let item = move || Item { points: 1, question: ItemBody::Model { scenario: scenario.get(), step: step.get(), field: field.get() } };
    let preview = Memo::new(move |_| prompt(&item(), seed.get()).ok());
    let add = move |_| {
        let new = draft.own(|| ItemDraft::new(&item()));
        draft.items.update(|v| v.push(new));
    };
    view! {
        <fieldset class="model-adder">
            <legend>{t(Key::EditorModelTitle)}</legend>
            <div class="row">
                <label class="field">
                    <span>{t(Key::EditorScenario)}</span>
                    <select data-testid="model-scenario" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(s) = QUIZ_SCENARIOS.into_iter().find(|s| s.as_str() == v) {
                            scenario.set(s);
                            step.set(steps.with_untracked(|s| s.first().map_or(0, |s| s.0)));
                            fit_field();
                        }
                    }>
                        {QUIZ_SCENARIOS.into_iter().map(|s| view! {
                            <option value=s.as_str() prop:selected=move || scenario.get() == s>{move || texts.with(|x| scenario_name(x, s))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{t(Key::EditorStep)}</span>
                    <select data-testid="model-step" on:change=move |ev| {
                        if let Ok(s) = event_target_value(&ev).parse() {
                            step.set(s);
                            fit_field();
                        }
                    }>
                        {move || steps.get().into_iter().map(|(i, from, flags)| view! {
                            <option value=i.to_string() prop:selected=move || step.get() == i>{move || step_label(i, from, flags, i18n)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{t(Key::EditorField)}</span>
                    <select data-testid="model-field" on:change=move |ev| {
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
            <button type="button" class="primary" data-testid="add-model" on:click=add>{t(Key::EditorAddModel)}</button>
            <section class="preview" data-testid="preview" aria-labelledby="preview-heading">
                <h3 id="preview-heading">{t(Key::EditorPreview)}</h3>
                <p class="note">{t(Key::EditorPreviewNote)} " "
                    <button type="button" data-testid="preview-sample" on:click=move |_| seed.set(random_seed())>{t(Key::EditorAnotherSample)}</button>
                </p>
                {move || match preview.get() {
                    Some(p) => view! { <PromptView index=0 prompt=p input=AnswerInput::new() texts=texts locked=false /> }.into_any(),
                    None => view! { <p class="error" role="alert">{t(Key::EditorPreviewFailed)}</p> }.into_any(),
                }}
            </section>
        </fieldset>
    }
}
