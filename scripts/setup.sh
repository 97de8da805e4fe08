#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu clone of Debrief: system packages, Rust (if missing), the
# UI's npm packages and the UI build. Pass --tests to also install what the tests need
# (tauri-driver and the end-to-end test's npm packages). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-system.sh

if ! command -v cargo >/dev/null 2>&1; then
  [ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: installing Rust with rustup"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component clippy,rustfmt
  . "$HOME/.cargo/env"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js 20 or newer is needed (found $(node --version))" >&2
  exit 1
fi

echo "setup: UI packages"
(cd ui && npm ci --no-audit --no-fund)
echo "setup: building the UI"
(cd ui && npm run build)

if [ "${1:-}" = "--tests" ]; then
  if ! command -v tauri-driver >/dev/null 2>&1; then
    echo "setup: installing tauri-driver"
    cargo install tauri-driver --version '^2' --locked
  fi
  echo "setup: end-to-end test packages"
  (cd tests/e2e && npm ci --no-audit --no-fund)
fi
echo "setup: done"
