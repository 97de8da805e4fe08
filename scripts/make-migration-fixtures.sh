#!/usr/bin/env bash
# Builds tests/fixtures/migrations/: one library per past schema version (gzipped), made by the
# `debrief` CLI of the last commit that wrote that version, with real content (the sample
# library of that commit, a new postmortem, and re-imported edits that leave revisions).
# tests/integration/migrations.rs migrates each one to the latest schema and checks that
# everything listed in its manifest is still there.
#
# Run from the repository root when a migration is added (needs git history and cargo):
#   bash scripts/make-migration-fixtures.sh
# It checks out old commits in worktrees under $WORK (default /tmp/debrief-migration-fixtures)
# and builds each one there; the repository's own tree is not touched but for the output.
set -euo pipefail

root=$(git rev-parse --show-toplevel)
work=${WORK:-/tmp/debrief-migration-fixtures}
out="$root/tests/fixtures/migrations"
mkdir -p "$work" "$out"
export CARGO_TARGET_DIR="$work/target"

migrations=("$root"/migrations/*.sql)
latest=${#migrations[@]}

for ((version = 1; version < latest; version++)); do
  # The commit that added the next migration; its parent is the last that wrote `version`.
  next=${migrations[$version]}
  added=$(git -C "$root" log --diff-filter=A --format=%H -- "migrations/$(basename "$next")" | tail -1)
  # Not committed yet (the migration being written now): the last commit is the one.
  if [[ -z $added ]]; then commit=$(git -C "$root" rev-parse HEAD); else commit=$(git -C "$root" rev-parse "$added^"); fi
  fixture="$work/v$version.sqlite3"
  if [[ -f $out/v$version.sqlite3.gz && -f $out/v$version.manifest.json ]]; then
    echo "v$version: already built ($out/v$version.sqlite3.gz)"
    continue
  fi
  echo "v$version: building debrief at ${commit:0:10}"
  tree="$work/tree-v$version"
  rm -rf "$tree"
  git -C "$root" worktree add --detach --force "$tree" "$commit" >/dev/null
  (cd "$tree" && cargo build --quiet --bin debrief)
  debrief="$CARGO_TARGET_DIR/debug/debrief"
  lib="$work/lib-v$version"
  rm -rf "$lib"
  export DEBRIEF_LIBRARY="$lib"
  "$debrief" demo >/dev/null
  if [[ $("$debrief" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') == 0 ]]; then
    # The first versions shipped an empty sample: bring in the next version's sample instead.
    git -C "$root" show "$(git -C "$root" rev-parse "$(git -C "$root" log --diff-filter=A --format=%H -- migrations/0003_factor_cause_link.sql | tail -1)^")":src/sample/sample-library.json > "$work/sample-v$version.json"
    "$debrief" import "$work/sample-v$version.json" >/dev/null
  fi
  "$debrief" new --title "Written at schema v$version: cache stampede after deploy" --severity SEV2 --date 2025-06-01 >/dev/null
  # Edit some postmortems through an export and a re-import: each keeps a revision.
  "$debrief" export --format json --out "$work/export-v$version.json" >/dev/null
  python3 - "$work/export-v$version.json" "$version" <<'PY'
import json, sys
path, version = sys.argv[1], sys.argv[2]
doc = json.load(open(path))
for pm in doc["postmortems"][:5]:
    pm["title"] = pm["title"] + f" (edited at v{version})"
    for s in pm.get("sections", [])[:1]:
        s["body"] = (s.get("body") or "") + f"\n\nA line added at schema v{version}."
json.dump(doc, open(path, "w"), indent=1)
PY
  "$debrief" import "$work/export-v$version.json" >/dev/null
  "$debrief" export --format json --out "$work/final-v$version.json" >/dev/null
  rm -f "$fixture"
  "$debrief" backup --out "$fixture" >/dev/null
  python3 - "$work/final-v$version.json" "$fixture" "$version" "$commit" > "$out/v$version.manifest.json" <<'PY'
import hashlib, json, sqlite3, sys
export, db, version, commit = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
doc = json.load(open(export))
con = sqlite3.connect(db)
assert con.execute("PRAGMA user_version").fetchone()[0] == version, "fixture is at the wrong version"
revisions = dict(con.execute("SELECT postmortem_id, count(*) FROM revisions GROUP BY postmortem_id"))
def digest(texts):
    return hashlib.sha256("\x1f".join(texts).encode()).hexdigest()[:16]
pms = []
for pm in doc["postmortems"]:
    pms.append({
        "id": pm["id"],
        "title": pm["title"],
        "incident_date": pm["incident_date"],
        "severity": pm["severity"],
        "status": pm["status"],
        "timeline": len(pm.get("timeline", [])),
        "action_items": sorted(a["id"] for a in pm.get("action_items", [])),
        "sections": digest([s.get("body") or "" for s in pm.get("sections", [])]),
        "whys": sum(len(c.get("steps", [])) for c in pm.get("whys", [])),
        "factors": len(pm.get("contributing_factors", [])),
        "revisions": revisions.get(pm["id"], 0),
    })
print(json.dumps({"schema_version": version, "built_by_commit": commit, "postmortems": pms}, indent=1))
PY
  gzip -9 -c "$fixture" > "$out/v$version.sqlite3.gz"
  git -C "$root" worktree remove --force "$tree"
  echo "v$version: $(du -h "$out/v$version.sqlite3.gz" | cut -f1) with $(python3 -c "import json;print(len(json.load(open('$out/v$version.manifest.json'))['postmortems']))" ) postmortems"
done
