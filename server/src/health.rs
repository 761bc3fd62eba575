//! `GET /healthz`: for load balancers, docker-compose and people.

use axum::Json;
use axum::extract::State;
use tcplab_core::api::Health;

use crate::app::AppState;
use crate::error::{AppError, Result};

/// Answers 200 only when the database answers a real query too, so a server whose disk went away
/// is taken out of rotation instead of failing every request.
pub async fn healthz(State(state): State<AppState>) -> Result<Json<Health>> {
    let migrations: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(&state.db)
        .await
        .map_err(AppError::DatabaseUnavailable)?;
    Ok(Json(Health {
        status: "ok".into(),
        database: "ok".into(),
        migrations,
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}
