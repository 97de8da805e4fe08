#!/usr/bin/env bash
# Builds Debrief's Linux installers (.deb and .rpm) with the Tauri CLI, installs the .deb on
# this machine, checks what it installed, and drives the installed app through
# tests/e2e/installed.smoke.mjs (opens, loads the sample library, searches, quits). Prints the
# sizes of the release binaries and the installers. CI runs it after the tests; it installs a
# system package, so run it on a machine (or container) you are happy to install Debrief on.
# AppImage, macOS and Windows installers are built by .github/workflows/release.yml.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"

echo "== Building the installers"
(cd ui && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build)
# The packages carry the CLI beside the app (tauri.conf.json: bundle.linux.*.files).
cargo build --release --locked --bin debrief
ui/node_modules/.bin/tauri build --ci --bundles deb,rpm
deb="$(ls target/release/bundle/deb/*.deb)"
rpm="$(ls target/release/bundle/rpm/*.rpm)"
version="$(target/release/debrief --version | awk '{print $2}')"
case "$deb" in *"_${version}_"*) ;; *) echo "the .deb is not named for version $version: $deb" >&2; exit 1 ;; esac
case "$rpm" in *"-${version}-"*) ;; *) echo "the .rpm is not named for version $version: $rpm" >&2; exit 1 ;; esac

echo "== Checking $rpm"
# Installing an .rpm on Debian proves little; its name, version and contents can be read.
rpm_name="$(rpm -qp --queryformat '%{NAME} %{VERSION}' "$rpm" 2>/dev/null)"
[ "$rpm_name" = "debrief $version" ] || { echo "the .rpm says '$rpm_name', expected 'debrief $version'" >&2; exit 1; }
# Listed first, then searched: with pipefail, `rpm ... | grep -q` fails whenever grep finds its
# line and exits before rpm has written the rest (rpm dies of SIGPIPE), so it failed at random.
rpm_files="$(rpm -qpl "$rpm" 2>/dev/null)"
rpm_requires="$(rpm -qp --requires "$rpm" 2>/dev/null)"
for f in /usr/bin/debrief-app /usr/bin/debrief /usr/share/applications/Debrief.desktop; do
  grep -qx "$f" <<< "$rpm_files" || { echo "the .rpm does not carry $f" >&2; exit 1; }
done
grep -q "libwebkit2gtk-4.1" <<< "$rpm_requires" \
  || { echo "the .rpm does not require libwebkit2gtk-4.1" >&2; exit 1; }

echo "== Installing $deb"
$sudo apt-get install -y --reinstall --no-install-recommends "$PWD/$deb" > /dev/null
for f in /usr/bin/debrief-app /usr/bin/debrief /usr/share/applications/Debrief.desktop \
  /usr/share/icons/hicolor/128x128/apps/debrief-app.png /usr/share/icons/hicolor/256x256/apps/debrief-app.png; do
  [ -e "$f" ] || { echo "the package did not install $f" >&2; dpkg -L debrief >&2; exit 1; }
done
grep -q '^MimeType=.*text/markdown' /usr/share/applications/Debrief.desktop \
  || { echo "the desktop entry does not offer to open Markdown files" >&2; exit 1; }
grep -qx 'Exec=debrief-app %F' /usr/share/applications/Debrief.desktop \
  || { echo "the desktop entry does not hand opened files to the app (Exec without %F)" >&2; exit 1; }
installed="$(/usr/bin/debrief --version)"
[ "$installed" = "debrief $version" ] || { echo "installed CLI says '$installed', expected 'debrief $version'" >&2; exit 1; }

echo "== Driving the installed app"
[ -d tests/e2e/node_modules ] || (cd tests/e2e && npm ci --no-audit --no-fund)
(cd tests/e2e && DEBRIEF_APP=/usr/bin/debrief-app DEBRIEF_CLI=/usr/bin/debrief \
  timeout --kill-after=30s 5m xvfb-run -a --server-args="-screen 0 1280x820x24" \
  node --test --test-reporter=spec installed.smoke.mjs)

echo "== Sizes"
size() { awk -v n="$1" -v b="$(stat -c %s "$2")" -v f="$2" 'BEGIN { printf "%-12s %8.1f MiB  %s\n", n, b / 1048576, f }'; }
size "app binary" target/release/debrief-app
size "CLI binary" target/release/debrief
size ".deb" "$deb"
size ".rpm" "$rpm"
