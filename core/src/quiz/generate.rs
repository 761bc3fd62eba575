//! Questions from the model: a seed and a kind give the scenario, the ISNs, the step and what is
//! asked, always the same way.

use serde::{Deserialize, Serialize};

use super::answer::Field;
use super::rng::SplitMix64;
use crate::tcp::{MSS, Run, ScenarioId, ScenarioParams, Side, run};

/// The kinds of generated question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Fill in one field (seq, ack, len or flags) of a step's segment.
    #[default]
    Field,
    /// Name an end's state after a step.
    State,
    /// Build the next segment: flags, seq, ack and length.
    Next,
    /// One field of the shown segment is wrong: name it and give its right value.
    SpotError,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Field, Kind::State, Kind::Next, Kind::SpotError];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Field => "field",
            Kind::State => "state",
            Kind::Next => "next",
            Kind::SpotError => "spot_error",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// What exactly is asked, about which step (an index into the run's steps, always a segment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "ask")]
pub enum Ask {
    Field {
        step: usize,
        field: Field,
    },
    State {
        step: usize,
        side: Side,
    },
    Next {
        step: usize,
    },
    /// `shown` is the wrong value the learner sees in place of the right one.
    SpotError {
        step: usize,
        field: Field,
        shown: String,
    },
}

impl Ask {
    pub fn step(&self) -> usize {
        match self {
            Ask::Field { step, .. } | Ask::State { step, .. } | Ask::Next { step } | Ask::SpotError { step, .. } => *step,
        }
    }
}

/// One generated question. Everything in it follows from `(seed, kind)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub seed: u64,
    pub kind: Kind,
    pub scenario: ScenarioId,
    pub params: ScenarioParams,
    pub run: Run,
    pub ask: Ask,
}

/// Scenarios whose every segment a learner can work out from the ISNs and the byte counts.
pub const QUIZ_SCENARIOS: [ScenarioId; 11] = [
    ScenarioId::Handshake,
    ScenarioId::DataTransfer,
    ScenarioId::CloseClient,
    ScenarioId::CloseServer,
    ScenarioId::CloseFinAck,
    ScenarioId::SimultaneousClose,
    ScenarioId::Refused,
    ScenarioId::AbortLinger0,
    ScenarioId::LostSyn,
    ScenarioId::LostFin,
    ScenarioId::FastOpen,
];

impl Question {
    pub fn generate(seed: u64, kind: Kind) -> Question {
        let mut rng = SplitMix64::new(seed);
        let scenario = QUIZ_SCENARIOS[rng.below(QUIZ_SCENARIOS.len())];
        let params = learner_params(&mut rng);
        let run = run(scenario, &params).expect("every quiz scenario runs with payloads of 1 to MSS bytes");
        let segments: Vec<usize> = run.steps.iter().filter(|s| s.segment().is_some()).map(|s| s.index).collect();
        // "What comes next" needs something before it to reason from.
        let candidates: Vec<usize> = if kind == Kind::Next && segments.len() > 1 { segments[1..].to_vec() } else { segments };
        let step = candidates[rng.below(candidates.len())];
        let segment = run.steps[step].segment().expect("a segment step").clone();
        let mut field = Field::ALL[rng.below(Field::ALL.len())];
        // A segment without ACK carries no meaningful acknowledgement number.
        if field == Field::Ack && !segment.flags.ack {
            field = Field::Seq;
        }
        let ask = match kind {
            Kind::Field => Ask::Field { step, field },
            Kind::State => Ask::State { step, side: if rng.below(2) == 0 { Side::Client } else { Side::Server } },
            Kind::Next => Ask::Next { step },
            Kind::SpotError => Ask::SpotError { step, field, shown: wrong_value(&mut rng, &run, step, field) },
        };
        Question { seed, kind, scenario, params, run, ask }
    }
}

/// A learner's numbers: each end's ISN and how many bytes each application writes (1 to MSS),
/// and the ISNs of a second connection.
pub(crate) fn learner_params(rng: &mut SplitMix64) -> ScenarioParams {
    ScenarioParams {
        client_isn: rng.isn(),
        server_isn: rng.isn(),
        client_payload: 1 + (rng.next_u32() % MSS),
        server_payload: 1 + (rng.next_u32() % MSS),
        reconnect_isns: (rng.isn(), rng.isn()),
        ..ScenarioParams::default()
    }
}

/// A plausible mistake for a field: off by one, forgetting the payload, the other side's number,
/// or the flags of a neighbouring step.
pub(crate) fn wrong_value(rng: &mut SplitMix64, run: &Run, step: usize, field: Field) -> String {
    let seg = run.steps[step].segment().expect("a segment step");
    match field {
        Field::Flags => {
            use crate::tcp::Flags;
            let options = [Flags::SYN, Flags::SYN_ACK, Flags::ACK, Flags::FIN_ACK, Flags::RST_ACK, Flags::PSH_ACK, Flags::RST];
            let others: Vec<Flags> = options.into_iter().filter(|f| *f != seg.flags).collect();
            others[rng.below(others.len())].to_string()
        }
        _ => {
            let right = match field {
                Field::Seq => seg.seq,
                Field::Ack => seg.ack,
                _ => seg.len,
            };
            let mut mistakes = if field == Field::Len {
                // Lengths stay plausible: one off, or a full segment instead of none.
                vec![right + 1, right.saturating_sub(1), if right == 0 { MSS } else { 0 }]
            } else {
                // One off either way (seq and ack wrap), the other direction's number, or
                // forgetting that the payload moves the sequence on.
                let other_side = if field == Field::Seq { seg.ack } else { seg.seq };
                let mut m = vec![right.wrapping_add(1), right.wrapping_sub(1), other_side];
                if seg.len > 0 {
                    m.push(right.wrapping_add(seg.len));
                }
                m
            };
            mistakes.retain(|m| *m != right);
            mistakes[rng.below(mistakes.len())].to_string()
        }
    }
}
