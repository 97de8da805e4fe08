#!/usr/bin/env bash
# Runs the end-to-end tests against the debug build of the app, under a virtual X display.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules ] || npm ci --no-audit --no-fund
rm -rf .artifacts
exec xvfb-run -a --server-args="-screen 0 1280x820x24" npm test
