//! One learner's copy of a quiz, and grading: a quiz item and a seed give the prompt and the
//! right answer, always the same way.

use serde::{Deserialize, Serialize};

use super::item::{Item, ItemBody};
use crate::lang::Text;
use crate::quiz::{
    Answer, AnswerError, Ask, Field, Grading, Kind, Prompt, Question, SplitMix64, WrongKind, choice, learner_params, wrong_type,
    wrong_value,
};
use crate::tcp::{Flags, ScenarioId, ScenarioParams, Side, run};

/// Which of a quiz's `count` questions an attempt seeded with `seed` is given: `draw` of them,
/// each attempt its own pick, in the quiz's order; every question when `draw` is `None`.
pub fn pick(count: usize, draw: Option<u32>, seed: u64) -> Vec<usize> {
    let mut all: Vec<usize> = (0..count).collect();
    let Some(draw) = draw.map(|d| (d as usize).min(count)) else { return all };
    // The first `draw` places of a Fisher-Yates shuffle, on a stream of its own.
    let mut rng = SplitMix64::new(seed ^ 0x9001_c0de_d1ce_5eed);
    for i in 0..draw {
        let j = i + rng.below(count - i);
        all.swap(i, j);
    }
    all.truncate(draw);
    all.sort_unstable();
    all
}

/// The seed of item `index` of an attempt seeded with `seed`: items draw their numbers apart.
pub fn item_seed(seed: u64, index: usize) -> u64 {
    SplitMix64::new(seed ^ (index as u64).wrapping_mul(0xd1b5_4a32_d192_ed03)).next_u64()
}

/// A model question about `field` of step `step` of `scenario` (any scenario: class quizzes
/// ask about all of them, practice draws from `QUIZ_SCENARIOS`), with numbers from `seed`. An
/// error names the part of the item that cannot work (a step that is not a segment, an ack
/// asked of a segment without ACK).
pub fn model_question(seed: u64, scenario: ScenarioId, step: usize, field: Field) -> Result<Question, AnswerError> {
    let params = learner_params(&mut SplitMix64::new(seed));
    let run = run(scenario, &params).map_err(|e| AnswerError { field: "scenario", message: e.to_string() })?;
    let Some(segment) = run.steps.get(step).and_then(|s| s.segment()) else {
        return Err(AnswerError { field: "step", message: format!("step {step} of {} is not a segment", scenario.as_str()) });
    };
    if field == Field::Ack && !segment.flags.ack {
        return Err(AnswerError { field: "field", message: format!("the segment of step {step} has no ACK flag, so no ack number") });
    }
    Ok(Question { seed, kind: Kind::Field, scenario, params, run, ask: Ask::Field { step, field } })
}

/// The question a model item asks for this seed, of any kind. A state question needs its end;
/// a spot-the-error question shows a plausible wrong value of `field`, drawn from the seed.
pub fn model_item_question(
    seed: u64,
    scenario: ScenarioId,
    step: usize,
    field: Field,
    kind: Kind,
    side: Option<Side>,
) -> Result<Question, AnswerError> {
    // Only a field or a shown field can be an ack a segment does not carry.
    let checked = if matches!(kind, Kind::Field | Kind::SpotError) { field } else { Field::Seq };
    let mut q = model_question(seed, scenario, step, checked)?;
    q.kind = kind;
    q.ask = match kind {
        Kind::Field => q.ask,
        Kind::State => Ask::State {
            step,
            side: side.ok_or_else(|| AnswerError { field: "side", message: "a state question names the end it asks about".into() })?,
        },
        Kind::Next => Ask::Next { step },
        Kind::SpotError => {
            // Apart from the numbers' draw, so the wrong value does not follow from the ISNs.
            let mut rng = SplitMix64::new(seed ^ 0x5eed_f00d_e44e_0e55);
            Ask::SpotError { step, field, shown: wrong_value(&mut rng, &q.run, step, field) }
        }
    };
    Ok(q)
}

/// The steps of `scenario` that are segments, which a model item can ask about: (step, sender,
/// flags). Which steps they are does not depend on the numbers, so the defaults do.
pub fn segment_steps(scenario: ScenarioId) -> Vec<(usize, Side, Flags)> {
    run(scenario, &ScenarioParams::default())
        .map(|r| r.steps.iter().enumerate().filter_map(|(i, s)| s.segment().map(|seg| (i, seg.from, seg.flags))).collect())
        .unwrap_or_default()
}

