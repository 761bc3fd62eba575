//! The command line: flags and environment variables (here), and the commands that do not
//! serve: `tcplab healthcheck` ([`healthcheck`]) and `tcplab scenario` / `capture` ([`tools`]).
//!
//! Every setting can come from a flag or from an environment variable, so the same binary is
//! configured the same way on a laptop, in systemd and in docker-compose.

pub(crate) mod healthcheck;
pub(crate) mod tools;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use tcplab_core::api::auth::Role;

/// The database used when none is given: a file next to where the server starts, so a first run
/// needs no set-up. Its folder is created if missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/tcplab.db";

#[derive(Debug, Clone, Parser)]
#[command(
    name = "tcplab",
    version,
    about = "TCP Lab: learn how TCP opens and closes connections, and how to tune Linux for many of them.",
    long_about = "TCP Lab: learn how TCP opens and closes connections, and how to tune Linux for many of them.\n\n\
                  Starts the web server: it serves the browser app from --static-dir and the JSON API under /api, \
                  and keeps learners' progress in a SQLite database. Stop it with Ctrl-C or SIGTERM; \
                  requests in flight are finished first.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Check that a running server and its database answer: exits 0 when GET /healthz returns 200,
    /// 1 otherwise. Meant for container health checks, where no curl is installed.
    Healthcheck {
        /// The health endpoint to ask.
        #[arg(long, default_value = "http://127.0.0.1:8080/healthz", value_name = "URL")]
        url: String,
    },

    /// Print the steps of one of the model's scenarios: each segment's direction, flags, seq, ack
    /// and length, and both ends' states after it. `--json` prints the same as a JSON array (see
    /// the README for its shape), to compare with `tcplab capture`.
    Scenario {
        /// The scenario id, e.g. handshake, close-fin-ack, refused. `tcplab scenario list` lists them.
        id: String,
        /// The client's initial sequence number (0 to 4294967295).
        #[arg(long, default_value_t = 1000, value_name = "N")]
        client_isn: u32,
        /// The server's initial sequence number (0 to 4294967295).
        #[arg(long, default_value_t = 5000, value_name = "M")]
        server_isn: u32,
        /// Bytes the client sends, where the scenario sends data.
        #[arg(long, default_value_t = 100, value_name = "BYTES")]
        client_bytes: u32,
        /// Bytes the server sends, where the scenario sends data.
        #[arg(long, default_value_t = 300, value_name = "BYTES")]
        server_bytes: u32,
        /// Seconds the keepalive scenario's connection idles before the first probe (the socket's
        /// TCP_KEEPIDLE; 1 to 32767).
        #[arg(long, default_value_t = 7200, value_name = "SECONDS")]
        keepalive_idle: u32,
        /// net.ipv4.tcp_syn_retries for syn-timeout (1 to 127).
        #[arg(long, default_value_t = 6, value_name = "N")]
        syn_retries: u8,
        /// net.ipv4.tcp_syn_linear_timeouts for syn-timeout (0 to 127; 0 is the schedule before Linux 6.5).
        #[arg(long, default_value_t = 4, value_name = "N")]
        syn_linear_timeouts: u8,
        /// net.ipv4.tcp_orphan_retries for fin-timeout (0 to 15; 0 means 8).
        #[arg(long, default_value_t = 0, value_name = "N")]
        orphan_retries: u8,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },

    /// Manage accounts in the database: create instructors and admins, change a role, make an
    /// invite link. Run it where the server's database is (the same --database-url).
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
        /// SQLite database URL, as for the server.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, value_name = "URL", global = true)]
        database_url: String,
    },

    /// Read a .pcap or .pcapng file and print the TCP conversations in it as the same steps as
    /// `tcplab scenario`, with both ends' states inferred.
    Capture {
        /// The capture file (from tcpdump -w or Wireshark).
        file: std::path::PathBuf,
        /// Only this conversation (numbered from 0 in the listing).
        #[arg(long, value_name = "N")]
        conversation: Option<usize>,
        /// Print JSON instead of tables.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum AdminCommand {
    /// Create an account with a role. The password is read from standard input (one line), so
    /// it never shows in the process list or the shell history:
    /// `printf '%s\n' 'long password' | tcplab admin create-user --username ada --role instructor`.
    CreateUser {
        #[arg(long, value_name = "NAME")]
        username: String,
        /// learner, instructor or admin.
        #[arg(long, default_value = "instructor", value_parser = parse_role)]
        role: Role,
    },
    /// Change an existing account's role.
    SetRole {
        #[arg(long, value_name = "NAME")]
        username: String,
        /// learner, instructor or admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// Print a one-time invite link (valid 7 days) that makes whoever registers with it an
    /// instructor (or admin).
    Invite {
        /// The admin account the invite is made by.
        #[arg(long, value_name = "NAME")]
        by: String,
        /// instructor or admin.
        #[arg(long, default_value = "instructor", value_parser = parse_role)]
        role: Role,
        /// Where learners reach the server, to print a whole link.
        #[arg(long, default_value = "http://127.0.0.1:8080", value_name = "URL")]
        base_url: String,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| format!("{text:?} is not a role; use learner, instructor or admin"))
}

/// Settings of the web server (what `tcplab` does when given no command).
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port to listen on. Use 0.0.0.0:8080 to accept connections from other machines,
    /// or port 0 to let the system pick a free port (the chosen address is printed).
    #[arg(long, env = "TCPLAB_BIND", default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    pub bind: SocketAddr,

    /// SQLite database URL, such as sqlite://data/tcplab.db (relative to the working folder) or
    /// sqlite:///var/lib/tcplab/tcplab.db. The file and its folder are created if missing;
    /// migrations are applied at start-up.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, value_name = "URL")]
    pub database_url: String,

    /// Folder holding the built browser app (index.html and assets/), as written by
    /// `cargo xtask dist`.
    #[arg(long, env = "TCPLAB_STATIC_DIR", default_value = "dist", value_name = "DIR")]
    pub static_dir: PathBuf,

    /// Folder of the teaching content (lessons, question banks) as text files; checked at
    /// start-up, and an error names the file and line.
    #[arg(long, env = "TCPLAB_CONTENT_DIR", default_value = "content", value_name = "DIR")]
    pub content_dir: PathBuf,

    /// Mark the session cookie Secure, so browsers send it only over HTTPS. Turn it on when the
    /// server is reached through HTTPS (a TLS-terminating proxy); leave it off for plain HTTP,
    /// such as http://127.0.0.1:8080, or logins will not stick.
    #[arg(long, env = "TCPLAB_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,

    /// How commits are made durable: "full" (the default) waits until the write-ahead log is on
    /// the disk, so acknowledged answers, attempts and accounts survive a power cut; "normal"
    /// survives a crash of the server but may lose the last commits on a power cut, for a little
    /// more speed on slow disks.
    #[arg(long, env = "TCPLAB_DURABILITY", value_enum, default_value_t = crate::db::Durability::Full)]
    pub durability: crate::db::Durability,

    /// Most client connections served at once. By default as many as the open-files limit
    /// allows (raised to its hard limit at start-up), up to 16384; a few more are accepted past
    /// it to answer /healthz and a 503 to everything else.
    #[arg(long, env = "TCPLAB_MAX_CONNECTIONS", value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: Option<u32>,

    /// Seconds a connection may take to send a request's headers, counted from when the server
    /// starts waiting for them: on a new connection, and after each response on a kept-alive
    /// one (so it is also how long an idle connection stays open).
    #[arg(long, env = "TCPLAB_HEADER_TIMEOUT", value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub header_timeout: u64,

    /// What to log, as a tracing filter: a level (error, warn, info, debug, trace) or per-module
    /// directives such as "info,tower_http=debug". RUST_LOG is read when this is not given.
    #[arg(long, env = "TCPLAB_LOG", value_name = "FILTER")]
    pub log_level: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        let cli = Cli::try_parse_from(["tcplab"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.serve.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(cli.serve.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(cli.serve.static_dir, PathBuf::from("dist"));
    }

    #[test]
    fn a_bad_bind_address_names_the_flag() {
        let err = Cli::try_parse_from(["tcplab", "--bind", "localhost"]).unwrap_err().to_string();
        assert!(err.contains("--bind"), "{err}");
    }
}

#[cfg(test)]
mod healthcheck_args {
    use super::*;

    #[test]
    fn healthcheck_takes_a_url() {
        let cli = Cli::try_parse_from(["tcplab", "healthcheck", "--url", "http://127.0.0.1:9/healthz"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Healthcheck { url }) if url == "http://127.0.0.1:9/healthz"));
    }
}
