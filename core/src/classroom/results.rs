//! A quiz's results from its submitted attempts: each learner's best score, how the scores
//! spread, and per question how often it was right and which wrong answers were common.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::item::Counted;
use super::variant::ItemGrade;
use crate::quiz::WrongKind;

/// One submitted attempt, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmittedAttempt {
    pub attempt_id: i64,
    pub username: String,
    pub score: u32,
    /// Out of: the points of the questions this attempt was given.
    pub max_points: u32,
    pub submitted_at: String,
    pub grades: Vec<ItemGrade>,
    /// Which of the quiz's questions each grade is of (a pool gives each attempt a few).
    pub picked: Vec<usize>,
    /// Whether it was taken on the quiz's current questions; an attempt started before an edit
    /// keeps its own copy, so its answers cannot be counted under today's questions.
    pub current: bool,
}

/// A learner's row: the attempt that counts (their best, or their latest, as the quiz says).
/// The fields keep the names `best` and `best_attempt` of the results' JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearnerResult {
    pub username: String,
    pub attempts: u32,
    pub best: u32,
    /// What the best attempt was out of.
    pub max: u32,
    /// The attempt that scored best (the earliest of equal ones), to show its answers.
    pub best_attempt: i64,
    pub last_submitted_at: String,
    /// Per question of the quiz, in its order: whether the counted attempt got it right, or
    /// `None` where that attempt was not asked it (a pool).
    pub correct: Vec<Option<bool>>,
    /// The best attempt was taken on the current questions.
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemStats {
    /// Best attempts that got it right, out of `answered`.
    pub correct: u32,
    pub answered: u32,
    /// The commonest wrong answers, most frequent first, at most five.
    pub common_wrong: Vec<(WrongKind, u32)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Of the current questions.
    pub max_points: u32,
    /// Learners whose best attempt was on questions edited since: in the scores, not in the
    /// per-question figures.
    pub earlier_version: u32,
    pub learners: Vec<LearnerResult>,
    /// Learners by best score in tenths of its maximum: `histogram[i]` counts scores from i*10 %
    /// up to (not including) (i+1)*10 %, and the last bucket includes 100 %.
    pub histogram: [u32; 10],
    pub items: Vec<ItemStats>,
}

/// The tenth of the maximum a score falls in (0 to 9).
pub fn bucket(score: u32, max_points: u32) -> usize {
    if max_points == 0 { 0 } else { ((u64::from(score) * 10 / u64::from(max_points)) as usize).min(9) }
}

/// Builds the summary, counting each learner's best or latest attempt. `attempts` may come in
/// any order; learners come out by name.
pub fn summarize(max_points: u32, item_count: usize, attempts: &[SubmittedAttempt], counted: Counted) -> Summary {
    let mut earlier_version = 0;
    let mut by_learner: BTreeMap<&str, Vec<&SubmittedAttempt>> = BTreeMap::new();
    for a in attempts {
        by_learner.entry(&a.username).or_default().push(a);
    }
    let mut items: Vec<(u32, u32, BTreeMap<WrongKind, u32>)> = vec![(0, 0, BTreeMap::new()); item_count];
    let mut histogram = [0; 10];
    let learners = by_learner
        .into_iter()
        .map(|(username, tries)| {
            let best = match counted {
                Counted::Best => tries.iter().copied().max_by(|a, b| a.score.cmp(&b.score).then(b.attempt_id.cmp(&a.attempt_id))),
                Counted::Latest => {
                    tries.iter().copied().max_by(|a, b| a.submitted_at.cmp(&b.submitted_at).then(a.attempt_id.cmp(&b.attempt_id)))
                }
            }
            .expect("at least one attempt");
            let last = tries.iter().map(|a| a.submitted_at.as_str()).max().unwrap_or_default();
            histogram[bucket(best.score, best.max_points)] += 1;
            if !best.current {
                earlier_version += 1;
            }
            let mut correct = vec![None; item_count];
            for (&index, grade) in best.picked.iter().zip(&best.grades).filter(|_| best.current) {
                let (Some(stats), Some(mark)) = (items.get_mut(index), correct.get_mut(index)) else { continue };
                *mark = Some(grade.grading.correct);
                stats.1 += 1;
                if grade.grading.correct {
                    stats.0 += 1;
                } else if let Some(w) = &grade.grading.wrong {
                    *stats.2.entry(w.clone()).or_default() += 1;
                }
            }
            LearnerResult {
                username: username.to_owned(),
                attempts: tries.len() as u32,
                best: best.score,
                max: best.max_points,
                best_attempt: best.attempt_id,
                last_submitted_at: last.to_owned(),
                correct,
                current: best.current,
            }
        })
        .collect();
    let items = items
        .into_iter()
        .map(|(correct, answered, wrong)| {
            let mut common: Vec<(WrongKind, u32)> = wrong.into_iter().collect();
            common.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            common.truncate(5);
            ItemStats { correct, answered, common_wrong: common }
        })
        .collect();
    Summary { max_points, earlier_version, learners, histogram, items }
}
