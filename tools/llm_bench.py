#!/usr/bin/env python3
"""The LLM as the interviewer's wording step: the bundled SmolLM2-135M against another GGUF
(e.g. Gemma 3 270M Q4_K_M), under the same checks the app applies (issue "A Bar Raiser who
listens", item 4).

For every probe the planner asks in text rounds of the given cases (the planner is deterministic,
so each model words the same probes), each model words it through the app's own
:class:`voiceround.session.wording.ProbeWriter`: the template rephrased (``reword``, what the
bundled model does) and, for the other model, also written from the planner's intent and the
candidate's last answer (``compose``, what a user-configured GGUF does). Printed: acceptance rate
(the wording passed every check), seconds per call (p50/p95, 2 threads), why wordings were
rejected, and a JSON file of ``--pairs`` probes with both models' accepted-or-not wording for a
blind side-by-side read.

Usage: tools/llm_bench.py --other /path/model.gguf [--cases DIR ...] [--pairs 20] [--out FILE.json]
"""
from __future__ import annotations

import argparse
import glob
import json
import random
import statistics
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from voiceround.core.types import Transcript  # noqa: E402
from voiceround.engines.llm import LlamaRewriter  # noqa: E402
from voiceround.engines.models import resolve  # noqa: E402
from voiceround.interviewer import planner  # noqa: E402
from voiceround.rounds import load_round  # noqa: E402
from voiceround.session.cases import load_case  # noqa: E402
from voiceround.session.textsim import simulate_text  # noqa: E402
from voiceround.session.wording import ProbeWriter  # noqa: E402


class _Mode:
    """One model in one mode: ``reword`` (the template rephrased) or ``compose`` (written)."""

    def __init__(self, engine: LlamaRewriter, composes: bool):
        self.engine, self.composes, self.last = engine, composes, ""

    def reword(self, text):
        out = self.engine.reword(text)
        self.last = out[0]
        return out

    def compose(self, *args):
        out = self.engine.compose(*args)
        self.last = out[0]
        return out


def probes(paths: list[str], rnd):
    """``(case id, transcript so far, action)`` for every probe the planner asks in text rounds."""
    for p in paths:
        case = load_case(p, rnd)
        tr = simulate_text(case, rnd)
        for i, t in enumerate(tr.turns):
            if t.speaker != "interviewer" or i == 0 or t.intent in ("wrap_up", "closing_reply", "ask_scenario"):
                continue
            prefix = Transcript(tr.turns[:i])
            action = planner.next_action(prefix, t.start_s, rnd)
            if action.intent == t.intent and action.intent in rnd.probes:
                yield case.id, prefix, action


def run(mode: _Mode, items, rnd) -> list[dict]:
    out = []
    for cid, prefix, action in items:
        writer = ProbeWriter(rnd, mode, use_llm=True)
        mode.last = ""
        try:
            text, info = writer.word(action, prefix)
        finally:
            writer.close()
        out.append({"case": cid, "intent": action.intent, "template": action.text, "text": text,
                    "verdict": info.get("llm", info.get("llm_error", "")), "llm_text": mode.last, "s": writer.llm_s})
    return out


def summary(name: str, rows: list[dict]) -> str:
    ok = sum(r["verdict"] == "accepted" for r in rows)
    secs = sorted(r["s"] for r in rows)
    why = Counter(r["verdict"].split(":", 1)[1].strip().split(" ")[0] if ":" in r["verdict"] else r["verdict"] for r in rows
                  if r["verdict"] != "accepted")
    p95 = secs[min(len(secs) - 1, int(0.95 * len(secs)))] if secs else 0.0
    return (f"| {name} | {ok}/{len(rows)} ({ok / max(len(rows), 1):.0%}) | {statistics.median(secs) if secs else 0:.2f} | {p95:.2f} | "
            f"{', '.join(f'{k} {v}' for k, v in why.most_common(4))} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--other", required=True, help="the GGUF to compare with the bundled model")
    ap.add_argument("--cases", nargs="+", default=[str(ROOT.parent / "shared" / "cases")])
    ap.add_argument("--limit", type=int, default=60, help="probes to word (a seeded sample of all)")
    ap.add_argument("--pairs", type=int, default=20)
    ap.add_argument("--out", default="llm_pairs.json")
    args = ap.parse_args()
    rnd = load_round()
    paths = [p for c in args.cases for p in (sorted(glob.glob(f"{c}/*.toml")) if Path(c).is_dir() else [c])]
    items = list(probes(paths, rnd))
    random.Random(7).shuffle(items)
    items = items[: args.limit]
    small = LlamaRewriter().load()
    other = LlamaRewriter(resolve("llm", args.other)).load()
    small.warm()
    other.warm()
    results = {"smollm2-135m reword": run(_Mode(small, False), items, rnd),
               f"{Path(args.other).stem} reword": run(_Mode(other, False), items, rnd),
               f"{Path(args.other).stem} compose": run(_Mode(other, True), items, rnd)}
    small.close()
    other.close()
    print(f"LLM wording on {len(items)} probes from text rounds of {len(paths)} cases (2 threads, greedy decoding)\n")
    print("| model, mode | accepted | s p50 | s p95 | rejected for |")
    print("|---|---|---|---|---|")
    for name, rows in results.items():
        print(summary(name, rows))
    names = list(results)
    rng = random.Random(11)
    pairs = []
    for k in range(min(args.pairs, len(items))):
        a, b = results[names[0]][k], results[names[2]][k]
        flip = rng.random() < 0.5
        pairs.append({"context": a["template"], "A": (b if flip else a)["llm_text"], "B": (a if flip else b)["llm_text"],
                      "key": {"A": names[2] if flip else names[0], "B": names[0] if flip else names[2]}})
    Path(args.out).write_text(json.dumps({"results": results, "pairs": pairs}, indent=2, ensure_ascii=False))
    print(f"\nside-by-side pairs (model names under 'key', to read blind): {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
