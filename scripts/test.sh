#!/usr/bin/env bash
# Runs every test of TCP Lab: formatting and lint checks, Rust unit and integration tests, then
# the end-to-end tests that start the real server and drive a real headless Chromium. On a fresh Debian machine it first
# installs what is missing (Chromium from apt, npm packages from the committed lock file).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

require_cargo
ensure_wasm_target
ensure_rust_components
ensure_apt chromium chromium
# Chinese glyphs for the zh-CN pages, so screenshots show text rather than empty boxes.
ensure_deb fonts-wqy-zenhei
# The fidelity tests record real connections on loopback and use a private network namespace.
ensure_apt tcpdump tcpdump
ensure_apt ip iproute2

# The lint policy (rustfmt.toml, [workspace.lints]) is checked before anything is tested.
log "formatting (cargo fmt --check)"
cargo fmt --all -- --check
log "lints (cargo clippy, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

log "Rust tests (cargo test --workspace)"
cargo test --workspace --locked

log "building the browser app"
cargo xtask dist
cargo xtask size

log "linting docker-compose.yml and the Dockerfile"
scripts/lint-docker.sh

log "end-to-end tests in headless Chromium"
cd e2e
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # Playwright must use Debian's Chromium; it must never try to download its own browsers.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
TCPLAB_BIN="$PWD/../target/debug/tcplab" TCPLAB_DIST="$PWD/../dist" npx playwright test
