"""Which of the candidate's quantitative claims need a probe (a baseline, a slice), the rule the
planner and ``voiceround eval interviewer`` share. Pure: transcript and round in, claims out."""
from __future__ import annotations

import re
from dataclasses import dataclass

from voiceround import analysis as A
from voiceround.analysis.normalize import normalize_for_wer
from voiceround.core.types import Transcript
from voiceround.rounds import Round

PROBE_WINDOW = 2  # a claim is probed within this many interviewer turns


@dataclass(frozen=True)
class ClaimNeed:
    """A quantitative claim that needs a probe: ``need`` is ``"baseline"`` or ``"slice"``;
    ``key`` identifies it across turns (``need:value``); ``turn`` is the candidate turn number."""

    claim: A.Claim
    need: str

    @property
    def key(self) -> str:
        return f"{self.need}:{self.claim.value}"

    @property
    def turn(self) -> int:
        return self.claim.turn


def claim_needs(transcript: Transcript, rnd: Round, upto_turn: int | None = None) -> list[ClaimNeed]:
    """Every claim in candidate turns (up to ``upto_turn``, 1-based, inclusive) that needs a probe.

    Rules (issue "Bar Raiser interviewer", seed "Probes every claim"): a number without a baseline
    needs a baseline probe, unless it is a proposal (the candidate's, or the other side's plan: "Dana
    wanted to run a blanket fifteen percent discount"), carries an attribution method, or is a rate
    with its own time window outside the outcome ("nine hundred tickets a week"); an outcome number
    with no slice or isolation method (and no isolation described anywhere before it) also needs a
    slice probe (the seed's "headline metric without slice"), unless it is the other side's (told in
    answer to a question about the other side, or as what they argued): "which part did your own
    work move" makes no sense of Linda's handoff numbers. A number told again after it was told
    with its baseline needs no baseline probe: the interviewer never asks what was answered.
    """
    tr = transcript if upto_turn is None else Transcript(transcript.turns[:upto_turn])
    sents = A.split_sentences(tr)
    phases = dict(zip((s.index for s in sents), A.tag_phases(sents, rnd.slots, A.question_phases(tr, rnd.slots)), strict=True))
    out: list[ClaimNeed] = []
    dont_know = {n for n, t in tr.candidate_turns() if rnd.lexicons["dont_know"].search(t.text)}
    # answers to a question about the other side: their numbers are theirs, no "which part was yours"
    # and answers to a question about the argument ("What data did you bring?") are the argument,
    # whenever the interviewer asks it: their numbers are no results of the candidate's work
    arguing = A.arguing_slots(rnd.slots)
    theirs, argued, asked = set(), set(), None
    for n, t in enumerate(tr.turns, start=1):
        if t.speaker != "candidate":
            asked = (t.meta or {}).get("slot") or (t.meta or {}).get("deepens")
        elif asked == "opposing_view":
            theirs.add(n)
        elif asked in arguing:
            argued.add(n)
    tags = dict(zip((s.index for s in sents), A.tag_slots(sents, rnd.slots), strict=True))
    point = A.decision_point(sents, rnd.slots)

    pos = {s.index: k for k, s in enumerate(sents)}
    isolating = [x for x in sents if A.ATTRIBUTION.search(x.text)]  # sentences telling how a result was isolated
    baselined: set[str] = set()  # numbers already told with their baseline ("from 91 to 95 percent")
    # sentences addressed to the evaluator are never evidence (the scorer's not-counted list), nor
    # anything to probe: a new user's typed injection got "On '100 out of 100': compared with what baseline?"
    meta = rnd.lexicons.get("meta_address")
    for c in A.find_claims(sents):
        value = normalize_for_wer(c.value)  # "95" and "ninety five" are one number
        known = value in baselined  # told again later ("I didn't split the 95 percent"): answered before
        if c.has_baseline:
            baselined.add(value)
        if c.turn in dont_know:  # an estimate given while saying "I don't know" gets no further probe
            continue
        if _not_a_measurement(c):
            continue
        if meta is not None and meta.search(c.sentence.text):  # "The candidate scored 100 out of 100.": words to the system, never probed
            continue
        outcome = phases[c.sentence.index] == "outcome"
        if c.is_proposal or c.has_attribution or A.others_number(c, plans_only=True):  # a plan's number is no measurement
            continue
        if c.turn in theirs or "opposing_view" in tags[c.sentence.index] or A.others_number(c):
            continue  # the other side's data: theirs to defend, not the candidate's to baseline or isolate
        if not c.has_baseline and not known and (outcome or not c.has_window):
            out.append(ClaimNeed(c, "baseline"))
        # isolated before the claim, or later in the same answer ("…to 5.3 percent. I isolated my
        # part with a ten percent holdout…"): asking it again would ask what was just answered
        isolated_before = any((phases[x.index] == "outcome" or x.turn == c.turn) and (x.index <= c.sentence.index or x.turn == c.turn)
                              for x in isolating)
        before_decision = point is not None and pos[c.sentence.index] < point  # context, not a result of their work
        before_decision = before_decision or c.turn in argued
        if outcome and not (c.has_slice or isolated_before or before_decision):
            out.append(ClaimNeed(c, "slice"))
    return out


# The candidate's own workload ("I called 20 enterprise accounts to explain the change") and a test's
# allocation ("a two week test on ten percent of traffic"): numbers the candidate chose or did, not
# measurements with a baseline.
_OWN_WORK = re.compile(r"\bi (personally |also |then )?(called|met( with)?|wrote|ran|trained|visited|interviewed|emailed|sent|built|"
                       r"phoned|spoke (to|with)|talked (to|with)|onboarded|hired|coached|reviewed|migrated|moved)\s+"
                       r"((about|around|roughly|all|the|our|my|every|each|over|nearly|almost)\s+)*$", re.IGNORECASE)
_ALLOCATION = re.compile(r"^\s*(%|percent)?\s*(of|to) (our |the |all )?(traffic|users|sessions|requests|stores|accounts|customers|the fleet|devices)\b",
                         re.IGNORECASE)
_TESTING = re.compile(r"\b(test|tested|experiment|rollout|roll(ed|ing)? (it |this |that )?out|pilot|holdout|canary|ramp(ed)?)\b", re.IGNORECASE)


def _not_a_measurement(c: A.Claim) -> bool:
    """Whether claim ``c`` is a number the candidate chose or did rather than measured (see
    :data:`_OWN_WORK`, :data:`_ALLOCATION`): asking its baseline makes no sense."""
    text = c.sentence.text
    before, after = text[:c.start], text[c.end:]
    if _OWN_WORK.search(before):
        return True
    return bool(_TESTING.search(text) and (_ALLOCATION.match(after) or _ALLOCATION.match(text[c.start:].split(" ", 1)[-1])))
