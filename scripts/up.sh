#!/usr/bin/env bash
# Builds TCP Lab and starts it at http://127.0.0.1:8080 (SQLite file under ./data/).
# On a fresh Debian machine it first installs what is missing; a second run skips what is done and
# starts in seconds. Extra arguments go to the server: scripts/up.sh --bind 0.0.0.0:8080
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

require_cargo
ensure_wasm_target

log "building the browser app (cargo xtask dist)"
cargo xtask dist
log "building the server"
cargo build --release --locked --package tcplab
log "starting; stop with Ctrl-C"
exec target/release/tcplab "$@"
