"""``voiceround eval interviewer|scorer CASES…``: the interviewer's and the scorer's quality on
labelled case files (text mode), printed as tables (or ``--json``)."""
from __future__ import annotations

import json
import os
import sys

from voiceround.rounds import load_round


def _err(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# A case's labels.fit -> the fit check's problem that should be redirected (voiceround.interviewer.fit);
# "fits" should get no redirect at all. two_stories is not a redirect: the interviewer brings the
# candidate back to the first story (probe_focus).
FIT_PROBLEM = {"won": "won", "hypothetical": "hypothetical", "no_disagreement": "no_disagreement", "no_story": "non_answer"}


def fit_summary(metrics: dict[str, dict], fits: dict[str, str]) -> str:
    """One line per fit label: how many of those cases got the redirect they needed (a story that
    fits: how many were wrongly redirected). ``metrics``: case id -> :func:`evaluate` result;
    ``fits``: case id -> the case's ``labels.fit``."""
    lines = ["Fit check against labels.fit:"]
    for label in sorted(set(fits.values())):
        ids = [c for c, f in fits.items() if f == label]
        if label == "fits":
            wrong = [c for c in ids if metrics[c]["fit_redirects"]]
            lines.append(f"  fits: redirected {len(wrong)}/{len(ids)}" + (f" ({', '.join(wrong)})" if wrong else ""))
        elif label in FIT_PROBLEM or label == "two_stories":
            if label == "two_stories":
                what, got = "brought back to the first story", [c for c in ids if metrics[c].get("focus_probes")]
            else:
                what, got = "redirected", [c for c in ids if FIT_PROBLEM[label] in metrics[c]["fit_redirects"]]
            missed = sorted(set(ids) - set(got))
            lines.append(f"  {label}: {what} {len(got)}/{len(ids)}" + (f" (missed: {', '.join(missed)})" if missed else ""))
        else:
            lines.append(f"  {label}: {len(ids)} case(s), not a fit-check label")
    return "\n".join(lines)


OVERALL_LABELS = ("weak", "mixed", "strong")


def label_problems(cases, dims: set[str], known_traps: set[str] | None = None) -> list[str]:
    """What in the cases' ``[labels]`` a scorer evaluation can't use, one line per problem: a tier
    that isn't 1-4, a tier for a dimension the round doesn't have, an ``overall`` other than
    weak/mixed/strong, ``traps`` that isn't a list of trap ids, or names a trap the round doesn't
    have (``known_traps``; it would count as a missed trap). Empty when all are usable."""
    out = []
    for c in cases:
        tiers, overall, traps = c.labels.get("tiers", {}), c.labels.get("overall"), c.labels.get("traps", [])
        for d, t in (tiers.items() if isinstance(tiers, dict) else []):
            if d not in dims:
                out.append(f"{c.id}: labels.tiers.{d} is not a dimension of this round ({', '.join(sorted(dims))})")
            elif isinstance(t, bool) or not isinstance(t, int) or not 1 <= t <= 4:
                out.append(f"{c.id}: labels.tiers.{d} = {t!r} is not a tier (1 to 4)")
        if overall is not None and overall not in OVERALL_LABELS:
            out.append(f"{c.id}: labels.overall = {overall!r} should be one of {', '.join(OVERALL_LABELS)}")
        if not isinstance(traps, list) or not all(isinstance(t, str) for t in traps):
            out.append(f"{c.id}: labels.traps should be a list of trap ids")
        elif known_traps is not None:
            out += [f"{c.id}: labels.traps has {t!r}, not a trap of this round ({', '.join(sorted(known_traps))})"
                    for t in traps if t not in known_traps]
    return out


CORPUS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "data", "corpus")
SPLITS = ("dev", "test")


def split_table(results: dict[str, dict]) -> str:
    """The scorer's figures on each split side by side (``results``: split name -> the
    :func:`voiceround.scoring.evaluate.evaluate` metrics): per-dimension exact tier, exact and ±1
    overall, Spearman of the total against the overall label, trap precision/recall/F1."""
    names = list(results)
    first = results[names[0]]
    sizes = " and ".join(f"{n} ({results[n]['cases']})" for n in names)
    lines = [f"Scorer vs human labels, {sizes}; "
             "tuned on dev only, test never tuned on (tests/data/corpus/README.md)",
             f"{'':<30}" + "".join(f"{n:>10}" for n in names)]
    pct = lambda x: f"{x:>10.0%}" if x is not None else f"{'-':>10}"  # noqa: E731
    for d in first["per_dimension"]:
        lines.append(f"{d + ' exact':<30}" + "".join(pct(results[n]["per_dimension"][d]["exact"]) for n in names))
    lines.append(f"{'ALL exact':<30}" + "".join(pct(results[n]["exact"]) for n in names))
    lines.append(f"{'ALL within ±1':<30}" + "".join(pct(results[n]["within1"]) for n in names))
    lines.append(f"{'Spearman(total, overall)':<30}" + "".join(f"{results[n]['spearman']:>10.3f}" if results[n]["spearman"] is not None
                                                             else f"{'n/a':>10}" for n in names))
    for k in ("precision", "recall", "f1"):
        lines.append(f"{'traps ' + k:<30}" + "".join(f"{results[n]['trap_' + k]:>10.2f}" for n in names))
    return "\n".join(lines)


