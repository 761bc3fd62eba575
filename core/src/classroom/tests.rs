use super::results::{SubmittedAttempt, bucket, summarize};
use super::*;
use crate::lang::Text;
use crate::quiz::{Answer, Choice, Field, Kind, WrongKind, expected};
use crate::tcp::{ScenarioId, Side};

fn text(s: &str) -> Text {
    Text { en: s.into(), zh_cn: format!("{s}（中文）") }
}

fn model(step: usize, field: Field) -> Item {
    Item { points: 2, question: ItemBody::Model { scenario: ScenarioId::Handshake, step, field, kind: Kind::Field, side: None } }
}

fn choice() -> Item {
    Item {
        points: 1,
        question: ItemBody::Choice {
            text: text("Which flag opens a connection?"),
            choices: vec![
                Choice { text: text("FIN"), correct: false },
                Choice { text: text("SYN"), correct: true },
                Choice { text: text("RST"), correct: false },
            ],
            explain: None,
        },
    }
}

fn numeric() -> Item {
    Item {
        points: 3,
        question: ItemBody::Numeric {
            text: text("MSL on Linux, in seconds?"),
            answer: 60.0,
            tolerance: 0.0,
            unit: Some(text("s")),
            explain: None,
        },
    }
}

fn quiz(items: Vec<Item>) -> Quiz {
    Quiz { title: "Week 1".into(), items, published: true, ..Quiz::default() }
}

#[test]
fn a_sound_quiz_has_no_problems() {
    assert_eq!(quiz(vec![model(1, Field::Ack), choice(), numeric()]).check(), vec![]);
}

#[test]
fn control_characters_are_refused_but_line_breaks_and_tabs_are_not() {
    let problems = |q: Quiz| q.check().into_iter().map(|p| (p.field, p.message)).collect::<Vec<_>>();
    let mut nul = choice();
    if let ItemBody::Choice { text, choices, .. } = &mut nul.question {
        text.en = "Which\u{0}flag?".into();
        choices[1].text.zh_cn = "SYN\u{1b}[31m".into();
    }
    let found = problems(quiz(vec![nul]));
    assert_eq!(
        found.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(),
        ["items[0].question.text.en", "items[0].question.choices[1].text.zh-CN"]
    );
    assert!(found[0].1.en.contains("U+0000") && found[0].1.en.contains("character 6"), "{:?}", found[0].1);
    assert!(found[0].1.zh_cn.contains("U+0000") && found[0].1.zh_cn.contains("第 6 个字符"), "{:?}", found[0].1);
    assert!(found[1].1.en.contains("U+001B"), "{:?}", found[1].1);
    let bell = problems(Quiz { title: "Week\u{7} 1".into(), ..quiz(vec![choice()]) });
    assert_eq!(bell[0].0, "title");
    let mut lines = numeric();
    if let ItemBody::Numeric { text, .. } = &mut lines.question {
        text.en = "Line one\n\tindented".into();
    }
    assert_eq!(problems(quiz(vec![lines])), vec![], "newline and tab are text");
}

/// Chinese may wait: an untranslated text is saved, an English one may not be missing.
#[test]
fn chinese_is_optional_and_english_is_not() {
    let mut untranslated = choice();
    if let ItemBody::Choice { text, choices, .. } = &mut untranslated.question {
        text.zh_cn = String::new();
        choices[0].text.zh_cn = " ".into();
    }
    assert_eq!(quiz(vec![untranslated]).check(), vec![]);
    let mut no_english = numeric();
    if let ItemBody::Numeric { text, .. } = &mut no_english.question {
        text.en = String::new();
    }
    let found = quiz(vec![no_english]).check();
    assert_eq!(found.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["items[0].question.text.en"]);
}

