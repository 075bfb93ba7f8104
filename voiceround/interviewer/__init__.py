"""The Bar Raiser interviewer: a pure planner (no clock, no I/O).

Given the transcript so far, the elapsed session time and the round, :func:`next_action` returns
what the interviewer says next: an intent (from the round file's probes) and its wording, filled
from the round's templates with the candidate's own words. What was already asked is read back
from the interviewer turns' ``meta`` (``intent``, ``claim``, ``slot``), so the planner keeps no
hidden state and the same transcript always gives the same action.

Order of decisions (seed, "How the AI behaves", and DESIGN.md "The interviewer"):
wrap-up when time is up → claim probes on the latest answer (number without baseline, headline
metric without slice, "we" where the candidate's own action is unclear, opinion without evidence,
abstraction) → move to the commitment phase if the argument has eaten the clock → story slots
not yet covered → one pushback → reflection → wrap-up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from voiceround import analysis as A
from voiceround.core.types import Transcript
from voiceround.rounds import Round

WRAP_UP_MARGIN_S = 45.0   # leave this much of the round for the closing exchange
MAX_INTERVIEWER_TURNS = 40
QUOTE_WORDS = 9

# Story slots asked before the pushback, and the ones asked after it. Slot ids are the round
# file's; slots the round doesn't define are skipped.
PRE_PUSHBACK = ("scenario", "opposing_view", "own_data", "words_said", "escalation", "decision",
                "commitment", "outcome", "attribution")
POST_PUSHBACK = ("reflection",)


@dataclass
class Action:
    """The interviewer's next turn.

    ``intent``: a probe intent from the round file (``wrap_up`` ends the round). ``text``: the
    template wording (exactly one question, no praise). ``quote``: the candidate phrase it quotes,
    if any. ``claim``: a key for the claim probed (to avoid repeats). ``slot``: the story slot asked.
    ``topics``: case topics that answer it (for a simulated candidate).
    """

    intent: str
    text: str
    quote: str | None = None
    claim: str | None = None
    slot: str | None = None
    topics: tuple[str, ...] = ()
    reason: str = ""

    @property
    def is_wrap_up(self) -> bool:
        return self.intent == "wrap_up"

    def meta(self) -> dict:
        """What the planner needs to remember about this turn (stored in ``Turn.meta``)."""
        return {k: v for k, v in {"quote": self.quote, "claim": self.claim, "slot": self.slot, "reason": self.reason}.items() if v}


@dataclass
class _History:
    asked: list[tuple[str, str | None]] = field(default_factory=list)  # (intent, claim)
    slots_asked: set[str] = field(default_factory=set)
    texts: set[str] = field(default_factory=set)
    claim_probes: int = 0
    pushed_back: bool = False


def _history(transcript: Transcript) -> _History:
    h = _History()
    for _, t in transcript.interviewer_turns():
        intent = t.intent or ""
        h.asked.append((intent, t.meta.get("claim")))
        if t.meta.get("slot"):
            h.slots_asked.add(t.meta["slot"])
        h.texts.add(t.meta.get("template_text", t.text))
        if intent.startswith("probe_"):
            h.claim_probes += 1
        if intent == "pushback":
            h.pushed_back = True
    return h


def short_quote(text: str, start: int = 0, max_words: int = QUOTE_WORDS) -> str:
    """Up to ``max_words`` words of ``text`` from character ``start``, without trailing punctuation."""
    ws = text[start:].split()
    return " ".join(ws[:max_words]).strip(" ,.;:!?\"'")


def _fill(rnd: Round, intent: str, h: _History, quote: str | None) -> str:
    probe = rnd.probes[intent]
    usable = [t for t in probe.templates if ("{quote}" in t) == bool(quote)] or list(probe.templates)
    n = sum(1 for i, _ in h.asked if i == intent)
    ordered = usable[n % len(usable):] + usable[: n % len(usable)]
    for template in ordered:
        text = template.replace("{quote}", f"'{quote}'" if quote else "")
        if text not in h.texts:
            return text
    return ordered[0].replace("{quote}", f"'{quote}'" if quote else "")


def _action(rnd: Round, intent: str, h: _History, *, quote=None, claim=None, reason="") -> Action:
    probe = rnd.probes[intent]
    text = _fill(rnd, intent, h, quote)
    acks = rnd.interviewer.get("acknowledgements") or []
    # Seed: acknowledge neutrally, then probe. Every other question that doesn't open on the
    # candidate's own words gets the round's neutral acknowledgement.
    if acks and h.asked and intent != "wrap_up" and not quote and len(h.asked) % 2 == 1:
        text = f"{acks[0]} {text}"
    return Action(intent, text, quote, claim, probe.slot, probe.topics, reason)


def opening(rnd: Round) -> Action:
    """The first interviewer turn: ask for one specific scenario."""
    return _action(rnd, "ask_scenario", _History(), reason="opening")


def _claim_probe(rnd: Round, transcript: Transcript, h: _History) -> Action | None:
    """A probe on the latest candidate answer, or None."""
    cands = transcript.candidate_turns()
    if not cands or h.claim_probes >= int(rnd.timing.get("max_claim_probes", 4)):
        return None
    last_no = cands[-1][0]
    all_sents = A.split_sentences(transcript)
    sents = [s for s in all_sents if s.turn == last_no]
    if not sents:
        return None
    last_asked = h.asked[-1] if h.asked else (None, None)
    probed = {c for _, c in h.asked if c}

    def ok(intent: str, key: str) -> bool:
        return key not in probed and (intent, key) != last_asked

    phases = dict(zip((s.index for s in all_sents), A.tag_phases(all_sents, rnd.slots)))
    attributed = any(A._ATTRIBUTION.search(s.text) and phases[s.index] == "outcome" for s in all_sents)
    claims = A.find_claims(sents)
    # Outcome claims first: that is where a Bar Raiser digs hardest.
    claims.sort(key=lambda c: (phases[c.sentence.index] != "outcome", c.sentence.index, c.start))
    for c in claims:
        key = f"baseline:{c.value}"
        if not (c.has_baseline or c.has_attribution or c.is_proposal) and ok("probe_baseline", key):
            return _action(rnd, "probe_baseline", h, quote=c.quote, claim=key, reason="number without baseline")
    for c in claims:
        key = f"slice:{c.value}"
        if phases[c.sentence.index] == "outcome" and not (c.has_slice or c.has_attribution or attributed) and ok("probe_slice", key):
            return _action(rnd, "probe_slice", h, quote=c.quote, claim=key, reason="headline metric without slice")
    acts = A.find_actions(sents)
    if any(a.who == "we" for a in acts) and not any(a.who == "i" for a in acts):
        a = next(a for a in acts if a.who == "we")
        key = f"we:{a.verb}"
        if ok("probe_ownership", key):
            return _action(rnd, "probe_ownership", h, quote=short_quote(a.sentence.text, a.start, 6), claim=key, reason="'we' hides the candidate's action")
    if not claims:
        for s, st, _ in A.cue_spans(A.OPINION, sents):
            key = f"opinion:{s.turn}"
            if ok("probe_opinion", key):
                return _action(rnd, "probe_opinion", h, quote=short_quote(s.text, st, 7), claim=key, reason="opinion without evidence")
    abstract = A.cue_spans(A.ABSTRACTION, sents)
    if len({s.index for s, _, _ in abstract}) >= 2:
        s, st, _ = abstract[0]
        key = f"abstract:{s.turn}"
        if ok("probe_abstraction", key):
            return _action(rnd, "probe_abstraction", h, quote=short_quote(s.text, st, 6), claim=key, reason="abstraction")
    return None


def _pushback_quote(transcript: Transcript) -> str | None:
    for s in A.split_sentences(transcript):
        m = re.search(r"\bi (wanted|argued|pushed|disagreed|proposed|recommended)\b", s.lower)
        if m:
            return short_quote(s.text, m.start(), 8)
    return None


def next_action(transcript: Transcript, elapsed_s: float, rnd: Round) -> Action:
    """Decide the interviewer's next turn.

    ``transcript``: the session so far (interviewer turns carry ``intent`` and ``meta``).
    ``elapsed_s``: seconds since the round started. Returns an :class:`Action`; ``wrap_up`` when the
    round's time is nearly spent or every slot, the pushback and the reflection are done.
    """
    h = _history(transcript)
    if not transcript.interviewer_turns():
        return opening(rnd)
    if elapsed_s >= rnd.duration_s - WRAP_UP_MARGIN_S or len(h.asked) >= MAX_INTERVIEWER_TURNS:
        return _action(rnd, "wrap_up", h, reason="time")

    probe = _claim_probe(rnd, transcript, h)
    if probe:
        return probe

    sents = A.split_sentences(transcript)
    coverage = A.slot_coverage(sents, rnd.slots)
    covered = {s.id for s in rnd.slots if coverage[s.id][0] >= s.min_weight}
    slot_ids = [s.id for s in rnd.slots]

    # Time management: the argument has eaten the clock (seed trap "missing the commitment phase").
    if elapsed_s > float(rnd.timing.get("commitment_nudge_after_s", 480)) and "commitment" not in covered \
            and "commitment" not in h.slots_asked and "move_to_commitment" in rnd.probes:
        phases = A.tag_phases(sents, rnd.slots)
        arg = sum(1 for p in phases if p == "argument")
        if phases and arg / len(phases) > float(rnd.timing.get("argument_share_limit", 0.6)):
            return _action(rnd, "move_to_commitment", h, reason="argument took most of the time")

    slot_intent = {p.slot: p.intent for p in rnd.probes.values() if p.slot and p.intent != "move_to_commitment"}
    for slot in PRE_PUSHBACK:
        if slot in slot_ids and slot not in covered and slot not in h.slots_asked and slot in slot_intent:
            return _action(rnd, slot_intent[slot], h, reason=f"slot {slot} not covered")
    # With time left, dig into slots that were only touched in passing and never asked directly.
    if elapsed_s < rnd.duration_s / 2:
        for slot in PRE_PUSHBACK:
            if slot in slot_ids and slot not in h.slots_asked and slot in slot_intent \
                    and coverage[slot][0] < 2 * rnd.slot(slot).min_weight:
                return _action(rnd, slot_intent[slot], h, reason=f"slot {slot} thin")
    if not h.pushed_back and "pushback" in rnd.probes:
        return _action(rnd, "pushback", h, quote=_pushback_quote(transcript), reason="test backbone")
    # Reflection is always asked before the wrap-up.
    for slot in POST_PUSHBACK:
        if slot in slot_ids and slot not in h.slots_asked and slot in slot_intent:
            return _action(rnd, slot_intent[slot], h, reason=f"slot {slot}")
    return _action(rnd, "wrap_up", h, reason="story covered")
