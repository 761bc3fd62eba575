//! The TCP Lab server as a library, so tests drive the same code the binary runs.
//!
//! Map: [`cli`] reads flags and environment; [`run`] sets up logging, opens the database
//! ([`db`], watched by [`storage`]) and serves [`app::app`] through the accept loop in `serve`
//! until `shutdown::signal`. Every route is listed in [`app`]; what handlers share is in
//! `state`; every failure becomes a response in [`error`].

pub mod app;
pub mod classroom;
pub mod cli;
mod content;
mod csrf;
pub mod db;
mod envelope;
pub mod error;
mod health;
pub mod housekeeping;
pub mod json;
mod lang;
pub mod learners;
pub mod lessons;
mod middleware;
mod os;
pub mod quiz;
pub mod routes;
mod scenarios;
mod security_headers;
mod serve;
mod shutdown;
mod state;
pub mod storage;
pub mod tuning;
pub mod ui_texts;
mod unread_body;
pub mod web;

use std::path::Path;

use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

pub use app::app;
pub use content::Content;
pub use error::StartupError;
pub use state::AppState;

use cli::{AdminCommand, Cli, Command, ServeArgs};

/// Runs the command given on the command line; without one, serves until told to stop.
pub fn run(cli: Cli) -> Result<(), StartupError> {
    match cli.command {
        Some(Command::Healthcheck { url }) => cli::healthcheck::check(&url).map_err(StartupError::Healthcheck),
        Some(Command::Admin { command, database_url }) => {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(StartupError::Runtime)?;
            let text = runtime.block_on(admin(command, &database_url))?;
            print!("{text}");
            Ok(())
        }
        Some(command @ (Command::Scenario { .. } | Command::Capture { .. })) => {
            let text = cli::tools::run_command(command).map_err(StartupError::Command)?;
            print!("{text}");
            Ok(())
        }
        None => {
            init_tracing(cli.serve.log_level.as_deref())?;
            os::return_large_blocks_to_the_system();
            let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(StartupError::Runtime)?;
            let result = runtime.block_on(serve(cli.serve));
            // A blocking task still running (a password hash, ~40 ms) gets a moment, not a veto:
            // with the 9 s above, the process is gone within 10 s of the signal.
            runtime.shutdown_timeout(std::time::Duration::from_millis(500));
            result
        }
    }
}

/// `tcplab admin ...` against the database (migrated first, like the server does).
async fn admin(command: AdminCommand, database_url: &str) -> Result<String, StartupError> {
    let db = db::open(database_url).await?;
    let result = match command {
        AdminCommand::CreateUser { username, role } => {
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .map_err(|e| StartupError::Command(format!("reading the password from stdin: {e}")))?;
            let password = password.trim_end_matches(['\n', '\r']);
            if password.is_empty() {
                Err("no password on standard input; pipe one line to the command (see --help)".to_owned())
            } else {
                learners::admin::create_user(&db, &username, password, role).await
            }
        }
        AdminCommand::SetRole { username, role } => learners::admin::set_role(&db, &username, role).await,
        AdminCommand::Invite { by, role, base_url } => learners::admin::invite(&db, &by, role, &base_url).await,
    };
    db.close().await;
    result.map_err(StartupError::Command)
}

/// From the signal to stop to the exit, whatever the clients do: the connections' grace
/// ([`serve::SHUTDOWN_GRACE`]), then what is left for the queued answers and closing the database.
pub const SHUTDOWN_DEADLINE: std::time::Duration = std::time::Duration::from_secs(9);

async fn serve(cli: ServeArgs) -> Result<(), StartupError> {
    check_static_dir(&cli.static_dir)?;
    // Bind before touching the database: a port in use is the most common mistake and should be
    // reported before anything is created on disk.
    let listener = TcpListener::bind(cli.bind).await.map_err(|e| StartupError::bind(cli.bind, e))?;
    let content = Content::load(&cli.content_dir)?;
    let (db, db_file) = db::open_with(&cli.database_url, cli.durability).await?;
    let storage = storage::FileGuard::new(db_file.as_deref())
        .map_err(|source| StartupError::DatabaseOpen { path: db_file.clone().unwrap_or_default(), source: sqlx::Error::Io(source) })?;
    let open_files = match os::raise_open_files_limit() {
        Ok((before, after)) => {
            if after > before {
                tracing::info!(before, after, "raised the open-files limit to its hard limit");
            }
            after
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot read or raise the open-files limit; assuming 1024");
            1024
        }
    };
    let limits = serve::Limits::for_open_files(
        open_files,
        cli.max_connections.map(|n| n as usize),
        std::time::Duration::from_secs(cli.header_timeout),
    );
    let local = listener.local_addr().map_err(StartupError::Serve)?;
    tracing::info!(
        database = %cli.database_url,
        durability = ?cli.durability,
        static_dir = %cli.static_dir.display(),
        max_connections = limits.max_connections,
        header_timeout_s = cli.header_timeout,
        "started"
    );
    // On stdout, whatever the log level: people and scripts (the end-to-end tests) read it.
    println!("tcplab: listening on http://{local}");
    let state = AppState::new(db.clone(), content, cli.secure_cookies).with_storage(storage);
    let quiz = state.quiz.clone();
    let housekeeping = housekeeping::spawn(db.clone(), housekeeping::INTERVAL);
    let due_attempts = classroom::due::spawn(db.clone(), classroom::due::INTERVAL);
    let stopped = serve::run(listener, app(state, &cli.static_dir), limits, shutdown::signal()).await;
    let deadline = stopped + SHUTDOWN_DEADLINE;
    housekeeping.abort();
    due_attempts.abort();
    // Answers whose requests finished are committed already; this waits for any still queued.
    if tokio::time::timeout_at(deadline, quiz.flush()).await.is_err() {
        tracing::warn!("the answer writer did not finish in time");
    }
    if tokio::time::timeout_at(deadline, db.close()).await.is_err() {
        tracing::warn!("the database did not close in time; SQLite recovers the WAL at the next start");
    }
    tracing::info!("stopped");
    Ok(())
}

/// Seconds since 1970, UTC: the unit of quiz opening and closing times and invite expiry.
pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

fn check_static_dir(dir: &Path) -> Result<(), StartupError> {
    if dir.join("index.html").is_file() { Ok(()) } else { Err(StartupError::StaticDir { path: dir.to_path_buf() }) }
}

fn init_tracing(filter: Option<&str>) -> Result<(), StartupError> {
    let filter = match filter {
        Some(f) => EnvFilter::try_new(f).map_err(|e| StartupError::LogFilter { filter: f.to_owned(), reason: e.to_string() })?,
        None => EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
    };
    // Colours only for a person at a terminal: journald, docker logs and files get plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(std::io::stderr).init();
    Ok(())
}
