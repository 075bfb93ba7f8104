#!/usr/bin/env bash
# Smoke test of the frozen build with no venv on PATH: `doctor`, a headless rehearsal, and the
# desktop app itself (offscreen): it opens its window, loads the models and closes cleanly, once on
# a scripted close (File → Quit) and once on SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
app="$PWD/dist/voiceround/voiceround"
case_file="${1:-$PWD/../shared/cases/weak-royal-we.toml}"
data="$(mktemp -d)"
out="$(mktemp)"
env -i HOME="$data" PATH=/usr/bin:/bin VOICEROUND_DATA_DIR="$data/data" "$app" doctor
# Both bundled rounds load (round files and the lexicon file they name are in the bundle), and the
# echo canceller's native library is there.
env -i HOME="$data" PATH=/usr/bin:/bin "$app" rounds | tee "$out"
grep -q "^customer_obsession" "$out" && grep -q "^disagree_and_commit" "$out" || { echo "frozen app: rounds missing"; exit 1; }
env -i HOME="$data" PATH=/usr/bin:/bin VOICEROUND_DATA_DIR="$data/data" "$app" rehearse "$case_file" --json -q > "$out"
python3 - "$out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["turns"] and r["scores"]["dimensions"] and 0 <= r["scores"]["total"] <= 100, r
# the sentence encoder is in the bundle and read the answer (not "unavailable: …": traps by word lists only)
reader = r["scores"]["analytics"].get("meaning_reader")
assert reader == "all-MiniLM-L6-v2", f"frozen app: sentence encoder {reader!r}"
print(f"frozen rehearse ok: {len(r['turns'])} turns, total {r['scores']['total']}, meaning read by {reader}")
PY
# The window: no arguments, as a user double-clicks it.
script="$(mktemp)"
echo '[{"wait": "models"}, {"sleep": 2}, {"action": "Quit"}]' > "$script"
log="$(mktemp)"
env -i HOME="$data" PATH=/usr/bin:/bin VOICEROUND_DATA_DIR="$data/data" QT_QPA_PLATFORM=offscreen \
  VOICEROUND_UI_SCRIPT="$script" timeout 120 "$app" 2> "$log" || { code=$?; cat "$log"; echo "frozen app: exit $code"; exit 1; }
# (and Replay's player is Qt's own, made by QML: voiceround/ui/media.py)
grep -q "models loaded" "$log" && grep -q "shut down cleanly (exit 0)" "$log" \
  && ! grep -qE "Traceback|Fatal Python error|threads still running|QML media player is not available" "$log" || { cat "$log"; echo "frozen app: unclean run"; exit 1; }
echo "frozen app: window opened, models loaded, closed cleanly ($(grep -o 'window shown.*' "$log"))"
env -i HOME="$data" PATH=/usr/bin:/bin VOICEROUND_DATA_DIR="$data/data" QT_QPA_PLATFORM=offscreen "$app" 2> "$log" &
pid=$!
for _ in $(seq 1 600); do grep -q "models loaded" "$log" && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -TERM "$pid"
code=0; wait "$pid" || code=$?
[ "$code" = 0 ] && grep -q "shut down cleanly (exit 0)" "$log" && ! grep -qE "Traceback|Fatal Python error" "$log" \
  || { cat "$log"; echo "frozen app: SIGTERM gave exit $code"; exit 1; }
echo "frozen app: SIGTERM closed it with exit 0"
du -sh dist/voiceround
