"""Scorer validation against human labels (``voiceround eval scorer``).

Metrics (issue "Scorecard you can trust"): per-dimension exact and ±1 tier agreement; Spearman
rank correlation of the total with the overall label (weak=1 < mixed=2 < strong=3; ties get
average ranks); trap precision, recall and F1 (micro-averaged over all traps and cases); and the
minimal-pair flip rate: for a pair (a case with ``pair_of``), every dimension whose label changed
must move the same way in the scorer's tiers (or stay, when the scorer was already at the label's
bound), every trap whose label changed must appear/disappear, and a pair whose labels did not
change (padding, injection) must keep its total within 2 points and never go up.
"""
from __future__ import annotations

from voiceround.core.types import Transcript

OVERALL = {"weak": 1, "mixed": 2, "strong": 3}


def _ranks(xs: list[float]) -> list[float]:
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    ranks = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman's rho with average ranks for ties (Pearson correlation of the ranks)."""
    rx, ry = _ranks(xs), _ranks(ys)
    n = len(xs)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (vx * vy) if vx and vy else 0.0


def evaluate(items: list[tuple], rnd, progress=None) -> dict:
    """``items``: ``[(case, transcript)]`` (transcript from text or from audio). Returns metrics plus
    per-case rows and the disagreements (for the note: what the scorer still gets wrong).
    ``progress(done, total)``, when given, is called after each answer is scored."""
    from voiceround.scoring import score
    cards = {}
    for i, (case, tr) in enumerate(items, 1):
        cards[case.id] = (case, score(tr, rnd))
        if progress is not None:
            progress(i, len(items))
    dims = [d.id for d in rnd.rubrics[rnd.primary_rubric].dimensions]
    per_dim = {d: [0, 0, 0] for d in dims}  # exact, within1, n
    tp = fp = fn = 0
    wrong = []
    totals, overall = [], []
    for cid, (case, card) in cards.items():
        tiers = case.labels.get("tiers", {})
        for d in dims:
            if d in tiers:
                got = card["dimensions"][d]["tier"]
                per_dim[d][0] += got == tiers[d]
                per_dim[d][1] += abs(got - tiers[d]) <= 1
                per_dim[d][2] += 1
                if got != tiers[d]:
                    wrong.append(f"{cid}: {d} got {got}, label {tiers[d]}" + (" (off by more than one)" if abs(got - tiers[d]) > 1 else ""))
        got_traps = {t["id"] for t in card["traps"]}
        want = set(case.labels.get("traps", []))
        tp += len(got_traps & want)
        fp += len(got_traps - want)
        fn += len(want - got_traps)
        for t in sorted(got_traps - want):
            wrong.append(f"{cid}: trap {t} flagged, not labelled")
        for t in sorted(want - got_traps):
            wrong.append(f"{cid}: trap {t} missed")
        if case.labels.get("overall") in OVERALL:
            totals.append(card["total"])
            overall.append(OVERALL[case.labels["overall"]])
    pairs = ok = 0
    pair_rows = []
    for cid, (case, card) in cards.items():
        if not case.pair_of or case.pair_of not in cards:
            continue
        base_case, base = cards[case.pair_of]
        pairs += 1
        good, why = True, []
        lt, bt = case.labels.get("tiers", {}), base_case.labels.get("tiers", {})
        changed = [d for d in dims if lt.get(d) != bt.get(d)]
        for d in changed:
            want_dir = (lt[d] > bt[d]) - (lt[d] < bt[d])
            got_dir = (card["dimensions"][d]["tier"] > base["dimensions"][d]["tier"]) - (card["dimensions"][d]["tier"] < base["dimensions"][d]["tier"])
            if got_dir != want_dir and not (got_dir == 0 and card["dimensions"][d]["tier"] == lt[d]):
                good = False
                why.append(f"{d} should go {'up' if want_dir > 0 else 'down'}")
        lw, bw = set(case.labels.get("traps", [])), set(base_case.labels.get("traps", []))
        gw = {t["id"] for t in card["traps"]}
        for t in (lw - bw):
            if t not in gw:
                good, _ = False, why.append(f"trap {t} should appear")
        for t in (bw - lw):
            if t in gw:
                good, _ = False, why.append(f"trap {t} should go away")
        if not changed and lw == bw:
            delta = card["total"] - base["total"]
            if abs(delta) > 2 or (case.change == "injection" and delta > 0):
                good = False
                why.append(f"total moved {delta:+.1f}")
        ok += good
        pair_rows.append((cid, case.change, good, "; ".join(why)))
        if not good:
            wrong.append(f"{cid} (pair of {case.pair_of}, {case.change}): " + "; ".join(why))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    n_all = sum(v[2] for v in per_dim.values())
    return {
        "cases": len(cards),
        "per_dimension": {d: {"exact": round(v[0] / v[2], 3) if v[2] else None, "within1": round(v[1] / v[2], 3) if v[2] else None, "n": v[2]}
                          for d, v in per_dim.items()},
        "exact": round(sum(v[0] for v in per_dim.values()) / n_all, 3) if n_all else None,
        "within1": round(sum(v[1] for v in per_dim.values()) / n_all, 3) if n_all else None,
        "spearman": round(spearman(totals, overall), 3) if len(totals) > 2 else None,
        "trap_precision": round(precision, 3), "trap_recall": round(recall, 3),
        "trap_f1": round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0,
        "pairs": pairs, "flip_rate": round(ok / pairs, 3) if pairs else None, "pair_rows": pair_rows,
        "wrong": wrong, "totals": {cid: card["total"] for cid, (_, card) in cards.items()},
    }


def audio_items(cases, results: dict[str, dict]) -> list[tuple]:
    """``[(case, transcript)]`` from ``rehearse --json`` results keyed by case id (STT errors included)."""
    return [(c, Transcript.from_dicts([dict(t, meta={}) for t in results[c.id]["turns"]])) for c in cases if c.id in results]
