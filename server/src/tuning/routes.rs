//! `POST /api/tuning`, `GET /api/tuning/sysctl.conf`, `POST /api/tuning/lint` and
//! `GET /api/tuning/knowledge` (what the browser needs to compute the same report itself).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value};
use tcplab_core::lang::{Lang, Text};
use tcplab_core::tuning::lint::MAX_BYTES;
use tcplab_core::tuning::{
    FieldError, Inputs, Knowledge, LintContext, LintError, LintReport, Report, generate_with_permalink, lint_bytes, query_key,
};

use crate::error::{AppError, Result};
use crate::json::{AppJson, AppQuery};
use crate::lang::{self, LangQuery};
use crate::routes::Routes;
use crate::state::AppState;
use tcplab_core::api::ErrorCode;

pub fn router() -> Routes {
    Routes::new()
        .post("/tuning", generate)
        .get("/tuning/sysctl.conf", sysctl_conf)
        .get("/tuning/knowledge", knowledge)
        // A whole `sysctl -a` is about 60 KiB: the linter takes up to its own limit, not the
        // server's general one.
        .post_up_to("/tuning/lint", lint, MAX_BYTES)
}

/// The body is the inputs as JSON; fields left out take the chosen workload's preset, so
/// `{"workload": "proxy"}` is a complete request.
async fn generate(
    State(state): State<AppState>,
    headers: HeaderMap,
    AppQuery(q): AppQuery<LangQuery>,
    AppJson(body): AppJson<Map<String, Value>>,
) -> Result<AppJson<Report>> {
    let lang = q.lang()?;
    let inputs = inputs_from_json(&body)?;
    Ok(AppJson(generate_with_permalink(&inputs, &state.tuning, lang, &permalink_base(&headers))))
}

/// The drop-in as plain text, for `curl ... > /etc/sysctl.d/90-tcplab.conf`. The query is the
/// page's permalink query (`w=proxy&conn=50000...`), plus an optional `lang`.
async fn sysctl_conf(State(state): State<AppState>, headers: HeaderMap, RawQuery(query): RawQuery) -> Result<Response> {
    let query = query.unwrap_or_default();
    let mut lang_tag = None;
    let rest: Vec<&str> = query
        .split('&')
        .filter(|part| match part.strip_prefix("lang=") {
            Some(tag) => {
                lang_tag = Some(tag.to_owned());
                false
            }
            None => true,
        })
        .collect();
    let lang = lang::parse(lang_tag.as_deref())?;
    let inputs = Inputs::from_query(&rest.join("&")).map_err(invalid)?;
    let report = generate_with_permalink(&inputs, &state.tuning, lang, &permalink_base(&headers));
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], report.files.sysctl_conf).into_response())
}

async fn knowledge(State(state): State<AppState>) -> AppJson<Knowledge> {
    AppJson((*state.tuning).clone())
}

#[derive(Deserialize)]
struct LintQuery {
    lang: Option<String>,
    kernel: Option<String>,
    ram_mib: Option<String>,
}

/// The body is the pasted text itself (`curl --data-binary @/etc/sysctl.conf`); the kernel and
/// RAM it is judged against come in the query and default to Linux 6.18 with 16 GiB.
async fn lint(
    State(state): State<AppState>,
    AppQuery(q): AppQuery<LintQuery>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<AppJson<LintReport>> {
    let lang = lang::parse(q.lang.as_deref())?;
    let ctx = lint_context(&q)?;
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge { limit: MAX_BYTES },
        _ => AppError::BadRequest { code: ErrorCode::BadRequest, field: Some("body".into()), message: rejection.body_text() },
    })?;
    lint_bytes(&body, &state.tuning, lang, &ctx).map(AppJson).map_err(|e| lint_error(e, &state.tuning, lang))
}

/// The kernel and RAM to judge against, read by the generator's own parser: the same ranges and
/// messages as the form and the permalink, and the same defaults (Linux 6.18, 16 GiB).
fn lint_context(q: &LintQuery) -> Result<LintContext> {
    // The permalink keys of `kernel` and `ram_mib`.
    let pairs: Vec<(String, String)> =
        [("k", &q.kernel), ("ram", &q.ram_mib)].into_iter().filter_map(|(key, value)| Some((key.to_owned(), value.clone()?))).collect();
    Inputs::from_query_pairs(&pairs).map(|inputs| LintContext::from(&inputs)).map_err(invalid)
}

fn lint_error(e: LintError, k: &Knowledge, lang: Lang) -> AppError {
    match e {
        LintError::TooLarge { limit, .. } => AppError::PayloadTooLarge { limit },
        other => AppError::Unprocessable { code: other.code(), field: "body".into(), message: other.message(k, lang) },
    }
}

/// Reads a JSON object of inputs the way a short permalink is read: each field is turned into its
/// permalink pair, so both paths share one parser, one set of ranges and one set of messages.
fn inputs_from_json(body: &Map<String, Value>) -> Result<Inputs> {
    let mut pairs = Vec::with_capacity(body.len());
    for (name, value) in body {
        let key = query_key(name).ok_or_else(|| AppError::Invalid {
            field: name.clone(),
            message: format!("unknown field {name:?}; see the page's form for the fields"),
        })?;
        let text = match value {
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => (if *b { "1" } else { "0" }).to_owned(),
            Value::String(s) => s.clone(),
            Value::Null | Value::Array(_) | Value::Object(_) => {
                return Err(AppError::Invalid {
                    field: name.clone(),
                    message: format!("{name} must be a number, a string or true/false, not {value}"),
                });
            }
        };
        pairs.push((key.to_owned(), text));
    }
    Inputs::from_query_pairs(&pairs).map_err(invalid)
}

/// Every problem in one message; the first one's field, so a form can focus it.
fn invalid(errors: Vec<FieldError>) -> AppError {
    let field = errors.first().map_or_else(|| "body".to_owned(), |e| e.field.clone());
    let joined = |lang| errors.iter().map(|e| e.message.get(lang)).collect::<Vec<_>>().join("; ");
    AppError::Check { code: ErrorCode::Invalid, field, message: Text::new(joined(Lang::En), joined(Lang::ZhCn)) }
}

/// The page's address as the caller reached it, for the permalink in the file header. Only a
/// plain host name or address is used; anything else gets the neutral placeholder.
fn permalink_base(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let plain = !host.is_empty()
        && host.len() <= 255
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    // Behind a TLS-terminating proxy the request arrives over plain HTTP.
    let https = headers.get("x-forwarded-proto").is_some_and(|p| p.as_bytes().eq_ignore_ascii_case(b"https"));
    if plain {
        format!("{}://{host}/config", if https { "https" } else { "http" })
    } else {
        tcplab_core::tuning::files::PERMALINK_BASE.to_owned()
    }
}