def _splits_of(cases_args: list[str]) -> dict[str, str] | None:
    """``{split: folder}`` when the evaluation is of a corpus with ``dev/`` and ``test/`` folders
    (no case paths given: the source tree's labelled corpus), else None."""
    root = CORPUS if not cases_args else cases_args[0] if len(cases_args) == 1 else None
    if root and os.path.isdir(root) and all(os.path.isdir(os.path.join(root, s)) for s in SPLITS):
        return {s: os.path.join(root, s) for s in SPLITS}
    return None


def _scorer_metrics(paths: list[str], given) -> dict | None:
    """The scorer's :func:`voiceround.scoring.evaluate.evaluate` metrics on the case files
    ``paths`` (``given``: a round that overrides the cases' own), or None after printing why they
    can't be compared (cases of several rounds, no labels for the round's dimensions, labels that
    aren't tiers or trap ids of the round)."""
    from voiceround.scoring.evaluate import evaluate as eval_scorer
    from voiceround.session.cases import load_case, text_items
    cases = [load_case(p, given) for p in paths]
    rounds = {c.round_ref for c in cases}
    if given is None and len(rounds) > 1:
        _err(f"error: the cases belong to different rounds ({', '.join(sorted(rounds))}); evaluate one round at a time")
        return None
    rnd = given or load_round(rounds.pop())
    dims = {d.id for d in rnd.rubrics[rnd.primary_rubric].dimensions}
    unlabelled = [c.id for c in cases if not dims & set(c.labels.get("tiers", {}))]
    if unlabelled:
        _err(f"error: {len(unlabelled)} case(s) have no labels for round {rnd.id}'s dimensions ({', '.join(sorted(dims))}), "
             f"e.g. {unlabelled[0]}: are they cases of another round?")
        return None
    bad = label_problems(cases, dims, set(rnd.traps))
    if bad:
        _err("error: labels a scorer can't be compared with:\n" + "\n".join(f"  {b}" for b in bad[:10]))
        return None
    return eval_scorer(text_items(cases), rnd, progress=_progress if sys.stderr.isatty() else None)


def _progress(done: int, total: int) -> None:
    """'scoring 120/692 answers' on one terminal line (a corpus takes minutes the first time: the
    sentence encoder reads every sentence)."""
    sys.stderr.write(f"\rscoring {done}/{total} answers" + ("\r" + " " * 40 + "\r" if done == total else ""))
    sys.stderr.flush()


