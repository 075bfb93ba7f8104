"""Train a round's tier model on its labelled corpus's dev split (voiceround/rounds/tier_model.py).

    .venv/bin/python tools/train_tier_model.py [--C 0.1] [--grid] [--write]

Computes the scorer's features for every dev answer (text only) and its sentences' vectors (the
sentence encoder, for the story's projections by meaning), reports leave-one-batch-out
agreement (each writer's batch held out in turn: how the model does on answers written by someone
it has not seen) next to the hand-written tier conditions, and with ``--write`` fits on all of dev
and writes ``voiceround/rounds/<round>.tiers.json`` with its provenance. ``--grid`` reports the
cross-validation for several penalties. ``test`` is never read.
"""
from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from voiceround.rounds import load_round  # noqa: E402
from voiceround.core.errors import VoiceRoundError  # noqa: E402
from voiceround.rounds.tier_model import FORMAT, encode, fit_multinomial, fit_projections, phase_mean  # noqa: E402
from voiceround.scoring.scorer import (MIN_MODEL_SENTENCES, compute_features, condition_tier, detect_traps, learned_tier,  # noqa: E402
                                      model_ceiling, relevant_sentences, story_phases, tier_caps)
from voiceround.session.cases import load_case, text_transcript  # noqa: E402

# Features left out of the model: measures of length (sentences, seconds) and shares of all
# sentences or of speaking time, which padding or a story told faster would move without changing
# what was said (leaving out the commitment's share of time: leave-one-batch-out 68.9 -> 69.4%, and a
# padded answer no longer moved a tier), the per-cue sentence counts that repeat the cue counts, and the
# cues read by meaning (`<cue>_read`), which the traps read.
_LENGTH = ("sentences", "last_sentence", "argument_commitment_s")
# A baseline given only when pushed and the whole result claimed as one's own are read by their traps
# (which cap Impact Quantification), not by the tiers; a story told as what one would do is read by the
# round file's story-fit cap.
_EXCLUDE = ("pushback_held", "pushback_folded", "baseline_when_pushed", "overclaim_cues", "hypothetical_cues")
_KEEP_SHARES = ("i_action_share",)
# The story read by meaning (rounds/tier_model.py, "projections"): the leading principal components
# of the mean vector of the sentences that tell the story in each group of phases. Chosen by
# leave-one-batch-out on the 580 dev answers (2026-12-04): none 71.7%; 1-4 components each of the
# argument (with the decision), commitment and outcome 72.4 / 72.9 / 72.4 / 72.0%; two, with the
# whole story as a fourth group, 73.3%.
PROJECTION_GROUPS = {"argument": ("argument", "decision"), "commitment": ("commitment",), "outcome": ("outcome",),
                     "whole": ("argument", "decision", "commitment", "outcome", "reflection")}
COMPONENTS = 2
# ``--check`` (run by the test suite) reads the sentence vectors of every CHECK_EVERY-th dev answer
# only, and compares their projections with the values the model was fitted on (kept in the file's
# provenance); the weights are refitted from those kept values. Encoding all 15,000 dev sentences
# cold took about two minutes of the suite's budget; a tenth, about ten seconds.
CHECK_EVERY = 10


# How each feature enters (chosen by leave-one-batch-out on dev, 2026-12-02): counts as log1p capped
# at 3 (68.5%; uncapped 68.0%, and a story with nine numbers read apart from one with eight), the
# share of actions told in "I" at 0.2/0.5/0.8.
COUNT_CAP = 3.0
SHARE_THRESHOLDS = (0.2, 0.5, 0.8)


def _reader(F):
    """``name -> value`` over the features ``F`` (0.0 for a feature not computed)."""
    return lambda k: F[k].value if k in F else 0.0


def model_features(names) -> list[str]:
    """The feature names a tier model may use, sorted (see the exclusions above)."""
    return sorted(n for n in names if n not in _LENGTH and not n.startswith("story_") and n not in _EXCLUDE and not n.startswith("seconds_in_") and not n.endswith("_sentences")
                  and not n.endswith("_read") and "_meaning_" not in n  # cues and traps read by meaning (rounds/meaning_model.py): the traps read them, not the tiers
                  and (not n.endswith("_share") or n in _KEEP_SHARES))


