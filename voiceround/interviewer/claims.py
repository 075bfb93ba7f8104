"""Which of the candidate's quantitative claims need a probe (a baseline, a slice), the rule the
planner and ``voiceround eval interviewer`` share. Pure: transcript and round in, claims out."""
from __future__ import annotations

from dataclasses import dataclass

from voiceround import analysis as A
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
    work move" makes no sense of Linda's handoff numbers.
    """
    tr = transcript if upto_turn is None else Transcript(transcript.turns[:upto_turn])
    sents = A.split_sentences(tr)
    phases = dict(zip((s.index for s in sents), A.tag_phases(sents, rnd.slots, A.question_phases(tr, rnd.slots)), strict=True))
    out: list[ClaimNeed] = []
    dont_know = {n for n, t in tr.candidate_turns() if rnd.lexicons["dont_know"].search(t.text)}
    # answers to a question about the other side: their numbers are theirs, no "which part was yours"
    theirs, asked = set(), None
    for n, t in enumerate(tr.turns, start=1):
        if t.speaker != "candidate":
            asked = (t.meta or {}).get("slot") or (t.meta or {}).get("deepens")
        elif asked == "opposing_view":
            theirs.add(n)
    tags = dict(zip((s.index for s in sents), A.tag_slots(sents, rnd.slots), strict=True))
    for c in A.find_claims(sents):
        if c.turn in dont_know:  # an estimate given while saying "I don't know" gets no further probe
            continue
        outcome = phases[c.sentence.index] == "outcome"
        if c.is_proposal or c.has_attribution or A.others_number(c, plans_only=True):  # a plan's number is no measurement
            continue
        if not c.has_baseline and (outcome or not c.has_window):
            out.append(ClaimNeed(c, "baseline"))
        isolated_before = any(A.ATTRIBUTION.search(x.text) and phases[x.index] == "outcome"
                              for x in sents if x.index <= c.sentence.index)
        other_side = c.turn in theirs or "opposing_view" in tags[c.sentence.index] or A.others_number(c)
        if outcome and not (c.has_slice or isolated_before or other_side):
            out.append(ClaimNeed(c, "slice"))
    return out
