//! A model item as the answer formula of a Moodle **calculated** question, so that a quiz
//! exported to Moodle still gives each learner their own numbers: Moodle draws the wildcards
//! (the ISNs and byte counts) from datasets and evaluates the formula for each learner.
//!
//! The answers the quizzes ask for (seq, ack, len) are sums of the learner's numbers and a
//! constant, modulo 2^32. The formula is found by running the model at one point and with each
//! number one higher, then checked against the model on many learners' numbers; an item whose
//! answer is not such a sum (the flags) has no formula.

use crate::quiz::{Field, SplitMix64, learner_params};
use crate::tcp::{MSS, ScenarioId, ScenarioParams, run};

/// Sequence numbers wrap here.
pub const WRAP: u64 = 1 << 32;

/// A number a model question depends on: a Moodle wildcard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wildcard {
    ClientIsn,
    ServerIsn,
    ClientBytes,
    ServerBytes,
    SecondClientIsn,
    SecondServerIsn,
}

impl Wildcard {
    pub const ALL: [Wildcard; 6] = [
        Wildcard::ClientIsn,
        Wildcard::ServerIsn,
        Wildcard::ClientBytes,
        Wildcard::ServerBytes,
        Wildcard::SecondClientIsn,
        Wildcard::SecondServerIsn,
    ];

    /// Its name in the formula, `{c}` and so on.
    pub fn name(self) -> &'static str {
        match self {
            Wildcard::ClientIsn => "c",
            Wildcard::ServerIsn => "s",
            Wildcard::ClientBytes => "cb",
            Wildcard::ServerBytes => "sb",
            Wildcard::SecondClientIsn => "c2",
            Wildcard::SecondServerIsn => "s2",
        }
    }

    /// The range TCP Lab draws it from (`learner_params`), for Moodle's dataset definition.
    pub fn range(self) -> (u32, u32) {
        match self {
            Wildcard::ClientBytes | Wildcard::ServerBytes => (1, MSS),
            _ => (0, u32::MAX),
        }
    }

    pub fn of(self, p: &ScenarioParams) -> u32 {
        match self {
            Wildcard::ClientIsn => p.client_isn,
            Wildcard::ServerIsn => p.server_isn,
            Wildcard::ClientBytes => p.client_payload,
            Wildcard::ServerBytes => p.server_payload,
            Wildcard::SecondClientIsn => p.reconnect_isns.0,
            Wildcard::SecondServerIsn => p.reconnect_isns.1,
        }
    }

    fn set(self, p: &mut ScenarioParams, v: u32) {
        match self {
            Wildcard::ClientIsn => p.client_isn = v,
            Wildcard::ServerIsn => p.server_isn = v,
            Wildcard::ClientBytes => p.client_payload = v,
            Wildcard::ServerBytes => p.server_payload = v,
            Wildcard::SecondClientIsn => p.reconnect_isns.0 = v,
            Wildcard::SecondServerIsn => p.reconnect_isns.1 = v,
        }
    }
}

/// `(constant + Σ coefficient × wildcard) mod 2^32`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formula {
    pub constant: u32,
    pub terms: Vec<(u32, Wildcard)>,
}

impl Formula {
    /// As Moodle writes it: `fmod(1 + {c}, 4294967296)`. Moodle computes in doubles, which hold
    /// every integer below 2^53 exactly, far above any sum here.
    pub fn moodle(&self) -> String {
        let mut sum = vec![self.constant.to_string()];
        sum.extend(self.terms.iter().map(|(k, w)| if *k == 1 { format!("{{{}}}", w.name()) } else { format!("{k}*{{{}}}", w.name()) }));
        format!("fmod({}, {WRAP})", sum.join(" + "))
    }

    pub fn eval(&self, p: &ScenarioParams) -> u32 {
        let sum: u64 = u64::from(self.constant) + self.terms.iter().map(|(k, w)| u64::from(*k) * u64::from(w.of(p))).sum::<u64>();
        (sum % WRAP) as u32
    }

    pub fn wildcards(&self) -> impl Iterator<Item = Wildcard> + '_ {
        self.terms.iter().map(|(_, w)| *w)
    }
}

/// The answer of the model item (`field` of the segment at `step` of `scenario`) as a formula
/// of the learner's numbers, or `None` when it is not one (the flags) or the item cannot run.
pub fn formula(scenario: ScenarioId, step: usize, field: Field) -> Option<Formula> {
    let answer = |p: &ScenarioParams| -> Option<u32> {
        let run = run(scenario, p).ok()?;
        let segment = run.steps.get(step)?.segment()?;
        match field {
            Field::Seq => Some(segment.seq),
            Field::Ack => segment.flags.ack.then_some(segment.ack),
            Field::Len => Some(segment.len),
            Field::Flags => None,
        }
    };
    let base = ScenarioParams {
        client_isn: 0,
        server_isn: 0,
        client_payload: 1,
        server_payload: 1,
        reconnect_isns: (0, 0),
        ..ScenarioParams::default()
    };
    let at_base = answer(&base)?;
    let mut constant = at_base;
    let mut terms = Vec::new();
    for w in Wildcard::ALL {
        let mut p = base.clone();
        w.set(&mut p, w.of(&base) + 1);
        let k = answer(&p)?.wrapping_sub(at_base);
        // A sum's coefficients are small and positive; anything else is no sum.
        if k > 4 {
            return None;
        }
        if k > 0 {
            constant = constant.wrapping_sub(k * w.of(&base));
            terms.push((k, w));
        }
    }
    let formula = Formula { constant, terms };
    // Checked on the numbers learners get, near the wrap included.
    let mut rng = SplitMix64::new(0x6d6f_6f64_6c65);
    (0..200)
        .all(|_| {
            let p = learner_params(&mut rng);
            answer(&p) == Some(formula.eval(&p))
        })
        .then_some(formula)
}

/// `n` learners' numbers, as TCP Lab draws them, for Moodle's datasets (item `i` of every
/// wildcard comes from the same learner, so the numbers belong together).
pub fn datasets(n: usize) -> Vec<ScenarioParams> {
    let mut rng = SplitMix64::new(0x7463_706c_6162);
    (0..n).map(|_| learner_params(&mut rng)).collect()
}
