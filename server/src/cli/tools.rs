//! `tcplab scenario` and `tcplab capture`: the model and the capture reader on the command line,
//! printing the same lines so the two can be compared.

use tcplab_core::capture::{self, to_run};
use tcplab_core::tcp::{ScenarioId, ScenarioParams, TraceLine, run, table, trace};

use super::Command;

/// Runs a command and returns what to print, or a message naming what is wrong.
pub fn run_command(command: Command) -> Result<String, String> {
    match command {
        Command::Scenario {
            id,
            client_isn,
            server_isn,
            client_bytes,
            server_bytes,
            keepalive_idle,
            syn_retries,
            syn_linear_timeouts,
            orphan_retries,
            json,
        } => {
            if id == "list" {
                // Scenarios not yet recorded against the kernel are marked: they are the model alone.
                return Ok(ScenarioId::all()
                    .iter()
                    .map(|s| {
                        format!(
                            "{:<34} {}{}\n",
                            s.as_str(),
                            s.title(),
                            if s.recorded() { "" } else { " (not checked against a real capture)" }
                        )
                    })
                    .collect());
            }
            let scenario: ScenarioId = id
                .parse()
                .map_err(|_| format!("unknown scenario {id:?}; `tcplab scenario list` shows the {} scenarios", ScenarioId::all().len()))?;
            let params = ScenarioParams {
                client_payload: client_bytes,
                server_payload: server_bytes,
                keepalive_idle_s: keepalive_idle,
                syn_retries,
                syn_linear_timeouts,
                orphan_retries,
                ..ScenarioParams::with_isns(client_isn, server_isn)
            };
            let run = run(scenario, &params).map_err(|e| e.to_string())?;
            let lines = trace(&run);
            Ok(if json { to_json(&lines)? } else { format!("{} ({})\n{}", scenario.title(), scenario.as_str(), table(&lines)) })
        }
        Command::Capture { file, conversation, json } => {
            let reader = std::fs::File::open(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let capture = capture::read(std::io::BufReader::new(reader)).map_err(|e| format!("{}: {e}", file.display()))?;
            let chosen: Vec<usize> = match conversation {
                Some(n) if n < capture.conversations.len() => vec![n],
                Some(n) => {
                    return Err(format!(
                        "there is no conversation {n}; the capture has {} (0 to {})",
                        capture.conversations.len(),
                        capture.conversations.len() - 1
                    ));
                }
                None => (0..capture.conversations.len()).collect(),
            };
            if json {
                #[derive(serde::Serialize)]
                struct Out {
                    index: usize,
                    client: String,
                    server: String,
                    /// The capture holds no SYN of it: which end is the client is a guess.
                    #[serde(skip_serializing_if = "std::ops::Not::not")]
                    guessed: bool,
                    steps: Vec<TraceLine>,
                }
                let all: Vec<Out> = chosen
                    .iter()
                    .map(|&i| {
                        let c = &capture.conversations[i];
                        Out {
                            index: i,
                            client: c.client.to_string(),
                            server: c.server.to_string(),
                            guessed: c.guessed,
                            steps: trace(&to_run(c)),
                        }
                    })
                    .collect();
                return serde_json::to_string_pretty(&all).map(|s| s + "\n").map_err(|e| e.to_string());
            }
            let mut out = format!(
                "{} packets, {} not TCP, {} TCP conversations{}\n",
                capture.packets,
                capture.other_packets,
                capture.conversations.len(),
                if capture.dropped_conversations > 0 {
                    format!(" ({} more not kept)", capture.dropped_conversations)
                } else {
                    String::new()
                }
            );
            for warning in &capture.warnings {
                out.push_str(&format!("warning: {warning}\n"));
            }
            for i in chosen {
                let c = &capture.conversations[i];
                let guess = if c.guessed { " (no SYN in the capture: the client is guessed, by its higher port)" } else { "" };
                out.push_str(&format!("\nconversation {i}: {} -> {}{guess}\n", c.client, c.server));
                out.push_str(&table(&trace(&to_run(c))));
            }
            Ok(out)
        }
        Command::Healthcheck { .. } | Command::Admin { .. } => Err("not a printing command".into()),
    }
}

fn to_json(lines: &[TraceLine]) -> Result<String, String> {
    serde_json::to_string_pretty(lines).map(|s| s + "\n").map_err(|e| e.to_string())
}
