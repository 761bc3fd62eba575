//! `GET /healthz`: for load balancers, docker-compose and people.

use axum::Json;
use axum::extract::State;
use tcplab_core::api::Health;

use crate::error::{AppError, DbFault, Result, db_fault};
use crate::state::AppState;

/// Answers 200 only when the database is the file the server opened and takes a real write, so
/// a server whose file was deleted, whose disk is full or read-only is taken out of rotation
/// instead of failing (or, worse, pretending to succeed at) every save.
pub async fn healthz(State(state): State<AppState>) -> Result<Json<Health>> {
    state.storage.check()?;
    crate::db::probe_write(&state.db).await.map_err(|e| match db_fault(&e) {
        DbFault::Full => AppError::Database(e),
        _ => AppError::DatabaseUnavailable(e),
    })?;
    let migrations = crate::db::migrations_applied(&state.db).await.map_err(AppError::DatabaseUnavailable)?;
    Ok(Json(Health { status: "ok".into(), database: "ok".into(), migrations, version: env!("CARGO_PKG_VERSION").into() }))
}
