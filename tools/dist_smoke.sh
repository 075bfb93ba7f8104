#!/usr/bin/env bash
# Smoke test of the frozen build with no venv on PATH: `doctor` and a headless rehearsal.
set -euo pipefail
cd "$(dirname "$0")/.."
app="$PWD/dist/voiceround/voiceround"
case_file="${1:-$PWD/../shared/cases/weak-royal-we.toml}"
data="$(mktemp -d)"
out="$(mktemp)"
env -i HOME="$data" PATH=/usr/bin:/bin VOICEROUND_DATA_DIR="$data/data" "$app" doctor
env -i HOME="$data" PATH=/usr/bin:/bin VOICEROUND_DATA_DIR="$data/data" "$app" rehearse "$case_file" --json -q > "$out"
python3 - "$out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["turns"] and r["scores"]["dimensions"] and 0 <= r["scores"]["total"] <= 100, r
print(f"frozen rehearse ok: {len(r['turns'])} turns, total {r['scores']['total']}")
PY
du -sh dist/voiceround
