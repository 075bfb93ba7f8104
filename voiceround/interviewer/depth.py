"""Depth and pacing: the follow-ups that drill into a story slot, and the time budget that decides
when to drill, when to move on and when to close.

The round page promises "a deep-dive into a single past experience" where the interviewer keeps
interrupting "to drill down into the data you used, the words you said, and the exact outcome",
for the whole 20 minutes. A round file's follow-up probes (``deepens`` a slot, ``depth`` 2 or 3)
are that drill-down. This module is pure: it reads the transcript and the round, nothing else.

Pacing (issue "The round lasts its 20 minutes"): the time left before the wrap-up is shared
between what every round must still ask (uncovered story slots, the pushback, the reflection),
each costing one exchange (a question and its answer, measured on this round), and follow-ups,
which only spend the rest (the *spare* time).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from voiceround import analysis as A
from voiceround.core.types import Transcript, Turn
from voiceround.rounds import Round
from voiceround.rounds.model import Probe

WRAP_UP_S = 120.0        # the wrap-up begins in the last two minutes (issue 18; round timing.wrap_up_s)
EXCHANGE_S = 40.0        # one question and its answer before the round has its own figure (timing.exchange_s)
SECOND_EXAMPLE_MIN_S = 75.0   # a second, shorter example needs its telling and one probe (timing.second_example_min_s)
DRY_FOLLOWUPS = 2        # this many non-answers to follow-ups in a row: the story has no depth left
REPEAT_OVERLAP = 0.8     # an answer sharing this share of its words with an earlier one repeats it (Jaccard)


@dataclass(frozen=True)
class Pace:
    """The round's clock as the planner sees it (all seconds). ``left``: time before the wrap-up
    begins; ``exchange``: seconds per question and answer so far; ``must``: exchanges still owed to
    uncovered slots, the pushback and the reflection; ``spare``: ``left - must * exchange``."""

    left: float
    exchange: float
    must: int

    @property
    def spare(self) -> float:
        return self.left - self.must * self.exchange


def wrap_up_s(rnd: Round) -> float:
    """Seconds before the end at which the wrap-up begins (``timing.wrap_up_s``, default 120,
    capped at a quarter of a short round)."""
    return min(float(rnd.timing.get("wrap_up_s", WRAP_UP_S)), rnd.duration_s / 4)


def pace(transcript: Transcript, elapsed_s: float, rnd: Round, must: int) -> Pace:
    """The :class:`Pace` at ``elapsed_s`` with ``must`` exchanges still owed. The exchange length
    is the round's own (elapsed time per interviewer turn) blended with ``timing.exchange_s`` over
    the first turns, so one long first answer doesn't decide the whole plan."""
    n = len(transcript.interviewer_turns())
    prior = float(rnd.timing.get("exchange_s", EXCHANGE_S))
    exchange = (elapsed_s + 2 * prior) / (n + 2)
    return Pace(rnd.duration_s - wrap_up_s(rnd) - elapsed_s, exchange, must)


def followups(rnd: Round) -> list[Probe]:
    """The round's follow-up probes, in file order."""
    return [p for p in rnd.probes.values() if p.deepens]


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9']+", text.lower()))


def repeats(text: str, earlier: list[str]) -> bool:
    """True when ``text`` says again what an earlier answer said: its word set overlaps one of
    ``earlier`` by :data:`REPEAT_OVERLAP` or more (Jaccard). A repeated answer adds nothing to drill into."""
    w = _words(text)
    return bool(w) and any(len(w & e) / len(w | e) >= REPEAT_OVERLAP for e in map(_words, earlier) if e)


def _non_answer(rnd: Round, text: str, earlier: list[str] = ()) -> bool:
    """Nothing to go deeper into: "I don't know" (no estimate or number given with it), a few
    words, or a repeat of an earlier answer (``earlier``: the candidate's previous answers)."""
    if len(text.split()) < 4 or repeats(text, list(earlier)):
        return True
    shrug = rnd.lexicons["dont_know"].search(text) or rnd.lexicons["non_answer"].search(text)
    return bool(shrug) and not (A.find_claims(A.split_sentences(Transcript([Turn("candidate", text, 0.0, 0.0)])))
                                or re.search(r"\bestimate\b", text, re.IGNORECASE))


