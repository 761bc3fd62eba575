//! The TCP Lab server as a library, so tests drive the same code the binary runs.
//!
//! Map: [`config`] reads flags and environment; [`run`] sets up logging, opens the database
//! ([`db`]) and serves [`app::app`] until [`shutdown::signal`]. Every route is listed in [`app`];
//! every failure becomes a response in [`error`].

pub mod app;
pub mod classroom;
mod cli;
mod csrf;
pub mod config;
pub mod db;
pub mod error;
mod health;
mod healthcheck;
pub mod json;
mod lang;
pub mod learners;
pub mod lessons;
pub mod quiz;
pub mod routes;
mod scenarios;
mod security_headers;
mod shutdown;
pub mod tuning;
pub mod startup_error;
pub mod web;

use std::path::Path;

use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

pub use app::{AppState, Content, app};
pub use startup_error::StartupError;

use config::{AdminCommand, Cli, Command, ServeArgs};

/// Runs the command given on the command line; without one, serves until told to stop.
pub fn run(cli: Cli) -> Result<(), StartupError> {
    match cli.command {
        Some(Command::Healthcheck { url }) => healthcheck::check(&url).map_err(StartupError::Healthcheck),
        Some(Command::Admin { command, database_url }) => {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(StartupError::Runtime)?;
            let text = runtime.block_on(admin(command, &database_url))?;
            print!("{text}");
            Ok(())
        }
        Some(command @ (Command::Scenario { .. } | Command::Capture { .. })) => {
            let text = cli::run_command(command).map_err(StartupError::Command)?;
            print!("{text}");
            Ok(())
        }
        None => {
            init_tracing(cli.serve.log_level.as_deref())?;
            let runtime =
                tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(StartupError::Runtime)?;
            runtime.block_on(serve(cli.serve))
        }
    }
}

/// `tcplab admin ...` against the database (migrated first, like the server does).
async fn admin(command: AdminCommand, database_url: &str) -> Result<String, StartupError> {
    let db = db::open(database_url).await?;
    let result = match command {
        AdminCommand::CreateUser { username, role } => {
            let mut password = String::new();
            std::io::stdin().read_line(&mut password).map_err(|e| StartupError::Command(format!("reading the password from stdin: {e}")))?;
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

async fn serve(cli: ServeArgs) -> Result<(), StartupError> {
    check_static_dir(&cli.static_dir)?;
    // Bind before touching the database: a port in use is the most common mistake and should be
    // reported before anything is created on disk.
    let listener = TcpListener::bind(cli.bind).await.map_err(|e| StartupError::bind(cli.bind, e))?;
    let content = app::Content::load(&cli.content_dir)?;
    let db = db::open(&cli.database_url).await?;
    let local = listener.local_addr().map_err(StartupError::Serve)?;
    tracing::info!(database = %cli.database_url, static_dir = %cli.static_dir.display(), "started");
    // On stdout, whatever the log level: people and scripts (the end-to-end tests) read it.
    println!("tcplab: listening on http://{local}");
    let app = app(AppState::new(db.clone(), content, cli.secure_cookies), &cli.static_dir);
    // The peer address feeds the per-address login limit.
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown::signal())
        .await
        .map_err(StartupError::Serve)?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Seconds since 1970, UTC: the unit of quiz opening and closing times and invite expiry.
pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

fn check_static_dir(dir: &Path) -> Result<(), StartupError> {
    if dir.join("index.html").is_file() {
        Ok(())
    } else {
        Err(StartupError::StaticDir { path: dir.to_path_buf() })
    }
}

fn init_tracing(filter: Option<&str>) -> Result<(), StartupError> {
    let filter = match filter {
        Some(f) => EnvFilter::try_new(f)
            .map_err(|e| StartupError::LogFilter { filter: f.to_owned(), reason: e.to_string() })?,
        None => EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
    };
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
    Ok(())
}