#[test]
fn each_problem_names_its_field() {
    let fields = |q: Quiz| q.check().into_iter().map(|p| p.field).collect::<Vec<_>>();
    assert_eq!(fields(Quiz { title: " ".into(), ..quiz(vec![choice()]) }), ["title"]);
    assert_eq!(fields(quiz(vec![])), ["items"], "published without questions");
    assert_eq!(fields(Quiz { attempts_allowed: 0, ..quiz(vec![choice()]) }), ["attempts_allowed"]);
    assert_eq!(fields(Quiz { opens_at: Some(10), closes_at: Some(10), ..quiz(vec![choice()]) }), ["closes_at"]);
    assert_eq!(fields(quiz(vec![Item { points: 0, ..choice() }])), ["items[0].points"]);
    // Step 0 of the handshake is the SYN: it has no ACK flag.
    assert_eq!(fields(quiz(vec![choice(), model(0, Field::Ack)])), ["items[1].question.field"]);
    assert_eq!(fields(quiz(vec![model(99, Field::Seq)])), ["items[0].question.step"]);
    let mut two_right = choice();
    if let ItemBody::Choice { choices, .. } = &mut two_right.question {
        choices[0].correct = true;
        choices[2].text.en = String::new();
    }
    assert_eq!(fields(quiz(vec![two_right])), ["items[0].question.choices", "items[0].question.choices[2].text.en"]);
    let mut nan = numeric();
    if let ItemBody::Numeric { answer, tolerance, .. } = &mut nan.question {
        *answer = f64::NAN;
        *tolerance = -1.0;
    }
    assert_eq!(fields(quiz(vec![nan])), ["items[0].question.answer", "items[0].question.tolerance"]);
}

#[test]
fn model_items_grade_the_models_answer_right_and_anything_else_wrong() {
    for field in [Field::Seq, Field::Ack, Field::Len, Field::Flags] {
        let item = model(1, field);
        for seed in 0..200u64 {
            let q = model_question(seed, ScenarioId::Handshake, 1, field).unwrap();
            let right = expected(&q);
            let g = grade(&item, seed, &right).unwrap();
            assert!(g.grading.correct && g.points == 2, "{field:?} seed {seed}");
            let wrong = match expected(&q) {
                Answer::Number { value } => Answer::number((value as u32).wrapping_add(1)),
                Answer::Flags { mut value } => {
                    value.fin = !value.fin;
                    Answer::Flags { value }
                }
                other => panic!("{other:?}"),
            };
            let g = grade(&item, seed, &wrong).unwrap();
            assert!(!g.grading.correct && g.points == 0);
            if field != Field::Flags {
                assert_eq!(g.grading.wrong, Some(WrongKind::Off { by: 1 }), "seq and ack wrap: still off by one");
            }
            let ItemPrompt::Model { prompt } = prompt(&item, seed).unwrap() else { panic!() };
            assert_eq!(prompt.field, Some(field));
        }
    }
}

#[test]
fn learners_get_different_numbers_and_orders() {
    let seeds: Vec<u64> = (0..20).map(|i| item_seed(42, i)).collect();
    let isns: std::collections::HashSet<u32> =
        seeds.iter().map(|s| model_question(*s, ScenarioId::Handshake, 1, Field::Ack).unwrap().params.client_isn).collect();
    assert!(isns.len() > 15);
    let orders: std::collections::HashSet<String> = seeds.iter().map(|s| format!("{:?}", prompt(&choice(), *s).unwrap())).collect();
    assert!(orders.len() > 1);
}

#[test]
fn choices_grade_in_the_learners_order_and_record_the_instructors_index() {
    for seed in 0..50 {
        let ItemPrompt::Choice { choices, .. } = prompt(&choice(), seed).unwrap() else { panic!() };
        let syn = choices.iter().position(|c| c.en == "SYN").unwrap();
        let fin = choices.iter().position(|c| c.en == "FIN").unwrap();
        assert!(grade(&choice(), seed, &Answer::Choice { index: syn }).unwrap().grading.correct);
        let g = grade(&choice(), seed, &Answer::Choice { index: fin }).unwrap();
        assert_eq!(g.grading.wrong, Some(WrongKind::Choice { index: 0 }));
        assert_eq!(grade(&choice(), seed, &Answer::Choice { index: 3 }).unwrap_err().field, "index");
    }
}

