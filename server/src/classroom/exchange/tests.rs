use tcplab_core::classroom::{Item, ItemBody, Quiz};
use tcplab_core::lang::Text;
use tcplab_core::quiz::Choice;
use tcplab_core::quiz::{Field, Kind};
use tcplab_core::tcp::ScenarioId;

use super::*;

fn t(en: &str, zh: &str) -> Text {
    Text { en: en.into(), zh_cn: zh.into() }
}

fn same(s: &str) -> Text {
    t(s, s)
}

fn choice(text: Text, correct: bool) -> Choice {
    Choice { text, correct }
}

fn numeric(text: Text, answer: f64, tolerance: f64, unit: Option<Text>, explain: Option<Text>) -> ItemBody {
    ItemBody::Numeric { text, answer, tolerance, unit, explain }
}

fn sample() -> Quiz {
    let nasty = "<script>alert('x')</script> {a} = b ~ c # d: e & \"f\" \\ g \\n </span> &lt; ####";
    let items = vec![
        Item {
            points: 3,
            question: ItemBody::Choice {
                text: t(&format!("Which flag? {nasty}\nSecond line"), "哪个标志位打开连接？{=~#:}"),
                choices: vec![choice(same("SYN"), true), choice(t("ACK ~ =", "确认 & <b>"), false), choice(t(nasty, "中文 'x'"), false)],
                explain: Some(t("#### not feedback", "解释 \"引号\"")),
            },
        },
        Item {
            points: 1,
            question: ItemBody::Model { scenario: ScenarioId::Handshake, step: 1, kind: Kind::Field, side: None, field: Field::Ack },
        },
        Item { points: 2, question: numeric(t("RTT in ms? {#1..5}", "往返时间？"), -12.5, 0.25, Some(t("ms", "毫秒")), None) },
        Item { points: 5, question: numeric(same("Port"), 80.0, 0.0, None, Some(t("HTTP: 80", "HTTP 端口"))) },
        Item {
            points: 4,
            question: ItemBody::Choice { text: same("T"), choices: vec![choice(same("F"), false), choice(same("T"), true)], explain: None },
        },
    ];
    Quiz { title: "Handshake: {basics} & more".into(), items, ..Quiz::default() }
}

fn without_model(quiz: &Quiz, points: Option<u32>) -> Vec<Item> {
    let items = quiz.items.iter().filter(|i| !matches!(i.question, ItemBody::Model { .. }));
    items.map(|i| Item { points: points.unwrap_or(i.points), question: i.question.clone() }).collect()
}

fn problems(result: Result<Vec<Item>, ImportError>) -> Vec<(usize, String)> {
    result.unwrap_err().problems.into_iter().map(|p| (p.question, p.message.en)).collect()
}

const NOTE: &str = "TCP Lab model question (scenario handshake, step 1, field ack) cannot be exported here: each learner gets their own numbers, which only Moodle XML carries (as a calculated question) when the answer is a number";

#[test]
fn gift_round_trip() {
    let gift = to_gift(&sample());
    assert!(gift.contains(&format!("// {NOTE}\n")), "{gift}");
    assert_eq!(from_gift(&gift, 7).unwrap(), without_model(&sample(), Some(7)));
}