/// What a learner is shown of an item: never the answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum ItemPrompt {
    Model {
        prompt: Prompt,
    },
    /// The choices in this learner's order.
    Choice {
        text: Text,
        choices: Vec<Text>,
    },
    Numeric {
        text: Text,
        unit: Option<Text>,
    },
}

/// The grade of one item: the verdict and the points it earned. Stored as JSON with each
/// submitted attempt, so its shape stays the one written by earlier versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemGrade {
    #[serde(flatten)]
    pub grading: Grading,
    pub points: u32,
}

fn broken(e: AnswerError) -> AnswerError {
    AnswerError { field: "item", message: format!("this question cannot be generated: {e}") }
}

/// The prompt of item `item` for an attempt's item seed.
pub fn prompt(item: &Item, seed: u64) -> Result<ItemPrompt, AnswerError> {
    Ok(match &item.question {
        ItemBody::Model { scenario, step, field, kind, side } => {
            ItemPrompt::Model { prompt: Prompt::of(&model_item_question(seed, *scenario, *step, *field, *kind, *side).map_err(broken)?) }
        }
        ItemBody::Choice { text, choices, .. } => ItemPrompt::Choice { text: text.clone(), choices: choice::shown(choices, seed) },
        ItemBody::Numeric { text, unit, .. } => ItemPrompt::Numeric { text: text.clone(), unit: unit.clone() },
    })
}

/// The right answer of an item for this seed.
fn expected(item: &Item, seed: u64) -> Result<Answer, AnswerError> {
    Ok(match &item.question {
        ItemBody::Model { scenario, step, field, kind, side } => {
            crate::quiz::expected(&model_item_question(seed, *scenario, *step, *field, *kind, *side).map_err(broken)?)
        }
        ItemBody::Choice { choices, .. } => choice::expected(choices, seed),
        ItemBody::Numeric { answer, .. } => Answer::number(*answer),
    })
}

/// Grades a whole attempt: the items it was given, its seed and one answer per item. The
/// first answer that cannot be read is the error, with its item's index; nothing is graded.
pub fn grade_all(items: &[Item], seed: u64, answers: &[Answer]) -> Result<(Vec<ItemGrade>, u32), (usize, AnswerError)> {
    let grades = items
        .iter()
        .zip(answers)
        .enumerate()
        .map(|(i, (item, answer))| grade(item, item_seed(seed, i), answer).map_err(|e| (i, e)))
        .collect::<Result<Vec<_>, _>>()?;
    let score = grades.iter().map(|g| g.points).sum();
    Ok((grades, score))
}

/// Grades one answer with the practice grader, the choice grader or a comparison within the
/// tolerance. A blank is wrong; an answer of the wrong shape is an error naming the part, so a
/// broken client cannot cost a learner a point silently.
pub fn grade(item: &Item, seed: u64, answer: &Answer) -> Result<ItemGrade, AnswerError> {
    let mut grading = match (&item.question, answer) {
        (_, Answer::Blank) => Grading { correct: false, expected: expected(item, seed)?, wrong: Some(WrongKind::Blank), explain: None },
        (ItemBody::Model { scenario, step, field, kind, side }, answer) => {
            crate::quiz::grade(&model_item_question(seed, *scenario, *step, *field, *kind, *side).map_err(broken)?, answer)?
        }
        (ItemBody::Choice { choices, .. }, answer) => choice::grade(choices, seed, answer)?,
        (ItemBody::Numeric { answer: right, tolerance, .. }, Answer::Number { value }) => {
            if !value.is_finite() {
                return Err(AnswerError { field: "value", message: "the answer must be a number".into() });
            }
            // A hair of slack so 0.1 + 0.2 style decimals are not marked wrong.
            let ok = (value - right).abs() <= tolerance + 1e-9 * right.abs().max(1.0);
            let wrong = (!ok).then(|| WrongKind::Value { value: value.to_string() });
            Grading { correct: ok, expected: Answer::number(*right), wrong, explain: None }
        }
        (ItemBody::Numeric { .. }, other) => return Err(wrong_type("number", other)),
    };
    grading.explain = match &item.question {
        ItemBody::Choice { explain, .. } | ItemBody::Numeric { explain, .. } => explain.clone(),
        ItemBody::Model { .. } => None,
    };
    let points = if grading.correct { item.points } else { 0 };
    Ok(ItemGrade { grading, points })
}