#[test]
fn blanks_are_wrong_and_wrong_shapes_are_errors() {
    assert_eq!(grade(&numeric(), 1, &Answer::Blank).unwrap().grading.wrong, Some(WrongKind::Blank));
    assert!(grade(&numeric(), 1, &Answer::Number { value: 60.0 }).unwrap().grading.correct);
    assert!(!grade(&numeric(), 1, &Answer::Number { value: 61.0 }).unwrap().grading.correct);
    assert_eq!(grade(&numeric(), 1, &Answer::Choice { index: 0 }).unwrap_err().field, "type");
    let mut explained = numeric();
    if let ItemBody::Numeric { explain, .. } = &mut explained.question {
        *explain = Some(text("Linux waits 2 × 30 s."));
    }
    assert_eq!(
        grade(&explained, 1, &Answer::Blank).unwrap().grading.explain,
        Some(text("Linux waits 2 × 30 s.")),
        "the explanation comes with the grade"
    );
    assert_eq!(grade(&model(1, Field::Seq), 1, &Answer::Number { value: 1.5 }).unwrap_err().field, "value");
}

#[test]
fn results_count_each_learners_best_attempt() {
    let items = [model(1, Field::Ack), choice()];
    let att = |id, who: &str, answers: [Answer; 2]| {
        let grades: Vec<ItemGrade> = items.iter().zip(&answers).map(|(i, a)| grade(i, 7, a).unwrap()).collect();
        SubmittedAttempt {
            attempt_id: id,
            username: who.into(),
            score: grades.iter().map(|g| g.points).sum(),
            max_points: 3,
            submitted_at: format!("2026-01-0{id}"),
            grades,
            picked: vec![0, 1],
            current: id != 4,
        }
    };
    let q = model_question(7, ScenarioId::Handshake, 1, Field::Ack).unwrap();
    let right = expected(&q);
    let Answer::Number { value } = right else { panic!() };
    let attempts = [
        att(1, "bo", [Answer::Number { value: value + 1.0 }, Answer::Blank]),
        att(2, "bo", [right.clone(), Answer::Blank]),
        att(3, "al", [Answer::Number { value: value + 1.0 }, Answer::Blank]),
        // On questions since edited: a score, but not in the per-question figures.
        att(4, "cy", [right.clone(), Answer::Blank]),
    ];
    let s = summarize(3, 2, &attempts, Counted::Best);
    assert_eq!(
        s.learners.iter().map(|l| (l.username.as_str(), l.best, l.attempts)).collect::<Vec<_>>(),
        [("al", 0, 1), ("bo", 2, 2), ("cy", 2, 1)]
    );
    assert_eq!(s.histogram[0], 1);
    assert_eq!(s.histogram[6], 2, "2 of 3 is 66 %");
    assert_eq!(s.earlier_version, 1);
    assert_eq!((s.items[0].correct, s.items[0].answered), (1, 2));
    assert_eq!(s.items[0].common_wrong, [(WrongKind::Off { by: 1 }, 1)]);
    assert_eq!(s.items[1].common_wrong, [(WrongKind::Blank, 2)]);
    assert_eq!((bucket(10, 10), bucket(0, 10), bucket(99, 100)), (9, 0, 9));
    // Counting the latest: bo's second try, and then a worse third one replaces it.
    let latest = summarize(3, 2, &attempts, Counted::Latest);
    assert_eq!((latest.learners[1].best, latest.learners[1].best_attempt), (2, 2));
    let worse = [&attempts[..], &[att(5, "bo", [Answer::Blank, Answer::Blank])]].concat();
    let bo = |c| summarize(3, 2, &worse, c).learners[1].clone();
    assert_eq!((bo(Counted::Latest).best, bo(Counted::Latest).best_attempt), (0, 5));
    assert_eq!((bo(Counted::Best).best, bo(Counted::Best).best_attempt), (2, 2));
}

/// An item names a step by its place, so every learner's run of a scenario must have its
/// segments at the same places, whatever their numbers.
#[test]
fn every_scenario_has_the_same_steps_for_every_seed() {
    for &scenario in crate::tcp::ScenarioId::all() {
        let shape = |seed| {
            let run = crate::tcp::run(scenario, &crate::quiz::learner_params(&mut crate::quiz::SplitMix64::new(seed))).unwrap();
            run.steps.iter().map(|s| s.segment().map(|seg| (seg.from, seg.flags))).collect::<Vec<_>>()
        };
        let first = shape(0);
        for seed in 1..300 {
            assert_eq!(shape(seed), first, "{scenario:?} seed {seed}");
        }
    }
}

