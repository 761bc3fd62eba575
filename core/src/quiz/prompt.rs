//! What the browser is shown of a question: the steps before the one asked about, and that step
//! with the asked part left out. Built from the question, so it can never carry the answer.

use serde::{Deserialize, Serialize};

use super::answer::Field;
use super::generate::{Ask, Kind, Question};
use crate::tcp::{Flags, Run, ScenarioId, ScenarioParams, Side, Step, TcpState};

/// The asked step's segment; `None` marks what the learner must supply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AskedSegment {
    pub from: Side,
    pub flags: Option<Flags>,
    pub seq: Option<u32>,
    pub ack: Option<u32>,
    pub len: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prompt {
    pub kind: Kind,
    pub scenario: ScenarioId,
    /// The givens: each end's ISN and how many bytes each application writes.
    pub client_isn: u32,
    pub server_isn: u32,
    pub client_bytes: u32,
    pub server_bytes: u32,
    /// `(client, server)` ISNs of the second connection, in scenarios that connect twice (Fast
    /// Open): without them its numbers could not be worked out.
    pub second_isns: Option<(u32, u32)>,
    /// Whether each application writes data in this scenario: the byte counts are givens only
    /// where they are used (a refused connection sends none).
    #[serde(default = "yes")]
    pub client_writes: bool,
    #[serde(default = "yes")]
    pub server_writes: bool,
    /// Everything that happened before the asked step, to animate.
    pub shown: Vec<Step>,
    /// Index of the asked step.
    pub step: usize,
    pub asked: AskedSegment,
    /// For a field or spot-the-error question, the field; for a state question, the end.
    pub field: Option<Field>,
    pub side: Option<Side>,
}

fn yes() -> bool {
    true
}

impl Prompt {
    /// `steps` of this prompt (the shown ones, or the feedback's replay) as a run the player
    /// can show, with the learner's own numbers.
    pub fn run(&self, steps: Vec<Step>) -> Run {
        Run {
            scenario: Some(self.scenario),
            params: ScenarioParams {
                client_isn: self.client_isn,
                server_isn: self.server_isn,
                client_payload: self.client_bytes,
                server_payload: self.server_bytes,
                reconnect_isns: self.second_isns.unwrap_or_default(),
                ..ScenarioParams::default()
            },
            client_initial: steps.first().map_or(TcpState::Closed, |s| s.client.before),
            server_initial: steps.first().map_or(TcpState::Closed, |s| s.server.before),
            steps,
            settings: Vec::new(),
        }
    }

    pub fn of(q: &Question) -> Prompt {
        let step = q.ask.step();
        let seg = q.run.steps[step].segment().expect("questions are asked about segments");
        let full = AskedSegment { from: seg.from, flags: Some(seg.flags), seq: Some(seg.seq), ack: Some(seg.ack), len: Some(seg.len) };
        let (asked, field, side) = match &q.ask {
            Ask::Field { field, .. } => {
                let mut a = full;
                match field {
                    Field::Seq => a.seq = None,
                    Field::Ack => a.ack = None,
                    Field::Len => a.len = None,
                    Field::Flags => a.flags = None,
                }
                (a, Some(*field), None)
            }
            Ask::State { side, .. } => (full, None, Some(*side)),
            Ask::Next { .. } => (AskedSegment { from: seg.from, flags: None, seq: None, ack: None, len: None }, None, None),
            Ask::SpotError { field, shown, .. } => {
                let mut a = full;
                match field {
                    Field::Seq => a.seq = shown.parse().ok(),
                    Field::Ack => a.ack = shown.parse().ok(),
                    Field::Len => a.len = shown.parse().ok(),
                    Field::Flags => a.flags = super::answer::parse_flags(shown),
                }
                // Which field is wrong is the question: do not say.
                (a, None, None)
            }
        };
        Prompt {
            kind: q.kind,
            scenario: q.scenario,
            client_isn: q.params.client_isn,
            server_isn: q.params.server_isn,
            client_bytes: q.params.client_payload,
            server_bytes: q.params.server_payload,
            second_isns: q.run.steps.iter().any(|s| s.connection == 1).then_some(q.params.reconnect_isns),
            client_writes: writes(q, Side::Client),
            server_writes: writes(q, Side::Server),
            shown: q.run.steps[..step].to_vec(),
            step,
            asked,
            field,
            side,
        }
    }
}

/// Whether `side` sends any data in the question's run.
fn writes(q: &Question, side: Side) -> bool {
    q.run.steps.iter().filter_map(|s| s.segment()).any(|seg| seg.from == side && seg.len > 0)
}
