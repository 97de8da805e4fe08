#!/usr/bin/env bash
# One command for every test: set up what the tests need (system packages, npm packages,
# tauri-driver), then run the Rust unit and integration tests, the generated-files check, the UI's
# type check and unit tests, and the end-to-end test of the real window under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"

echo "== Rust: unit and integration tests (also regenerates ui/src/bindings)"
cargo test --workspace

echo "== Benchmarks: the suite runs end to end on 1,000 postmortems (its figures are not checked here)"
cargo test --bench suite -- --quick

echo "== Generated files: the bindings, command wrappers and capability must match the Rust code"
generated="ui/src/bindings ui/src/api/commands.ts src-tauri/capabilities/commands.json src-tauri/permissions"
if [ -n "$(git status --porcelain -- $generated)" ]; then
  git status --porcelain -- $generated
  echo "generated files are stale: run 'cargo test --workspace' and commit the regenerated files" >&2
  exit 1
fi
# The About box's list of bundled crates, npm packages and fonts with their licences.
node scripts/licences.mjs --check

echo "== UI: type check and unit tests"
(cd ui && npm run check && npm test)

echo "== End to end: the real app under Xvfb"
cargo build --workspace --bins
bash tests/e2e/run.sh
echo "== all tests passed"
