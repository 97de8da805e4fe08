#!/usr/bin/env bash
# Runs the unit tests of the core and the app built for Windows (x86_64-pc-windows-gnu), under
# Wine, on a Debian machine: the code that differs by platform (opened files' paths, the menu's
# plan, dialogs' grants) runs its Windows branch. GitHub's CI runs these tests (and the binaries'
# own) on a real Windows, built with MSVC, for every push (.github/workflows/ci.yml); this is the
# way to see the Windows branch here first, built with mingw-w64.
# Needs rustup (to add the target), and installs Debian's mingw-w64 and Wine.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
target=x86_64-pc-windows-gnu
out="${CARGO_TARGET_DIR:-target}"

if ! command -v x86_64-w64-mingw32-gcc > /dev/null || [ ! -x /usr/lib/wine/wine64 ]; then
  echo "== Installing mingw-w64 and Wine"
  $sudo apt-get update -q > /dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends gcc-mingw-w64-x86-64 wine64 > /dev/null
fi
installed_targets="$(rustup target list --installed)"
grep -qx "$target" <<< "$installed_targets" || rustup target add "$target"
(cd ui && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build > /dev/null)

echo "== Building the unit tests for $target"
# Cargo's JSON goes to the pipe, its errors to the terminal; a failed build stops the script.
tests="$(cargo test --locked --target "$target" -p debrief -p debrief-app --lib --no-run --message-format json \
  | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      for (const line of s.split("\n")) {
        if (!line) continue;
        const m = JSON.parse(line);
        if (m.reason === "compiler-artifact" && m.profile?.test && m.executable) console.log(m.executable);
      }
    })')"
[ -n "$tests" ] || { echo "cargo built no test binaries for $target" >&2; exit 1; }
deps="$(dirname "$(head -1 <<< "$tests")")"

# The app's tests link WebView2's loader, which webview2-com-sys ships.
loader="$(cargo metadata --locked --format-version 1 --filter-platform "$target" \
  | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const p = JSON.parse(s).packages.find((p) => p.name === "webview2-com-sys");
      console.log(require("node:path").join(require("node:path").dirname(p.manifest_path), "x64", "WebView2Loader.dll"));
    })')"
cp "$loader" "$deps/"
# Rust's standard library asks bcryptprimitives.dll's ProcessPrng for random numbers (Windows 10
# and later); Debian 12's Wine 8 has no such DLL. This one forwards to RtlGenRandom.
cat > "$out/ProcessPrng.c" <<'EOF'
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) { return SystemFunction036(data, (ULONG)len); }
EOF
x86_64-w64-mingw32-gcc -shared -o "$deps/bcryptprimitives.dll" "$out/ProcessPrng.c" -ladvapi32

echo "== Running them under Wine"
export WINEDEBUG=-all
# In a scratch folder: the TypeScript export tests write their bindings where they run (the
# Unix path cargo gives them means nothing to Windows), and those must not land in the tree.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mapfile -t binaries <<< "$tests"
for t in "${binaries[@]}"; do
  echo "-- $(basename "$t")"
  (cd "$scratch" && /usr/lib/wine/wine64 "$t")
done
echo "== Windows unit tests passed"
