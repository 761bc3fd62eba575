//! Classes and class quizzes over HTTP with a real SQLite file: the authorization matrix over
//! every route of the router, cross-site refusal, login limits, invites, and a quiz from
//! authoring to results.

mod common;

use axum::http::{Method, StatusCode};
use tcplab::learners::admin;
use tcplab_core::api::Progress;
use tcplab_core::api::auth::{AccountList, AccountRow, Invite, Me, ResetInfo, ResetLink, Role};
use tcplab_core::api::classroom::{
    AnswersSaved, AttemptView, ClassDetail, ClassSummary, Classes, Deleted, EditableQuiz, Gradebook, LearnerException, QuizResults,
    QuizWindow,
};
use tcplab_core::classroom::ItemPrompt;
use tcplab_core::quiz::{Answer, Field};

use common::{Browser, TestApp, body_text, test_app};

const PASSWORD: &str = "correct horse battery";

async fn account(app: &TestApp, name: &str, role: Role) {
    admin::create_user(&app.pool, name, PASSWORD, role).await.unwrap();
}

async fn login<'a>(app: &'a TestApp, name: &str) -> Browser<'a> {
    let mut b = Browser::new(app);
    let me: Me = b.json("POST", "/api/auth/login", Some(format!(r#"{{"username":"{name}","password":"{PASSWORD}"}}"#))).await;
    assert_eq!(me.username.as_deref(), Some(name));
    b
}

/// teacher-a with a class "Networks".
async fn class_with_teacher(app: &TestApp) -> (Browser<'_>, ClassSummary) {
    account(app, "teacher-a", Role::Instructor).await;
    let mut t = login(app, "teacher-a").await;
    let class: ClassSummary = t.json("POST", "/api/classes", Some(r#"{"name":"Networks"}"#.into())).await;
    (t, class)
}

/// As [`class_with_teacher`], with the learner amy in the class.
async fn class_with_member(app: &TestApp) -> (Browser<'_>, Browser<'_>, ClassSummary) {
    let (t, class) = class_with_teacher(app).await;
    account(app, "amy", Role::Learner).await;
    let mut amy = login(app, "amy").await;
    let _: ClassSummary =
        amy.json("POST", "/api/classes/join", Some(format!(r#"{{"code":"{}"}}"#, class.join_code.clone().unwrap()))).await;
    (t, amy, class)
}

fn choice_quiz(title: &str, published: bool) -> String {
    serde_json::json!({
        "title": title, "published": published, "attempts_allowed": 5,
        "items": [{"points": 2, "question": {"type": "choice",
            "text": {"en": "Which flag opens a connection?", "zh-CN": "哪个标志打开连接？"},
            "choices": [{"text": {"en": "SYN", "zh-CN": "SYN"}, "correct": true}, {"text": {"en": "FIN", "zh-CN": "FIN"}}]}}]
    })
    .to_string()
}

/// Routes that delete or leave: asked last, each on classes of its own (`World::victims`).
const DESTRUCTIVE: [&str; 4] =
    ["/api/classes/{id}", "/api/quizzes/{id}", "/api/classes/{id}/leave", "/api/classes/{id}/members/{username}"];

fn destructive(method: &Method, path: &str) -> bool {
    (method == Method::DELETE || path.ends_with("/leave")) && DESTRUCTIVE.contains(&path)
}

struct World<'a> {
    callers: Vec<(&'static str, Option<Browser<'a>>)>,
    /// Per destructive route, two classes of teacher-a with learner-a in them and a quiz each:
    /// the first for the callers up to the instructor, the second for the other instructor and
    /// the admin (the instructor's own request has deleted or changed the first).
    victims: std::collections::BTreeMap<&'static str, [(i64, i64); 2]>,
    class_a: ClassSummary,
    code_c: String,
    quiz_a: i64,
    attempt: i64,
    invite_token: String,
}

/// Two classes with their instructors and one learner each, an admin, a third class to join,
/// a published quiz in class A and an attempt at it.
async fn world(app: &TestApp) -> World<'_> {
    for (name, role) in [
        ("learner-a", Role::Learner),
        ("learner-b", Role::Learner),
        ("teacher-a", Role::Instructor),
        ("teacher-b", Role::Instructor),
        ("root", Role::Admin),
    ] {
        account(app, name, role).await;
    }
    let mut ta = login(app, "teacher-a").await;
    let mut tb = login(app, "teacher-b").await;
    let class_a: ClassSummary = ta.json("POST", "/api/classes", Some(r#"{"name":"Networks A"}"#.into())).await;
    let class_b: ClassSummary = tb.json("POST", "/api/classes", Some(r#"{"name":"Networks B"}"#.into())).await;
    let class_c: ClassSummary = tb.json("POST", "/api/classes", Some(r#"{"name":"Networks C"}"#.into())).await;
    let quiz: EditableQuiz = ta.json("POST", &format!("/api/classes/{}/quizzes", class_a.id), Some(choice_quiz("Week 1", true))).await;
    let mut la = login(app, "learner-a").await;
    let mut lb = login(app, "learner-b").await;
    let _: ClassSummary =
        la.json("POST", "/api/classes/join", Some(format!(r#"{{"code":"{}"}}"#, class_a.join_code.clone().unwrap()))).await;
    let _: ClassSummary =
        lb.json("POST", "/api/classes/join", Some(format!(r#"{{"code":"{}"}}"#, class_b.join_code.clone().unwrap()))).await;
    let attempt: AttemptView = la.json("POST", &format!("/api/quizzes/{}/attempts", quiz.id), Some("{}".into())).await;
    let mut victims = std::collections::BTreeMap::new();
    for path in DESTRUCTIVE {
        let mut pair = [(0, 0); 2];
        for victim in &mut pair {
            let class: ClassSummary = ta.json("POST", "/api/classes", Some(r#"{"name":"Victim"}"#.into())).await;
            let code = class.join_code.unwrap();
            let _: ClassSummary = la.json("POST", "/api/classes/join", Some(format!(r#"{{"code":"{code}"}}"#))).await;
            let quiz: EditableQuiz = ta.json("POST", &format!("/api/classes/{}/quizzes", class.id), Some(choice_quiz("V", true))).await;
            *victim = (class.id, quiz.id);
        }
        victims.insert(path, pair);
    }
    let mut root = login(app, "root").await;
    let invite: Invite = root.json("POST", "/api/admin/invites", Some(r#"{"role":"instructor"}"#.into())).await;
    World {
        callers: vec![
            ("anonymous", None),
            ("learner", Some(la)),
            ("other learner", Some(lb)),
            ("instructor", Some(ta)),
            ("other instructor", Some(tb)),
            ("admin", Some(root)),
        ],
        victims,
        class_a,
        code_c: class_c.join_code.unwrap(),
        quiz_a: quiz.id,
        attempt: attempt.attempt_id,
        invite_token: invite.path.rsplit('/').next().unwrap().to_owned(),
    }
}

/// Expected statuses, in the order of `World::callers`: anonymous, learner in the class, learner
/// in another class, the class's instructor, another class's instructor, admin.
fn expected_statuses(method: &Method, path: &str) -> Option<[u16; 6]> {
    const PUBLIC: [u16; 6] = [200; 6];
    const TEACHER: [u16; 6] = [401, 403, 404, 200, 404, 200];
    Some(match (method.as_str(), path) {
        (
            "GET",
            "/api/lessons" | "/api/lessons/{id}" | "/api/steps" | "/api/scenarios" | "/api/scenarios/{id}" | "/api/errors" | "/api/ui",
        ) => PUBLIC,
        ("GET", "/api/tuning/sysctl.conf" | "/api/tuning/knowledge") | ("POST", "/api/tuning" | "/api/tuning/lint") => PUBLIC,
        ("POST", "/api/quiz/questions" | "/api/quiz/tuning" | "/api/progress/lessons/{id}") | ("GET", "/api/progress") => PUBLIC,
        // Somebody else's (here: made-up) question is never found.
        ("GET", "/api/quiz/questions/{id}" | "/api/quiz/tuning/{id}")
        | ("POST", "/api/quiz/questions/{id}/answers" | "/api/quiz/tuning/{id}/answers") => [404; 6],
        ("GET", "/api/auth/me" | "/api/invites/{token}") | ("POST", "/api/auth/logout") => PUBLIC,
        // A fresh visitor may register; a logged-in browser must log out first.
        ("POST", "/api/auth/register") => [200, 409, 409, 409, 409, 409],
        // Wrong password for everybody: the answer never says more.
        ("POST", "/api/auth/login") => [401; 6],
        ("POST", "/api/admin/invites") => [401, 403, 403, 403, 403, 200],
        // Enabling learner-a (who is) and a reset link for them: admins only.
        ("GET", "/api/admin/accounts") | ("PUT", "/api/admin/accounts/{username}") | ("POST", "/api/admin/accounts/{username}/reset") => {
            [401, 403, 403, 403, 403, 200]
        }
        // The token in the path (an invite's) is no reset link; the one in the body is made up.
        ("GET", "/api/resets/{token}") => [404; 6],
        ("POST", "/api/auth/reset") => [422; 6],
        // Both ask for the password again; the matrix sends a wrong one.
        ("POST", "/api/auth/password" | "/api/account/delete") => [401, 403, 403, 403, 403, 403],
        ("GET", "/api/account/export") => [401, 200, 200, 200, 200, 200],
        ("POST", "/api/classes/{id}/purge-deleted") => TEACHER,
        ("GET", "/api/classes") => [401, 200, 200, 200, 200, 200],
        ("POST", "/api/classes") => [401, 403, 403, 200, 200, 200],
        // Class C belongs to the other instructor, who cannot join their own class.
        ("POST", "/api/classes/join") => [401, 200, 200, 200, 422, 200],
        ("GET", "/api/classes/{id}") => [401, 200, 404, 200, 404, 200],
        ("GET", "/api/classes/{id}/gradebook" | "/api/classes/{id}/gradebook.csv") => TEACHER,
        ("GET" | "PUT", "/api/quizzes/{id}/exceptions") => TEACHER,
        ("POST", "/api/classes/{id}/quizzes") => TEACHER,
        ("PUT" | "DELETE", "/api/classes/{id}") | ("DELETE", "/api/classes/{id}/members/{username}" | "/api/quizzes/{id}") => TEACHER,
        // Only a member leaves; its instructor (and an admin, who runs every class) archives it.
        ("POST", "/api/classes/{id}/leave") => [401, 200, 404, 409, 404, 409],
        ("GET" | "PUT", "/api/quizzes/{id}") => TEACHER,
        ("POST", "/api/quizzes/{id}/duplicate" | "/api/quizzes/{id}/import") => TEACHER,
        ("GET", "/api/quizzes/{id}/results" | "/api/quizzes/{id}/results.csv" | "/api/quizzes/{id}/export") => TEACHER,
        // Only learners take quizzes: an instructor's attempt would count in the results.
        ("POST", "/api/quizzes/{id}/attempts") => [401, 200, 404, 403, 404, 403],
        // An attempt is its learner's to hand in; its class's instructor may read it.
        ("GET", "/api/attempts/{id}") => [401, 200, 404, 200, 404, 200],
        // Saved as the learner works; the route runs before the hand-in below.
        ("PUT", "/api/attempts/{id}/answers") => [401, 200, 404, 404, 404, 404],
        ("POST", "/api/attempts/{id}/submit") => [401, 200, 404, 404, 404, 404],
        // After the hand-in above: the class's instructor may change the score; its learner
        // knows the attempt exists, so is refused rather than not found.
        ("PUT", "/api/attempts/{id}/score") => [401, 403, 404, 200, 404, 200],
        _ => return None,
    })
}

fn request_for(w: &World, method: &Method, path: &str, caller: usize) -> (String, Option<String>) {
    let id = match path {
        p if destructive(method, p) => {
            let (class, quiz) = w.victims[p][usize::from(caller >= 4)];
            if p.starts_with("/api/quizzes/") { quiz } else { class }.to_string()
        }
        p if p.starts_with("/api/classes/") => w.class_a.id.to_string(),
        p if p.starts_with("/api/quizzes/") => w.quiz_a.to_string(),
        p if p.starts_with("/api/attempts/") => w.attempt.to_string(),
        p if p.starts_with("/api/quiz/") => "0123456789abcdef0123456789abcdef".into(),
        _ => "handshake".into(),
    };
    let mut uri = path.replace("{id}", &id).replace("{token}", &w.invite_token).replace("{username}", "learner-a");
    match path {
        "/api/quizzes/{id}/export" => uri.push_str("?format=gift"),
        "/api/tuning/sysctl.conf" => uri.push_str("?w=short"),
        _ => {}
    }
    let body = match (method.as_str(), path) {
        ("GET", _) => None,
        (_, "/api/auth/register") => Some(format!(r#"{{"username":"newcomer{caller}","password":"{PASSWORD}"}}"#)),
        // A different name each time, or the sixth would meet the login limit.
        (_, "/api/auth/login") => Some(format!(r#"{{"username":"teacher-a{caller}","password":"not the password"}}"#)),
        (_, "/api/admin/invites") => Some(r#"{"role":"instructor"}"#.into()),
        (_, "/api/auth/password") => Some(r#"{"current":"not the password","new":"a new good password"}"#.into()),
        (_, "/api/account/delete") => Some(r#"{"password":"not the password"}"#.into()),
        ("PUT", "/api/admin/accounts/{username}") => Some(r#"{"disabled":false}"#.into()),
        (_, "/api/auth/reset") => Some(r#"{"token":"0123456789abcdef","password":"a new good password"}"#.into()),
        (_, "/api/classes") => Some(r#"{"name":"Another"}"#.into()),
        ("PUT", "/api/classes/{id}") => Some(r#"{"name":"Networks A, renamed"}"#.into()),
        (_, "/api/classes/join") => Some(format!(r#"{{"code":"{}"}}"#, w.code_c)),
        (_, "/api/classes/{id}/quizzes" | "/api/quizzes/{id}") => Some(choice_quiz("Week 1", true)),
        (_, "/api/quizzes/{id}/import") => {
            Some(r#"{"format":"gift","text":"::Q:: Which state follows SYN_SENT? {=ESTABLISHED ~LISTEN}"}"#.into())
        }
        (_, "/api/attempts/{id}/submit") => Some(r#"{"answers":[{"type":"blank"}]}"#.into()),
        (_, "/api/attempts/{id}/score") => Some(r#"{"score":1,"reason":"regraded in class"}"#.into()),
        (_, "/api/quizzes/{id}/exceptions") => Some(r#"{"username":"learner-a","extra_attempts":1}"#.into()),
        (_, "/api/attempts/{id}/answers") => Some(r#"{"answers":[{"index":0,"answer":{"type":"choice","index":1}}]}"#.into()),
        (_, "/api/quiz/questions") => Some(r#"{"kind":"field"}"#.into()),
        (_, "/api/quiz/questions/{id}/answers") => Some(r#"{"attempt_id":"a1","answer":{"type":"number","value":1}}"#.into()),
        (_, "/api/quiz/tuning/{id}/answers") => Some(r#"{"attempt_id":"a2","answer":{"type":"number","value":1}}"#.into()),
        (_, "/api/tuning") => Some(r#"{"workload":"proxy"}"#.into()),
        (_, "/api/tuning/lint") => Some("net.core.somaxconn = 4096\n".into()),
        _ => Some("{}".into()),
    };
    (uri, body)
}

#[tokio::test]
async fn every_route_answers_every_kind_of_caller_as_expected() {
    let app = test_app().await;
    let mut w = world(&app).await;
    let mut routes = tcplab::app::api_route_list();
    // Deleting and leaving come after the rest; logging out ends the callers' sessions: last.
    routes.sort_by_key(|(method, path)| (*path == "/api/auth/logout", destructive(method, path)));
    let mut failures = Vec::new();
    for (method, path) in &routes {
        let Some(want) = expected_statuses(method, path) else {
            failures.push(format!("{method} {path}: no row in the authorization matrix; add one"));
            continue;
        };
        for (caller, want) in want.into_iter().enumerate() {
            let (uri, body) = request_for(&w, method, path, caller);
            let mut fresh = Browser::new(&app);
            let (who, browser) = &mut w.callers[caller];
            // A visitor is a new browser each time: registering would make the last one a user.
            let browser = browser.as_mut().unwrap_or(&mut fresh);
            let mut request = browser.request(method.as_str(), &uri, body.clone());
            if path == "/api/tuning/lint" {
                request.headers_mut().insert("content-type", "text/plain".parse().unwrap());
            }
            let response = browser.send_request(request).await;
            let status = response.status().as_u16();
            if status != want {
                failures.push(format!("{method} {uri} as {who}: {status}, expected {want} ({})", body_text(response).await));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // And the matrix has no rows for routes that are gone.
    for (m, p) in [("GET", "/api/classes"), ("POST", "/api/attempts/{id}/submit")] {
        assert!(routes.iter().any(|(method, path)| method.as_str() == m && path == p));
    }
}

#[tokio::test]
async fn cross_site_requests_are_refused_before_they_change_anything() {
    let app = test_app().await;
    account(&app, "teacher-a", Role::Instructor).await;
    let mut ta = login(&app, "teacher-a").await;
    for (header, value) in [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")] {
        let mut request = ta.request("POST", "/api/classes", Some(r#"{"name":"Forged"}"#.into()));
        request.headers_mut().insert(header, value.parse().unwrap());
        request.headers_mut().insert("host", "tcplab.test".parse().unwrap());
        let response = ta.send_request(request).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert!(body_text(response).await.contains("cross-site"));
    }
    let mut same = ta.request("POST", "/api/classes", Some(r#"{"name":"Real"}"#.into()));
    same.headers_mut().insert("sec-fetch-site", "same-origin".parse().unwrap());
    assert_eq!(ta.send_request(same).await.status(), StatusCode::OK);
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM classes").fetch_all(&app.pool).await.unwrap();
    assert_eq!(names, ["Real"]);
}

#[tokio::test]
async fn the_sixth_wrong_password_in_a_row_is_refused_with_retry_after() {
    let app = test_app().await;
    account(&app, "ann", Role::Learner).await;
    let mut b = Browser::new(&app);
    for _ in 0..5 {
        let (status, _) = b.error("POST", "/api/auth/login", Some(r#"{"username":"ann","password":"guess guess"}"#.into())).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let response = b.send("POST", "/api/auth/login", Some(format!(r#"{{"username":"ann","password":"{PASSWORD}"}}"#))).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    let retry: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 15 * 60);
}

#[tokio::test]
async fn an_invite_makes_one_instructor_once() {
    let app = test_app().await;
    account(&app, "root", Role::Admin).await;
    let mut root = login(&app, "root").await;
    let invite: Invite = root.json("POST", "/api/admin/invites", Some(r#"{"role":"instructor"}"#.into())).await;
    let token = invite.path.strip_prefix("/invite/").unwrap();
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM invites").fetch_one(&app.pool).await.unwrap();
    assert_ne!(stored, token, "only a hash is stored");
    let register = |name: &str| format!(r#"{{"username":"{name}","password":"{PASSWORD}","invite":"{token}"}}"#);
    let mut first = Browser::new(&app);
    let me: Me = first.json("POST", "/api/auth/register", Some(register("prof"))).await;
    assert_eq!(me.role, Role::Instructor);
    let mut second = Browser::new(&app);
    let (status, e) = second.error("POST", "/api/auth/register", Some(register("sneaky"))).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invite")));
    let sneaky: i64 = sqlx::query_scalar("SELECT count(*) FROM learners WHERE username = 'sneaky'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(sneaky, 0, "nothing half-saved");
    assert_eq!(Browser::new(&app).send("GET", &format!("/api/invites/{token}"), None).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_model_quiz_from_authoring_to_results() {
    let app = test_app().await;
    account(&app, "teacher-a", Role::Instructor).await;
    for name in ["amy", "bob"] {
        account(&app, name, Role::Learner).await;
    }
    let mut t = login(&app, "teacher-a").await;
    let class: ClassSummary = t.json("POST", "/api/classes", Some(r#"{"name":"<script>alert(1)</script>"}"#.into())).await;
    assert_eq!(class.name, "<script>alert(1)</script>", "stored as written");
    let draft = serde_json::json!({"title": "Handshake", "published": true, "items": [
        {"points": 3, "question": {"type": "model", "scenario": "handshake", "step": 1, "field": "ack"}},
        {"points": 1, "question": {"type": "numeric", "text": {"en": "MSL in s?", "zh-CN": "MSL 几秒？"}, "answer": 60.0}}]});
    // A bad item names its field and saves nothing.
    let mut bad = draft.clone();
    bad["items"][0]["question"]["step"] = 0.into();
    let (status, e) = t.error("POST", &format!("/api/classes/{}/quizzes", class.id), Some(bad.to_string())).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("items[0].question.field")));
    let quiz: EditableQuiz = t.json("POST", &format!("/api/classes/{}/quizzes", class.id), Some(draft.to_string())).await;

    let mut seeds = Vec::new();
    for (name, right) in [("amy", true), ("bob", false)] {
        let mut l = login(&app, name).await;
        let code = class.join_code.clone().unwrap();
        let _: ClassSummary = l.json("POST", "/api/classes/join", Some(format!(r#"{{"code":"{}"}}"#, code.to_lowercase()))).await;
        let detail: ClassDetail = l.json("GET", &format!("/api/classes/{}", class.id), None).await;
        assert_eq!(detail.quizzes.len(), 1);
        let attempt: AttemptView = l.json("POST", &format!("/api/quizzes/{}/attempts", quiz.id), Some("{}".into())).await;
        let ItemPrompt::Model { prompt } = &attempt.items[0].prompt else { panic!("{attempt:?}") };
        assert_eq!((prompt.field, prompt.asked.ack), (Some(Field::Ack), None), "the asked field is blank");
        seeds.push(prompt.client_isn);
        // Work the answer out as a learner would: the SYN+ACK acknowledges the client's ISN + 1.
        let ack = f64::from(prompt.client_isn.wrapping_add(1)) + if right { 0.0 } else { 1.0 };
        let answers = serde_json::json!({"answers": [{"type": "number", "value": ack}, {"type": "number", "value": 60}]});
        let (status, e) = l.error("POST", &format!("/api/attempts/{}/submit", attempt.attempt_id), Some(r#"{"answers":[]}"#.into())).await;
        assert_eq!((status, e.error.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("answers")));
        let done: AttemptView = l.json("POST", &format!("/api/attempts/{}/submit", attempt.attempt_id), Some(answers.to_string())).await;
        let result = done.result.unwrap();
        assert_eq!(result.score, Some(if right { 4 } else { 1 }));
        let (status, _) = l.error("POST", &format!("/api/attempts/{}/submit", attempt.attempt_id), Some(answers.to_string())).await;
        assert_eq!(status, StatusCode::CONFLICT, "submitted once");
        let _: Progress = l.json("GET", "/api/progress", None).await;
    }
    assert_ne!(seeds[0], seeds[1], "each learner has their own numbers");

    let results: QuizResults = t.json("GET", &format!("/api/quizzes/{}/results", quiz.id), None).await;
    let s = &results.summary;
    assert_eq!(s.learners.iter().map(|l| (l.username.as_str(), l.best)).collect::<Vec<_>>(), [("amy", 4), ("bob", 1)]);
    assert_eq!((s.items[0].correct, s.items[0].answered), (1, 2));
    assert_eq!(s.items[0].common_wrong, [(tcplab_core::quiz::WrongKind::Off { by: 1 }, 1)]);
    assert_eq!(s.histogram.iter().sum::<u32>(), 2);
    let csv = body_text(t.send("GET", &format!("/api/quizzes/{}/results.csv", quiz.id), None).await).await;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "username,attempts,best_score,max_score,percent,last_submitted_at,q1_correct,q2_correct");
    assert!(lines[1].starts_with("amy,1,4,4,100.0,") && lines[1].ends_with(",1,1"), "{csv}");
    assert!(lines[2].starts_with("bob,1,1,4,25.0,") && lines[2].ends_with(",0,1"), "{csv}");

    // Editing the questions afterwards: the scores stay, the per-question figures only count
    // attempts on today's questions, and the CSV leaves yesterday's question columns blank.
    let mut edited = draft.clone();
    edited["items"].as_array_mut().unwrap().reverse();
    let _: EditableQuiz = t.json("PUT", &format!("/api/quizzes/{}", quiz.id), Some(edited.to_string())).await;
    let results: QuizResults = t.json("GET", &format!("/api/quizzes/{}/results", quiz.id), None).await;
    assert_eq!(results.summary.earlier_version, 2);
    assert_eq!(results.summary.items.iter().map(|i| i.answered).sum::<u32>(), 0);
    assert_eq!(results.summary.learners.iter().map(|l| (l.best, l.max)).collect::<Vec<_>>(), [(4, 4), (1, 4)]);
    let csv = body_text(t.send("GET", &format!("/api/quizzes/{}/results.csv", quiz.id), None).await).await;
    assert!(csv.lines().nth(1).unwrap().starts_with("amy,1,4,4,100.0,") && csv.lines().nth(1).unwrap().ends_with(",,"), "{csv}");
}

#[tokio::test]
async fn what_learners_see_follows_the_quiz_settings() {
    let app = test_app().await;
    let (mut t, mut amy, class) = class_with_member(&app).await;
    let create = |quiz: serde_json::Value| (format!("/api/classes/{}/quizzes", class.id), Some(quiz.to_string()));
    let base: serde_json::Value = serde_json::from_str(&choice_quiz("Q", true)).unwrap();
    let with = |changes: &[(&str, serde_json::Value)]| {
        let mut q = base.clone();
        for (k, v) in changes {
            q[*k] = v.clone();
        }
        q
    };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;

    // A draft is not there for learners.
    let (uri, body) = create(with(&[("published", false.into())]));
    let draft: EditableQuiz = t.json("POST", &uri, body).await;
    assert_eq!(amy.send("POST", &format!("/api/quizzes/{}/attempts", draft.id), Some("{}".into())).await.status(), StatusCode::NOT_FOUND);
    let detail: ClassDetail = amy.json("GET", &format!("/api/classes/{}", class.id), None).await;
    assert!(detail.quizzes.is_empty());

    // Not yet open, and closed: 409 naming the quiz.
    for window in
        [with(&[("opens_at", (now + 3600).into())]), with(&[("opens_at", (now - 7200).into()), ("closes_at", (now - 3600).into())])]
    {
        let (uri, body) = create(window);
        let quiz: EditableQuiz = t.json("POST", &uri, body).await;
        let (status, e) = amy.error("POST", &format!("/api/quizzes/{}/attempts", quiz.id), Some("{}".into())).await;
        assert_eq!((status, e.error.field.as_deref()), (StatusCode::CONFLICT, Some("quiz")));
    }

    // Scores after close: handed in, but no score while the quiz is open.
    let (uri, body) = create(with(&[("show_scores", "after_close".into()), ("attempts_allowed", 1.into())]));
    let later: EditableQuiz = t.json("POST", &uri, body).await;
    let attempt: AttemptView = amy.json("POST", &format!("/api/quizzes/{}/attempts", later.id), Some("{}".into())).await;
    let done: AttemptView =
        amy.json("POST", &format!("/api/attempts/{}/submit", attempt.attempt_id), Some(r#"{"answers":[{"type":"blank"}]}"#.into())).await;
    let result = done.result.unwrap();
    assert_eq!((result.score, result.grades), (None, None));
    // One attempt allowed, and it is used.
    let (status, e) = amy.error("POST", &format!("/api/quizzes/{}/attempts", later.id), Some("{}".into())).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::CONFLICT, Some("attempts")));

    // Immediately, with attempts left: the score, but not yet the right answers.
    let (uri, body) = create(with(&[("attempts_allowed", 2.into())]));
    let twice: EditableQuiz = t.json("POST", &uri, body).await;
    for round in 0..2 {
        let attempt: AttemptView = amy.json("POST", &format!("/api/quizzes/{}/attempts", twice.id), Some("{}".into())).await;
        let done: AttemptView = amy
            .json("POST", &format!("/api/attempts/{}/submit", attempt.attempt_id), Some(r#"{"answers":[{"type":"blank"}]}"#.into()))
            .await;
        let result = done.result.unwrap();
        assert_eq!(result.score, Some(0));
        assert_eq!(result.grades.is_some(), round == 1, "right answers only once no attempt is left");
    }

    // Handing in just after the close is accepted (an attempt started in time); long after, not.
    for (closed_ago, status) in [(20, StatusCode::OK), (600, StatusCode::CONFLICT)] {
        let (uri, body) = create(with(&[("attempts_allowed", 1.into())]));
        let quiz: EditableQuiz = t.json("POST", &uri, body).await;
        let attempt: AttemptView = amy.json("POST", &format!("/api/quizzes/{}/attempts", quiz.id), Some("{}".into())).await;
        let closed = with(&[("opens_at", (now - 7200).into()), ("closes_at", (now - closed_ago).into())]);
        let _: EditableQuiz = t.json("PUT", &format!("/api/quizzes/{}", quiz.id), Some(closed.to_string())).await;
        let response = amy
            .send("POST", &format!("/api/attempts/{}/submit", attempt.attempt_id), Some(r#"{"answers":[{"type":"blank"}]}"#.into()))
            .await;
        assert_eq!(response.status(), status, "closed {closed_ago} s ago");
    }

    // A teacher demoted to learner no longer runs the class.
    admin::set_role(&app.pool, "teacher-a", Role::Learner).await.unwrap();
    assert_eq!(t.send("GET", &format!("/api/quizzes/{}", twice.id), None).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(t.send("GET", &format!("/api/quizzes/{}/results", twice.id), None).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_import_is_all_or_nothing_and_names_the_files_question() {
    let app = test_app().await;
    let (mut t, class) = class_with_teacher(&app).await;
    let quiz: EditableQuiz = t.json("POST", &format!("/api/classes/{}/quizzes", class.id), Some(choice_quiz("Q", true))).await;
    let import = |text: &str| serde_json::json!({"format": "gift", "text": text, "points": 2}).to_string();
    // The second question is an essay, which a quiz cannot hold: nothing is added.
    let bad = "::A:: Which flag opens? {=SYN ~FIN}\n\n::B:: Essay? {}\n";
    let (status, e) = t.error("POST", &format!("/api/quizzes/{}/import", quiz.id), Some(import(bad))).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("text")));
    assert!(e.error.message.contains("question 2"), "{}", e.error.message);
    let unchanged: EditableQuiz = t.json("GET", &format!("/api/quizzes/{}", quiz.id), None).await;
    assert_eq!(unchanged.quiz.items.len(), 1, "nothing half-imported");
    // A question the format allows but a quiz does not (a text over 4000 characters) is named
    // by its place in the file.
    let many = format!("::A:: Which flag opens? {{=SYN ~FIN}}\n\n::B:: {}? {{=SYN ~FIN}}\n", "x".repeat(4100));
    let (status, e) = t.error("POST", &format!("/api/quizzes/{}/import", quiz.id), Some(import(&many))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.error.message.starts_with("question 2 \"B\" of the file: question.text.en: at most 4000"), "{}", e.error.message);
    let (_, e) = t.error("POST", &format!("/api/quizzes/{}/import?lang=zh-CN", quiz.id), Some(import(&many))).await;
    assert_eq!(e.error.message, "文件中的第 2 道题 \"B\"：question.text.en：最多 4000 个字符", "{e:?}");
    let good = "::A:: Which flag opens? {=SYN ~FIN}\n\n::B:: MSL on Linux in seconds? {#60}\n";
    let report: tcplab_core::api::classroom::ImportReport =
        t.json("POST", &format!("/api/quizzes/{}/import", quiz.id), Some(import(good))).await;
    assert_eq!((report.imported, report.quiz.quiz.items.len(), report.quiz.quiz.items[2].points), (2, 3, 2));
}

/// The closing grace must not move the opening: a quiz that opened 10 s ago takes hand-ins.
#[tokio::test]
async fn a_quiz_takes_hand_ins_from_its_opening() {
    let app = test_app().await;
    let (mut t, mut amy, class) = class_with_member(&app).await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let mut quiz: serde_json::Value = serde_json::from_str(&choice_quiz("Opened just now", true)).unwrap();
    quiz["opens_at"] = (now - 10).into();
    quiz["closes_at"] = (now + 3600).into();
    let quiz: EditableQuiz = t.json("POST", &format!("/api/classes/{}/quizzes", class.id), Some(quiz.to_string())).await;
    let attempt: AttemptView = amy.json("POST", &format!("/api/quizzes/{}/attempts", quiz.id), Some("{}".into())).await;
    let handed: AttemptView = amy
        .json("POST", &format!("/api/attempts/{}/submit", attempt.attempt_id), Some(r#"{"answers":[{"type":"choice","index":0}]}"#.into()))
        .await;
    assert!(handed.result.is_some(), "handed in 10 s after the opening");
}

/// Control characters in a quiz's texts are refused naming the field, and the export of a quiz
/// names every question by its title, escaped for the format.
#[tokio::test]
async fn quiz_texts_refuse_control_characters_and_exports_escape_titles() {
    let app = test_app().await;
    let (mut t, class) = class_with_teacher(&app).await;
    let uri = format!("/api/classes/{}/quizzes", class.id);
    let mut quiz: serde_json::Value = serde_json::from_str(&choice_quiz("Week 1", false)).unwrap();
    quiz["items"][0]["question"]["text"]["en"] = "Which\u{0} flag?".into();
    let (status, e) = t.error("POST", &uri, Some(quiz.to_string())).await;
    assert_eq!(
        (status, e.error.field.as_deref()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("items[0].question.text.en")),
        "{}",
        e.error.message
    );
    assert!(e.error.message.contains("U+0000"), "{}", e.error.message);
    // In Chinese, the check's own words: which character, where, and what may be used.
    let (_, e) = t.error("POST", &format!("{uri}?lang=zh-CN"), Some(quiz.to_string())).await;
    assert_eq!(e.error.message, "请删除控制字符 U+0000（第 6 个字符）；只能使用换行和制表符", "{e:?}");
    assert_eq!(e.error.lang, tcplab_core::lang::Lang::ZhCn);

    let mut quiz: serde_json::Value = serde_json::from_str(&choice_quiz("<Week> & ::one:: {1}", false)).unwrap();
    quiz["items"][0]["question"]["text"]["en"] = "Line one\n\tand two <b>".into();
    let saved: EditableQuiz = t.json("POST", &uri, Some(quiz.to_string())).await;
    let xml = body_text(t.send("GET", &format!("/api/quizzes/{}/export?format=moodle_xml", saved.id), None).await).await;
    assert!(xml.contains("<name><text>&lt;Week&gt; &amp; ::one:: {1} 1</text></name>"), "{xml}");
    let gift = body_text(t.send("GET", &format!("/api/quizzes/{}/export?format=gift", saved.id), None).await).await;
    assert!(gift.contains(r"::<Week> & \:\:one\:\: \{1\} 1::"), "{gift}");
}

/// The import route takes 2 MiB, and its 413 says so (not the general 64 KiB).
#[tokio::test]
async fn an_oversized_import_is_refused_naming_its_own_limit() {
    let app = test_app().await;
    let (mut t, class) = class_with_teacher(&app).await;
    let quiz: EditableQuiz = t.json("POST", &format!("/api/classes/{}/quizzes", class.id), Some(choice_quiz("Week 1", false))).await;
    let body = serde_json::json!({"format": "gift", "text": "x".repeat(3 * 1024 * 1024)}).to_string();
    let (status, e) = t.error("POST", &format!("/api/quizzes/{}/import", quiz.id), Some(body)).await;
    assert_eq!((status, e.error.code.as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"));
    assert!(e.error.message.contains("2 MiB"), "{}", e.error.message);
}

/// A choice (2 points) and a number (3 points, 60 s): a quiz to work through a little at a time.
fn two_questions(time_limit_s: Option<u32>) -> String {
    serde_json::json!({
        "title": "Timers", "published": true, "attempts_allowed": 2, "time_limit_s": time_limit_s,
        "items": [
            {"points": 2, "question": {"type": "choice",
                "text": {"en": "Which flag opens a connection?", "zh-CN": "哪个标志打开连接？"},
                "choices": [{"text": {"en": "SYN", "zh-CN": "SYN"}, "correct": true}, {"text": {"en": "FIN", "zh-CN": "FIN"}}]}},
            {"points": 3, "question": {"type": "numeric",
                "text": {"en": "TIME-WAIT on Linux, in seconds?", "zh-CN": "Linux 的 TIME-WAIT 有多少秒？"}, "answer": 60}}
        ]
    })
    .to_string()
}

/// The index of the right choice in this attempt's own order.
fn right_choice(attempt: &AttemptView) -> usize {
    let ItemPrompt::Choice { choices, .. } = &attempt.items[0].prompt else { panic!("a choice first") };
    choices.iter().position(|c| c.en == "SYN").unwrap()
}

fn save(index: usize, answer: &str) -> Option<String> {
    Some(format!(r#"{{"answers":[{{"index":{index},"answer":{answer}}}]}}"#))
}

/// Answers saved one question at a time are there on another device, a save sent twice is one
/// save, and what cannot be graded is refused naming its place, in the reader's language.
#[tokio::test]
async fn answers_are_saved_as_the_learner_works_and_resume_on_another_device() {
    let app = test_app().await;
    let (mut t, mut amy, class) = class_with_member(&app).await;
    let quiz: EditableQuiz = t.json("POST", &format!("/api/classes/{}/quizzes", class.id), Some(two_questions(None))).await;
    let attempt: AttemptView = amy.json("POST", &format!("/api/quizzes/{}/attempts", quiz.id), Some("{}".into())).await;
    assert_eq!(attempt.saved, [Answer::Blank, Answer::Blank], "an attempt starts blank");
    assert_eq!((attempt.due_at, attempt.saved_at.as_deref()), (None, None));
    let uri = format!("/api/attempts/{}/answers", attempt.attempt_id);
    let right = right_choice(&attempt);
    let choice = format!(r#"{{"type":"choice","index":{right}}}"#);
    let first: AnswersSaved = amy.json("PUT", &uri, save(0, &choice)).await;
    let again: AnswersSaved = amy.json("PUT", &uri, save(0, &choice)).await;
    assert!(again.saved_at >= first.saved_at);
    let _: AnswersSaved = amy.json("PUT", &uri, save(1, r#"{"type":"number","value":59}"#)).await;
    let _: AnswersSaved = amy.json("PUT", &uri, save(1, r#"{"type":"number","value":60}"#)).await;

    // Another device: the same account logged in afresh resumes the same attempt.
    let mut phone = login(&app, "amy").await;
    let resumed: AttemptView = phone.json("POST", &format!("/api/quizzes/{}/attempts", quiz.id), Some("{}".into())).await;
    assert_eq!(resumed.attempt_id, attempt.attempt_id);
    assert_eq!(resumed.saved, [Answer::Choice { index: right }, Answer::number(60.0)]);
    assert!(resumed.saved_at.is_some());
    // Its instructor sees the answers so far.
    let read: AttemptView = t.json("GET", &format!("/api/attempts/{}", attempt.attempt_id), None).await;
    assert_eq!(read.saved, resumed.saved);

    // What does not fit is refused, naming the place; nothing saved changes.
    let (status, e) = amy.error("PUT", &uri, save(2, r#"{"type":"blank"}"#)).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("answers[0].index")));
    assert!(e.error.message.contains("there is no 2"), "{}", e.error.message);
    let (_, e) = amy.error("PUT", &format!("{uri}?lang=zh-CN"), save(2, r#"{"type":"blank"}"#)).await;
    assert_eq!(e.error.message, "这次作答的题号是 0 到 1，没有第 2 题");
    let (status, e) = amy.error("PUT", &uri, save(0, r#"{"type":"number","value":1}"#)).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("answers[0].answer.type")));
    let (status, _) = amy.error("PUT", &uri, Some(r#"{"answers":[]}"#.into())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Nobody else's attempt: not found.
    assert_eq!(t.send("PUT", &uri, save(0, &choice)).await.status(), StatusCode::NOT_FOUND);
    let kept: AttemptView = phone.json("GET", &format!("/api/attempts/{}", attempt.attempt_id), None).await;
    assert_eq!(kept.saved, resumed.saved);

    // Handed in from the phone; the laptop's late save is refused and says why.
    let answers = format!(r#"{{"answers":[{choice},{{"type":"number","value":60}}]}}"#);
    let done: AttemptView = phone.json("POST", &format!("/api/attempts/{}/submit", attempt.attempt_id), Some(answers)).await;
    assert_eq!(done.result.as_ref().and_then(|r| r.score), Some(5));
    let (status, e) = amy.error("PUT", &format!("{uri}?lang=zh-CN"), save(0, &choice)).await;
    assert_eq!(
        (status, e.error.field.as_deref(), e.error.message.as_str()),
        (StatusCode::CONFLICT, Some("attempt"), "这次作答已经提交过了")
    );
}

/// An attempt nobody hands in is handed in by the server once its time limit and the grace are
/// over, graded on what was saved, as of its due time. Time is moved on in the real SQLite file.
#[tokio::test]
async fn an_attempt_left_open_is_graded_at_its_time_limit_with_the_saved_answers() {
    let app = test_app().await;
    let (mut t, mut amy, class) = class_with_member(&app).await;
    let (status, e) = t.error("POST", &format!("/api/classes/{}/quizzes", class.id), Some(two_questions(Some(30)))).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("time_limit_s")));
    let quiz: EditableQuiz = t.json("POST", &format!("/api/classes/{}/quizzes", class.id), Some(two_questions(Some(600)))).await;
    let detail: ClassDetail = amy.json("GET", &format!("/api/classes/{}", class.id), None).await;
    assert_eq!(detail.quizzes[0].time_limit_s, Some(600), "learners see the limit before they start");
    let attempt: AttemptView = amy.json("POST", &format!("/api/quizzes/{}/attempts", quiz.id), Some("{}".into())).await;
    let due = attempt.due_at.expect("a time limit gives a due time");
    assert!((due - attempt.now - 600).abs() <= 2, "due {due}, now {}", attempt.now);
    let right = right_choice(&attempt);
    let _: AnswersSaved = amy
        .json("PUT", &format!("/api/attempts/{}/answers", attempt.attempt_id), save(0, &format!(r#"{{"type":"choice","index":{right}}}"#)))
        .await;

    // Still within the grace: the learner may hand in; nobody has yet.
    let due_at = |ago: i64| format!("UPDATE quiz_attempts SET time_due = unixepoch() - {ago} WHERE id = {}", attempt.attempt_id);
    sqlx::query(sqlx::AssertSqlSafe(due_at(5))).execute(&app.pool).await.unwrap();
    let open: AttemptView = amy.json("GET", &format!("/api/attempts/{}", attempt.attempt_id), None).await;
    assert!(open.result.is_none() && open.due_at < Some(open.now));

    // The grace is over: reading the attempt finds it handed in with the saved answer.
    sqlx::query(sqlx::AssertSqlSafe(due_at(40))).execute(&app.pool).await.unwrap();
    let graded: AttemptView = amy.json("GET", &format!("/api/attempts/{}", attempt.attempt_id), None).await;
    let result = graded.result.expect("handed in at the time limit");
    assert!(result.graded_at_due);
    assert_eq!(result.answers, [Answer::Choice { index: right }, Answer::Blank]);
    assert_eq!(result.score, Some(2), "the saved choice counts, the blank number does not");
    let due_then: String =
        sqlx::query_scalar("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-39 seconds')").fetch_one(&app.pool).await.unwrap();
    assert!(result.submitted_at < due_then, "handed in as of the due time, 40 s ago: {} (39 s ago: {due_then})", result.submitted_at);
    let (status, _) = amy.error("PUT", &format!("/api/attempts/{}/answers", attempt.attempt_id), save(1, r#"{"type":"blank"}"#)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let results: QuizResults = t.json("GET", &format!("/api/quizzes/{}/results", quiz.id), None).await;
    assert_eq!((results.summary.learners.len(), results.summary.learners[0].best), (1, 2));
    // The second attempt starts afresh, with its own time.
    let second: AttemptView = amy.json("POST", &format!("/api/quizzes/{}/attempts", quiz.id), Some("{}".into())).await;
    assert_ne!(second.attempt_id, attempt.attempt_id);
    assert!(second.result.is_none() && second.due_at > Some(second.now));
}

/// The quiz's close ends an open attempt the same way, counted in the instructor's results
/// without the learner coming back; a save in the grace still counts, a later one is refused.
#[tokio::test]
async fn an_attempt_open_at_the_close_is_graded_then_without_the_learner() {
    let app = test_app().await;
    let (mut t, mut amy, class) = class_with_member(&app).await;
    let quiz: EditableQuiz = t.json("POST", &format!("/api/classes/{}/quizzes", class.id), Some(two_questions(None))).await;
    let attempt: AttemptView = amy.json("POST", &format!("/api/quizzes/{}/attempts", quiz.id), Some("{}".into())).await;
    let uri = format!("/api/attempts/{}/answers", attempt.attempt_id);
    let close = |ago: i64| format!("UPDATE class_quizzes SET closes_at = unixepoch() - {ago} WHERE id = {}", quiz.id);
    sqlx::query(sqlx::AssertSqlSafe(close(10))).execute(&app.pool).await.unwrap();
    let _: AnswersSaved = amy.json("PUT", &uri, save(1, r#"{"type":"number","value":60}"#)).await;
    sqlx::query(sqlx::AssertSqlSafe(close(31))).execute(&app.pool).await.unwrap();
    let results: QuizResults = t.json("GET", &format!("/api/quizzes/{}/results", quiz.id), None).await;
    assert_eq!((results.summary.learners.len(), results.summary.learners[0].best), (1, 3), "the number saved in the grace");
    let (status, e) = amy.error("PUT", &uri, save(0, r#"{"type":"blank"}"#)).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::CONFLICT, Some("attempt")));
}

/// Hands in `answers` (JSON array) on a new attempt at `quiz`: the attempt.
async fn hand_in(b: &mut Browser<'_>, quiz: i64, answers: impl Fn(&AttemptView) -> String) -> AttemptView {
    let attempt: AttemptView = b.json("POST", &format!("/api/quizzes/{quiz}/attempts"), Some("{}".into())).await;
    let body = format!(r#"{{"answers":{}}}"#, answers(&attempt));
    b.json("POST", &format!("/api/attempts/{}/submit", attempt.attempt_id), Some(body)).await
}

fn right_answers(a: &AttemptView) -> String {
    format!(r#"[{{"type":"choice","index":{}}},{{"type":"number","value":60}}]"#, right_choice(a))
}

/// The instructor's score replaces the graded one in the results, and its learner reads both
/// and the reason; it needs a reason, fits the attempt's points, and can be taken off again.
#[tokio::test]
async fn an_instructor_overrides_a_score_and_the_learner_reads_why() {
    let app = test_app().await;
    let (mut t, mut amy, class) = class_with_member(&app).await;
    let quiz: EditableQuiz = t.json("POST", &format!("/api/classes/{}/quizzes", class.id), Some(two_questions(None))).await;
    let done = hand_in(&mut amy, quiz.id, |_| r#"[{"type":"blank"},{"type":"number","value":59}]"#.into()).await;
    let uri = format!("/api/attempts/{}/score", done.attempt_id);
    for (body, field) in
        [(r#"{"score":6,"reason":"x"}"#, "score"), (r#"{"score":3,"reason":"  "}"#, "reason"), (r#"{"score":3}"#, "reason")]
    {
        let (status, e) = t.error("PUT", &uri, Some(body.into())).await;
        assert_eq!((status, e.error.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some(field)), "{body}");
    }
    let (status, _) = amy.error("PUT", &uri, Some(r#"{"score":5,"reason":"mine"}"#.into())).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a learner cannot grade themselves");
    let read: AttemptView = t.json("PUT", &uri, Some(r#"{"score":3,"reason":"59 s is right on this kernel"}"#.into())).await;
    assert_eq!(read.result.as_ref().and_then(|r| r.score), Some(3));

    let mine: AttemptView = amy.json("GET", &format!("/api/attempts/{}", done.attempt_id), None).await;
    let result = mine.result.unwrap();
    assert_eq!(result.score, Some(3));
    let overridden = result.overridden.expect("the learner sees it was changed");
    assert_eq!((overridden.graded, overridden.reason.as_str()), (0, "59 s is right on this kernel"));
    let results: QuizResults = t.json("GET", &format!("/api/quizzes/{}/results", quiz.id), None).await;
    assert_eq!(results.summary.learners[0].best, 3);
    let detail: ClassDetail = amy.json("GET", &format!("/api/classes/{}", class.id), None).await;
    assert_eq!(detail.quizzes[0].best, Some(3));

    // Taken off: the graded score is back.
    let back: AttemptView = t.json("PUT", &uri, Some(r#"{"score":null}"#.into())).await;
    let back = back.result.unwrap();
    assert_eq!((back.score, back.overridden), (Some(0), None));
    // An open attempt has no score to change.
    let open: AttemptView = amy.json("POST", &format!("/api/quizzes/{}/attempts", quiz.id), Some("{}".into())).await;
    let (status, _) = t.error("PUT", &format!("/api/attempts/{}/score", open.attempt_id), Some(r#"{"score":1,"reason":"r"}"#.into())).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

/// One learner's exception: an extra attempt, their own later close and more time, while the
/// quiz stays as it was for everybody else; only members can have one.
#[tokio::test]
async fn an_exception_gives_one_learner_more_attempts_time_and_a_later_close() {
    let app = test_app().await;
    let (mut t, mut amy, class) = class_with_member(&app).await;
    account(&app, "bob", Role::Learner).await;
    let mut bo = login(&app, "bob").await;
    let code = class.join_code.clone().unwrap();
    let _: ClassSummary = bo.json("POST", "/api/classes/join", Some(format!(r#"{{"code":"{code}"}}"#))).await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let mut q: serde_json::Value = serde_json::from_str(&two_questions(Some(600))).unwrap();
    q["attempts_allowed"] = 1.into();
    q["opens_at"] = (now - 7200).into();
    q["closes_at"] = (now - 3600).into();
    let quiz: EditableQuiz = t.json("POST", &format!("/api/classes/{}/quizzes", class.id), Some(q.to_string())).await;
    let uri = format!("/api/quizzes/{}/exceptions", quiz.id);

    let (status, e) = t.error("PUT", &uri, Some(r#"{"username":"nobody","extra_attempts":1}"#.into())).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("username")));
    let (status, e) = t.error("PUT", &uri, Some(r#"{"username":"amy","extra_attempts":21}"#.into())).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("extra_attempts")));
    let body = format!(r#"{{"username":"amy","extra_attempts":1,"closes_at":{},"extra_time_s":300}}"#, now + 86_400);
    let list: Vec<LearnerException> = t.json("PUT", &uri, Some(body)).await;
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].username.as_str(), list[0].allowance.extra_attempts, list[0].allowance.extra_time_s), ("amy", 1, 300));

    // The quiz is closed for bo, open for amy, with two attempts and 15 minutes each.
    let (status, _) = bo.error("POST", &format!("/api/quizzes/{}/attempts", quiz.id), Some("{}".into())).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let detail: ClassDetail = amy.json("GET", &format!("/api/classes/{}", class.id), None).await;
    assert_eq!((detail.quizzes[0].window, detail.quizzes[0].attempts_allowed), (QuizWindow::Open, 2));
    let first = hand_in(&mut amy, quiz.id, |_| r#"[{"type":"blank"},{"type":"blank"}]"#.into()).await;
    assert!(first.result.is_some());
    let second: AttemptView = amy.json("POST", &format!("/api/quizzes/{}/attempts", quiz.id), Some("{}".into())).await;
    let due = second.due_at.unwrap();
    assert!((due - second.now - 900).abs() <= 2, "600 s and 300 s more: due in {}", due - second.now);
    // More time granted mid-attempt moves its end at once; removing the exception ends it.
    let body = format!(r#"{{"username":"amy","extra_attempts":1,"closes_at":{},"extra_time_s":1200}}"#, now + 86_400);
    let _: Vec<LearnerException> = t.json("PUT", &uri, Some(body)).await;
    let moved: AttemptView = amy.json("GET", &format!("/api/attempts/{}", second.attempt_id), None).await;
    assert!((moved.due_at.unwrap() - moved.now - 1800).abs() <= 2);
    let list: Vec<LearnerException> = t.json("PUT", &uri, Some(r#"{"username":"amy"}"#.into())).await;
    assert!(list.is_empty(), "an empty exception is removed");
    let (status, _) = amy.error("PUT", &format!("/api/attempts/{}/answers", second.attempt_id), save(1, r#"{"type":"blank"}"#)).await;
    assert_eq!(status, StatusCode::CONFLICT, "back to the quiz's own close, long past");
}

/// The gradebook: members by name, published quizzes in order, each quiz's counted score (best
/// or latest) with overrides; and the same numbers in Moodle's and Canvas's CSV columns.
#[tokio::test]
async fn the_gradebook_counts_each_quizs_setting_and_exports_for_moodle_and_canvas() {
    let app = test_app().await;
    let (mut t, mut amy, class) = class_with_member(&app).await;
    account(&app, "bob", Role::Learner).await;
    let mut bo = login(&app, "bob").await;
    let code = class.join_code.clone().unwrap();
    let _: ClassSummary = bo.json("POST", "/api/classes/join", Some(format!(r#"{{"code":"{code}"}}"#))).await;
    let mut best: serde_json::Value = serde_json::from_str(&two_questions(None)).unwrap();
    best["title"] = "Week 1, best".into();
    let mut latest = best.clone();
    latest["title"] = "Week 2, latest".into();
    latest["counted"] = "latest".into();
    let best: EditableQuiz = t.json("POST", &format!("/api/classes/{}/quizzes", class.id), Some(best.to_string())).await;
    let latest: EditableQuiz = t.json("POST", &format!("/api/classes/{}/quizzes", class.id), Some(latest.to_string())).await;
    let blank = |_: &AttemptView| r#"[{"type":"blank"},{"type":"blank"}]"#.to_string();
    for quiz in [best.id, latest.id] {
        hand_in(&mut amy, quiz, right_answers).await;
        hand_in(&mut amy, quiz, blank).await;
    }
    let bo_done = hand_in(&mut bo, best.id, blank).await;
    let _: AttemptView =
        t.json("PUT", &format!("/api/attempts/{}/score", bo_done.attempt_id), Some(r#"{"score":4,"reason":"oral exam"}"#.into())).await;

    let book: Gradebook = t.json("GET", &format!("/api/classes/{}/gradebook", class.id), None).await;
    assert_eq!(book.quizzes.iter().map(|q| q.title.as_str()).collect::<Vec<_>>(), ["Week 1, best", "Week 2, latest"]);
    let rows: Vec<(&str, &[Option<u32>])> = book.learners.iter().map(|l| (l.username.as_str(), l.scores.as_slice())).collect();
    assert_eq!(rows, [("amy", &[Some(5), Some(0)][..]), ("bob", &[Some(4), None][..])]);
    // The same as each quiz's results page.
    let results: QuizResults = t.json("GET", &format!("/api/quizzes/{}/results", latest.id), None).await;
    assert_eq!(results.summary.learners[0].best, 0);

    let moodle = body_text(t.send("GET", &format!("/api/classes/{}/gradebook.csv", class.id), None).await).await;
    assert_eq!(moodle, "username,\"Week 1, best\",\"Week 2, latest\"\namy,5,0\nbob,4,\n");
    let canvas = body_text(t.send("GET", &format!("/api/classes/{}/gradebook.csv?format=canvas", class.id), None).await).await;
    assert_eq!(
        canvas,
        "Student,ID,SIS User ID,SIS Login ID,Section,\"Week 1, best\",\"Week 2, latest\"\nPoints Possible,,,,,5,5\n\
         amy,,,amy,Networks,5,0\nbob,,,bob,Networks,4,\n"
    );
    let (status, e) = t.error("GET", &format!("/api/classes/{}/gradebook.csv?format=excel", class.id), None).await;
    assert_eq!((status.as_u16(), e.error.field.as_deref()), (400, Some("format")));
    assert_eq!(amy.send("GET", &format!("/api/classes/{}/gradebook", class.id), None).await.status(), StatusCode::FORBIDDEN);
}

/// Rename, archive (read-only, out of the default lists, results kept) and back; a learner
/// leaves and a member is removed, their results staying; deleting a quiz or a class says what
/// went with it.
#[tokio::test]
async fn classes_are_renamed_archived_left_and_deleted_and_say_what_goes() {
    let app = test_app().await;
    let (mut t, mut amy, class) = class_with_member(&app).await;
    let quiz: EditableQuiz = t.json("POST", &format!("/api/classes/{}/quizzes", class.id), Some(two_questions(None))).await;
    hand_in(&mut amy, quiz.id, right_answers).await;
    let uri = format!("/api/classes/{}", class.id);
    let (status, e) = t.error("PUT", &uri, Some(r#"{"name":"  "}"#.into())).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("name")));
    let renamed: ClassSummary = t.json("PUT", &uri, Some(r#"{"name":"Networks, spring"}"#.into())).await;
    assert_eq!((renamed.name.as_str(), renamed.archived), ("Networks, spring", false));

    // Archived: out of both default lists, read-only, its results still there.
    let archived: ClassSummary = t.json("PUT", &uri, Some(r#"{"archived":true}"#.into())).await;
    assert!(archived.archived);
    let lists: Classes = t.json("GET", "/api/classes", None).await;
    assert!(lists.teaching.is_empty());
    let all: Classes = t.json("GET", "/api/classes?archived=true", None).await;
    assert_eq!(all.teaching.len(), 1);
    let theirs: Classes = amy.json("GET", "/api/classes", None).await;
    assert!(theirs.joined.is_empty());
    let (status, e) = t.error("POST", &format!("/api/classes/{}/quizzes?lang=zh-CN", class.id), Some(two_questions(None))).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::CONFLICT, Some("class")));
    assert!(e.error.message.contains("已归档"), "{}", e.error.message);
    let (status, _) = amy.error("POST", &format!("/api/quizzes/{}/attempts", quiz.id), Some("{}".into())).await;
    assert_eq!(status, StatusCode::CONFLICT, "no new attempts in an archived class");
    let (status, _) = t.error("PUT", &format!("/api/quizzes/{}", quiz.id), Some(two_questions(None))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let results: QuizResults = t.json("GET", &format!("/api/quizzes/{}/results", quiz.id), None).await;
    assert_eq!(results.summary.learners.len(), 1, "results are kept");
    let _: ClassSummary = t.json("PUT", &uri, Some(r#"{"archived":false}"#.into())).await;

    // A learner leaves; their result stays. The instructor cannot leave their own class.
    let (status, _) = t.error("POST", &format!("{uri}/leave"), Some("{}".into())).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let left: Classes = amy.json("POST", &format!("{uri}/leave"), Some("{}".into())).await;
    assert!(left.joined.is_empty());
    assert_eq!(amy.send("GET", &uri, None).await.status(), StatusCode::NOT_FOUND);
    let results: QuizResults = t.json("GET", &format!("/api/quizzes/{}/results", quiz.id), None).await;
    assert_eq!(results.summary.learners.len(), 1, "a learner who left keeps their result");
    // Back in, then removed by the instructor.
    let code = class.join_code.clone().unwrap();
    let _: ClassSummary = amy.json("POST", "/api/classes/join", Some(format!(r#"{{"code":"{code}"}}"#))).await;
    let detail: ClassDetail = t.json("DELETE", &format!("{uri}/members/amy"), None).await;
    assert!(detail.members.is_empty());
    let (status, e) = t.error("DELETE", &format!("{uri}/members/amy"), None).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::NOT_FOUND, Some("username")));

    // Deleting a quiz, then the class, says what went.
    let draft: EditableQuiz = t.json("POST", &format!("/api/classes/{}/quizzes", class.id), Some(choice_quiz("Draft", false))).await;
    let gone: Deleted = t.json("DELETE", &format!("/api/quizzes/{}", draft.id), None).await;
    assert_eq!((gone.quizzes, gone.attempts), (1, 0));
    assert_eq!(t.send("GET", &format!("/api/quizzes/{}", draft.id), None).await.status(), StatusCode::NOT_FOUND);
    let _: ClassSummary = amy.json("POST", "/api/classes/join", Some(format!(r#"{{"code":"{code}"}}"#))).await;
    let gone: Deleted = t.json("DELETE", &uri, None).await;
    assert_eq!((gone.quizzes, gone.attempts, gone.members), (1, 1, 1));
    assert_eq!(t.send("GET", &uri, None).await.status(), StatusCode::NOT_FOUND);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM quiz_attempts").fetch_one(&app.pool).await.unwrap();
    assert_eq!(left, 0, "the attempts went with the class");
}

/// A learner changes their password (their other browser is logged out), downloads their data
/// and deletes the account: its class result stays as a deleted learner's until purged.
#[tokio::test]
async fn an_account_changes_its_password_downloads_its_data_and_deletes_itself() {
    let app = test_app().await;
    let (mut t, mut amy, class) = class_with_member(&app).await;
    let quiz: EditableQuiz = t.json("POST", &format!("/api/classes/{}/quizzes", class.id), Some(two_questions(None))).await;
    hand_in(&mut amy, quiz.id, right_answers).await;
    let mut phone = login(&app, "amy").await;

    let change = |current: &str, new: &str| Some(format!(r#"{{"current":"{current}","new":"{new}"}}"#));
    let (status, e) = amy.error("POST", "/api/auth/password", change("wrong one!", "a new good password")).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::FORBIDDEN, Some("current")));
    let (status, e) = amy.error("POST", "/api/auth/password", change(PASSWORD, "short")).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("new")));
    let me: Me = amy.json("POST", "/api/auth/password", change(PASSWORD, "a new good password")).await;
    assert_eq!(me.username.as_deref(), Some("amy"));
    let still: Me = amy.json("GET", "/api/auth/me", None).await;
    assert_eq!(still.username.as_deref(), Some("amy"), "this browser stays logged in");
    let other: Me = phone.json("GET", "/api/auth/me", None).await;
    assert_eq!(other.username, None, "every other session ended");
    let old = Browser::new(&app).send("POST", "/api/auth/login", Some(format!(r#"{{"username":"amy","password":"{PASSWORD}"}}"#))).await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);

    let response = amy.send("GET", "/api/account/export", None).await;
    assert!(response.headers()["content-disposition"].to_str().unwrap().contains("tcplab-amy.json"));
    let data: serde_json::Value = serde_json::from_str(&body_text(response).await).unwrap();
    assert_eq!(data["account"]["username"], "amy");
    assert_eq!(data["classes_joined"][0]["class"], "Networks");
    assert_eq!((data["class_attempts"][0]["quiz"].as_str(), data["class_attempts"][0]["score"].as_i64()), (Some("Timers"), Some(5)));

    // An instructor deletes their classes first.
    let (status, e) = t.error("POST", "/api/account/delete", Some(format!(r#"{{"password":"{PASSWORD}"}}"#))).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::CONFLICT, Some("classes")));
    let (status, _) = amy.error("POST", "/api/account/delete", Some(format!(r#"{{"password":"{PASSWORD}"}}"#))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the old password no longer works");
    let gone: Me = amy.json("POST", "/api/account/delete", Some(r#"{"password":"a new good password"}"#.into())).await;
    assert_eq!(gone.username, None);
    let relogin =
        Browser::new(&app).send("POST", "/api/auth/login", Some(r#"{"username":"amy","password":"a new good password"}"#.into())).await;
    assert_eq!(relogin.status(), StatusCode::UNAUTHORIZED);
    let answers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM answers").fetch_one(&app.pool).await.unwrap();
    assert_eq!(answers, 0);

    // The class result stays, nameless, until the instructor purges it; the name is free again.
    let results: QuizResults = t.json("GET", &format!("/api/quizzes/{}/results", quiz.id), None).await;
    assert_eq!(results.summary.learners.len(), 1);
    assert!(results.summary.learners[0].username.starts_with('#'), "{}", results.summary.learners[0].username);
    let swept = tcplab::housekeeping::sweep(&app.pool).await.unwrap();
    let results_after: QuizResults = t.json("GET", &format!("/api/quizzes/{}/results", quiz.id), None).await;
    assert_eq!(results_after.summary.learners.len(), 1, "housekeeping keeps it ({swept:?})");
    let purged: Deleted = t.json("POST", &format!("/api/classes/{}/purge-deleted", class.id), Some("{}".into())).await;
    assert_eq!(purged.attempts, 1);
    let results: QuizResults = t.json("GET", &format!("/api/quizzes/{}/results", quiz.id), None).await;
    assert!(results.summary.learners.is_empty());
    account(&app, "amy", Role::Learner).await;
}

/// An admin finds an account, disables it (its sessions end, it cannot log in, no reset link is
/// made for it), enables it again and makes a reset link, which sets a new password once.
#[tokio::test]
async fn an_admin_lists_disables_and_resets_accounts() {
    let app = test_app().await;
    let (_t, mut amy, _class) = class_with_member(&app).await;
    account(&app, "amir", Role::Learner).await;
    account(&app, "root", Role::Admin).await;
    let mut root = login(&app, "root").await;

    let list: AccountList = root.json("GET", "/api/admin/accounts?q=AM", None).await;
    assert_eq!(list.total, 2);
    assert_eq!(list.accounts.iter().map(|a| a.username.as_str()).collect::<Vec<_>>(), ["amir", "amy"]);
    let all: AccountList = root.json("GET", "/api/admin/accounts", None).await;
    let teacher = all.accounts.iter().find(|a| a.username == "teacher-a").unwrap();
    assert_eq!((teacher.role, teacher.classes, teacher.disabled), (Role::Instructor, 1, false));
    let none: AccountList = root.json("GET", "/api/admin/accounts?q=a_", None).await;
    assert_eq!(none.total, 0, "an underscore in a search is a character, not a wildcard");
    let (status, e) = root.error("GET", &format!("/api/admin/accounts?q={}", "a".repeat(40)), None).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("q")));

    // Disabled: amy's browser is logged out, her password no longer logs in, no link is made.
    let row: AccountRow = root.json("PUT", "/api/admin/accounts/amy", Some(r#"{"disabled":true}"#.into())).await;
    assert!(row.disabled);
    let me: Me = amy.json("GET", "/api/auth/me", None).await;
    assert_eq!(me.username, None);
    let (status, e) = Browser::new(&app)
        .error("POST", "/api/auth/login?lang=zh-CN", Some(format!(r#"{{"username":"amy","password":"{PASSWORD}"}}"#)))
        .await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::FORBIDDEN, Some("username")));
    assert!(e.error.message.contains("停用"), "{}", e.error.message);
    let (status, _) = root.error("POST", "/api/admin/accounts/amy/reset", Some("{}".into())).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = root.error("PUT", "/api/admin/accounts/root", Some(r#"{"disabled":true}"#.into())).await;
    assert_eq!(status, StatusCode::CONFLICT, "an admin cannot lock themselves out");
    let (status, e) = root.error("PUT", "/api/admin/accounts/nobody", Some(r#"{"disabled":true}"#.into())).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::NOT_FOUND, Some("username")));
    let row: AccountRow = root.json("PUT", "/api/admin/accounts/AMY", Some(r#"{"disabled":false}"#.into())).await;
    assert!(!row.disabled);
    let _ = login(&app, "amy").await;

    // A reset link: the newer replaces the older, it works once, and ends every other session.
    let old: ResetLink = root.json("POST", "/api/admin/accounts/amy/reset", Some("{}".into())).await;
    let link: ResetLink = root.json("POST", "/api/admin/accounts/amy/reset", Some("{}".into())).await;
    let token = link.path.strip_prefix("/reset/").unwrap().to_owned();
    let old_token = old.path.strip_prefix("/reset/").unwrap();
    assert_eq!(Browser::new(&app).send("GET", &format!("/api/resets/{old_token}"), None).await.status(), StatusCode::NOT_FOUND);
    let info: ResetInfo = Browser::new(&app).json("GET", &format!("/api/resets/{token}"), None).await;
    assert_eq!(info.username, "amy");
    let mut laptop = login(&app, "amy").await;
    let mut phone = Browser::new(&app);
    let reset = |password: &str| Some(format!(r#"{{"token":"{token}","password":"{password}"}}"#));
    let (status, e) = phone.error("POST", "/api/auth/reset", reset("short")).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("password")));
    let me: Me = phone.json("POST", "/api/auth/reset", reset("a brand new password")).await;
    assert_eq!(me.username.as_deref(), Some("amy"));
    let still: Me = phone.json("GET", "/api/auth/me", None).await;
    assert_eq!(still.username.as_deref(), Some("amy"), "the browser that used the link is logged in");
    let gone: Me = laptop.json("GET", "/api/auth/me", None).await;
    assert_eq!(gone.username, None, "every other session ended");
    let (status, e) = Browser::new(&app).error("POST", "/api/auth/reset", reset("another new password")).await;
    assert_eq!((status, e.error.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("token")), "a link works once");
    let relogin =
        Browser::new(&app).send("POST", "/api/auth/login", Some(r#"{"username":"amy","password":"a brand new password"}"#.into())).await;
    assert_eq!(relogin.status(), StatusCode::OK);
    let hashes: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM password_resets").fetch_all(&app.pool).await.unwrap();
    assert!(hashes.iter().all(|h| !h.contains(&token)), "only hashes are stored");
}

/// An instructor who registered with an invite deletes their account: the invite stays spent
/// (it names the row), and the housekeeping sweep still runs, keeping that row.
#[tokio::test]
async fn a_deleted_invited_instructor_does_not_stop_housekeeping() {
    let app = test_app().await;
    account(&app, "root", Role::Admin).await;
    let mut root = login(&app, "root").await;
    let invite: Invite = root.json("POST", "/api/admin/invites", Some(r#"{"role":"instructor"}"#.into())).await;
    let token = invite.path.rsplit('/').next().unwrap().to_owned();
    let mut prof = Browser::new(&app);
    let me: Me =
        prof.json("POST", "/api/auth/register", Some(format!(r#"{{"username":"prof","password":"{PASSWORD}","invite":"{token}"}}"#))).await;
    assert_eq!(me.role, Role::Instructor);
    let _: Me = prof.json("POST", "/api/account/delete", Some(format!(r#"{{"password":"{PASSWORD}"}}"#))).await;
    // Old enough for the sweep, and not the newest row.
    sqlx::query("UPDATE learners SET created_at = '2020-01-01T00:00:00.000Z' WHERE username IS NULL").execute(&app.pool).await.unwrap();
    account(&app, "later", Role::Learner).await;
    tcplab::housekeeping::sweep(&app.pool).await.expect("the sweep runs");
    let deleted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM learners WHERE deleted_at IS NOT NULL").fetch_one(&app.pool).await.unwrap();
    assert_eq!(deleted, 1);
    let (status, _) = Browser::new(&app)
        .error("POST", "/api/auth/register", Some(format!(r#"{{"username":"again","password":"{PASSWORD}","invite":"{token}"}}"#)))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "the invite stays spent");
}