def conditions_for(names) -> list[tuple[str, str, float]]:
    """The model's inputs for the features :func:`model_features` keeps (voiceround/rounds/tier_model.py)."""
    return [c for n in model_features(names)
            for c in ([(n, "atleast", t) for t in SHARE_THRESHOLDS] if n.endswith("_share") else [(n, "count", COUNT_CAP)])]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--round", default="disagree_and_commit")
    ap.add_argument("--corpus", default=str(ROOT / "tests" / "data" / "corpus" / "dev"))
    ap.add_argument("--C", type=float, default=0.1, help="inverse L2 penalty (scikit-learn's C)")
    ap.add_argument("--grid", action="store_true", help="cross-validate several penalties")
    ap.add_argument("--write", action="store_true", help="fit on all of dev and write the model file")
    ap.add_argument("--check", action="store_true",
                    help="fit on all of dev and exit 1 if the shipped model file differs (features changed since it was trained)")
    args = ap.parse_args()

    rnd = load_round(args.round, tier_model=False)  # the conditions alone: the model is what is trained
    rubric = rnd.rubrics[rnd.primary_rubric]
    dims = [d.id for d in rubric.dimensions]
    cases = [load_case(p, rnd) for p in sorted(Path(args.corpus).glob("*.toml"))]
    print(f"{len(cases)} answers from {args.corpus}; computing features and sentence vectors…", file=sys.stderr)
    from voiceround.engines.encoder import shared_encoder
    try:
        encoder = shared_encoder()
    except VoiceRoundError as exc:
        print(f"error: the sentence encoder can't run, and the story's projections need it: {exc}", file=sys.stderr)
        return 2
    rows = []
    for i, c in enumerate(cases):
        # the features read by words alone, as the tier model was chosen on (the encoder's cues feed the traps)
        F, ctx = compute_features(text_transcript(c), rnd)
        sents = ctx["sentences"]
        read = not args.check or i % CHECK_EVERY == 0
        vectors = encoder.encode([s.text for s in sents]) if sents and read else np.zeros((len(sents), 384))
        phases = story_phases(sents, ctx["phases"], relevant_sentences(ctx["claims"], ctx["actions"], ctx["tags"]))
        value_of = _reader(F)
        caps = tier_caps(F, rnd, detect_traps(F, rnd))
        cond = {d.id: condition_tier(d, value_of, rnd.scoring.get("tier_rounding", "nearest"))[0] for d in rubric.dimensions}
        rows.append({"means": {g: phase_mean(vectors, phases, grp) for g, grp in PROJECTION_GROUPS.items()} if read else None,
                     "id": c.id, "batch": c.id.split("-")[0], "F": {k: v.value for k, v in F.items()}, "labels": c.labels["tiers"],
                     "conditions": cond, "cap": {d: caps[d][0] if d in caps else 4 for d in dims},
                     "rules": {d: min(cond[d], caps[d][0] if d in caps else 4) for d in dims}})
    conds = conditions_for({k for r in rows for k in r["F"]})
    X = np.array([[encode(r["F"].get(f, 0.0), kind, p) for f, kind, p in conds] for r in rows])
    keep = [j for j in range(X.shape[1]) if X[:, j].min() < X[:, j].max()]  # an input the same on every dev answer says nothing
    conds, X = [conds[j] for j in keep], X[:, keep]
    batch = np.array([r["batch"] for r in rows])

    def projections(fit_on: np.ndarray) -> tuple[list[dict], np.ndarray]:
        """The story's projections fitted on the rows ``fit_on`` (a boolean mask), and every row's values
        (rows, groups x COMPONENTS): 0 for a row with no sentence in a group's phases."""
        out, cols = [], []
        for g, grp in PROJECTION_GROUPS.items():
            have = np.array([r["means"][g] is not None for r in rows])
            M = np.array([r["means"][g] if r["means"][g] is not None else np.zeros(384) for r in rows])
            mu, D = fit_projections(M[fit_on & have], COMPONENTS)
            V = np.where(have[:, None], (M - mu) @ D.T, 0.0)
            for k in range(COMPONENTS):
                out.append({"name": f"story_{g}_{k + 1}", "phases": list(grp), "mean": [round(float(v), 6) for v in mu],
                            "direction": [round(float(v), 6) for v in D[k]]})
                cols.append(V[:, k])
        return out, np.array(cols).T

    def given(d: str, learned, probs) -> np.ndarray:
        """The tiers the scorer gives (voiceround.scoring.scorer.learned_tier), then capped."""
        dim = next(x for x in rubric.dimensions if x.id == d)
        return np.array([min(learned_tier(int(t), r["conditions"][d], p, dim.model_floor, model_ceiling(dim, lambda k, F=r["F"]: F.get(k, 0.0)))
                             if r["F"].get("sentences", 0) >= MIN_MODEL_SENTENCES
                             else r["conditions"][d], r["cap"][d]) for t, p, r in zip(learned, probs, rows, strict=True)])

    folds = {}  # each batch held out: the inputs with the projections fitted without it

    def cross_validate(C: float) -> dict[str, float]:
        out = {}
        for d in dims:
            y = np.array([r["labels"][d] for r in rows])
            learned, probs = np.zeros(len(rows), int), [None] * len(rows)
            for b in sorted(set(batch)):
                tr, te = batch != b, batch == b
                if b not in folds:
                    folds[b] = np.hstack([X, projections(tr)[1]])
                Xp = folds[b]
                classes, W, w0 = fit_multinomial(Xp[tr], y[tr], C)
                Z = Xp[te] @ W.T + w0
                P = np.exp(Z - Z.max(axis=1, keepdims=True))
                P /= P.sum(axis=1, keepdims=True)
                learned[te] = classes[np.argmax(P, axis=1)]
                for i, row in zip(np.where(te)[0], P, strict=True):
                    probs[i] = {int(c): float(v) for c, v in zip(classes, row, strict=True)}
            out[d] = float((given(d, learned, probs) == y).mean())
        return out

    cvs: dict[float, dict[str, float]] = {}
    if not args.check:  # a check compares the fitted weights only: no cross-validation to report
        rules = {d: float(np.mean([r["rules"][d] == r["labels"][d] for r in rows])) for d in dims}
        for C in ((0.03, 0.1, 0.3, 1.0) if args.grid else (args.C,)):
            cv = cvs[C] = cross_validate(C)
            print(f"C={C}: leave-one-batch-out exact " + " ".join(f"{d[:4]} {v:.0%}" for d, v in cv.items())
                  + f"  ALL {np.mean(list(cv.values())):.1%}")
        print("tier conditions and caps alone, on the same answers (tuned on them): " + " ".join(f"{d[:4]} {v:.0%}" for d, v in rules.items())
              + f"  ALL {np.mean(list(rules.values())):.1%}")
    if not (args.write or args.check):
        return 0
    cv = cvs.get(args.C) or (cross_validate(args.C) if args.write else {})
    out = ROOT / "voiceround" / "rounds" / f"{rnd.id}.tiers.json"
    if args.check:  # the kept values, where this code still gives them on the answers read
        shipped = json.loads(out.read_text(encoding="utf-8"))
        proj, kept = shipped.get("projections", []), shipped.get("trained", {}).get("story_values", {})
        if any(r["id"] not in kept or len(kept[r["id"]]) != len(proj) for r in rows):
            print(f"{out.relative_to(ROOT)}: stale: it has no kept projection values for every dev answer; run tools/train_tier_model.py --write")
            return 1
        group_of = {tuple(grp): g for g, grp in PROJECTION_GROUPS.items()}
        if any(tuple(p["phases"]) not in group_of for p in proj) or len(proj) != COMPONENTS * len(PROJECTION_GROUPS):
            print(f"{out.relative_to(ROOT)}: stale: its projections read other phases than PROJECTION_GROUPS; run tools/train_tier_model.py --write")
            return 1
        for r in rows:
            if r["means"] is None:  # not read this time (CHECK_EVERY)
                continue
            now = [0.0 if (m := r["means"][group_of[tuple(p["phases"])]]) is None else float((m - np.array(p["mean"])) @ np.array(p["direction"]))
                   for p in proj]
            if not np.allclose(now, kept[r["id"]], atol=1e-3):
                print(f"{out.relative_to(ROOT)}: stale: the story's projections of {r['id']} changed since it was trained "
                      "(phases, sentences or the encoder); run tools/train_tier_model.py --write")
                return 1
        P = np.array([kept[r["id"]] for r in rows]).reshape(len(rows), len(proj))
    else:
        proj, P = projections(np.ones(len(rows), bool))
    model = {"format": FORMAT, "inputs": [list(c) for c in conds] + [[p["name"], "value", 0.0] for p in proj], "dimensions": {},
             "projections": proj}
    Xp = np.hstack([X, P])
    for d in dims:
        classes, W, w0 = fit_multinomial(Xp, np.array([r["labels"][d] for r in rows]), args.C)
        model["dimensions"][d] = {"classes": [int(c) for c in classes], "coef": [[round(float(w), 6) for w in row] for row in W],
                                  "intercept": [round(float(b), 6) for b in w0]}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    model["trained"] = {
        "corpus": "tests/data/corpus/dev", "answers": len(rows), "batches": sorted(set(batch.tolist())), "C": args.C,
        "date": datetime.date.today().isoformat(), "features_at_commit": commit,
        "leave_one_batch_out_exact": {d: round(v, 3) for d, v in cv.items()},
        "note": "labels: median of a writer and two blind readers (tests/data/corpus/README.md); test never read",
        # each dev answer's projections as fitted (what --check refits the weights from)
        "story_values": {r["id"]: [round(float(v), 6) for v in row] for r, row in zip(rows, P, strict=True)},
    }
    if args.check:
        same = shipped.get("inputs") == model["inputs"] and all(
            np.allclose(shipped["dimensions"][d]["coef"], model["dimensions"][d]["coef"], atol=1e-3)
            and np.allclose(shipped["dimensions"][d]["intercept"], model["dimensions"][d]["intercept"], atol=1e-3) for d in dims)
        print(f"{out.relative_to(ROOT)}: " + ("up to date" if same else "stale: the features changed since it was trained; "
                                               "run tools/train_tier_model.py --write"))
        return 0 if same else 1
    out.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)} ({len(model['inputs'])} inputs, {len(dims)} dimensions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