def cmd_eval(args) -> int:
    """``eval interviewer CASES...``: text-mode rounds against each case; a metrics table.
    ``eval scorer`` with no cases, or with a folder holding ``dev/`` and ``test/``: both splits side by side."""
    import glob as _glob

    from voiceround.session.cases import load_case
    if args.what == "scorer" and (splits := _splits_of(args.cases)) is not None:
        given = load_round(args.round) if args.round else None
        results = {}
        for name, folder in splits.items():
            found = sorted(_glob.glob(os.path.join(folder, "*.toml")))
            if not found:
                _err(f"error: no case files (*.toml) in {folder}")
                return 2
            if (results.setdefault(name, _scorer_metrics(found, given))) is None:
                return 2
        model = (given or load_round()).scoring.get("tier_model")
        if args.json:
            if model is not None:
                results["tier_model"] = {"trained": model.trained}
            print(json.dumps(results, indent=2, sort_keys=True))
        else:
            print(split_table(results))
            if model is not None and model.trained.get("leave_one_batch_out_exact"):
                cv = model.trained["leave_one_batch_out_exact"]
                print(f"dev is what the tier model was fitted on ({model.trained.get('answers')} answers): its dev figures are in-sample. "
                      f"Held out one writer's batch at a time: exact {sum(cv.values()) / len(cv):.0%} "
                      f"({', '.join(f'{d} {v:.0%}' for d, v in cv.items())}; tools/train_tier_model.py)")
        return 0
    if not args.cases:
        _err(f"error: give case files or folders of them (the labelled corpus {CORPUS} is not here: it ships with the source tree)"
             if args.what == "scorer" else "error: give case files or folders of them")
        return 2
    paths = [p for pat in args.cases for p in (sorted(_glob.glob(os.path.join(pat, "*.toml"))) if os.path.isdir(pat) else [pat])]
    if not paths:
        _err(f"error: no case files (*.toml) in {', '.join(args.cases)}")
        return 2
    if args.what == "interviewer":
        from voiceround.interviewer.evaluate import evaluate
        from voiceround.session.textsim import simulate_text
        rows = []
        given = load_round(args.round) if args.round else None
        fits: dict[str, str] = {}
        known_fits = {"fits", "two_stories", *FIT_PROBLEM}
        for p in paths:
            case = load_case(p, given)
            fit = case.labels.get("fit")
            if fit is not None and fit not in known_fits:
                _err(f"error: {p}: labels.fit = {fit!r} should be one of {', '.join(sorted(known_fits))}")
                return 2
            rnd = given or load_round(case.round_ref)
            m = evaluate(simulate_text(case, rnd), rnd)
            if case.labels.get("fit"):
                fits[case.id] = m["fit_expected"] = str(case.labels["fit"])
            rows.append((case.id, m))
        if args.json:
            print(json.dumps(dict(rows), indent=2, sort_keys=True))
            return 0
        print(f"{'case':<34} {'turns':>5} {'praise':>6} {'1 question':>10} {'claim probes':>12} {'pushback':>8} {'commit':>6} "
              f"{'reflect':>7} {'repeats':>7} {'leading':>7} {'fragments':>9} {'>25 words':>9}  {'redirect':<16} pushback response")
        tot = {"praise": 0, "single": 0, "turns": 0, "need": 0, "cov": 0, "push": 0, "com": 0, "ref": 0, "rep": 0, "lead": 0, "frag": 0, "long": 0}
        yes = lambda b: "yes" if b else "NO"  # noqa: E731
        for cid, m in rows:
            print(f"{cid:<34} {m['interviewer_turns']:>5} {m['praise']:>6} {m['single_question_share']:>10.0%} "
                  f"{m['claims_probed']:>4}/{m['claims_needing_probe']:<2} ({m['claim_probe_coverage']:>4.0%}) {yes(m['pushback']):>8} "
                  f"{yes(m['commitment']):>6} {yes(m['reflection']):>7} {m['repeats']:>7} {m['leading']:>7} {m['fragments_quoted']:>9} "
                  f"{m['questions_over_25_words']:>9}  {','.join(m['fit_redirects']) or '-':<16} {m['pushback_response'] or '-'}")
            tot["praise"] += m["praise"]; tot["turns"] += m["interviewer_turns"]  # noqa: E702
            tot["single"] += round(m["single_question_share"] * m["interviewer_turns"]); tot["need"] += m["claims_needing_probe"]  # noqa: E702
            tot["cov"] += m["claims_probed"]; tot["push"] += m["pushback"]; tot["com"] += m["commitment"]  # noqa: E702
            tot["ref"] += m["reflection"]; tot["rep"] += m["repeats"]; tot["lead"] += m["leading"]  # noqa: E702
            tot["frag"] += m["fragments_quoted"]; tot["long"] += m["questions_over_25_words"]  # noqa: E702
        n = len(rows)
        print(f"{'ALL (' + str(n) + ' rounds)':<34} {tot['turns']:>5} {tot['praise']:>6} {tot['single'] / max(tot['turns'], 1):>10.0%} "
              f"{tot['cov']:>4}/{tot['need']:<2} ({tot['cov'] / tot['need'] if tot['need'] else 1.0:>4.0%}) {tot['push']:>5}/{n:<2} {tot['com']:>3}/{n:<2} "
              f"{tot['ref']:>4}/{n:<2} {tot['rep']:>7} {tot['lead']:>7} {tot['frag']:>9} {tot['long']:>9}")
        if fits:
            print(fit_summary(dict(rows), fits))
        return 0
    if args.what == "scorer":
        given = load_round(args.round) if args.round else None
        m = _scorer_metrics(paths, given)
        if m is None:
            return 2
        if args.json:
            print(json.dumps(m, indent=2, sort_keys=True))
            return 0
        print(f"Scorer vs human labels on {m['cases']} case{'' if m['cases'] == 1 else 's'} (text)")
        print(f"{'dimension':<26} {'exact':>6} {'±1':>6} {'n':>4}")
        pct = lambda x: f"{x:>6.0%}" if x is not None else f"{'-':>6}"  # noqa: E731  (no case labels the dimension)
        for d, v in m["per_dimension"].items():
            print(f"{d:<26} {pct(v['exact'])} {pct(v['within1'])} {v['n']:>4}")
        print(f"{'ALL':<26} {m['exact']:>6.0%} {m['within1']:>6.0%}")
        print(f"Spearman(total, overall label): {m['spearman'] if m['spearman'] is not None else 'n/a (needs cases with different overall labels)'}")
        print(f"Traps: precision {m['trap_precision']:.2f}, recall {m['trap_recall']:.2f}, F1 {m['trap_f1']:.2f}")
        print(f"Minimal pairs: {m['pairs']}, flip rate {m['flip_rate']:.0%}" if m["pairs"] else "Minimal pairs: none among these cases")
        if m["wrong"]:
            print("Disagreements:")
            for w in m["wrong"]:
                print(f"  - {w}")
        return 0
    _err(f"error: unknown evaluation {args.what!r}")
    return 2
