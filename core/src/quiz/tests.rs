//! Properties of generated questions over many seeds: they are reproducible, their prompts never
//! carry the answer, the model's own answer is graded right and a plausible mistake wrong.

use super::grade::expected;
use super::*;
use crate::tcp::{Flags, TcpState};

const SEEDS: u64 = 3000;

#[test]
fn the_same_seed_gives_the_same_question() {
    for kind in Kind::ALL {
        for seed in [0, 1, 42, u64::MAX] {
            assert_eq!(Question::generate(seed, kind), Question::generate(seed, kind));
        }
    }
    assert_ne!(Question::generate(1, Kind::Field).params, Question::generate(2, Kind::Field).params);
}

#[test]
fn the_right_answer_is_right_and_a_changed_one_is_wrong() {
    for kind in Kind::ALL {
        for seed in 0..SEEDS {
            let q = Question::generate(seed, kind);
            let right = expected(&q);
            let g = grade(&q, &right).unwrap();
            assert!(g.correct, "{kind:?} seed {seed}: {right:?}");
            let wrong = match right.clone() {
                Answer::Number { value } => Answer::number((value as u32).wrapping_add(1)),
                Answer::Flags { value } => Answer::Flags { value: Flags { fin: !value.fin, ..value } },
                Answer::State { value } => {
                    Answer::State { value: if value == TcpState::Closed { TcpState::Listen } else { TcpState::Closed } }
                }
                Answer::Segment { flags, seq, ack, len } => Answer::Segment { flags, seq: seq.wrapping_add(1), ack, len },
                Answer::Error { field, value } => {
                    let other = Field::ALL.into_iter().find(|f| *f != field).unwrap();
                    Answer::Error { field: other, value }
                }
                other => panic!("{other:?} is no answer of the model"),
            };
            assert!(!grade(&q, &wrong).unwrap().correct, "{kind:?} seed {seed}: {wrong:?} graded right");
        }
    }
}

#[test]
fn prompts_never_carry_the_answer() {
    for seed in 0..SEEDS {
        let q = Question::generate(seed, Kind::Field);
        let p = Prompt::of(&q);
        let Ask::Field { step, field } = q.ask else { unreachable!() };
        assert_eq!(p.shown.len(), step, "only the steps before the asked one");
        let missing = match field {
            Field::Seq => p.asked.seq,
            Field::Ack => p.asked.ack,
            Field::Len => p.asked.len,
            Field::Flags => p.asked.flags.map(|_| 0),
        };
        assert_eq!(missing, None, "seed {seed}");

        let q = Question::generate(seed, Kind::Next);
        let p = Prompt::of(&q);
        assert_eq!((p.asked.flags, p.asked.seq, p.asked.ack, p.asked.len), (None, None, None, None));
        assert!(!p.shown.is_empty(), "what comes next needs something before it");

        // Spot the error: the shown segment differs from the model in exactly the asked field.
        let q = Question::generate(seed, Kind::SpotError);
        let p = Prompt::of(&q);
        let seg = q.run.steps[q.ask.step()].segment().unwrap();
        let diffs =
            [p.asked.seq != Some(seg.seq), p.asked.ack != Some(seg.ack), p.asked.len != Some(seg.len), p.asked.flags != Some(seg.flags)];
        assert_eq!(diffs.iter().filter(|d| **d).count(), 1, "seed {seed}: {:?} vs {seg:?}", p.asked);
        assert_eq!(p.field, None, "which field is wrong is the question");
    }
}

#[test]
fn isns_near_the_wrap_are_practised() {
    let near = (0..SEEDS).filter(|s| Question::generate(*s, Kind::Field).params.client_isn > u32::MAX - 2000).count();
    assert!(near as u64 > SEEDS / 8, "{near} of {SEEDS}");
    // And some answer really wraps: an ack below the ISN it acknowledges.
    assert!((0..SEEDS).any(|s| {
        let q = Question::generate(s, Kind::Field);
        q.run.steps.iter().filter_map(|st| st.segment()).any(|seg| seg.flags.ack && seg.ack < q.params.client_isn.min(q.params.server_isn))
    }));
}

#[test]
fn answers_of_the_wrong_shape_are_errors_naming_the_part() {
    let q = (0..).map(|s| Question::generate(s, Kind::Field)).find(|q| matches!(q.ask, Ask::Field { field: Field::Seq, .. })).unwrap();
    let e = grade(&q, &Answer::State { value: TcpState::Listen }).unwrap_err();
    assert_eq!(e.field, "type");
    assert!(e.message.contains("number"), "{e}");

    let q = Question::generate(7, Kind::SpotError);
    let Ask::SpotError { field, .. } = q.ask else { unreachable!() };
    let junk = if field == Field::Flags { "SYN+BANANA" } else { "12abc" };
    let e = grade(&q, &Answer::Error { field, value: junk.into() }).unwrap_err();
    assert_eq!(e.field, "value");
}

#[test]
fn flags_are_read_as_people_write_them() {
    use super::answer::parse_flags;
    assert_eq!(parse_flags("SYN+ACK"), Some(Flags::SYN_ACK));
    assert_eq!(parse_flags("ack, syn"), Some(Flags::SYN_ACK));
    assert_eq!(parse_flags("FIN ACK"), Some(Flags::FIN_ACK));
    assert_eq!(parse_flags(""), None);
    assert_eq!(parse_flags("SYN+NOPE"), None);
}

#[test]
fn answers_travel_as_tagged_json() {
    let a: Answer = serde_json::from_str(r#"{"type":"number","value":1001}"#).unwrap();
    assert_eq!(a, Answer::number(1001));
    assert_eq!(serde_json::to_string(&a).unwrap(), r#"{"type":"number","value":1001}"#, "whole numbers have no decimal point");
    assert_eq!(serde_json::to_string(&Answer::number(60.5)).unwrap(), r#"{"type":"number","value":60.5}"#);
    let a: Answer = serde_json::from_str(r#"{"type":"state","value":"SYN-RECEIVED"}"#).unwrap();
    assert_eq!(a, Answer::State { value: TcpState::SynReceived });
    let q = (0..).map(|s| Question::generate(s, Kind::Field)).find(|q| matches!(q.ask, Ask::Field { field: Field::Seq, .. })).unwrap();
    for out_of_range in [r#"{"type":"number","value":4294967296}"#, r#"{"type":"number","value":-1}"#, r#"{"type":"number","value":1.5}"#] {
        let a: Answer = serde_json::from_str(out_of_range).unwrap();
        assert_eq!(grade(&q, &a).unwrap_err().field, "value", "{out_of_range}: a seq is a whole number below 2^32");
    }
}

#[test]
fn mastery_counts_the_latest_answers_only() {
    assert_eq!(mastery(&[]), 0.0);
    assert_eq!(mastery(&[true, false]), 0.5);
    let mut latest_first = vec![true; MASTERY_WINDOW];
    latest_first.extend([false; 30]);
    assert_eq!(mastery(&latest_first), 1.0, "old mistakes are forgotten");
}

#[test]
fn a_second_connection_comes_with_its_isns() {
    let q = (0..).map(|s| Question::generate(s, Kind::Field)).find(|q| q.scenario == crate::tcp::ScenarioId::FastOpen).unwrap();
    assert_eq!(Prompt::of(&q).second_isns, Some(q.params.reconnect_isns));
    let q = (0..).map(|s| Question::generate(s, Kind::Field)).find(|q| q.scenario == crate::tcp::ScenarioId::Handshake).unwrap();
    assert_eq!(Prompt::of(&q).second_isns, None);
}