#[test]
fn moodle_xml_round_trip() {
    let xml = to_moodle_xml(&sample(), None);
    // The model question travels as a calculated question, and comes back as itself.
    assert!(xml.contains(r#"<question type="calculated">"#), "{xml}");
    assert!(xml.contains(r#"<answer fraction="100"><text>80</text><tolerance>0</tolerance></answer>"#), "{xml}");
    assert_eq!(from_moodle_xml(&xml, 7).unwrap(), sample().items);
}

#[test]
fn a_quiz_of_model_items_only_exports_nothing_to_import_but_in_moodle_xml() {
    let quiz = Quiz { items: vec![sample().items[1].clone()], ..Quiz::default() };
    let none = Err(ImportError {
        problems: vec![ImportProblem { question: 0, message: t("the file has no questions", "文件中没有题目") }],
        more: 0,
    });
    assert_eq!(from_gift(&to_gift(&quiz), 1), none);
    assert_eq!(from_moodle_xml(&to_moodle_xml(&quiz, None), 1).unwrap(), quiz.items, "Moodle XML keeps it");
    let flags = Quiz {
        items: vec![Item {
            points: 1,
            question: ItemBody::Model { scenario: ScenarioId::Handshake, step: 1, kind: Kind::Field, side: None, field: Field::Flags },
        }],
        ..Quiz::default()
    };
    assert_eq!(from_moodle_xml(&to_moodle_xml(&flags, None), 1), none, "flags are no number: a comment only");
    assert_eq!(from_gift("// only a comment\n$CATEGORY: x\n\n", 1), none);
    assert_eq!(from_moodle_xml(r#"<quiz><question type="category"><category><text>x</text></category></question></quiz>"#, 1), none);
}

#[test]
fn multilang_is_split_in_any_order_and_otherwise_read_as_text() {
    let s = r#"<p>x</p><SPAN class='multilang' lang="zh-CN">中 &amp;lt;</SPAN> <span lang=en class="x multilang">a &lt;b&gt; &#39;c&#039;</span>"#;
    assert_eq!(split_multilang(s), t("a <b> 'c'", "中 &lt;"));
    assert_eq!(split_multilang(r#" <span lang="en" class="multilang">only English &amp;</span> "#), same("only English &"));
    assert_eq!(split_multilang("a &amp; b"), same("a & b"));
    assert_eq!(
        split_multilang(r#"<p dir="ltr" style="text-align: left;">one<br>two&nbsp;x</p><p>seq < ack</p>"#),
        same("one\ntwo x\nseq < ack")
    );
    assert_eq!(split_multilang(&multilang(&t("<&>\"'", "中"))), t("<&>\"'", "中"));
}

const GIFT: &str = r#"// question: 1  name: Opening
$CATEGORY: $course$/top/Networking

::Opening::Which segment opens a TCP connection? {
	=SYN#Right.
	~ACK#No, that acknowledges data.
	~FIN
	####The client sends SYN first.
}

// a numeric one
::Port\: HTTP::[html]<p>HTTP's default port?</p>{#80}

UDP is connection-oriented.{FALSE#Wrong.#Right.}

::MSS::The MSS on Ethernet is about {#1400..1500} bytes.

::Bilingual::[html]<span class='multilang' lang\="zh">三次握手有几步？</span> <span lang\="en" class\="multilang">How many steps?</span>{
	#3:0
	####<span lang\="en" class\="multilang">SYN, SYN-ACK, ACK &amp; done</span><span lang\="zh_cn" class\="multilang">三步</span>
}

::Escapes::What does a\=b \{c\} \~d \#e mean?{~one =two\: 2 ~three}
"#;

#[test]
fn imports_hand_written_gift() {
    let choices = |v: &[(&str, bool)]| v.iter().map(|&(c, right)| choice(same(c), right)).collect();
    let tf = vec![choice(t("True", "对"), false), choice(t("False", "错"), true)];
    let expected = [
        ItemBody::Choice {
            text: same("Which segment opens a TCP connection?"),
            choices: choices(&[("SYN", true), ("ACK", false), ("FIN", false)]),
            explain: Some(same("The client sends SYN first.")),
        },
        numeric(same("HTTP's default port?"), 80.0, 0.0, None, None),
        ItemBody::Choice { text: same("UDP is connection-oriented."), choices: tf, explain: None },
        numeric(same("The MSS on Ethernet is about _____ bytes."), 1450.0, 50.0, None, None),
        numeric(t("How many steps?", "三次握手有几步？"), 3.0, 0.0, None, Some(t("SYN, SYN-ACK, ACK & done", "三步"))),
        ItemBody::Choice {
            text: same("What does a=b {c} ~d #e mean?"),
            choices: choices(&[("one", false), ("two: 2", true), ("three", false)]),
            explain: None,
        },
    ];
    let items: Vec<Item> = expected.into_iter().map(|question| Item { points: 2, question }).collect();
    assert_eq!(from_gift(GIFT, 2).unwrap(), items);
}

const XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category><text>$course$/top/TCP</text></category>
  </question>
  <question type="multichoice">
    <name><text>Flags</text></name>
    <questiontext format="html"><text><![CDATA[<p>Which flag <b>opens</b> a connection?</p>]]></text></questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <defaultgrade>2.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <single>true</single>
    <answer fraction="100" format="html"><text><![CDATA[<p>SYN</p>]]></text><feedback format="html"><text>Yes</text></feedback></answer>
    <answer fraction="0" format="html"><text>&lt;p&gt;FIN&lt;/p&gt;</text></answer>
    <answer fraction="0.0000000" format="html"><text>RST &amp; more</text></answer>
  </question>
  <question type="truefalse">
    <name><text>UDP</text></name>
    <questiontext format="moodle_auto_format"><text>UDP retransmits lost datagrams.</text></questiontext>
    <generalfeedback format="html"><text>It does not.</text></generalfeedback>
    <defaultgrade>1</defaultgrade>
    <answer fraction="0" format="moodle_auto_format"><text>true</text></answer>
    <answer fraction="100" format="moodle_auto_format"><text>false</text></answer>
  </question>
  <question type="numerical">
    <name><text>MSL</text></name>
    <questiontext format="html"><text><![CDATA[<span lang="en" class="multilang">TIME-WAIT on Linux?</span><span lang="zh_cn" class="multilang">Linux 上的 TIME-WAIT？</span>]]></text></questiontext>
    <defaultgrade>0.4</defaultgrade>
    <answer fraction="100" format="moodle_auto_format"><text>60</text><tolerance>0</tolerance></answer>
    <answer fraction="0" format="moodle_auto_format"><text>*</text><tolerance>0</tolerance></answer>
    <units>
      <unit><multiplier>1</multiplier><unit_name>s</unit_name></unit>
      <unit><multiplier>1000</multiplier><unit_name>ms</unit_name></unit>
    </units>
  </question>
</quiz>
"#;

#[test]
fn imports_moodle_xml_as_moodle_writes_it() {
    let choices = vec![choice(same("SYN"), true), choice(same("FIN"), false), choice(same("RST & more"), false)];
    let tf = vec![choice(t("True", "对"), false), choice(t("False", "错"), true)];
    let items = vec![
        // Moodle's HTML arrives as the text a learner reads there.
        Item { points: 2, question: ItemBody::Choice { text: same("Which flag opens a connection?"), choices, explain: None } },
        Item {
            points: 1,
            question: ItemBody::Choice { text: same("UDP retransmits lost datagrams."), choices: tf, explain: Some(same("It does not.")) },
        },
        Item { points: 5, question: numeric(t("TIME-WAIT on Linux?", "Linux 上的 TIME-WAIT？"), 60.0, 0.0, Some(same("s")), None) },
    ];
    assert_eq!(from_moodle_xml(XML, 5).unwrap(), items);
}

#[test]
fn gift_problems_name_every_bad_question_and_nothing_is_imported() {
    let gift = "::Essay::Describe TIME-WAIT.{}\n\n::Match::Match. {=SYN -> opens =FIN -> closes}\n\n::Short::Name it.{=SYN =syn}\n\n\
        ::Two right::Flags?{=SYN =ACK ~MSS}\n\n::Partial::Pick.{~%50%A ~%50%B ~C}\n\nJust a description.\n\n::One::Only.{~%100%A}\n\n\
        ::Many::{=1 =2 ~3 ~4 ~5 ~6 ~7 ~8 ~9 ~10 ~11}\n\n::Two numbers::N?{#=1 =2}\n\n::Half::N?{#=1 =%50%2}\n\n::NaN::N?{#abc}\n\n\
        ::Open::Unclosed {=a ~b\n\n::Good::Fine.{T}\n";
    let line = gift.lines().position(|l| l.starts_with("Just")).unwrap() + 1;
    let take = "questions cannot be imported; TCP Lab takes multiple choice, true/false and numeric";
    let expected = [
        format!("question 1 \"Essay\": essay {take}"),
        format!("question 2 \"Match\": matching {take}"),
        format!("question 3 \"Short\": short answer {take}"),
        "question 4 \"Two right\": has 2 right answers; TCP Lab takes exactly one".into(),
        "question 5 \"Partial\": gives partial credit (50 %); TCP Lab takes one right answer, the others wrong".into(),
        format!("question 6 (line {line}): description (text without answers) {take}"),
        "question 7 \"One\": has 1 choice; TCP Lab takes 2 to 10".into(),
        "question 8 \"Many\": has 2 right answers; TCP Lab takes exactly one; and has 11 choices; TCP Lab takes 2 to 10".into(),
        "question 9 \"Two numbers\": has 2 right answers; TCP Lab takes exactly one".into(),
        "question 10 \"Half\": gives partial credit (50 %); TCP Lab takes one right answer, the others wrong".into(),
        "question 11 \"NaN\": the answer \"abc\" is not a number".into(),
        "question 12 \"Open\": the answers have no closing }".into(),
    ];
    let expected: Vec<(usize, String)> = expected.into_iter().enumerate().map(|(i, m)| (i + 1, m)).collect();
    assert_eq!(problems(from_gift(gift, 1)), expected);
}

#[test]
fn moodle_xml_problems_name_every_bad_question_and_nothing_is_imported() {
    let q = |kind: &str, name: &str, rest: &str| {
        format!("<question type=\"{kind}\"><name><text>{name}</text></name><questiontext><text>Q</text></questiontext>{rest}</question>\n")
    };
    let a = |f: &str, text: &str| format!("<answer fraction=\"{f}\"><text>{text}</text></answer>");
    let xml = [
        q("shortanswer", "SA", ""),
        q("essay", "Essay", ""),
        q("matching", "M", ""),
        q("cloze", "Cloze", ""),
        q("ddwtos", "D", ""),
        q("multichoice", "Name", &(a("100", "a") + &a("100", "b") + &a("0", "c"))),
        q("multichoice", "", &(a("50", "a") + &a("50", "b"))),
        q("numerical", "N", &(a("100", "1") + &a("100", "2"))),
        q("truefalse", "TF", &(a("0", "true") + &a("0", "false"))),
        q("numerical", "OK", &a("100", "1")),
    ]
    .concat();
    let take = "questions cannot be imported; TCP Lab takes multiple choice, true/false and numeric";
    let expected = [
        format!("question 1 \"SA\": short answer {take}"),
        format!("question 2 \"Essay\": essay {take}"),
        format!("question 3 \"M\": matching {take}"),
        format!("question 4 \"Cloze\": cloze (embedded answers) {take}"),
        format!("question 5 \"D\": drag and drop into text {take}"),
        "question 6 \"Name\": has 2 right answers; TCP Lab takes exactly one".into(),
        "question 7 (line 8): gives partial credit (50 %); TCP Lab takes one right answer, the others wrong".into(),
        "question 8 \"N\": has 2 right answers; TCP Lab takes exactly one".into(),
        "question 9 \"TF\": has no single right answer, true or false".into(),
    ];
    let expected: Vec<(usize, String)> = expected.into_iter().enumerate().map(|(i, m)| (i + 1, m)).collect();
    let err = from_moodle_xml(&format!("<quiz>\n{xml}</quiz>"), 1).unwrap_err();
    assert!(err.to_string().starts_with("could not import the questions: question 1 \"SA\": short answer"), "{err}");
    assert_eq!(problems(Err(err)), expected);
}

#[test]
fn malformed_or_foreign_xml_is_one_problem_with_the_place() {
    let [(0, bad)] = &problems(from_moodle_xml("<quiz>\n<question type=\"multichoice\">\n<name><text>x</name>\n</quiz>", 1))[..] else {
        panic!()
    };
    assert!(bad.starts_with("the file is not well-formed XML (line 3"), "{bad}");
    let [(0, open)] = &problems(from_moodle_xml("<quiz><question>", 1))[..] else { panic!() };
    assert!(open.contains("<question> is never closed"), "{open}");
    let [(0, deep)] = &problems(from_moodle_xml(&"<quiz>".repeat(100_000), 1))[..] else { panic!() };
    assert!(deep.contains("nested too deeply"), "{deep}");
    assert_eq!(
        problems(from_moodle_xml("<html><body/></html>", 1)),
        [(0, "this is not a Moodle XML question file: it has no <quiz> element".to_owned())]
    );
}

#[test]
fn defaultgrade_outside_1_to_100_gives_way_to_the_argument() {
    let xml = |grade: &str| {
        format!(
            "<quiz><question type=\"numerical\"><questiontext><text>How many?</text></questiontext><defaultgrade>{grade}</defaultgrade><answer fraction=\"100\"><text>1</text></answer></question></quiz>"
        )
    };
    let points = |grade: &str| from_moodle_xml(&xml(grade), 9).unwrap()[0].points;
    assert_eq!([points("2.6"), points("0.2"), points("250"), points("many"), points("100")], [3, 9, 9, 9, 100]);
}

/// The worst files of the resilience issue, at the import limit: the answers stay small and
/// name what is wrong. (Their parse time is a figure of `cargo bench -p tcplab --bench abuse`.)
#[test]
fn the_worst_files_get_short_answers() {
    let limit = crate::classroom::transfer::MAX_IMPORT_BYTES;
    // Blank-ish paragraphs: one "description" problem each, half a million of them.
    let blanks = "a\n\n".repeat(limit / 3);
    let err = from_gift(&blanks, 1).unwrap_err();
    assert_eq!(err.problems.len(), 1, "{:?}", err.problems);
    assert!(err.to_string().contains(&format!("more than {MAX_FILE_QUESTIONS} questions")), "{err}");
    // 1,000 bad questions: 20 named, the rest counted, a few kilobytes in all.
    let bad = "::q:: x {=a}\n\n".repeat(MAX_FILE_QUESTIONS);
    let err = from_gift(&bad, 1).unwrap_err();
    assert_eq!((err.problems.len(), err.more), (MAX_PROBLEMS, MAX_FILE_QUESTIONS - MAX_PROBLEMS));
    let text = err.to_string();
    assert!(
        text.len() < 4096 && text.ends_with(&format!("and {} more problems", MAX_FILE_QUESTIONS - MAX_PROBLEMS)),
        "{} bytes: {text}",
        text.len()
    );
    // Unnamed Moodle questions, each named by its line, counted in one pass.
    let unnamed = format!("<quiz>{}</quiz>", "<question type=\"essay\"/>\n".repeat(MAX_FILE_QUESTIONS));
    let err = from_moodle_xml(&unnamed, 1).unwrap_err();
    assert_eq!(
        err.problems[19].message.en,
        "question 20 (line 20): essay questions cannot be imported; TCP Lab takes multiple choice, true/false and numeric"
    );
    // More elements than any Moodle file has: refused before they become a tree.
    let elements = format!("<quiz>{}</quiz>", "<a/>".repeat(limit / 4 - 4));
    assert!(from_moodle_xml(&elements, 1).unwrap_err().to_string().contains("XML elements"));
}

#[test]
fn a_lone_less_than_sign_is_text_however_many_there_are() {
    assert_eq!(html_to_text("a < b and c <d"), "a < b and c <d");
    assert_eq!(html_to_text(&"<a".repeat(10_000)), "<a".repeat(10_000));
    assert_eq!(html_to_text("<p>x</p><b>y"), "x\ny");
    let long = "x".repeat(500);
    let err = from_gift(&format!("::{long}:: q {{ oops }}\n"), 1).unwrap_err();
    assert!(err.problems[0].message.en.len() < 300, "quoted names are cut short: {}", err.problems[0].message.en);
}

/// Line ends written by Windows (or by our own older exports, as `&#13;`) come in as plain line
/// breaks, which the quiz check accepts, so an export imports again.
#[test]
fn carriage_returns_arrive_as_line_breaks() {
    let xml = "<quiz><question type=\"truefalse\"><questiontext format=\"html\"><text>Line one&#13;\nline two\r\nthree</text></questiontext>\
               <answer fraction=\"100\"><text>true</text></answer><answer fraction=\"0\"><text>false</text></answer></question></quiz>";
    let items = from_moodle_xml(xml, 1).unwrap();
    let ItemBody::Choice { text, .. } = &items[0].question else { panic!("{items:?}") };
    assert_eq!(text.en, "Line one\nline two\nthree");
    let gift = from_gift("::q:: First\r\nsecond {T}\r\n", 1).unwrap();
    let ItemBody::Choice { text, .. } = &gift[0].question else { panic!("{gift:?}") };
    assert!(!text.en.contains('\r'), "{:?}", text.en);
    let quiz = Quiz { title: "Q".into(), items: items.clone(), ..Quiz::default() };
    assert_eq!(quiz.check(), vec![], "an imported text passes the quiz check");
}

/// Cases from Moodle's GIFT documentation and its own importer's tests (question/format/gift/
/// tests), which TCP Lab read wrongly.
#[test]
fn gift_read_as_moodle_reads_it() {
    // A `~` makes multiple choice, whatever `->` the answers hold (Moodle decides it first).
    let gift = "::Order::Which is the handshake? {=SYN -> SYN+ACK -> ACK ~SYN -> ACK ~SYN -> RST}";
    let items = from_gift(gift, 1).unwrap();
    let ItemBody::Choice { choices, .. } = &items[0].question else { panic!("multiple choice: {items:?}") };
    assert_eq!(
        choices.iter().map(|c| (c.text.en.as_str(), c.correct)).collect::<Vec<_>>(),
        [("SYN -> SYN+ACK -> ACK", true), ("SYN -> ACK", false), ("SYN -> RST", false)]
    );
    // Without a `~` it is matching, which TCP Lab has no place for.
    let matching = problems(from_gift("Match {=SYN -> opens =FIN -> closes}", 1));
    assert!(matching[0].1.contains("matching"), "{matching:?}");
    // qformat_gift's test_import_numerical: `~#` is the feedback of Moodle's catch-all wrong
    // answer; the right answer stays 3 ± 2.
    let items = from_gift("// math range question\n::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}", 1).unwrap();
    assert_eq!(items[0].question, numeric(same("What is a number from 1 to 5?"), 3.0, 2.0, None, None));
    // Format markers (Moodle's exporter writes them: `~[plain]blue`, `#[html]wrong`) are no text;
    // a [plain] text keeps its `<` as written.
    let gift = "::Q8::[plain]Between orange & <green>?{\n\t=yellow#right; good!\n\t~red#[html]wrong, it's yellow\n\t~[plain]blue#wrong\n####[html]<p>Yellow</p>}";
    let items = from_gift(gift, 1).unwrap();
    let ItemBody::Choice { text, choices, explain } = &items[0].question else { panic!("{items:?}") };
    assert_eq!(text.en, "Between orange & <green>?");
    assert_eq!(choices.iter().map(|c| c.text.en.as_str()).collect::<Vec<_>>(), ["yellow", "red", "blue"]);
    assert_eq!(explain.as_ref().map(|e| e.en.as_str()), Some("Yellow"));
}

#[test]
fn moodle_xml_read_as_moodle_reads_it() {
    // Moodle 1.x: the fraction as a child element (a share of 1), the answer outside <text>.
    let old = r#"<quiz><question type="numerical"><name><text>Old</text></name><questiontext><text>Port?</text></questiontext>
        <answer><fraction>1</fraction>80<tolerance>0</tolerance></answer></question></quiz>"#;
    assert_eq!(from_moodle_xml(old, 1).unwrap()[0].question, numeric(same("Port?"), 80.0, 0.0, None, None));
    let percent = old.replace("<fraction>1</fraction>", "<fraction>100</fraction>");
    assert_eq!(from_moodle_xml(&percent, 1).unwrap()[0].question, numeric(same("Port?"), 80.0, 0.0, None, None));
    // Several answers allowed is not TCP Lab's one-answer multiple choice: refused, not changed.
    let multi = r#"<quiz><question type="multichoice"><name><text>Many</text></name><questiontext><text>Flags?</text></questiontext>
        <single>false</single><answer fraction="50"><text>SYN</text></answer><answer fraction="50"><text>ACK</text></answer>
        <answer fraction="0"><text>FIN</text></answer></question></quiz>"#;
    let found = problems(from_moodle_xml(multi, 1));
    assert!(found[0].1.starts_with("question 1 \"Many\": lets learners choose several answers"), "{found:?}");
    // A picture without words in one language: the question's name and the real reason.
    let picture = r#"<quiz><question type="truefalse"><name><text>Diagram</text></name>
        <questiontext format="html"><text><![CDATA[Is this a SYN?]]></text></questiontext>
        <generalfeedback format="html"><text><![CDATA[<span lang="en" class="multilang"><img src="@@PLUGINFILE@@/syn.png" alt=""></span><span lang="zh_cn" class="multilang">是</span>]]></text></generalfeedback>
        <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>"#;
    let found = problems(from_moodle_xml(picture, 1));
    assert_eq!(
        found,
        [(1, "question 1 \"Diagram\": the feedback is only a picture, which TCP Lab cannot show; write it in words".to_owned())]
    );
}

/// A unit reaches Moodle where learners see it: beside the answer box in Moodle XML (a menu of
/// the one unit, graded with no penalty), after the question text in GIFT; and it comes back.
#[test]
fn units_are_exported_so_moodle_shows_them() {
    let quiz = Quiz {
        title: "Units".into(),
        items: vec![Item { points: 1, question: numeric(t("RTT?", "往返时间？"), 20.0, 1.0, Some(t("ms", "毫秒")), None) }],
        ..Quiz::default()
    };
    let xml = to_moodle_xml(&quiz, None);
    for element in ["<unitgradingtype>1</unitgradingtype>", "<unitpenalty>0</unitpenalty>", "<showunits>2</showunits>"] {
        assert!(xml.contains(element), "{element} in {xml}");
    }
    let gift = to_gift(&quiz);
    assert!(gift.contains("RTT? (ms)") && gift.contains("往返时间？（毫秒）"), "{gift}");
    assert_eq!(from_gift(&gift, 1).unwrap(), quiz.items);
    assert_eq!(from_moodle_xml(&xml, 1).unwrap(), quiz.items);
}

/// Every model item a quiz can hold, exported to Moodle XML: the formula as written in the file,
/// evaluated as Moodle would for each of the file's own datasets (and many more learners), gives
/// the model's answer; the Chinese title is used when known.
#[test]
fn calculated_questions_give_each_learner_the_models_answer() {
    use tcplab_core::classroom::calculated::datasets;
    use tcplab_core::quiz::QUIZ_SCENARIOS;
    let titles: std::collections::BTreeMap<String, String> = [("handshake".to_owned(), "三次握手".to_owned())].into();
    let mut exported = 0;
    for scenario in QUIZ_SCENARIOS {
        for (step, _, _) in tcplab_core::classroom::segment_steps(scenario) {
            for field in [Field::Seq, Field::Ack, Field::Len] {
                let quiz = Quiz {
                    title: "M".into(),
                    items: vec![Item { points: 2, question: ItemBody::Model { scenario, step, field, kind: Kind::Field, side: None } }],
                    ..Quiz::default()
                };
                let xml = to_moodle_xml(&quiz, Some(&titles));
                let Some(formula) = between(&xml, "<answer fraction=\"100\">\n      <text>", "</text>") else { continue };
                exported += 1;
                // Moodle's datasets: item i of every wildcard together.
                let names: Vec<&str> =
                    xml.match_indices("<name><text>").map(|(i, _)| &xml[i + 12..]).skip(1).map(|s| &s[..s.find('<').unwrap()]).collect();
                let values = |name: &str| -> Vec<u64> {
                    let def = &xml[xml.find(&format!("<name><text>{name}</text></name>\n        <type>")).unwrap()..];
                    let def = &def[..def.find("</dataset_definition>").unwrap()];
                    def.match_indices("<value>").map(|(i, _)| def[i + 7..].split('<').next().unwrap().parse().unwrap()).collect()
                };
                let columns: Vec<(&str, Vec<u64>)> = names.iter().map(|n| (*n, values(n))).collect();
                let learners = datasets(40);
                for (i, p) in learners.iter().enumerate() {
                    let vars: Vec<(&str, u64)> = columns.iter().map(|(n, v)| (*n, v[i])).collect();
                    let run = tcplab_core::tcp::run(scenario, p).unwrap();
                    let seg = run.steps[step].segment().unwrap();
                    let want = match field {
                        Field::Seq => seg.seq,
                        Field::Ack => seg.ack,
                        _ => seg.len,
                    };
                    assert_eq!(moodle_eval(formula, &vars), u64::from(want), "{scenario} step {step} {field:?}: {formula} with {vars:?}");
                }
                if scenario == ScenarioId::Handshake {
                    assert!(xml.contains("三次握手"), "{xml}");
                }
                assert_eq!(from_moodle_xml(&xml, 1).unwrap(), quiz.items, "it comes back as the model question");
            }
        }
    }
    assert!(exported > 100, "{exported} calculated questions");
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = s.find(start)? + start.len();
    Some(&s[from..from + s[from..].find(end)?])
}

/// Moodle's evaluation of the formulas TCP Lab writes: `fmod(a + {x} + k*{y}, m)` in doubles.
fn moodle_eval(formula: &str, vars: &[(&str, u64)]) -> u64 {
    let inner = formula.strip_prefix("fmod(").and_then(|f| f.strip_suffix(')')).expect("fmod(sum, modulus)");
    let (sum, modulus) = inner.rsplit_once(", ").unwrap();
    let value = |term: &str| -> f64 {
        let (k, name) = term.split_once('*').map_or((1.0, term), |(k, n)| (k.parse().unwrap(), n));
        match name.strip_prefix('{').and_then(|n| n.strip_suffix('}')) {
            Some(n) => k * vars.iter().find(|(v, _)| *v == n).unwrap_or_else(|| panic!("no dataset for {n}")).1 as f64,
            None => k * name.parse::<f64>().unwrap(),
        }
    };
    let total: f64 = sum.split(" + ").map(value).sum();
    (total % modulus.parse::<f64>().unwrap()) as u64
}

/// What is refused is said in Chinese too, each problem and the whole answer.
#[test]
fn import_problems_are_written_in_both_languages() {
    let err = from_gift("::A:: Essay? {}\n\n::B:: Flags? {=SYN =ACK ~FIN}\n", 1).unwrap_err();
    let text = err.text();
    assert_eq!(
        text.zh_cn,
        "无法导入这些题目：第 1 道题 \"A\"：不能导入论述题；TCP Lab 接受单选题、判断题和数值题；第 2 道题 \"B\"：有 2 个正确答案；TCP Lab 需要恰好一个"
    );
    assert!(text.en.starts_with("could not import the questions: question 1 \"A\": essay questions cannot be imported"), "{}", text.en);
    let xml = from_moodle_xml("<quiz><question type=\"essay\"><name><text>E</text></name></question>", 1).unwrap_err().text();
    assert!(xml.zh_cn.starts_with("无法导入这些题目：文件不是格式正确的 XML（第 1 行"), "{}", xml.zh_cn);
    for problem in err.problems {
        assert!(!problem.message.zh_cn.is_empty() && problem.message.zh_cn != problem.message.en);
    }
}
