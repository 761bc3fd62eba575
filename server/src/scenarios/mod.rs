//! `GET /api/scenarios` and `GET /api/scenarios/{id}`: the shared TCP model over HTTP, so scripts,
//! teachers and the end-to-end tests see exactly what the browser animates.

use std::collections::HashMap;

use crate::json::{AppPath, AppQuery};
use axum::Json;
use serde::Serialize;
use tcplab_core::tcp::{
    MAX_KEEPALIVE_IDLE_S, MAX_ORPHAN_RETRIES, MAX_PAYLOAD, MAX_SYN_RETRIES, Run, ScenarioError, ScenarioId, ScenarioParams, run,
};

use crate::error::{AppError, Result};
use crate::routes::Routes;

pub fn router() -> Routes {
    Routes::new().get("/scenarios", list).get("/scenarios/{id}", one)
}

#[derive(Serialize)]
struct ScenarioInfo {
    id: &'static str,
    title: &'static str,
}

async fn list() -> Json<Vec<ScenarioInfo>> {
    Json(ScenarioId::all().iter().map(|id| ScenarioInfo { id: id.as_str(), title: id.title() }).collect())
}

async fn one(AppPath(id): AppPath<String>, AppQuery(query): AppQuery<HashMap<String, String>>) -> Result<Json<Run>> {
    let scenario: ScenarioId = id.parse().map_err(|_| {
        let known: Vec<&str> = ScenarioId::all().iter().map(|s| s.as_str()).collect();
        AppError::NotFound(format!("no scenario {id:?}; known: {}", known.join(", ")))
    })?;
    let defaults = ScenarioParams::default();
    let (client_isn, server_isn) =
        (number(&query, "client_isn", defaults.client_isn, u32::MAX)?, number(&query, "server_isn", defaults.server_isn, u32::MAX)?);
    // Without ISNs, the defaults as they are; with them, the second connection's follow (as in
    // the player, so a link and the API agree).
    let defaults = if query.contains_key("client_isn") || query.contains_key("server_isn") {
        ScenarioParams::with_isns(client_isn, server_isn)
    } else {
        defaults
    };
    let params = ScenarioParams {
        client_isn,
        server_isn,
        client_payload: number(&query, "client_bytes", defaults.client_payload, MAX_PAYLOAD)?,
        server_payload: number(&query, "server_bytes", defaults.server_payload, MAX_PAYLOAD)?,
        keepalive_idle_s: number(&query, "keepalive_idle_s", defaults.keepalive_idle_s, MAX_KEEPALIVE_IDLE_S)?,
        syn_retries: small(&query, "syn_retries", defaults.syn_retries, MAX_SYN_RETRIES)?,
        syn_linear_timeouts: small(&query, "syn_linear_timeouts", defaults.syn_linear_timeouts, MAX_SYN_RETRIES)?,
        orphan_retries: small(&query, "orphan_retries", defaults.orphan_retries, MAX_ORPHAN_RETRIES)?,
        ..defaults
    };
    run(scenario, &params).map(Json).map_err(|e| match e {
        ScenarioError::Param { field, message } => {
            AppError::Invalid { field: field.replace("payload", "bytes"), message: message.replace("payload", "bytes") }
        }
        // A script the model cannot run is a bug in the model, not the caller's fault.
        ScenarioError::Script(message) => AppError::Internal(message),
    })
}

/// [`number`] for a sysctl-sized count.
fn small(query: &HashMap<String, String>, field: &str, default: u8, max: u8) -> Result<u8> {
    number(query, field, default.into(), max.into()).map(|n| n as u8)
}

/// Reads an optional non-negative integer query parameter, naming it and its range when wrong.
fn number(query: &HashMap<String, String>, field: &str, default: u32, max: u32) -> Result<u32> {
    let Some(text) = query.get(field) else { return Ok(default) };
    text.trim().parse::<u64>().ok().filter(|n| *n <= u64::from(max)).map(|n| n as u32).ok_or_else(|| AppError::Invalid {
        field: field.into(),
        message: format!("{field} must be a whole number from 0 to {max}, not {text:?}"),
    })
}
