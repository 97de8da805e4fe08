#!/usr/bin/env bash
# Runs the end-to-end tests against the debug builds of the app and the CLI, under a virtual X
# display. Needs `cargo build --workspace --bins` first (scripts/test.sh does it).
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules ] || npm ci --no-audit --no-fund
rm -rf .artifacts
# A hung window must not hold CI for hours: the whole run has a hard limit.
status=0
timeout --kill-after=30s 20m xvfb-run -a --server-args="-screen 0 1280x820x24" npm test || status=$?
# An app the tests left running (its driver died first) is ended here; it writes only to the
# log file, so it could not hold this run open, but it should not outlive it either.
pkill -f "$(cd ../.. && pwd)/target/debug/debrief-app" 2>/dev/null || true
if [ "$status" -eq 124 ]; then echo "the end-to-end tests did not finish within 20 minutes" >&2; fi
exit "$status"
