#!/usr/bin/env bash
# One command for a newcomer: set everything up, then start the Debrief app.
# DEBRIEF_LIBRARY=/some/folder picks another library folder.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
exec cargo run -p debrief-app
