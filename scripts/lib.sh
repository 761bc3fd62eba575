# Shared by scripts/up.sh and scripts/test.sh: install what is missing, once.
# Only package registries are used (Debian apt, crates.io, npm, PyPI); nothing downloads binaries
# from elsewhere.

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Runs a command as root: directly when we are root (CI), through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

require_cargo() {
  if ! command -v cargo >/dev/null 2>&1; then
    echo "error: cargo is not installed. Install Rust with rustup (https://rustup.rs), then run this again." >&2
    exit 1
  fi
}

ensure_wasm_target() {
  if command -v rustup >/dev/null 2>&1 && ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# ensure_rust_components: rustfmt and clippy, which the test command runs before the tests.
ensure_rust_components() {
  if command -v rustup >/dev/null 2>&1; then
    local installed
    installed=$(rustup component list --installed)
    for c in rustfmt clippy; do
      if ! grep -q "^$c" <<<"$installed"; then
        log "adding the $c component"
        rustup component add "$c"
      fi
    done
  fi
}

apt_updated=
# ensure_apt <command> <package>: installs the Debian package when the command is missing.
ensure_apt() {
  local cmd=$1 pkg=$2
  command -v "$cmd" >/dev/null 2>&1 && return 0
  log "installing $pkg (apt)"
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null
}

# ensure_deb <package>: installs a Debian package that provides no command (fonts, for example).
ensure_deb() {
  local pkg=$1
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" && return 0
  log "installing $pkg (apt)"
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null
}
