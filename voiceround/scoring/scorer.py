"""Pure, deterministic scorer: transcript + round → scorecard.

Pipeline: candidate sentences → named features, each with evidence spans
(:func:`compute_features`) → one tier per rubric dimension (1 + the number of the dimension's
round-file criteria met, at most 4) → trap detection, where a flagged trap caps tiers as the round
file says → weighted totals on 0-100 (each dimension contributes ``weight × (tier − 1) / 3``).

Scoring is strictly transcript-based (seed: "How is scoring done?"). Only the candidate's words
are read, and only as data: nothing the candidate says can change how it is scored. The scorer
never sees case labels or case topics.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from voiceround import analysis as A
from voiceround.core.types import SPEAKING_RATE_WPS, Transcript
from voiceround.rounds import Round

MAX_EVIDENCE = 3
# The candidate's own part in an attribution ("what I can isolate", "my patch", "which I built"),
# as opposed to crediting someone else ("I'd give him the credit").
OWN_PART = re.compile(r"\bwhat i can\b|\bthe part i'?d\b|\bi'?d claim\b|\bi (can )?(isolate|claim|show)\b|\bmy (fix|patch|change|work|part|"
                      r"call|contribution|rounds|prompt|test|feature|plan|design|code)\b|\bwhich i (built|wrote|shipped|ran|designed)\b|"
                      r"\bi (shipped|built|wrote|ran|designed)\b|\bwas my call\b", re.IGNORECASE)
QUOTE_CHARS = 180


@dataclass
class Feature:
    """A named numeric feature and the sentences that support it."""

    value: float = 0.0
    evidence: list[A.Sentence] = field(default_factory=list)

    def add(self, sentence: A.Sentence, amount: float = 1.0) -> None:
        self.value += amount
        if sentence not in self.evidence:
            self.evidence.append(sentence)


def _quote(s: A.Sentence) -> dict:
    text = s.text if len(s.text) <= QUOTE_CHARS else s.text[: QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return {"turn": s.turn, "quote": text, "start_s": s.start_s}


def compute_features(transcript: Transcript, rnd: Round) -> tuple[dict[str, Feature], dict]:
    """Named features of the candidate's words, with evidence sentences.

    Returns ``(features, context)``; ``context`` holds the intermediate analysis (sentences, phases,
    claims, actions) for trap detection and analytics.
    """
    sents = A.split_sentences(transcript)
    slot_tags = A.tag_slots(sents, rnd.slots)
    phases = A.tag_phases(sents, rnd.slots)
    phase_of = {s.index: p for s, p in zip(sents, phases, strict=True)}
    tags_of = {s.index: t for s, t in zip(sents, slot_tags, strict=True)}
    claims = A.find_claims(sents)
    actions = A.find_actions(sents)
    F: dict[str, Feature] = {}

    def f(name: str) -> Feature:
        return F.setdefault(name, Feature())

    for slot_id, (weight, covered_by) in A.slot_coverage(sents, rnd.slots).items():
        F[f"slot_{slot_id}"] = Feature(weight, list(covered_by))

    for s, _, _ in A.cue_spans(A.STAKEHOLDER, sents):
        f("stakeholder_named").add(s)
    first_turn = sents[0].turn if sents else 0
    for c in claims:
        ph = phase_of[c.sentence.index]
        tags = tags_of[c.sentence.index]
        if "scenario" in tags or c.turn == first_turn:
            f("stakes_quantified").add(c.sentence)
        if ph == "argument" and not c.is_proposal and "opposing_view" not in tags:  # the candidate's own side
            f("argument_metrics").add(c.sentence)
            if c.has_baseline:
                f("argument_baselined").add(c.sentence)
        if "opposing_view" in tags:
            f("opposing_metrics").add(c.sentence)
        if ph == "outcome":
            f("outcome_metrics").add(c.sentence)
            if c.has_baseline:
                f("outcome_baselined").add(c.sentence)
    for s in sents:
        if phase_of[s.index] in ("outcome", "commitment") and A.ATTRIBUTION.search(s.text) and not A.TEAM_CREDIT.search(s.text) \
                and OWN_PART.search(s.text):
            f("own_attribution").add(s)
        if phase_of[s.index] in ("outcome", "commitment") and A.ATTRIBUTION.search(s.text) and not A.TEAM_CREDIT.search(s.text) \
                and not A.PROPOSAL.search(s.text) and not A.HYPOTHETICAL.search(s.text):
            f("attribution_method").add(s)

    for s, _, _ in A.cue_spans(A.OPINION, sents):
        f("opinion_cues").add(s)
    f("opinion_cues_unbacked").value = max(0.0, f("opinion_cues").value - f("argument_metrics").value)
    f("opinion_cues_unbacked").evidence = list(f("opinion_cues").evidence)

    for a in actions:
        f("i_actions" if a.who == "i" else "we_actions").add(a.sentence)
        if phase_of[a.sentence.index] == "commitment":
            f("commitment_actions").add(a.sentence)
            if a.who == "i":
                f("commitment_i_actions").add(a.sentence)
    i_n, we_n = f("i_actions").value, f("we_actions").value
    f("i_action_share").value = round(i_n / (i_n + we_n), 4) if i_n + we_n else 0.0
    f("i_action_share").evidence = f("i_actions").evidence[:2] + f("we_actions").evidence[:2]

    for s, _, _ in A.cue_spans(A.COMMIT_EXPLICIT, sents):
        f("commitment_explicit").add(s)
    for s, _, _ in A.cue_spans(A.CUSTOMER, sents):
        f("customer_mentions").add(s)
    claim_sents = {c.sentence.index for c in claims}
    for s in sents:
        if A.customer_friction(s.text):
            f("customer_friction").add(s)
            if s.index in claim_sents:
                f("customer_friction_measured").add(s)
    for name, rx in (("tradeoff_cues", A.TRADEOFF), ("recalibration_cues", A.RECALIBRATE), ("escalation_cues", A.ESCALATE),
                     ("yield_cues", A.YIELD), ("passive_aggressive_cues", A.PASSIVE_AGGRESSIVE), ("abstraction_cues", A.ABSTRACTION)):
        for s, _, _ in A.cue_spans(rx, sents):
            if name == "escalation_cues" and A.COUNTERFACTUAL.search(s.text):
                continue  # "I should have pushed harder" is the opposite of escalating
            f(name).add(s)
    # Pushback: how the candidate answered the interviewer's challenge (issue "Bar Raiser
    # interviewer": held with data / recalibrated / folded feeds Pushback Recalibration Response).
    # Without an interviewer pushback (text-only scoring), the candidate's own words are read.
    answers = []
    for i, t in enumerate(transcript.turns):
        if t.speaker == "interviewer" and t.intent == "pushback":
            nxt = next((n for n in transcript.turns[i + 1:] if n.speaker == "candidate"), None)
            if nxt is not None:
                answers.append(A.pushback_response(nxt.text))
    if answers:
        held = any(a in ("held_with_data", "recalibrated") for a in answers)
        folded = all(a == "folded" for a in answers)
    else:
        held = bool(A.cue_spans(A.HOLD, sents))
        folded = bool(A.cue_spans(A.FOLD, sents)) and not held
    F["pushback_held"] = Feature(1.0 if held else 0.0, [s for s, _, _ in A.cue_spans(A.HOLD, sents)][:2])
    F["pushback_folded"] = Feature(1.0 if folded else 0.0, [s for s, _, _ in A.cue_spans(A.FOLD, sents)][:2])
    for s, _, _ in A.cue_spans(A.WON, sents):
        if not A.COUNTERFACTUAL.search(s.text):
            f("won_cues").add(s)
    for s, _, _ in A.cue_spans(A.LOST, sents):
        f("lost_cues").add(s)
    for s in sents:
        if phase_of[s.index] == "reflection" and len(A.words(s.text)) >= 12 and not A.REFLECT_GENERIC.search(s.text):
            f("reflection_specific").add(s)

    ctx = {"sentences": sents, "phases": phase_of, "tags": tags_of, "claims": claims, "actions": actions}
    return F, ctx


def _phase_seconds(ctx: dict) -> dict[str, float]:
    """Seconds of candidate speech per story phase, estimated from sentence start times. Sentences
    with no story slot, number or action (small talk, padding) count for no phase."""
    sents: list[A.Sentence] = ctx["sentences"]
    out: dict[str, float] = {}
    relevant = {c.sentence.index for c in ctx["claims"]} | {a.sentence.index for a in ctx["actions"]} | \
        {i for i, tags in ctx["tags"].items() if tags}
    for i, s in enumerate(sents):
        if s.index not in relevant:  # small talk and padding count for no phase
            continue
        nxt = sents[i + 1].start_s if i + 1 < len(sents) and sents[i + 1].turn == s.turn else None
        # Last sentence of a turn: use its share of words at the turn's pace (SPEAKING_RATE_WPS fallback).
        dur = (nxt - s.start_s) if nxt is not None else len(A.words(s.text)) / SPEAKING_RATE_WPS
        out[ctx["phases"][s.index]] = out.get(ctx["phases"][s.index], 0.0) + max(dur, 0.0)
    return {k: round(v, 2) for k, v in sorted(out.items())}


def detect_traps(F: dict[str, Feature], ctx: dict, rnd: Round) -> list[dict]:
    """The round's traps flagged in this transcript, each ``{"id", "name", "evidence": [...]}``.

    Rules (seed "Common traps" / "What weak answers look like"):
    headline metric without slice: outcome numbers (or a vague "up a lot") with no slice or isolation;
    missing commitment phase: under 15% of argument+commitment speech on commitment, or no
    commitment action; yielding too quickly: yield cues with no escalation; passive-aggressive
    compliance: two or more compliance/told-you-so cues; opinion-based conflict: opinion cues with no
    argument numbers; royal we: two or more "we" actions and under half in "I"; invented baseline:
    the same final value reported from different baselines in different turns; abstraction drift: three
    or more abstract sentences making up at least a quarter of the answer.
    """
    sents: list[A.Sentence] = ctx["sentences"]
    claims: list[A.Claim] = ctx["claims"]
    flagged: dict[str, list[A.Sentence]] = {}
    val = lambda k: F[k].value if k in F else 0.0  # noqa: E731
    ev = lambda k: F[k].evidence if k in F else []  # noqa: E731

    outcome_claims = [c for c in claims if ctx["phases"][c.sentence.index] == "outcome"]
    vague_outcome = [s for s in sents if ctx["phases"][s.index] == "outcome"
                     and re.search(r"\b(up|down|improved|increased|better|grew)\b.{0,20}\b(a lot|significantly|massively|hugely)\b", s.lower)]
    if (outcome_claims and val("attribution_method") == 0 and not any(c.has_slice for c in outcome_claims)) or (vague_outcome and val("attribution_method") == 0):
        flagged["headline_metric_without_slice"] = [c.sentence for c in outcome_claims] + vague_outcome

    secs = _phase_seconds(ctx)
    arg, com = secs.get("argument", 0.0), secs.get("commitment", 0.0)
    if sents and ((arg + com > 0 and com / (arg + com) < 0.15) or (val("commitment_actions") == 0 and val("commitment_explicit") == 0)):
        flagged["missing_commitment_phase"] = ev("slot_commitment") or ev("slot_decision") or sents[-1:]

    if val("yield_cues") >= 1 and val("escalation_cues") == 0:
        flagged["yielding_too_quickly"] = ev("yield_cues")
    if val("passive_aggressive_cues") >= 2:
        flagged["passive_aggressive_compliance"] = ev("passive_aggressive_cues")
    if (val("opinion_cues") >= 1 and val("argument_metrics") == 0) or (val("opinion_cues") >= 2 and val("argument_metrics") <= 1):
        flagged["opinion_based_conflict"] = ev("opinion_cues")
    if val("we_actions") >= 2 and val("i_action_share") < 0.5:
        flagged["royal_we"] = ev("we_actions")

    conflicts = A.baseline_conflicts(claims)
    corrections = [s for s in sents if A.BASELINE_CORRECTION.search(s.text)]
    if conflicts or corrections:
        flagged["invented_baseline"] = [c.sentence for pair in conflicts for c in pair] + corrections

    n_abs = len(ev("abstraction_cues"))
    if n_abs >= 3 and sents and n_abs / len(sents) >= 0.15:
        flagged["abstraction_drift"] = ev("abstraction_cues")

    out = []
    for trap_id, trap in rnd.traps.items():
        if trap_id in flagged:
            quotes = []
            for s in flagged[trap_id]:
                q = _quote(s)
                if q not in quotes:
                    quotes.append(q)
            out.append({"id": trap_id, "name": trap.name, "evidence": quotes[:MAX_EVIDENCE]})
    return out


def _score_rubric(rubric, F: dict[str, Feature], caps: dict[str, tuple[int, str]]) -> dict:
    dims = {}
    total = 0.0
    for d in rubric.dimensions:
        met = [str(c) for c in d.criteria if c.op in (">=", ">", "==") and c.met(F[c.feature].value if c.feature in F else 0.0)]
        # An absence ("opinion_cues_unbacked <= 0") only counts once something is present: saying
        # nothing must not earn a tier.
        if met:
            met += [str(c) for c in d.criteria if c.op in ("<=", "<") and c.met(F[c.feature].value if c.feature in F else 0.0)]
        tier = 1 + int(3 * len(met) / len(d.criteria) + 0.5) if d.criteria else 1  # met share → tiers 1-4
        capped_by = None
        if d.id in caps and caps[d.id][0] < tier:
            tier, capped_by = caps[d.id]
        evidence, seen = [], set()
        for name in d.evidence_features:
            for s in (F[name].evidence if name in F else []):
                if (s.turn, s.start) not in seen:
                    seen.add((s.turn, s.start))
                    evidence.append(_quote(s))
        evidence.sort(key=lambda q: (q["turn"], q["start_s"]))
        dims[d.id] = {
            "name": d.name, "tier": tier, "weight": d.weight, "anchor": d.anchors[tier],
            "next_anchor": d.anchors.get(tier + 1),
            "criteria_met": met, "capped_by": capped_by, "evidence": evidence[:MAX_EVIDENCE],
        }
        total += d.weight * (tier - 1) / 3.0
    return {"title": rubric.title, "total": round(total, 1), "dimensions": dims}


def score(transcript: Transcript, rnd: Round) -> dict:
    """Score ``transcript`` on every rubric of ``rnd``.

    Returns a JSON-able dict::

        {"round", "round_version", "total", "dimensions": {ID: {"name", "tier", "weight", "anchor",
         "criteria_met", "capped_by", "evidence": [{"turn", "quote", "start_s"}]}},
         "rubrics": {RUBRIC_ID: {"title", "total", "dimensions"}}, "traps": [{"id", "name", "evidence"}],
         "analytics": {...}, "features": {NAME: value}}

    ``total``/``dimensions`` are the first rubric's (the seed's interview framework). Deterministic:
    the same transcript and round version give the same dict (see :func:`to_json`).
    """
    F, ctx = compute_features(transcript, rnd)
    traps = detect_traps(F, ctx, rnd)
    caps: dict[str, tuple[int, str]] = {}
    for t in traps:
        for dim, cap in rnd.traps[t["id"]].caps.items():
            if dim not in caps or cap < caps[dim][0]:
                caps[dim] = (cap, t["id"])
    # A candidate who won the argument had no one else's path to commit to (issue: "Execution
    # Commitment is <= 2, however polished"). The caps are the round file's [scoring].won_argument_caps.
    won = F.get("won_cues", Feature()).value > 0 and F.get("lost_cues", Feature()).value == 0
    if won:
        for dim, cap in rnd.scoring.get("won_argument_caps", {}).items():
            if dim not in caps or cap < caps[dim][0]:
                caps[dim] = (int(cap), "won_the_argument")
    rubrics = {rid: _score_rubric(rb, F, caps) for rid, rb in rnd.rubrics.items()}
    first = next(iter(rubrics.values()))
    dl = A.delivery(transcript)
    claims: list[A.Claim] = ctx["claims"]
    analytics = {
        "words": dl.words, "speaking_s": dl.speaking_s, "wpm": dl.wpm, "fillers": dl.fillers,
        "filler_rate_per_100_words": dl.filler_rate_per_100_words, "talk_share": dl.talk_share,
        "phase_seconds": _phase_seconds(ctx),
        "numbers": len(claims), "numbers_with_baseline": sum(c.has_baseline for c in claims),
        "i_actions": int(F["i_actions"].value if "i_actions" in F else 0),
        "we_actions": int(F["we_actions"].value if "we_actions" in F else 0),
    }
    return {
        "round": rnd.id, "round_version": rnd.version, "total": first["total"], "dimensions": first["dimensions"],
        "rubrics": rubrics, "traps": traps, "analytics": analytics,
        "features": {k: round(v.value, 4) for k, v in sorted(F.items())},
    }


FEATURES = (
    "stakeholder_named", "stakes_quantified", "argument_metrics", "argument_baselined", "opposing_metrics", "outcome_metrics",
    "outcome_baselined", "attribution_method", "own_attribution", "opinion_cues", "opinion_cues_unbacked", "i_actions",
    "we_actions", "i_action_share", "commitment_actions", "commitment_i_actions", "commitment_explicit", "customer_mentions",
    "customer_friction", "customer_friction_measured", "tradeoff_cues", "recalibration_cues", "escalation_cues", "yield_cues",
    "passive_aggressive_cues", "abstraction_cues", "reflection_specific", "won_cues", "lost_cues", "pushback_held",
    "pushback_folded",
)


def check_round(rnd: Round) -> None:
    """Check that every rubric criterion names a feature this scorer computes (``FEATURES`` or
    ``slot_<id>`` for the round's slots). Raises :class:`voiceround.rounds.RoundFileError`."""
    from voiceround.rounds import RoundFileError
    known = set(FEATURES) | {f"slot_{s.id}" for s in rnd.slots}
    for rb in rnd.rubrics.values():
        for d in rb.dimensions:
            for c in d.criteria:
                if c.feature not in known:
                    raise RoundFileError(f"{rnd.path.name}: dimension {d.id} has a criterion on unknown feature {c.feature!r}",
                                         path=rnd.path, field=f"rubrics.{rb.id}.{d.id}.criteria")


def to_json(scorecard: dict) -> str:
    """Canonical JSON text of a scorecard (sorted keys), so equal scorecards are byte-identical."""
    return json.dumps(scorecard, sort_keys=True, ensure_ascii=False, indent=2)