/// Grades are stored with each submitted attempt: those written before the question model was
/// one (`expected` numbers as `1001.0`, no `wrong` or `explain`) must still read, and a grade
/// is written in the same shape.
#[test]
fn stored_grades_of_earlier_versions_still_read() {
    let old = r#"{"correct":false,"points":0,"expected":{"type":"number","value":1001.0},"wrong":{"kind":"off","by":1}}"#;
    let grade: ItemGrade = serde_json::from_str(old).unwrap();
    assert_eq!(grade.grading.expected, Answer::number(1001));
    assert_eq!(grade.grading.wrong, Some(WrongKind::Off { by: 1 }));
    let written = serde_json::to_value(&grade).unwrap();
    assert_eq!(
        written,
        serde_json::json!({"correct": false, "points": 0, "expected": {"type": "number", "value": 1001}, "wrong": {"kind": "off", "by": 1}})
    );
}

/// Every model item a quiz can hold that has a formula gives, for many learners' numbers, what
/// the model gives; seq and ack of every segment have one, flags never.
#[test]
fn model_answers_are_moodle_formulas_of_the_learners_numbers() {
    use super::calculated::{datasets, formula};
    use crate::quiz::{Field, QUIZ_SCENARIOS};
    let mut checked = 0;
    for scenario in QUIZ_SCENARIOS {
        for (step, _, flags) in super::segment_steps(scenario) {
            assert!(formula(scenario, step, Field::Flags).is_none());
            for field in [Field::Seq, Field::Ack, Field::Len] {
                let Some(f) = formula(scenario, step, field) else {
                    assert!(field == Field::Ack && !flags.ack, "{scenario} step {step} {field:?} has no formula");
                    continue;
                };
                for p in datasets(300) {
                    let run = crate::tcp::run(scenario, &p).unwrap();
                    let seg = run.steps[step].segment().unwrap();
                    let want = match field {
                        Field::Seq => seg.seq,
                        Field::Ack => seg.ack,
                        _ => seg.len,
                    };
                    assert_eq!(f.eval(&p), want, "{scenario} step {step} {field:?}: {}", f.moodle());
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked} formulas");
}

/// Every practice kind works in a class quiz: each learner's right answer is graded right and
/// a wrong one wrong; a state question needs its end; a field question keeps the stored shape
/// of older quizzes.
#[test]
fn every_practice_kind_is_a_class_question() {
    let item = |kind, side| Item {
        points: 3,
        question: ItemBody::Model { scenario: ScenarioId::CloseClient, step: 1, field: Field::Ack, kind, side },
    };
    for (kind, side) in [(Kind::Field, None), (Kind::State, Some(Side::Server)), (Kind::Next, None), (Kind::SpotError, None)] {
        let it = item(kind, side);
        assert_eq!(quiz(vec![it.clone()]).check(), vec![], "{kind:?}");
        for seed in [1, 2, 99] {
            let ItemPrompt::Model { prompt: shown } = prompt(&it, seed).unwrap() else { panic!("a model prompt") };
            assert_eq!(shown.kind, kind);
            let right = super::variant::model_item_question(seed, ScenarioId::CloseClient, 1, Field::Ack, kind, side)
                .map(|q| expected(&q))
                .unwrap();
            let graded = grade(&it, seed, &right).unwrap();
            assert!(graded.grading.correct && graded.points == 3, "{kind:?} {seed}: {graded:?}");
            let other = prompt(&it, seed + 1000).unwrap();
            assert_ne!(prompt(&it, seed).unwrap(), other, "each learner their own numbers");
        }
    }
    let stateless = quiz(vec![item(Kind::State, None)]).check();
    assert_eq!(stateless.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["items[0].question.side"]);
    // Every scenario, every segment, every kind: a class question, graded right on its answer.
    for &scenario in ScenarioId::all() {
        for (step, _, flags) in segment_steps(scenario) {
            let field = if flags.ack { Field::Ack } else { Field::Seq };
            for (kind, side) in [(Kind::Field, None), (Kind::State, Some(Side::Client)), (Kind::Next, None), (Kind::SpotError, None)] {
                let it = Item { points: 1, question: ItemBody::Model { scenario, step, field, kind, side } };
                assert_eq!(quiz(vec![it.clone()]).check(), vec![], "{scenario} step {step} {kind:?}");
                let q = super::variant::model_item_question(5, scenario, step, field, kind, side).unwrap();
                assert!(grade(&it, 5, &expected(&q)).unwrap().grading.correct, "{scenario} step {step} {kind:?}");
            }
        }
    }
    let json = serde_json::to_value(item(Kind::Field, None)).unwrap();
    assert_eq!(json["question"].as_object().unwrap().keys().collect::<Vec<_>>(), ["field", "scenario", "step", "type"]);
    let old: Item =
        serde_json::from_str(r#"{"points":1,"question":{"type":"model","scenario":"handshake","step":1,"field":"seq"}}"#).unwrap();
    assert!(matches!(old.question, ItemBody::Model { kind: Kind::Field, side: None, .. }));
}

/// A pool: each attempt its own pick of `draw` questions, in the quiz's order, the same pick for
/// the same seed; the results count each question on the attempts that were asked it.
#[test]
fn a_pool_gives_each_attempt_its_own_pick() {
    let picks: std::collections::BTreeSet<Vec<usize>> = (0..200).map(|seed| pick(10, Some(3), seed)).collect();
    assert!(picks.len() > 50, "{} different picks of 3 from 10 in 200 attempts", picks.len());
    for p in &picks {
        assert!(p.len() == 3 && p.windows(2).all(|w| w[0] < w[1]) && p.iter().all(|i| *i < 10), "{p:?}");
    }
    assert_eq!(pick(10, Some(3), 42), pick(10, Some(3), 42));
    assert_eq!(pick(4, None, 42), [0, 1, 2, 3]);
    assert_eq!(pick(4, Some(9), 42), [0, 1, 2, 3]);

    let problems = |q: Quiz| q.check().into_iter().map(|p| p.field).collect::<Vec<_>>();
    let many = |n: usize| (0..n).map(|_| choice()).collect::<Vec<_>>();
    assert_eq!(problems(Quiz { draw: Some(0), ..quiz(many(3)) }), ["draw"]);
    assert_eq!(problems(Quiz { draw: Some(4), ..quiz(many(3)) }), ["draw"]);
    assert_eq!(problems(Quiz { draw: Some(3), ..quiz(many(3)) }), Vec::<String>::new());
    assert_eq!(problems(quiz(many(60))), ["items"], "60 questions must be a pool");
    assert_eq!(problems(Quiz { draw: Some(51), ..quiz(many(60)) }), ["draw"]);
    assert_eq!(problems(Quiz { draw: Some(20), ..quiz(many(500)) }), Vec::<String>::new());
    assert_eq!(problems(Quiz { draw: Some(20), ..quiz(many(501)) }), ["items"]);
    let mut uneven = many(4);
    uneven[2].points = 5;
    assert_eq!(problems(Quiz { draw: Some(2), ..quiz(uneven.clone()) }), ["items[2].points"], "a pool's picks are out of the same");
    assert_eq!(problems(quiz(uneven)), Vec::<String>::new(), "without a pool, points may differ");
    let pool = Quiz { draw: Some(3), ..quiz(many(10)) };
    assert_eq!((pool.asked(), pool.max_points()), (3, 3 * choice().points));

    let grade_of = |right: bool| ItemGrade { grading: grade(&choice(), 1, &Answer::Blank).unwrap().grading, points: u32::from(right) };
    let att = |id, who: &str, picked: Vec<usize>| SubmittedAttempt {
        attempt_id: id,
        username: who.into(),
        score: 0,
        max_points: 2,
        submitted_at: format!("2026-01-0{id}"),
        grades: picked.iter().map(|_| grade_of(false)).collect(),
        picked,
        current: true,
    };
    let s = summarize(2, 4, &[att(1, "al", vec![0, 2]), att(2, "bo", vec![2, 3])], Counted::Best);
    assert_eq!(s.items.iter().map(|i| i.answered).collect::<Vec<_>>(), [1, 0, 2, 1]);
    assert_eq!(s.learners[0].correct, [Some(false), None, Some(false), None]);
}
