//! tower-sessions' store on our own SQLite pool. The published SQLx store is built on an older
//! sqlx whose bundled SQLite cannot be linked next to ours, and the store is small: four queries.
//!
//! Every API request loads its session, so the store keeps recent sessions in memory as well:
//! a database round trip per request was a large part of an answer's cost. SQLite stays the
//! truth: writes go to the database first and the cache after, and this process is the only
//! writer, so the copy cannot go stale.

use std::sync::Arc;

use async_trait::async_trait;
use quick_cache::sync::Cache;
use sqlx::SqlitePool;
use tower_sessions::cookie::time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

/// Sessions kept in memory: a few hundred bytes each, so a few megabytes at most; a session
/// pushed out is read from SQLite again when it comes back.
const CACHED_SESSIONS: usize = 20_000;

#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    cache: Arc<Cache<Id, Record>>,
    /// Held across a database write or a cache-missing read and the cache update that follows,
    /// so a read that saw a row cannot put it back in memory after a delete (a logout) removed
    /// it. Cache hits, nearly every request, do not take it.
    sync: Arc<tokio::sync::Mutex<()>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").field("cached", &self.cache.len()).finish_non_exhaustive()
    }
}

impl SqliteStore {
    pub fn new(pool: SqlitePool) -> SqliteStore {
        SqliteStore { pool, cache: Arc::new(Cache::new(CACHED_SESSIONS)), sync: Arc::default() }
    }
}

impl SqliteStore {
    /// Ends every session of a learner (a password change), in SQLite and in memory. Every
    /// cached session is also a row, so the rows deleted name every copy to forget.
    pub async fn forget_learner(&self, learner: i64) -> Result<u64, sqlx::Error> {
        let _sync = self.sync.lock().await;
        let ids: Vec<String> = sqlx::query_scalar(
            "DELETE FROM sessions WHERE json_valid(CAST(data AS TEXT)) \
             AND json_extract(CAST(data AS TEXT), '$.learner_id') = ? RETURNING id",
        )
        .bind(learner)
        .fetch_all(&self.pool)
        .await?;
        for id in &ids {
            if let Ok(id) = id.parse::<Id>() {
                self.cache.remove(&id);
            }
        }
        Ok(ids.len() as u64)
    }
}

fn is_live(record: &Record) -> bool {
    record.expiry_date > OffsetDateTime::now_utc()
}

fn backend(e: sqlx::Error) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn encode(record: &Record) -> session_store::Result<Vec<u8>> {
    serde_json::to_vec(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))
}

#[async_trait]
impl SessionStore for SqliteStore {
    /// A new id that collides with an existing one (2^-128 odds, but cheap to rule out) is
    /// drawn again rather than overwriting somebody else's session.
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = encode(record)?;
        let _sync = self.sync.lock().await;
        loop {
            let inserted = sqlx::query("INSERT INTO sessions (id, data, expiry_date) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING")
                .bind(record.id.to_string())
                .bind(&data)
                .bind(record.expiry_date.unix_timestamp())
                .execute(&self.pool)
                .await
                .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                self.cache.insert(record.id, record.clone());
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    /// Updates a session that still exists. New ones come through `create`; one deleted meanwhile
    /// (a logout elsewhere, a password change, a disabled account) stays deleted: a request that
    /// loaded it before must not bring it back.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = encode(record)?;
        let _sync = self.sync.lock().await;
        let updated = sqlx::query("UPDATE sessions SET data = ?, expiry_date = ? WHERE id = ?")
            .bind(data)
            .bind(record.expiry_date.unix_timestamp())
            .bind(record.id.to_string())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        if updated.rows_affected() == 1 {
            self.cache.insert(record.id, record.clone());
        }
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        if let Some(record) = self.cache.get(id) {
            if is_live(&record) {
                return Ok(Some(record));
            }
            self.cache.remove(id);
            return Ok(None);
        }
        let _sync = self.sync.lock().await;
        let row: Option<(Vec<u8>, i64)> = sqlx::query_as("SELECT data, expiry_date FROM sessions WHERE id = ? AND expiry_date > ?")
            .bind(id.to_string())
            .bind(OffsetDateTime::now_utc().unix_timestamp())
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        let Some((data, expiry)) = row else { return Ok(None) };
        let data = serde_json::from_slice(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = OffsetDateTime::from_unix_timestamp(expiry).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let record = Record { id: *id, data, expiry_date };
        self.cache.insert(*id, record.clone());
        Ok(Some(record))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let _sync = self.sync.lock().await;
        // Forgotten in memory first: a request racing the delete must not find it there after
        // the row is gone.
        self.cache.remove(id);
        sqlx::query("DELETE FROM sessions WHERE id = ?").bind(id.to_string()).execute(&self.pool).await.map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for SqliteStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE expiry_date <= ?")
            .bind(OffsetDateTime::now_utc().unix_timestamp())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
