#!/usr/bin/env bash
# Figures for the browser app: transfer size (raw, gzip, brotli) and animation frame times in
# headless Chromium. Needs what scripts/test.sh installs and builds (run it once first).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --package tcplab
cargo xtask dist
cargo xtask size
cd e2e
TCPLAB_BIN="$PWD/../target/debug/tcplab" TCPLAB_DIST="$PWD/../dist" npx playwright test --config bench.config.ts
