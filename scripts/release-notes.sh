#!/usr/bin/env bash
# Prints the section of CHANGELOG.md for VERSION (without its heading): the notes of that
# release. Fails, naming the version, when CHANGELOG.md has no such section or it is empty,
# so a tag is never released without notes. Usage: scripts/release-notes.sh 0.1.0
set -euo pipefail
version="${1:?usage: scripts/release-notes.sh VERSION}"
cd "$(dirname "$0")/.."
notes="$(awk -v v="$version" '
  /^## \[/ { if (found) exit; found = index($0, "## [" v "]") == 1; next }
  found { print }
' CHANGELOG.md | sed -e '/./,$!d')"
if [ -z "$(printf '%s' "$notes" | tr -d '[:space:]')" ]; then
  echo "CHANGELOG.md has no notes for version $version: add a '## [$version] - DATE' section" >&2
  exit 1
fi
printf '%s\n' "$notes"
