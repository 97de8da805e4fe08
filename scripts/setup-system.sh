#!/usr/bin/env bash
# Installs the system packages Debrief needs to build, run and test on Debian/Ubuntu.
# Idempotent: skips what is already present. Needs root (or sudo).
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PKGS=(
  libwebkit2gtk-4.1-dev build-essential pkg-config curl file libssl-dev
  libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
  xvfb xauth webkit2gtk-driver poppler-utils fonts-dejavu-core imagemagick
  dbus-daemon ripgrep python3-venv shellcheck rpm xdotool faketime
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs npm); fi
# The team library runs the user's own git (and its tests run git daemon).
if ! command -v git >/dev/null 2>&1; then missing+=(git); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: system packages present"
fi
