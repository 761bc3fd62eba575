//! The SQLite database: how it is opened and brought up to date.
//!
//! One rule for every query elsewhere: an `INSERT ... RETURNING` outside a transaction is read
//! with `fetch_all`, never `fetch_one` or `fetch_optional`. SQLite commits such a statement only
//! when it is stepped to its end, and those two stop after the first row, so an error of the
//! commit itself (a full disk) was lost and the caller went on with an id that was never stored:
//! the "FOREIGN KEY constraint failed" a full disk used to cause. Reading every row steps the
//! statement to its end and surfaces the error.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use crate::error::StartupError;
use crate::error::{cannot_open, is_read_only};

/// The migrations in `migrations/`, embedded in the binary so a deployment is one file plus the
/// static folder, and applied at every start-up (already applied ones are skipped).
pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

/// SQLite's page cache per connection, in KiB (its default is 2000). Answers are indexed by
/// random attempt ids, so each insert lands on its own index page; with the default cache a busy
/// server read those pages back from the OS on nearly every insert. Memory grows to this only
/// when the pages are used.
const CACHE_KIB: u32 = 8192;

/// How hard a commit holds on to its data (`--durability`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Durability {
    /// `synchronous = FULL`: COMMIT returns once the write-ahead log is on the disk itself, so an
    /// acknowledged answer, attempt or account survives a power cut. Answers are committed in
    /// batches (one fsync for many), which keeps the cost small.
    #[default]
    Full,
    /// `synchronous = NORMAL`: a commit survives a crash of the process, not of the machine.
    Normal,
}

/// Connection settings, chosen for a web server on a small machine:
/// - WAL lets readers work while one writer commits, instead of the whole file being locked;
/// - `synchronous` as [`Durability`] says (FULL unless told otherwise);
/// - foreign keys are off by default in SQLite, and we want the schema's references enforced;
/// - a busy timeout makes a writer wait for the lock instead of failing at once;
/// - a larger page cache (see [`CACHE_KIB`]);
/// - a checkpoint every 4000 WAL pages (16 MiB) instead of 1000: a page changed by several
///   commits between two checkpoints is copied into the database file once, and the checkpoint's
///   fsync comes a quarter as often (the load benchmark went from 15,900 to 17,700 answers/s).
pub fn connect_options(url: &str) -> Result<SqliteConnectOptions, StartupError> {
    connect_options_with(url, Durability::Full)
}

pub fn connect_options_with(url: &str, durability: Durability) -> Result<SqliteConnectOptions, StartupError> {
    // sqlx takes any other string as a file name: `postgres://host/db` would quietly become a
    // SQLite file called "postgres:". Only SQLite is supported, so say so.
    if !url.starts_with("sqlite:") {
        return Err(StartupError::DatabaseUrl {
            url: url.to_owned(),
            reason: "only SQLite is supported; write sqlite://relative/path.db or sqlite:///absolute/path.db".into(),
        });
    }
    let options =
        SqliteConnectOptions::from_str(url).map_err(|e| StartupError::DatabaseUrl { url: url.to_owned(), reason: e.to_string() })?;
    Ok(options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(match durability {
            Durability::Full => SqliteSynchronous::Full,
            Durability::Normal => SqliteSynchronous::Normal,
        })
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        .pragma("cache_size", format!("-{CACHE_KIB}"))
        .pragma("wal_autocheckpoint", "4000"))
}

/// SQLite runs one writer at a time whatever the pool size, and each connection costs a little
/// memory; two connections per core keeps both cores busy with reads without piling up writers.
pub fn pool_size() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get() as u32);
    (cores * 2).clamp(2, 16)
}

/// Opens (creating if needed) the database at `url` and applies pending migrations.
pub async fn open(url: &str) -> Result<SqlitePool, StartupError> {
    Ok(open_with(url, Durability::Full).await?.0)
}

