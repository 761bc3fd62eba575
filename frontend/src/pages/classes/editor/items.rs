//! The quiz's questions in the editor: points, order, copies and removal for each, and their
//! inputs: a model question's selects and preview ([`super::model`]), the texts of
//! multiple-choice and numeric questions in both languages.

use leptos::prelude::*;
use tcplab_core::api::StepTexts;

use super::draft::{BodyDraft, ChoiceDraft, Draft, ItemDraft, TextDraft};
use super::model::ModelEditor;
use crate::i18n::{Key, use_i18n};

/// Every question, redrawn when one is added, moved, copied or removed (the inputs keep their
/// values: they live in the drafts, not in the page).
#[component]
pub(super) fn ItemList(draft: Draft, #[prop(into)] error_fields: Signal<Vec<String>>, texts: Signal<Option<StepTexts>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let items = draft.items.get();
        let count = items.len();
        if count == 0 {
            return view! { <p class="note" data-testid="no-items">{i18n.t(Key::EditorNoItems)}</p> }.into_any();
        }
        view! {
            <ol class="item-list">
                {items.into_iter().enumerate().map(|(i, item)| view! {
                    <ItemEditor index=i count=count item=item draft=draft error_fields=error_fields texts=texts />
                }).collect_view()}
            </ol>
        }
        .into_any()
    }
}

/// Question `index` of `count`: its head (points, order, copy, remove) and its inputs.
#[component]
fn ItemEditor(
    index: usize,
    count: usize,
    item: ItemDraft,
    draft: Draft,
    error_fields: Signal<Vec<String>>,
    texts: Signal<Option<StepTexts>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let path = format!("items[{index}]");
    // An item holding a field the last Save complained about is marked.
    let at_fault = {
        let path = path.clone();
        move || error_fields.with(|fields| fields.iter().any(|f| *f == path || f.starts_with(&format!("{path}."))))
    };
    let q = format!("{path}.question");
    // Bounds are checked although the buttons at the ends are disabled: a panic would stop the app.
    let swap = move |other: Option<usize>| {
        draft.items.update(|v| {
            if let Some(other) = other.filter(|o| *o < v.len() && index < v.len()) {
                v.swap(index, other);
            }
        })
    };
    let duplicate = move |_| {
        let copy = draft.own(|| item.copy());
        draft.items.update(|v| v.insert((index + 1).min(v.len()), copy));
    };
    let remove = move |_| {
        draft.items.update(|v| {
            if index < v.len() {
                v.remove(index);
            }
        })
    };
    let kind = match item.body {
        BodyDraft::Model(_) => Key::EditorKindModel,
        BodyDraft::Choice { .. } => Key::EditorKindChoice,
        BodyDraft::Numeric { .. } => Key::EditorKindNumeric,
    };
    let body = match item.body {
        BodyDraft::Model(model) => view! { <ModelEditor model=model texts=texts path=path.clone() /> }.into_any(),
        BodyDraft::Choice { text, choices, explain } => view! {
            <TextPair label=Key::EditorQuestionText text=text testid="text" rows=3 field=format!("{q}.text") />
            <ChoiceList index=index choices=choices draft=draft field=format!("{q}.choices") />
            <TextPair label=Key::EditorExplain text=explain testid="explain" rows=2 field=format!("{q}.explain") />
        }
        .into_any(),
        BodyDraft::Numeric { text, answer, tolerance, unit, explain } => view! {
            <TextPair label=Key::EditorQuestionText text=text testid="text" rows=3 field=format!("{q}.text") />
            <div class="row">
                <NumberField label=Key::EditorAnswer value=answer testid="numeric-answer" field=format!("{q}.answer") />
                <NumberField label=Key::EditorTolerance value=tolerance testid="numeric-tolerance" field=format!("{q}.tolerance") />
            </div>
            <TextPair label=Key::EditorUnit text=unit testid="unit" rows=1 field=format!("{q}.unit") />
            <TextPair label=Key::EditorExplain text=explain testid="explain" rows=2 field=format!("{q}.explain") />
        }
        .into_any(),
    };
    view! {
        <li class="item-editor" class:invalid=at_fault data-testid=format!("item-{index}")>
            <div class="item-head">
                <h3>{t(Key::AttemptQuestion)} " " {index + 1} " · " {t(kind)}</h3>
                <label class="points">
                    <span>{t(Key::EditorPoints)}</span>
                    <input type="number" min="1" max="100" data-testid="item-points"
                        data-field=format!("{path}.points") aria-invalid=super::invalid(format!("{path}.points"))
                        prop:value=move || item.points.get() on:input=move |ev| item.points.set(event_target_value(&ev)) />
                </label>
                <span class="item-actions">
                    <button type="button" data-testid="item-up" aria-label=t(Key::EditorUp) disabled={index == 0}
                        on:click=move |_| swap(index.checked_sub(1))>"↑"</button>
                    <button type="button" data-testid="item-down" aria-label=t(Key::EditorDown) disabled={index + 1 == count}
                        on:click=move |_| swap(Some(index + 1))>"↓"</button>
                    <button type="button" data-testid="item-duplicate" on:click=duplicate>{t(Key::EditorDuplicate)}</button>
                    <button type="button" data-testid="item-remove" on:click=remove>{t(Key::EditorRemove)}</button>
                </span>
            </div>
            {body}
        </li>
    }
}

