//! The TCP model: both ends' state machines, segments, and the scenarios the platform teaches.
//!
//! Everything the animation shows and every quiz question comes from [`run`]: a scenario is a
//! script of application actions and network events, run on two ends that follow RFC 9293 and,
//! where the RFC leaves room, what Linux puts on the wire. Numbers are absolute 32-bit sequence
//! numbers and all arithmetic wraps modulo 2^32.

mod end;
mod engine;
mod explain;
mod scenario;
mod segment;
mod settings;
mod state;
mod step;
mod trace;

pub use end::{MSS, QUICK_ACK_MS};
pub use engine::{DELAYED_ACK_MS, ONE_WAY_MS, orphan_give_up_ms};
pub use explain::{PLACEHOLDERS, fill, placeholders, vars};
pub(crate) use scenario::attach_settings;
pub use scenario::{
    MAX_KEEPALIVE_IDLE_S, MAX_ORPHAN_RETRIES, MAX_PAYLOAD, MAX_SYN_RETRIES, ScenarioError, ScenarioId, ScenarioParams, UnknownScenario, run,
};
pub use segment::{Flags, Segment, Side, TcpOptions, TfoOption};
pub use state::TcpState;
pub use step::{Fate, Run, Setting, StateChange, Step, StepKey, StepKind, TimerKind};
pub use trace::{TraceLine, table, trace};

#[cfg(test)]
mod tests;