/// As [`open`], with the durability the server was asked for. The file is created here, once, if
/// it is missing; the pool itself never creates one, so a file deleted while the server runs is
/// never silently replaced by an empty database when the pool opens its next connection. The
/// database must also take a write: a read-only file stops the start-up instead of giving a
/// server that fails every save. Returns the pool and the database file (`None` in memory).
pub async fn open_with(url: &str, durability: Durability) -> Result<(SqlitePool, Option<PathBuf>), StartupError> {
    let options = connect_options_with(url, durability)?;
    let path = options.get_filename().to_path_buf();
    let in_memory = is_in_memory(url);
    if !in_memory {
        create_parent_dir(&path)?;
    }
    let open_error = |source: sqlx::Error| {
        if is_read_only(&source) || (cannot_open(&source) && !in_memory && path.exists() && !writable(&path)) {
            StartupError::DatabaseReadOnly { path: path.clone() }
        } else {
            StartupError::DatabaseOpen { path: path.clone(), source }
        }
    };
    if !in_memory && !path.exists() {
        use sqlx::{ConnectOptions, Connection};
        options.clone().create_if_missing(true).connect().await.map_err(open_error)?.close().await.map_err(open_error)?;
        tracing::info!(path = %path.display(), "created a new, empty database");
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(pool_size())
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options.create_if_missing(in_memory))
        .await
        .map_err(open_error)?;
    MIGRATOR.run(&pool).await.map_err(|source| match &source {
        sqlx::migrate::MigrateError::Execute(e) if is_read_only(e) => StartupError::DatabaseReadOnly { path: path.clone() },
        _ => StartupError::Migrate { path: path.clone(), source },
    })?;
    probe_write(&pool).await.map_err(open_error)?;
    Ok((pool, (!in_memory).then_some(path)))
}

/// Whether the server may write the database file and create files beside it (SQLite's `-wal`
/// and `-shm`). SQLite reports a read-only folder or mount as "unable to open database file"
/// when the write-ahead log is not there yet, so the start-up asks the file system itself.
/// (A file that does not exist and cannot be made is another error: "cannot open".)
fn writable(path: &Path) -> bool {
    let file_ok = std::fs::OpenOptions::new().write(true).open(path).is_ok();
    let probe = path.with_extension("write-check");
    let dir_ok = std::fs::OpenOptions::new().write(true).create_new(true).open(&probe).is_ok();
    if dir_ok {
        let _ = std::fs::remove_file(&probe);
    }
    file_ok && dir_ok
}

/// How many schema migrations the database has applied.
pub async fn migrations_applied(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success").fetch_one(pool).await
}

/// A real write, committed: the proof that the database takes writes (at start-up and for
/// `/healthz`), where a read would pass on a read-only file or a full disk.
pub async fn probe_write(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO app_meta (key, value) VALUES ('last_write_check', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .execute(pool)
    .await?;
    Ok(())
}

fn is_in_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

fn create_parent_dir(db_file: &Path) -> Result<(), StartupError> {
    let Some(parent) = db_file.parent().filter(|p| !p.as_os_str().is_empty()) else {
        return Ok(());
    };
    std::fs::create_dir_all(parent).map_err(|source| StartupError::DatabaseDir { path: PathBuf::from(parent), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_are_relative_to_the_working_folder() {
        let options = connect_options("sqlite://data/tcplab.db").unwrap();
        assert_eq!(options.get_filename(), Path::new("data/tcplab.db"));
    }

    #[test]
    fn a_url_for_another_database_is_refused_with_the_url_named() {
        let err = connect_options("postgres://localhost/x").unwrap_err().to_string();
        assert!(err.contains("postgres://localhost/x"), "{err}");
    }

    #[tokio::test]
    async fn open_creates_the_folder_and_applies_the_migrations() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/nested/deeper/t.db", dir.path().display());
        let pool = open(&url).await.unwrap();
        let created: String = sqlx::query_scalar("SELECT value FROM app_meta WHERE key = 'created_at'").fetch_one(&pool).await.unwrap();
        assert!(created.ends_with('Z'), "{created}");
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&pool).await.unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&pool).await.unwrap();
        assert_eq!(fk, 1);
        pool.close().await;
        // A second open of the same file applies nothing new and keeps the data.
        let pool = open(&url).await.unwrap();
        let again: String = sqlx::query_scalar("SELECT value FROM app_meta WHERE key = 'created_at'").fetch_one(&pool).await.unwrap();
        assert_eq!(again, created);
    }
}