/// A text's English and Chinese inputs side by side; `testid` names them `{testid}-en` and
/// `{testid}-zh`, `field` is the text's JSON path (`items[0].question.text`). The Chinese may
/// wait: learners reading Chinese see the English, marked as not translated.
#[component]
fn TextPair(label: Key, text: TextDraft, testid: &'static str, rows: u32, field: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let input = move |lang: Key, value: RwSignal<String>, suffix: &'static str, tag: &'static str| {
        let path = format!("{field}.{tag}");
        let untranslated = move || tag != "en" && value.with(|v| v.trim().is_empty()) && text.en.with(|v| !v.trim().is_empty());
        view! {
            <label class="field">
                <span>{t(label)} " (" {t(lang)} ")"
                    {move || untranslated().then(|| view! { " " <span class="hint" data-testid="untranslated">{t(Key::LangUntranslated)}</span> })}
                </span>
                <textarea rows=rows lang=tag data-testid=format!("{testid}-{suffix}") data-field=path.clone() aria-invalid=super::invalid(path)
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea>
            </label>
        }
    };
    view! {
        <div class="text-pair">
            {input(Key::EditorEnglish, text.en, "en", "en")}
            {input(Key::EditorChinese, text.zh, "zh", "zh-CN")}
        </div>
    }
}

/// A number kept as typed; the form says which one is not a number when saving.
#[component]
fn NumberField(label: Key, value: RwSignal<String>, testid: &'static str, field: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field">
            <span>{i18n.t(label)}</span>
            <input type="text" inputmode="decimal" autocomplete="off" data-testid=testid data-field=field.clone() aria-invalid=super::invalid(field)
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        </label>
    }
}

/// The choices of question `index`, each in both languages, with the right one's radio.
#[component]
fn ChoiceList(index: usize, choices: RwSignal<Vec<ChoiceDraft>>, draft: Draft, field: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |k| i18n.t(k);
    let add = move |_| {
        let choice = draft.own(|| ChoiceDraft::new(None));
        choices.update(|c| c.push(choice));
    };
    let mark = move |j: usize| {
        choices.with_untracked(|c| {
            for (k, choice) in c.iter().enumerate() {
                choice.correct.set(k == j);
            }
        })
    };
    view! {
        <fieldset class="choice-editor">
            <legend>{t(Key::EditorChoices)}</legend>
            {move || choices.get().into_iter().enumerate().map(|(j, c)| {
                let (en, zh) = (format!("{field}[{j}].text.en"), format!("{field}[{j}].text.zh-CN"));
                view! {
                <div class="choice-row">
                    <label class="correct">
                        <input type="radio" name=format!("correct-{index}") data-testid=format!("choice-correct-{j}")
                            data-field=field.clone() aria-invalid=super::invalid(field.clone())
                            prop:checked=move || c.correct.get() on:change=move |_| mark(j) />
                        " " {t(Key::EditorRight)}
                    </label>
                    <input type="text" lang="en" data-testid=format!("choice-en-{j}") data-field=en.clone() aria-invalid=super::invalid(en) aria-label=move || format!("{} {} ({})", t(Key::EditorChoice)(), j + 1, t(Key::EditorEnglish)())
                        prop:value=move || c.text.en.get() on:input=move |ev| c.text.en.set(event_target_value(&ev)) />
                    <input type="text" lang="zh-CN" data-testid=format!("choice-zh-{j}") data-field=zh.clone() aria-invalid=super::invalid(zh) aria-label=move || format!("{} {} ({})", t(Key::EditorChoice)(), j + 1, t(Key::EditorChinese)())
                        prop:value=move || c.text.zh.get() on:input=move |ev| c.text.zh.set(event_target_value(&ev)) />
                    <button type="button" data-testid=format!("choice-remove-{j}") aria-label=t(Key::EditorRemove)
                        on:click=move |_| choices.update(|v| {
                            if j < v.len() {
                                v.remove(j);
                            }
                        })>"×"</button>
                </div>
                }
            }).collect_view()}
            <button type="button" data-testid="choice-add" on:click=add>{t(Key::EditorAddChoiceRow)}</button>
        </fieldset>
    }
}
