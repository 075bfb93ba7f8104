"""Train the round's meaning model (voiceround/rounds/meaning_model.py): one logistic regression per
cue over the sentence encoder's vectors, so a cue said in other words than its lexicon counts; and
abstraction drift read from all of an answer's sentences beside its rule (TRAPS below).

Sentences it learns from (the labelled corpus's dev split, tests/data/corpus/dev, and the phrase
bank tests/data/corpus/phrasebank.json, written by a helper who never read the scorer):
- saying the cue: the phrase bank's ``yes`` sentences, and the lexicon's sentences in dev answers
  whose human labels name the cue's trap;
- not saying it: the phrase bank's near-misses (``near``), the lexicon's sentences in answers whose
  labels don't name the trap, and three in ten of those answers' other sentences (seeded).
The cue's sentences are weighted so they count a quarter as much as the others in all (a sentence
counts at a probability of 0.85: few false hits per answer of 30 sentences). Chosen on dev, each
writer's batch held out (docs/BENCHMARKS.md, "Reading by meaning").

    .venv/bin/python tools/train_meaning_cues.py            # fit and print the training figures
    .venv/bin/python tools/train_meaning_cues.py --write    # and write the round's model file

Set VOICEROUND_ENCODER_CACHE=/tmp/vectors.sqlite to keep the sentence vectors between runs.
"""
from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from voiceround.engines.encoder import SentenceEncoder  # noqa: E402
from voiceround.rounds import load_round  # noqa: E402
from voiceround.rounds.meaning_model import DIM, FORMAT  # noqa: E402
from voiceround.scoring import scorer  # noqa: E402
from voiceround.session.cases import load_case, text_transcript  # noqa: E402

# cue feature -> (phrase bank section, the trap whose labels say the cue is there, phases it counts in)
CUES = {
    "opinion_cues": ("opinion", "opinion_based_conflict", ["argument", "decision", "reflection"]),
    "passive_aggressive_cues": ("passive_aggressive", "passive_aggressive_compliance", None),
}
# traps read from all their sentences (rounds/meaning_model.py, MeaningTrap): multiple-instance, each
# sentence of an answer labelled with the trap counts as saying it (phase one-hot beside the vector)
TRAPS = {"abstraction_drift": {"sentence_C": 0.5, "answer_C": 1.0, "threshold": 0.4}}
# the phrase banks pooled by default (tests/data/corpus/README.md, "The phrase bank")
BANKS = ("phrasebank.json", "phrasebank2.json")
C = 1.0             # inverse L2 penalty
THRESHOLD = 0.85    # probability at which a sentence counts
NEGATIVE_SAMPLE = 0.3
POSITIVE_WEIGHT = 0.25  # the cue's sentences weigh this share of the others in all


