//! `tcplab`: the TCP Lab server. All the work happens in the library; this file only turns a
//! failure into one clear line on stderr and a non-zero exit status.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = tcplab::cli::Cli::parse();
    match tcplab::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("tcplab: error: {err}");
            ExitCode::FAILURE
        }
    }
}
