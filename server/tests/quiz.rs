//! Quizzes over HTTP with a real SQLite file: a learner is made on the first question, answers
//! are graded on the server and stored once per attempt, and bad input writes nothing.

mod common;

use axum::http::StatusCode;
use axum::response::Response;
use tcplab_core::api::{BankFeedback, BankQuestionView, ErrorBody, Feedback, Progress, QuestionView};
use tcplab_core::quiz::Topic;
use tcplab_core::quiz::{Answer, Kind, Question};
use tower::ServiceExt;

use common::{Browser, TestApp, body_text, test_app};

/// The quiz's own requests.
trait QuizBrowser {
    async fn question(&mut self, kind: &str) -> QuestionView;
    async fn answer(&mut self, id: &str, attempt: &str, answer: &Answer) -> Response;
}

impl QuizBrowser for Browser<'_> {
    async fn question(&mut self, kind: &str) -> QuestionView {
        self.json("POST", "/api/quiz/questions", Some(format!(r#"{{"kind":"{kind}"}}"#))).await
    }

    async fn answer(&mut self, id: &str, attempt: &str, answer: &Answer) -> Response {
        let body = serde_json::json!({ "attempt_id": attempt, "answer": answer }).to_string();
        self.send("POST", &format!("/api/quiz/questions/{id}/answers"), Some(body)).await
    }
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let sql = match table {
        "learners" => "SELECT count(*) FROM learners",
        "answers" => "SELECT count(*) FROM answers",
        other => panic!("no count for {other}"),
    };
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

/// The server's question, rebuilt the way the server does (the test may read the database).
async fn server_question(app: &TestApp, id: &str) -> Question {
    let (kind, seed): (String, i64) =
        sqlx::query_as("SELECT kind, seed FROM questions WHERE id = ?").bind(id).fetch_one(&app.pool).await.unwrap();
    Question::generate(seed as u64, Kind::parse(&kind).unwrap())
}

#[tokio::test]
async fn a_first_question_makes_an_anonymous_learner_and_answers_are_graded_and_kept() {
    let app = test_app().await;
    let mut b = Browser::new(&app);
    let progress: Progress = b.json("GET", "/api/progress", None).await;
    assert!(progress.history.is_empty());
    assert_eq!(count(&app, "learners").await, 0, "reading progress creates nobody");

    for kind in Kind::ALL {
        let q = b.question(kind.as_str()).await;
        assert_eq!(q.prompt.kind, kind);
        let question = server_question(&app, &q.id).await;
        let right = tcplab_core::quiz::expected(&question);
        let text = serde_json::to_string(&q).unwrap();
        if let Answer::Segment { seq, .. } = right {
            assert!(
                !text.contains(&format!("\"seq\":{seq}")) || q.prompt.shown.iter().any(|s| s.segment().is_some_and(|g| g.seq == seq)),
                "the prompt carries the answer: {text}"
            );
        }
        let response = b.answer(&q.id, &format!("attempt-{}", kind.as_str()), &right).await;
        assert_eq!(response.status(), StatusCode::OK);
        let feedback: Feedback = serde_json::from_str(&body_text(response).await).unwrap();
        assert!(feedback.correct, "{kind:?}");
        assert_eq!(feedback.replay.len(), feedback.step + 1, "the steps up to the asked one, to replay");
        assert!(!feedback.repeated);
    }
    assert_eq!(count(&app, "learners").await, 1);
    assert_eq!(count(&app, "answers").await, 4);
    let progress: Progress = b.json("GET", "/api/progress", None).await;
    assert_eq!(progress.history.len(), 4);
    let (model, bank): (Vec<_>, Vec<_>) = progress.topics.iter().partition(|t| t.kind.kind().is_some());
    assert!(model.iter().all(|t| t.answered == 1 && t.correct == 1 && t.mastery == 1.0), "{:?}", progress.topics);
    assert!(bank.iter().all(|t| t.answered == 0 && t.mastery == 0.0), "every topic is listed, answered or not");
    assert_eq!(progress.topics.len(), Topic::ALL.len());
}

#[tokio::test]
async fn a_retried_attempt_is_counted_once_and_a_foreign_attempt_id_is_refused() {
    let app = test_app().await;
    let mut alice = Browser::new(&app);
    let q = alice.question("state").await;
    let wrong = Answer::State { value: tcplab_core::tcp::TcpState::Listen };
    let first: Feedback = serde_json::from_str(&body_text(alice.answer(&q.id, "same-attempt", &wrong).await).await).unwrap();
    let again: Feedback = serde_json::from_str(&body_text(alice.answer(&q.id, "same-attempt", &wrong).await).await).unwrap();
    assert!(again.repeated);
    assert_eq!(first.correct, again.correct);
    assert_eq!(count(&app, "answers").await, 1);

    // Bob reuses Alice's attempt id on his own question: refused, nothing written.
    let mut bob = Browser::new(&app);
    let bq = bob.question("state").await;
    let response = bob.answer(&bq.id, "same-attempt", &wrong).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let err: ErrorBody = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!(err.error.field.as_deref(), Some("attempt_id"));
    // And Alice's question is not Bob's to answer.
    let (status, _) = bob
        .error(
            "POST",
            &format!("/api/quiz/questions/{}/answers", q.id),
            Some(r#"{"attempt_id":"b1","answer":{"type":"state","value":"LISTEN"}}"#.into()),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = bob.error("GET", &format!("/api/quiz/questions/{}", q.id), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(count(&app, "answers").await, 1);
}

/// Answers arriving together are written in batches: each is stored once, a duplicated attempt
/// id in the same batch is answered as a retry, and every verdict matches what was stored.
#[tokio::test]
async fn answers_sent_at_once_are_each_stored_once() {
    let app = test_app().await;
    let mut alice = Browser::new(&app);
    let q = alice.question("state").await;
    let right = tcplab_core::quiz::expected(&server_question(&app, &q.id).await);
    let mut requests = tokio::task::JoinSet::new();
    for n in 0..60 {
        // Every third request repeats one attempt id; half the others are wrong.
        let attempt = if n % 3 == 0 { "dup".to_owned() } else { format!("a{n}") };
        let answer = if n % 2 == 0 { right.clone() } else { Answer::State { value: tcplab_core::tcp::TcpState::Listen } };
        let body = serde_json::json!({ "attempt_id": attempt, "answer": answer }).to_string();
        let request = alice.request("POST", &format!("/api/quiz/questions/{}/answers", q.id), Some(body));
        let router = app.router.clone();
        requests.spawn(async move {
            let response = router.oneshot(request).await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            (attempt, serde_json::from_str::<Feedback>(&body_text(response).await).unwrap())
        });
    }
    let verdicts = requests.join_all().await;
    let first_dup: Vec<&Feedback> = verdicts.iter().filter(|(a, f)| a == "dup" && !f.repeated).map(|(_, f)| f).collect();
    assert_eq!(first_dup.len(), 1, "exactly one request stores the shared attempt id");
    assert!(verdicts.iter().filter(|(a, _)| a == "dup").all(|(_, f)| f.correct == first_dup[0].correct));
    assert!(verdicts.iter().filter(|(a, _)| a != "dup").all(|(_, f)| !f.repeated));
    assert_eq!(count(&app, "answers").await, 41, "40 distinct attempts and one shared one");
    let stored: Vec<(String, bool)> = sqlx::query_as("SELECT attempt_id, correct FROM answers").fetch_all(&app.pool).await.unwrap();
    for (attempt, feedback) in verdicts.iter().filter(|(_, f)| !f.repeated) {
        assert!(stored.contains(&(attempt.clone(), feedback.correct)), "{attempt} stored with its verdict");
    }
}

#[tokio::test]
async fn bad_answers_name_the_field_and_write_nothing() {
    let app = test_app().await;
    let mut b = Browser::new(&app);
    // A question about a number (a flags question would refuse a number for its type).
    let mut field_q = b.question("field").await;
    while field_q.prompt.field == Some(tcplab_core::quiz::Field::Flags) {
        field_q = b.question("field").await;
    }
    let uri = format!("/api/quiz/questions/{}/answers", field_q.id);
    for (body, status, field) in [
        // serde reads a tagged answer as a whole, so a value that is no number names `answer`;
        // a number out of a seq's range is the grader's to refuse, naming the value.
        (r#"{"attempt_id":"a1","answer":{"type":"number","value":"12abc"}}"#, StatusCode::UNPROCESSABLE_ENTITY, "answer"),
        (r#"{"attempt_id":"a1","answer":{"type":"number","value":4294967296}}"#, StatusCode::UNPROCESSABLE_ENTITY, "answer.value"),
        (r#"{"attempt_id":"a1","answer":{"type":"number","value":-1}}"#, StatusCode::UNPROCESSABLE_ENTITY, "answer.value"),
        (r#"{"attempt_id":"a1","answer":{"type":"guess","value":1}}"#, StatusCode::UNPROCESSABLE_ENTITY, "answer.type"),
        (r#"{"attempt_id":"a1","answer":{"type":"state","value":"LISTEN"}}"#, StatusCode::UNPROCESSABLE_ENTITY, "answer.type"),
        (r#"{"attempt_id":"<script>","answer":{"type":"number","value":1}}"#, StatusCode::UNPROCESSABLE_ENTITY, "attempt_id"),
        (r#"{"answer":{"type":"number","value":1}}"#, StatusCode::UNPROCESSABLE_ENTITY, "attempt_id"),
    ] {
        let (got, err) = b.error("POST", &uri, Some(body.into())).await;
        assert_eq!(got, status, "{body}: {:?}", err);
        assert_eq!(err.error.field.as_deref(), Some(field), "{body}: {}", err.error.message);
    }
    let (status, err) = b
        .error("POST", "/api/quiz/questions/nope/answers", Some(r#"{"attempt_id":"x","answer":{"type":"number","value":1}}"#.into()))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{err:?}");
    let (status, err) = b.error("POST", "/api/quiz/questions", Some(r#"{"kind":"essay"}"#.into())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err.error.field.as_deref(), Some("kind"), "{}", err.error.message);
    assert_eq!(count(&app, "answers").await, 0);
}

#[tokio::test]
async fn a_reload_shows_the_same_question() {
    let app = test_app().await;
    let mut b = Browser::new(&app);
    let q = b.question("next").await;
    let again: QuestionView = b.json("GET", &format!("/api/quiz/questions/{}", q.id), None).await;
    assert_eq!(again, q);
}

async fn answer_one(b: &mut Browser<'_>, attempt: &str) {
    let q = b.question("state").await;
    let response = b.answer(&q.id, attempt, &Answer::State { value: tcplab_core::tcp::TcpState::Established }).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn registering_keeps_the_progress_and_logging_in_elsewhere_brings_it_back() {
    let app = test_app().await;
    let mut laptop = Browser::new(&app);
    answer_one(&mut laptop, "laptop-1").await;
    let anonymous_cookie = laptop.cookie.clone();
    let me: serde_json::Value =
        laptop.json("POST", "/api/auth/register", Some(r#"{"username":"Ada","password":"correct horse"}"#.into())).await;
    assert_eq!(me["username"], "ada");
    assert_ne!(laptop.cookie, anonymous_cookie, "a new session id after registering");
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM learners WHERE username = 'ada'").fetch_one(&app.pool).await.unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    let progress: Progress = laptop.json("GET", "/api/progress", None).await;
    assert_eq!((progress.username.as_deref(), progress.history.len()), (Some("ada"), 1));

    // Another device: some anonymous answers first, then a login merges them into the account.
    let mut phone = Browser::new(&app);
    answer_one(&mut phone, "phone-1").await;
    let me: serde_json::Value =
        phone.json("POST", "/api/auth/login", Some(r#"{"username":"ada","password":"correct horse"}"#.into())).await;
    assert_eq!(me["username"], "ada");
    let progress: Progress = phone.json("GET", "/api/progress", None).await;
    assert_eq!(progress.history.len(), 2, "the laptop's answer and the phone's");
    // The phone's anonymous row stays, emptied, so its id is never handed to somebody else.
    assert_eq!(count(&app, "learners").await, 2);
    let owners: i64 = sqlx::query_scalar("SELECT count(DISTINCT learner_id) FROM answers").fetch_one(&app.pool).await.unwrap();
    assert_eq!(owners, 1, "every answer is the account's");
    let laptop_view: Progress = laptop.json("GET", "/api/progress", None).await;
    assert_eq!(laptop_view.history.len(), 2);

    let _: serde_json::Value = phone.json("POST", "/api/auth/logout", None).await;
    let me: serde_json::Value = phone.json("GET", "/api/auth/me", None).await;
    assert!(me["username"].is_null());
}

#[tokio::test]
async fn bad_credentials_are_refused_without_saying_which_part_was_wrong() {
    let app = test_app().await;
    let mut b = Browser::new(&app);
    let _: serde_json::Value = b.json("POST", "/api/auth/register", Some(r#"{"username":"grace","password":"long enough"}"#.into())).await;
    let mut other = Browser::new(&app);
    let (status, wrong_password) =
        other.error("POST", "/api/auth/login", Some(r#"{"username":"grace","password":"not the one"}"#.into())).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, no_user) = other.error("POST", "/api/auth/login", Some(r#"{"username":"nobody","password":"whatever1"}"#.into())).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_password.error.message, no_user.error.message);

    for (body, status, field) in [
        (r#"{"username":"g","password":"long enough"}"#, StatusCode::UNPROCESSABLE_ENTITY, "username"),
        (r#"{"username":"<script>","password":"long enough"}"#, StatusCode::UNPROCESSABLE_ENTITY, "username"),
        (r#"{"username":"grace2","password":"short"}"#, StatusCode::UNPROCESSABLE_ENTITY, "password"),
        (r#"{"username":"GRACE","password":"long enough"}"#, StatusCode::CONFLICT, "username"),
        (r#"{"username":"grace3"}"#, StatusCode::UNPROCESSABLE_ENTITY, "password"),
    ] {
        let (got, err) = other.error("POST", "/api/auth/register", Some(body.into())).await;
        assert_eq!(got, status, "{body}: {}", err.error.message);
        assert_eq!(err.error.field.as_deref(), Some(field), "{body}");
    }
    assert_eq!(count(&app, "learners").await, 1, "nothing half-saved");
}

#[tokio::test]
async fn lessons_opened_and_finished_are_kept_and_follow_the_account() {
    let app = test_app().await;
    let mut b = Browser::new(&app);
    let p: Progress = b.json("POST", "/api/progress/lessons/handshake", Some("{}".into())).await;
    assert_eq!(p.lessons.len(), 1);
    assert_eq!((p.lessons[0].id.as_str(), p.lessons[0].completed_at.as_deref()), ("handshake", None));
    let p: Progress = b.json("POST", "/api/progress/lessons/handshake", Some(r#"{"completed":true}"#.into())).await;
    assert!(p.lessons[0].completed_at.is_some());
    let p: Progress = b.json("POST", "/api/progress/lessons/handshake", Some("{}".into())).await;
    assert!(p.lessons[0].completed_at.is_some(), "opening it again does not undo finishing it");
    let (status, _) = b.error("POST", "/api/progress/lessons/no-such-lesson", Some("{}".into())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let _: serde_json::Value = b.json("POST", "/api/auth/register", Some(r#"{"username":"lin","password":"long enough"}"#.into())).await;
    let mut other = Browser::new(&app);
    let _: Progress = other.json("POST", "/api/progress/lessons/close", Some("{}".into())).await;
    let _: serde_json::Value = other.json("POST", "/api/auth/login", Some(r#"{"username":"lin","password":"long enough"}"#.into())).await;
    let p: Progress = other.json("GET", "/api/progress", None).await;
    let mut ids: Vec<&str> = p.lessons.iter().map(|l| l.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["close", "handshake"]);
}

/// Tuning questions come from the bank with the learner's own numbers, are graded on the server
/// with the generator's formulas, count once per attempt, and show in the progress as a topic.
#[tokio::test]
async fn tuning_questions_from_the_bank_are_graded_and_counted_as_a_topic() {
    let app = test_app().await;
    let mut b = Browser::new(&app);
    let q: BankQuestionView = b.json("POST", "/api/quiz/tuning", Some(r#"{"id":"keepalive-detect"}"#.into())).await;
    assert!(q.prompt.choices.is_empty() && q.prompt.unit.is_some());
    // The numbers in the text give the answer: time + probes × intvl.
    let numbers: Vec<u64> = q.prompt.text.en.split(|c: char| !c.is_ascii_digit()).filter_map(|w| w.parse().ok()).collect();
    let (time, intvl, probes) = (numbers[0], numbers[1], numbers[2]);
    let right = Answer::number((time + probes * intvl) as f64);
    let send = |attempt: &str, answer: &Answer| serde_json::json!({ "attempt_id": attempt, "answer": answer }).to_string();
    let uri = format!("/api/quiz/tuning/{}/answers", q.id);
    let f: BankFeedback = b.json("POST", &uri, Some(send("t1", &right))).await;
    assert!(f.correct && !f.repeated);
    assert_eq!(f.expected, right);
    assert!(f.explain.zh_cn.contains("SO_KEEPALIVE"));
    let again: BankFeedback = b.json("POST", &uri, Some(send("t1", &right))).await;
    assert!(again.repeated && again.correct);
    let f: BankFeedback = b.json("POST", &uri, Some(send("t2", &Answer::number((time + probes) as f64)))).await;
    assert!(!f.correct);

    // A multiple-choice question: the right index is the learner's own order.
    let mc: BankQuestionView = b.json("POST", "/api/quiz/tuning", Some(r#"{"id":"fin-timeout"}"#.into())).await;
    assert_eq!(mc.prompt.choices.len(), 3);
    let pick = mc.prompt.choices.iter().position(|c| c.en.starts_with("No:")).unwrap();
    let f: BankFeedback =
        b.json("POST", &format!("/api/quiz/tuning/{}/answers", mc.id), Some(send("t3", &Answer::Choice { index: pick }))).await;
    assert!(f.correct);
    assert_eq!(f.expected, Answer::Choice { index: pick });

    // Bad input names the field and writes nothing.
    let before = count(&app, "answers").await;
    let mc_uri = format!("/api/quiz/tuning/{}/answers", mc.id);
    for (body, field) in [
        (send("t4", &Answer::Choice { index: 3 }), "answer.index"),
        (send("t5", &Answer::number(1)), "answer.type"),
        (r#"{"attempt_id":"t6","answer":{"type":"number","value":-1}}"#.to_owned(), "answer"),
        (r#"{"attempt_id":"t7","answer":{"type":"number","value":"many"}}"#.to_owned(), "answer"),
    ] {
        let (status, err) = b.error("POST", &mc_uri, Some(body.clone())).await;
        assert!(status.is_client_error(), "{body}: {status}");
        assert!(err.error.field.as_deref().is_some_and(|f| f.starts_with(field)), "{body}: {:?}", err.error);
    }
    let (status, err) = b.error("POST", "/api/quiz/tuning", Some(r#"{"id":"no-such"}"#.into())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err.error.field.as_deref(), Some("id"));
    // A model question's id is not a bank question, and the other way round.
    let model = b.question("state").await;
    let (status, _) = b.error("GET", &format!("/api/quiz/tuning/{}", model.id), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = b.error("GET", &format!("/api/quiz/questions/{}", mc.id), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(count(&app, "answers").await, before);

    // The reload shows the same numbers; another learner cannot see it.
    let reloaded: BankQuestionView = b.json("GET", &format!("/api/quiz/tuning/{}", q.id), None).await;
    assert_eq!(reloaded, q);
    let (status, _) = Browser::new(&app).error("GET", &format!("/api/quiz/tuning/{}", q.id), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let progress: Progress = b.json("GET", "/api/progress", None).await;
    let tuning = progress.topics.iter().find(|t| t.kind == Topic::Tuning).unwrap();
    assert_eq!((tuning.answered, tuning.correct), (3, 2));
    assert!(progress.history.iter().all(|h| h.kind == Topic::Tuning));
}
