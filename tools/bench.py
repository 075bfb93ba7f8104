#!/usr/bin/env python3
"""Benchmark: run every shared case through `voiceround rehearse` with the bundled models and
print, per case, the total and tiers next to the human labels, the transcription WER, the STT
and TTS real-time factors and the wall time. `make bench` runs it.

Usage: tools/bench.py [--cases DIR] [--realtime] [--no-llm]
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jiwer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from voiceround.analysis.normalize import normalize_for_wer  # noqa: E402
from voiceround.session.cases import load_case  # noqa: E402

SHORT = {"conflict_articulation": "CA", "data_driven_advocacy": "DA", "execution_commitment": "EC",
         "impact_quantification": "IQ", "ownership_distinctions": "OD", "customer_focus": "CF"}


def wer_of(result: dict, case) -> float:
    refs, hyps, used = [], [], set()
    for t in result["turns"]:
        if t["speaker"] == "candidate":
            ct = next(c for c in case.turns if c.topic == t["topic"] and (c.number not in used or c.topic == "unknown"))
            used.add(ct.number)
            refs.append(normalize_for_wer(ct.text))
            hyps.append(normalize_for_wer(t["text"]))
    return jiwer.wer(refs, hyps) if refs else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", default=str(ROOT.parent / "shared" / "cases"))
    ap.add_argument("--realtime", action="store_true")
    ap.add_argument("--no-llm", action="store_true")
    args = ap.parse_args()
    env = dict(os.environ, VOICEROUND_DATA_DIR=tempfile.mkdtemp(prefix="vr-bench-"))
    print(f"# VoiceRound rehearse benchmark, {time.strftime('%Y-%m-%d')}, {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}")
    print("case | total | tiers got (label) CA DA EC IQ OD CF | traps got / labelled | WER | STT RTF | TTS RTF | LLM accepted | wall s")
    for path in sorted(glob.glob(os.path.join(args.cases, "*.toml"))):
        case = load_case(path)
        cmd = [sys.executable, "-m", "voiceround", "rehearse", path, "--json", "-q"] + (["--realtime"] if args.realtime else []) + (["--no-llm"] if args.no_llm else [])
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
        if proc.returncode != 0:
            print(f"{case.id} | FAILED: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(proc.stdout)
        labels = case.labels.get("tiers", {})
        tiers = " ".join(f"{r['scores']['dimensions'][k]['tier']}({labels.get(k, '?')})" for k in SHORT)
        traps = ",".join(t["id"] for t in r["traps"]) or "-"
        t = r["timings"]
        print(f"{case.id} | {r['scores']['total']:.1f} | {tiers} | {traps} / {','.join(case.labels.get('traps', [])) or '-'} | "
              f"{wer_of(r, case):.3f} | {t['stt_rtf']} | {t['tts_rtf']} | {t['llm_rewordings_accepted']}/{t['llm_rewordings_tried']} | {t['wall_s']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
