//! Why the server could not start.
//!
//! These are configuration problems an operator must fix, so each message names the setting and
//! the value involved and, where we can tell, what to do. They are printed once, without a backtrace.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("invalid log filter {filter:?} (--log-level / TCPLAB_LOG / RUST_LOG): {reason}")]
    LogFilter { filter: String, reason: String },

    #[error("cannot listen on {addr} (--bind / TCPLAB_BIND): {source}{hint}")]
    Bind { addr: SocketAddr, source: std::io::Error, hint: &'static str },

    #[error("invalid database URL {url:?} (--database-url / DATABASE_URL): {reason}")]
    DatabaseUrl { url: String, reason: String },

    #[error("cannot create the database folder {path} (--database-url / DATABASE_URL): {source}")]
    DatabaseDir { path: PathBuf, source: std::io::Error },

    #[error("cannot open the database {path} (--database-url / DATABASE_URL): {source}")]
    DatabaseOpen { path: PathBuf, source: sqlx::Error },

    #[error(
        "the database {path} is read-only (--database-url / DATABASE_URL): the server must write to it and to its folder \
         (the -wal and -shm files beside it); check the owner and permissions of both, and that the file system is mounted read-write"
    )]
    DatabaseReadOnly { path: PathBuf },

    #[error("cannot bring the database {path} up to date: {source}")]
    Migrate { path: PathBuf, source: sqlx::migrate::MigrateError },

    #[error(
        "the static folder {path} has no index.html (--static-dir / TCPLAB_STATIC_DIR); \
         build the browser app with `cargo xtask dist` or point --static-dir at its output"
    )]
    StaticDir { path: PathBuf },

    #[error("invalid content (--content-dir / TCPLAB_CONTENT_DIR): {0}")]
    Content(#[from] crate::content::ContentError),

    #[error("health check failed: {0}")]
    Healthcheck(String),

    /// A command other than serving failed; the message says what to fix.
    #[error("{0}")]
    Command(String),

    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),

    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
}

impl StartupError {
    pub fn bind(addr: SocketAddr, source: std::io::Error) -> Self {
        let hint = match source.kind() {
            std::io::ErrorKind::AddrInUse => {
                " (another program, perhaps another tcplab, already uses this port; stop it or choose another port with --bind)"
            }
            std::io::ErrorKind::PermissionDenied => " (ports below 1024 need privileges; choose a port above 1023)",
            std::io::ErrorKind::AddrNotAvailable => " (this machine has no such address)",
            _ => "",
        };
        StartupError::Bind { addr, source, hint }
    }
}