def _answer_after(rnd: Round, turns: list[Turn], i: int) -> tuple[Turn | None, bool]:
    """The candidate's answer to the question at ``turns[i]`` and whether it gave something to go
    deeper into (not a non-answer, not a repeat of an earlier answer)."""
    answer = next((u for u in turns[i + 1:i + 2] if u.speaker == "candidate"), None)
    if answer is None:
        return None, False
    earlier = [u.text for u in turns[:i + 1] if u.speaker == "candidate"]
    return answer, not _non_answer(rnd, answer.text, earlier)


def dry_answer(rnd: Round, transcript: Transcript) -> bool:
    """True when the latest turn is a candidate answer with nothing to go deeper into (see :func:`_non_answer`)."""
    turns = transcript.turns
    return len(turns) < 2 or turns[-1].speaker != "candidate" or not _answer_after(rnd, turns, len(turns) - 2)[1]


def dry(transcript: Transcript, rnd: Round) -> bool:
    """True when the last :data:`DRY_FOLLOWUPS` follow-ups were met with non-answers ("I don't
    know", "I'm not sure", a few words, an earlier answer said again): the candidate has no more depth to give (issue "A Bar
    Raiser who listens": after two non-answers, acknowledge and move on)."""
    deep = {p.intent for p in followups(rnd)}
    runs = 0
    turns = transcript.turns
    for i, t in enumerate(turns):
        if t.speaker == "interviewer" and t.intent in deep:
            runs = 0 if _answer_after(rnd, turns, i)[1] else runs + 1
    return runs >= DRY_FOLLOWUPS


_NEGATED = re.compile(r"\b(didn'?t|did not|never|wasn'?t|was not|no point|not worth)\b", re.IGNORECASE)


def available(transcript: Transcript, rnd: Round, asked: set[str], slots_open: set[str]) -> list[Probe]:
    """Follow-ups that may be asked now, shallowest first, then in file order.

    A depth-2 follow-up needs its slot asked or told (``slots_open``); a depth-3 one needs a
    depth-2 follow-up of the same slot asked and answered (not "I don't know"). None is asked twice
    (``asked``: intents already asked), none whose ``answered`` pattern matches something the
    candidate already said, and none on a slot whose last follow-up got a non-answer."""
    said = " ".join(t.text for _, t in transcript.candidate_turns())
    turns = transcript.turns
    answered_at: dict[str, list[bool]] = {}  # slot -> for each follow-up asked on it: was it answered
    for i, t in enumerate(turns):
        p = rnd.probes.get(t.intent or "") if t.speaker == "interviewer" else None
        if p is not None and p.deepens:
            answered_at.setdefault(p.deepens, []).append(_answer_after(rnd, turns, i)[1])
    out = []
    told = None  # the candidate's un-negated sentences, read once a follow-up needs them
    for p in followups(rnd):
        if p.intent in asked or p.deepens not in slots_open or (p.answered is not None and p.answered.search(said)):
            continue
        if p.needs and told is None:
            told = [s.text for s in A.split_sentences(Transcript([t for _, t in transcript.candidate_turns()])) if not _NEGATED.search(s.text)]
        if p.needs and not any(rnd.lexicons[p.needs].search(t) for t in told):
            continue  # "When you took it higher…" to someone who never took it higher
        history = answered_at.get(p.deepens, [])
        if history and not history[-1]:
            continue
        if p.depth >= 3 and not any(history):
            continue
        out.append(p)
    return sorted(out, key=lambda p: p.depth)


def drill(transcript: Transcript, rnd: Round, candidates: list[Probe]) -> Probe | None:
    """The follow-up that goes one level deeper into what the candidate just answered: the last
    question asked a slot (or a follow-up of it) and got a real answer. None otherwise."""
    turns = transcript.turns
    if len(turns) < 2 or turns[-1].speaker != "candidate" or turns[-2].speaker != "interviewer":
        return None
    if dry_answer(rnd, transcript):
        return None
    q = turns[-2]
    p = rnd.probes.get(q.intent or "")
    slot = q.meta.get("slot") or (p.deepens if p is not None else None)
    if slot is None:
        return None
    return next((c for c in candidates if c.deepens == slot), None)
