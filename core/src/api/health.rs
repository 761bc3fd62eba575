//! `GET /healthz`.

use serde::{Deserialize, Serialize};

/// `GET /healthz`: the server answers, and so does its database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub database: String,
    /// Number of schema migrations applied: lets an operator see the schema version at a glance.
    pub migrations: i64,
    pub version: String,
}