def fit_logistic(X: np.ndarray, y: np.ndarray, weights: np.ndarray, c: float = C, iterations: int = 25) -> np.ndarray:
    """Weighted L2 logistic regression by Newton's method; X (n, d) without the bias column.
    Returns d + 1 weights (the last is the intercept, penalised like the others)."""
    X = np.hstack([X, np.ones((len(X), 1))])
    n, d = X.shape
    w = np.zeros(d)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-X @ w))
        g = X.T @ ((p - y) * weights) / n + w / (c * n)
        H = (X * (p * (1 - p) * weights)[:, None]).T @ X / n + np.eye(d) / (c * n)
        w -= np.linalg.solve(H, g)
    return w


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--round", default="disagree_and_commit")
    ap.add_argument("--corpus", default=str(ROOT / "tests" / "data" / "corpus" / "dev"))
    ap.add_argument("--bank", nargs="+", default=[str(ROOT / "tests" / "data" / "corpus" / f) for f in BANKS],
                    help="phrase bank JSON files ({section: {yes: [...], near: [...]}}), their sentences pooled")
    ap.add_argument("--write", action="store_true", help="write the round's meaning model file")
    args = ap.parse_args()

    rnd = load_round(args.round)
    scorer.use_encoder(None)   # the lexicons' sentences only: what the model is trained beside
    bank: dict[str, dict[str, list[str]]] = {}
    for path in args.bank:
        for section, kinds in json.loads(Path(path).read_text(encoding="utf-8")).items():
            for kind, sentences in kinds.items():
                bank.setdefault(section, {}).setdefault(kind, []).extend(sentences)
    enc = SentenceEncoder()
    cases = [load_case(p, rnd) for p in sorted(Path(args.corpus).glob("*.toml"))]
    print(f"{len(cases)} answers from {args.corpus}; reading sentences…", file=sys.stderr)
    rows = []
    for c in cases:
        F, ctx = scorer.compute_features(text_transcript(c), rnd)
        sents = ctx["sentences"]
        pos = {s.index: i for i, s in enumerate(sents)}
        rule = {t.id: t.when is not None and t.when.holds(scorer._value_of(F)) for t in rnd.traps.values()}
        rows.append((c, sents, {cue: [pos[s.index] for s in F[cue].evidence] for cue in CUES}, [ctx["phases"][s.index] for s in sents], rule))
    vectors = [enc.encode([s.text for s in sents]) if sents else np.zeros((0, DIM), np.float32) for _, sents, *_ in rows]
    model = {"format": FORMAT, "encoder": "all-MiniLM-L6-v2", "dim": DIM, "cues": {}, "trained": {}}
    sizes = {}
    for cue, (section, trap, phases) in CUES.items():
        rng = np.random.default_rng(0)
        P = [enc.encode(bank[section]["yes"])]
        N = [enc.encode(bank[section]["near"])]
        for (c, sents, lex, _, _), V in zip(rows, vectors, strict=True):
            if not sents:
                continue
            idx = lex[cue]
            if trap in c.labels["traps"]:
                if idx:
                    P.append(V[idx])
            else:
                if idx:
                    N.append(V[idx])
                N.append(V[rng.random(len(sents)) < NEGATIVE_SAMPLE])
        Pm, Nm = np.vstack(P), np.vstack(N)
        y = np.r_[np.ones(len(Pm)), np.zeros(len(Nm))]
        weights = np.r_[np.full(len(Pm), len(Nm) / len(Pm) * POSITIVE_WEIGHT), np.ones(len(Nm))]
        w = fit_logistic(np.vstack([Pm, Nm]), y, weights)
        model["cues"][cue] = {"coef": [round(float(x), 6) for x in w[:-1]], "intercept": round(float(w[-1]), 6),
                              "threshold": THRESHOLD, "phase": phases}
        sizes[cue] = {"saying": len(Pm), "not_saying": len(Nm)}
        p = 1 / (1 + np.exp(-(np.vstack([Pm, Nm]) @ w[:-1] + w[-1])))
        print(f"{cue}: {len(Pm)} sentences saying it, {len(Nm)} not; in-sample at {THRESHOLD}: "
              f"{np.mean(p[:len(Pm)] >= THRESHOLD):.0%} of the first, {np.mean(p[len(Pm):] >= THRESHOLD):.1%} of the others")
    model["traps"] = {}
    phases = sorted({sl.phase for sl in rnd.slots})
    for trap, h in TRAPS.items():
        X = np.vstack([np.hstack([V, np.array([[p == q for q in phases] for p in ph], float).reshape(len(ph), len(phases))])
                       for (_, _, _, ph, _), V in zip(rows, vectors, strict=True) if len(ph)])
        y = np.concatenate([[float(trap in c.labels["traps"])] * len(sents) for c, sents, *_ in rows if sents])
        ws = fit_logistic(X, y, np.ones(len(y)), c=h["sentence_C"])
        from voiceround.rounds.meaning_model import MeaningTrap
        read = MeaningTrap(tuple(phases), tuple(ws[:-1]), float(ws[-1]), (0.0, 0.0, 0.0, 0.0), 0.0, h["threshold"])
        A = np.array([[float(rule[trap]), *read.aggregates(read.sentence_probabilities(V, ph) if len(ph) else [])]
                      for (_, _, _, ph, rule), V in zip(rows, vectors, strict=True)])
        ya = np.array([float(trap in c.labels["traps"]) for c, *_ in rows])
        wa = fit_logistic(A, ya, np.ones(len(ya)), c=h["answer_C"])
        model["traps"][trap] = {"phases": phases, "sentence_coef": [round(float(x), 6) for x in ws[:-1]],
                                "sentence_intercept": round(float(ws[-1]), 6), "answer_coef": [round(float(x), 6) for x in wa[:-1]],
                                "answer_intercept": round(float(wa[-1]), 6), "threshold": h["threshold"]}
        pa = 1 / (1 + np.exp(-(A @ wa[:-1] + wa[-1])))
        flagged, labelled = pa >= h["threshold"], ya > 0
        print(f"{trap}: {len(y)} sentences, {int(labelled.sum())} answers labelled; in-sample precision "
              f"{(flagged & labelled).sum() / max(1, flagged.sum()):.2f}, recall {(flagged & labelled).sum() / max(1, labelled.sum()):.2f} "
              f"(the rule: {(A[:, 0].astype(bool) & labelled).sum() / max(1, A[:, 0].sum()):.2f}, "
              f"{(A[:, 0].astype(bool) & labelled).sum() / max(1, labelled.sum()):.2f})")
    model["trained"] = {"corpus": str(Path(args.corpus).relative_to(ROOT)) if Path(args.corpus).is_relative_to(ROOT) else args.corpus,
                        "answers": len(cases), "phrase_bank": [str(Path(b).resolve().relative_to(ROOT)) if Path(b).resolve().is_relative_to(ROOT) else b for b in args.bank], "sentences": sizes,
                        "C": C, "traps": TRAPS, "negative_sample": NEGATIVE_SAMPLE, "positive_weight": POSITIVE_WEIGHT,
                        "date": datetime.date.today().isoformat(), "tool": "tools/train_meaning_cues.py"}
    enc.close()
    if args.write:
        out = ROOT / "voiceround" / "rounds" / f"{rnd.id}.meaning.json"
        out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
