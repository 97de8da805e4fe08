#!/usr/bin/env bash
# One command for every test: set up what the tests need (system packages, npm packages,
# tauri-driver), then run the Rust unit and integration tests, the bindings check, the UI's
# type check and unit tests, and the end-to-end test of the real window under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"

echo "== Rust: unit and integration tests (also regenerates ui/src/bindings)"
cargo test --workspace

echo "== Bindings: ui/src/bindings must match the Rust types"
if [ -n "$(git status --porcelain -- ui/src/bindings)" ]; then
  git status --porcelain -- ui/src/bindings
  echo "ui/src/bindings is stale: run 'cargo test' and commit the regenerated files" >&2
  exit 1
fi

echo "== UI: type check and unit tests"
(cd ui && npm run check && npm test)

echo "== End to end: the real app under Xvfb"
cargo build --workspace --bins
bash tests/e2e/run.sh
echo "== all tests passed"
