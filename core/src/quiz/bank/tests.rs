use std::collections::BTreeMap;

use super::*;

fn real_bank() -> Bank {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../content/quiz/tuning.toml");
    toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn text(s: &str) -> Text {
    Text { en: s.into(), zh_cn: format!("中文 {s}") }
}

fn keepalive(params: &[(&str, Vec<u64>)]) -> BankQuestion {
    BankQuestion {
        id: "k".into(),
        text: text("time {time} intvl {intvl} probes {probes}"),
        explain: text("why"),
        body: Body::Numeric(Numeric {
            formula: Formula::KeepaliveDetect,
            unit: text("s"),
            params: params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
        }),
    }
}

#[test]
fn the_real_bank_is_sound_and_has_both_kinds() {
    let bank = real_bank();
    assert_eq!(bank.check(), Vec::<String>::new());
    assert!(bank.questions.iter().any(|q| matches!(q.body, Body::Numeric(_))));
    assert!(bank.questions.iter().any(|q| matches!(q.body, Body::Choice(_))));
}

#[test]
fn the_kernel_defaults_detect_a_dead_peer_after_7875_seconds() {
    let q = keepalive(&[("time", vec![7200]), ("intvl", vec![75]), ("probes", vec![9])]);
    assert_eq!(q.expected(1), Answer::number(7875));
    assert_eq!(q.prompt(1).text.en, "time 7200 intvl 75 probes 9");
    assert_eq!(q.prompt(1).text.zh_cn, "中文 time 7200 intvl 75 probes 9");
}

#[test]
fn every_question_grades_its_own_answer_right_and_another_wrong() {
    for q in real_bank().questions {
        for seed in 0..300 {
            let prompt = q.prompt(seed);
            assert!(!prompt.text.en.contains('{') && !prompt.text.zh_cn.contains('{'), "{}: unfilled {:?}", q.id, prompt.text);
            let right = q.expected(seed);
            assert!(q.grade(seed, &right).unwrap().correct, "{} seed {seed}", q.id);
            let wrong = match right {
                Answer::Number { value } => Answer::Number { value: value + 1.0 },
                Answer::Choice { index } => Answer::Choice { index: (index + 1) % prompt.choices.len() },
                other => panic!("{other:?}"),
            };
            assert!(!q.grade(seed, &wrong).unwrap().correct, "{} seed {seed}", q.id);
            let json = serde_json::to_string(&prompt).unwrap();
            assert!(!json.contains("correct") && !json.contains("formula"), "the prompt tells: {json}");
        }
    }
}

#[test]
fn numbers_and_choice_order_differ_between_learners() {
    let bank = real_bank();
    for q in &bank.questions {
        let prompts: std::collections::HashSet<String> = (0..50).map(|seed| serde_json::to_string(&q.prompt(seed)).unwrap()).collect();
        assert!(prompts.len() > 1, "{} is the same for every learner", q.id);
    }
    let choice = bank.questions.iter().find(|q| matches!(q.body, Body::Choice(_))).unwrap();
    let positions: std::collections::HashSet<usize> = (0..100)
        .map(|seed| match choice.expected(seed) {
            Answer::Choice { index } => index,
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(positions.len() > 2, "the right choice moves around: {positions:?}");
}

#[test]
fn a_wrong_answer_type_or_a_choice_out_of_range_names_the_field() {
    let bank = real_bank();
    let numeric = bank.questions.iter().find(|q| matches!(q.body, Body::Numeric(_))).unwrap();
    assert_eq!(numeric.grade(1, &Answer::Choice { index: 0 }).unwrap_err().field, "type");
    let choice = bank.questions.iter().find(|q| matches!(q.body, Body::Choice(_))).unwrap();
    assert_eq!(choice.grade(1, &Answer::number(0)).unwrap_err().field, "type");
    let err = choice.grade(1, &Answer::Choice { index: 99 }).unwrap_err();
    assert_eq!(err.field, "index");
}

#[test]
fn check_names_each_problem_and_its_question() {
    let mut missing_param = keepalive(&[("time", vec![1]), ("intvl", vec![1])]);
    missing_param.id = "a".into();
    let mut unshown = keepalive(&[("time", vec![1]), ("intvl", vec![1]), ("probes", vec![300])]);
    unshown.id = "b".into();
    unshown.text = text("time {time} intvl {intvl}");
    let two_right = BankQuestion {
        id: "b".into(),
        text: text("q"),
        explain: Text { en: "why".into(), zh_cn: " ".into() },
        body: Body::Choice(vec![Choice { text: text("x"), correct: true }, Choice { text: text("y"), correct: true }]),
    };
    let ports = BankQuestion {
        id: "p".into(),
        text: text("{low} {high}"),
        explain: text("why"),
        body: Body::Numeric(Numeric {
            formula: Formula::LocalPorts,
            unit: text("ports"),
            params: BTreeMap::from([("low".to_owned(), vec![61000]), ("high".to_owned(), vec![60999])]),
        }),
    };
    let mut zero = keepalive(&[("time", vec![0]), ("intvl", vec![5]), ("probes", vec![0, 3])]);
    zero.id = "z".into();
    zero.text = text("time {time} intvl {intvl} probes {probes} {stray}");
    let problems = Bank { questions: vec![missing_param, unshown, two_right, ports, zero] }.check();
    let has = |needle: &str| problems.iter().any(|p| p.contains(needle));
    assert!(has(r#"question "a": formula keepalive_detect takes params"#), "{problems:?}");
    assert!(has(r#"question "b": text.en does not show {probes}"#), "{problems:?}");
    assert!(has("tcp_keepalive_probes is at most 255"), "{problems:?}");
    assert!(has(r#"question "b": the id is used twice"#), "{problems:?}");
    assert!(has("2 choices are marked correct"), "{problems:?}");
    assert!(has("explain needs both en and zh-CN"), "{problems:?}");
    assert!(has(r#"question "p": every low must be"#), "{problems:?}");
    assert!(has(r#"question "z": text.en has a placeholder that is not a param"#), "{problems:?}");
    assert!(has(r#"question "z": with {"intvl": 5, "probes": 0, "time": 0} the answer is 0"#), "{problems:?}");
    assert_eq!(Bank::default().check(), ["the bank has no questions"]);
}
