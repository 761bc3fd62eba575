//! Build helper for TCP Lab, run as `cargo xtask <command>`.
//!
//! It exists so that building the browser app needs nothing but cargo and crates from crates.io:
//! wasm-bindgen runs as a library (`wasm-bindgen-cli-support`, pinned to the exact version of the
//! `wasm-bindgen` crate the app links), not as a separately installed or downloaded binary.

mod dist;
mod size;
mod strip;

/// What the build steps return: a message for the person building.
type Result<T, E = String> = std::result::Result<T, E>;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Build helper for TCP Lab")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the browser app into dist/: wasm (size-optimised), JavaScript glue, CSS and
    /// index.html, with content-hashed asset names and gzip and brotli copies. Skips the work when
    /// nothing changed since the last build.
    Dist {
        /// Rebuild dist/ even if it is up to date.
        #[arg(long)]
        force: bool,
    },
    /// Print the transfer size of the built app (raw, gzip, brotli) against the budget; fails above it.
    Size,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    let result = match cli.command {
        Command::Dist { force } => dist::run(&root, force),
        Command::Size => size::run(&root.join("dist")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}
