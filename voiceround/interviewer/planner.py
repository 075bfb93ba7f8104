"""The Bar Raiser interviewer: a pure planner (no clock, no I/O).

Given the transcript so far, the elapsed session time and the round, :func:`next_action` returns
what the interviewer says next: an intent (from the round file's probes) and its wording, filled
from the round's templates with the candidate's own words. What was already asked is read back
from the interviewer turns' ``meta`` (``intent``, ``claim``, ``slot``), so the planner keeps no
hidden state and the same transcript always gives the same action.

Order of decisions (seed, "How the AI behaves", and DESIGN.md "The interviewer"):
wrap-up when time is up (the last two minutes) → one redirect if the story doesn't fit the round
(:mod:`voiceround.interviewer.fit`) → claim probes on the latest answer (number without baseline,
headline metric without slice, "we" where the candidate's own action is unclear, opinion without
evidence, abstraction) → move to the commitment phase if the argument
has eaten the clock → a follow-up one level deeper into the slot just answered, when the time
allows (:mod:`voiceround.interviewer.depth`) → story slots not yet covered → follow-ups while
spare time is left → one pushback → reflection → follow-ups with the time left → a second,
shorter example once the first has no depth left → wrap-up. When the candidate has nothing more
to tell (``exhausted``), only the pushback and the reflection are still asked.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from voiceround import analysis as A
from voiceround.core.types import Transcript
from voiceround.interviewer import depth as D
from voiceround.interviewer import fit as FIT
from voiceround.interviewer.claims import PROBE_WINDOW, ClaimNeed, claim_needs  # noqa: F401  (package API)
from voiceround.rounds import Round

MAX_INTERVIEWER_TURNS = 60  # a 20-minute round at ~20 s per exchange
QUOTE_WORDS = 9
# Lead-ins for a question that quotes the candidate, taken in turn so the questions don't all open
# the same way (issue "A Bar Raiser who listens", item 3: "nearly every question starts with 'You
# said'"); the round's templates are written with the first.
QUOTE_LEADS = ("You said {quote}.", "You mentioned {quote}.", "On {quote}:", "You told me {quote}.")
MAX_QUESTION_WORDS = 25
"""A question the candidate can hold in mind: 25 words at most (issue "A Bar Raiser who listens",
item 3). A second quote or the acknowledgement is left out when it would pass this."""



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
    claims: list[str] = field(default_factory=list)
    deepens: str | None = None  # a follow-up: the story slot it drills into

    @property
    def asks_for_story(self) -> bool:
        """The question asks for part of the story (the scenario, a slot, a follow-up): its answer
        may start with a longer pause (:class:`~voiceround.turntaking.endpointing.EndpointConfig` ``story_pause_s``)."""
        return self.intent in ("probe_abstraction", "ask_second_example", *FIT.STORY_QUESTIONS) or self.slot is not None or self.deepens is not None

    @property
    def is_wrap_up(self) -> bool:
        return self.intent == "wrap_up"

    def meta(self) -> dict:
        """What the planner needs to remember about this turn (stored in ``Turn.meta``)."""
        return {k: v for k, v in {"quote": self.quote, "claim": self.claim, "claims": self.claims or None,
                                  "slot": self.slot, "deepens": self.deepens, "reason": self.reason}.items() if v}


@dataclass
class _History:
    asked: list[tuple[str, str | None]] = field(default_factory=list)  # (intent, claim)
    slots_asked: set[str] = field(default_factory=set)
    texts: set[str] = field(default_factory=set)
    claim_probes: int = 0
    pushed_back: bool = False
    unsure: list[str] = field(default_factory=list)  # lowercased stretches the STT was least sure of


def _history(transcript: Transcript, rnd: Round) -> _History:
    h = _History()
    for _, t in transcript.candidate_turns():
        h.unsure += [p for u in (t.meta or {}).get("unsure") or () if isinstance(u, str) and (p := _phrase(u))]
    for _, t in transcript.interviewer_turns():
        intent = t.intent or ""
        h.asked.append((intent, t.meta.get("claim")))
        if t.meta.get("slot"):
            h.slots_asked.add(t.meta["slot"])
        if intent in rnd.probes and rnd.probes[intent].covers:
            h.slots_asked.add(rnd.probes[intent].covers)
        h.texts.add(t.meta.get("template_text", t.text))
        if intent in ("probe_baseline", "probe_slice"):
            h.claim_probes += 1
        if intent == "pushback":
            h.pushed_back = True
    return h


def short_quote(text: str, start: int = 0, max_words: int = QUOTE_WORDS) -> str:
    """The candidate's words from character ``start`` as a whole phrase of at most ``max_words``
    words, never cut mid-phrase (:func:`voiceround.analysis.quotes.phrase_quote`)."""
    return A.phrase_quote(text, start, max_words=max_words)


def _fill(rnd: Round, intent: str, h: _History, quote: str | None, no_story: bool = False) -> str:
    probe = rnd.probes[intent]
    if no_story and probe.no_story:
        quote, usable = None, list(probe.no_story)
    else:
        usable = [t for t in probe.templates if ("{quote}" in t) == bool(quote)] or list(probe.templates)
    n = sum(1 for i, _ in h.asked if i == intent)
    ordered = usable[n % len(usable):] + usable[: n % len(usable)]
    lead = QUOTE_LEADS[len(h.asked) % len(QUOTE_LEADS)]

    def put(template: str) -> str:
        if not quote:
            return re.sub(r"You said \{quote\}\. ?", "", template).replace("{quote}", "that")
        if template.startswith("You said {quote}. ") and lead != "You said {quote}.":
            rest = template[len("You said {quote}. "):]  # the same question behind another lead-in
            if lead.endswith(":") and not rest.startswith("I "):
                rest = rest[:1].lower() + rest[1:]
            template = f"{lead} {rest}"
        return template.replace("{quote}", f"'{quote}'")
    for template in ordered:
        text = put(template)
        if text not in h.texts:
            return text
    return put(ordered[0])


def _misheard(quote: str, h: _History) -> bool:
    """Whether ``quote`` (one phrase, or two joined by ``', and now '``) overlaps a stretch the STT
    was unsure of (``Turn.meta["unsure"]``: segments below UNSURE_LOGPROB). Quoting it back puts
    words in the candidate's mouth ("You mentioned 'I wanted to 10% hold out'": a new user's test)."""
    parts = [p for part in quote.split("'") if (p := _phrase(part))]
    return any(p in u or u in p for p in parts for u in h.unsure)


def _phrase(text: str) -> str:
    """``text`` lowercased without edge punctuation, for comparing a quote with an unsure stretch;
    "" when 3 characters or fewer ("so", "I", "the": they overlap everything)."""
    p = text.lower().strip(" .,")
    return p if len(p) > 3 else ""


def _action(rnd: Round, intent: str, h: _History, *, quote=None, claim=None, reason="", no_story=False) -> Action:
    probe = rnd.probes[intent]
    if quote and _misheard(quote, h):  # ask without quoting what may have been misheard
        quote = None
    text = _fill(rnd, intent, h, quote, no_story)
    if quote and len(A.words(text)) > MAX_QUESTION_WORDS:  # a long quote: each part shortened to its head phrase
        # the longest head phrases that keep the question short and are not cut mid-phrase ("The six")
        parts, found = quote.split("'"), None
        for n in range(QUOTE_WORDS - 1, 1, -1):
            heads = [A.phrase_quote(part, 0, max_words=n) if i % 2 == 0 else part for i, part in enumerate(parts)]
            short = "'".join(heads)
            text = _fill(rnd, intent, h, short)
            if len(A.words(text)) <= MAX_QUESTION_WORDS and not any(A.is_fragment(hd, pt) for hd, pt in zip(heads[::2], parts[::2], strict=True)):
                found = short
                break
        quote = found
        if found is None:  # no whole phrase fits: the question without the quote
            text = _fill(rnd, intent, h, None)
    acks = rnd.interviewer.get("acknowledgements") or []
    # Seed: acknowledge neutrally, then probe. Every other question that doesn't open on the
    # candidate's own words gets the round's neutral acknowledgement.
    ack = acks[(len(h.asked) // 2) % len(acks)] if acks else ""
    if acks and h.asked and intent not in ("wrap_up", "pushback") and not quote and len(h.asked) % 2 == 1 \
            and len(A.words(text)) + len(A.words(ack)) <= MAX_QUESTION_WORDS:
        text = f"{ack} {text}"
    return Action(intent, text, quote, claim, probe.slot, probe.topics, reason)


def _followup(rnd: Round, transcript: Transcript, h: _History, probe, reason: str) -> Action:
    """Ask follow-up ``probe``, quoting the candidate's last answer when its template wants a quote."""
    quote = None
    if any("{quote}" in t for t in probe.templates) and transcript.turns and transcript.turns[-1].speaker == "candidate":
        last = transcript.turns[-1].text
        claims = A.find_claims(A.split_sentences(Transcript([transcript.turns[-1]])))
        quote = claims[0].quote if claims else short_quote(last, 0, 8)
    act = _action(rnd, probe.intent, h, quote=quote, reason=reason)
    act.slot, act.deepens = None, probe.deepens  # a follow-up deepens its slot; it doesn't ask for it
    return act


_ASKS = re.compile(r"\?|^\W*(?:so\W+|and\W+|um\W+|yeah\W+|yes\W+)*(?:how|what|who|when|where|why|which|do|does|did|is|are|can|could|would|will|should|"
                   r"i'?m curious|i was wondering|i'?d like to know)\b", re.IGNORECASE)


def closing_reply(rnd: Round, answered: bool | str | None) -> Action:
    """The interviewer's last line, after the candidate's answer to the closing question
    (``interviewer.closing_reply`` when they asked something, ``closing_reply_silent`` when nothing
    was said or they asked nothing: "Thanks for asking" after "Not really." read as robotic to a new
    user). ``answered``: the answer's text (or a bool: whether there was one). Neutral, no praise,
    no question; the round ends after it."""
    asked = bool(_ASKS.search(answered.strip())) if isinstance(answered, str) else bool(answered)
    key = "closing_reply" if asked else "closing_reply_silent"
    text = rnd.interviewer.get(key) or rnd.interviewer.get("closing_reply") or "That's the end of the round."
    return Action("closing_reply", text, reason="closing answered" if answered else "closing not answered")


def opening(rnd: Round) -> Action:
    """The first interviewer turn: ask for one specific scenario."""
    return _action(rnd, "ask_scenario", _History(), reason="opening")




def _claim_probe(rnd: Round, transcript: Transcript, h: _History, all_needs: list[ClaimNeed],
                 urgent_only: bool = False, crowded_only: bool = False) -> Action | None:
    """The most urgent claim probe, or None. ``all_needs``: :func:`claim_needs` of ``transcript``
    (computed once per decision by the caller). Claims are probed oldest-deadline first; all claims of
    one answer with the same gap share one probe, and the gap shared by more claims is asked first
    (then baselines before slices, outcome claims before others). ``urgent_only``: only claims at
    their last chance (:data:`PROBE_WINDOW`). ``crowded_only``: only when the latest answer has
    claims with both gaps, which take both questions of the window, so they come before probes on
    its wording."""
    if h.claim_probes >= int(rnd.timing.get("max_claim_probes", 14)):
        return None
    probed = {k for _, t in transcript.interviewer_turns() for k in t.meta.get("claims", [t.meta.get("claim")]) if k}
    # Interviewer turns already spent after each candidate turn (for the two-turn deadline).
    spent: dict[int, int] = {}
    count = 0
    for i in range(len(transcript.turns), 0, -1):
        t = transcript.turns[i - 1]
        if t.speaker == "interviewer":
            count += 1
        else:
            spent[i] = count
    needs = [n for n in all_needs if n.key not in probed and spent.get(n.turn, 0) < PROBE_WINDOW
             and (not urgent_only or spent.get(n.turn, 0) == PROBE_WINDOW - 1)]
    # the attribution question was just asked (and answered, or not): "which part did your work
    # move" on the same numbers would ask it twice in a row
    last_iv = next((t for _, t in reversed(transcript.interviewer_turns())), None)
    slice_covers = rnd.probes["probe_slice"].covers if "probe_slice" in rnd.probes else None
    if last_iv is not None and slice_covers and last_iv.meta.get("slot") == slice_covers:
        needs = [n for n in needs if n.need != "slice"]
    if not needs:
        return None
    gaps = Counter((n.turn, n.need) for n in needs)
    latest = len(transcript.turns) if transcript.turns[-1].speaker == "candidate" else None
    if crowded_only and len({need for turn, need in gaps if turn == latest}) < 2:
        return None
    sents = A.split_sentences(transcript)
    phases = dict(zip((s.index for s in sents), A.tag_phases(sents, rnd.slots, A.question_phases(transcript, rnd.slots)), strict=True))
    needs.sort(key=lambda n: (-spent.get(n.turn, 0), -gaps[(n.turn, n.need)], n.need != "baseline",
                              phases.get(n.claim.sentence.index) != "outcome", n.turn, n.claim.sentence.index, n.claim.start))
    first = needs[0]
    # One probe covers every claim of the same answer with the same gap ("You said 'X' and 'Y'.
    # From what baseline…?"); it quotes at most two of them.
    group = [first] + [n for n in needs[1:] if n.turn == first.turn and n.need == first.need]
    others = [n for n in group[1:] if n.claim.quote.lower() not in first.claim.quote.lower()]
    intent = "probe_baseline" if first.need == "baseline" else "probe_slice"
    if intent not in rnd.probes:  # a round may leave a probe out: that gap is then not probed
        return None
    reason = "number without baseline" if first.need == "baseline" else "headline metric without slice"
    quote = first.claim.quote
    if others:  # both quotes if the question stays short enough, else the first alone
        both = f"{first.claim.quote}' and '{others[0].claim.quote}"
        if len(A.words(_fill(rnd, intent, h, both))) <= MAX_QUESTION_WORDS:
            quote = both
    action = _action(rnd, intent, h, quote=quote, claim=first.key, reason=reason)
    action.claims = [n.key for n in group]
    action.quote = first.claim.quote
    return action


def _inconsistency_probe(rnd: Round, transcript: Transcript, h: _History) -> Action | None:
    """Fabricated precision: the latest answer reports a baseline that contradicts an earlier one."""
    cands = transcript.candidate_turns()
    if not cands:
        return None
    probed = {c for _, c in h.asked if c}
    for earlier, later in A.baseline_conflicts(A.find_claims(A.split_sentences(transcript))):
        key = f"inconsistent:{later.value}"
        if later.turn == cands[-1][0] and key not in probed and "probe_inconsistency" in rnd.probes:
            act = _action(rnd, "probe_inconsistency", h, quote=f"{earlier.quote}', and now '{later.quote}", claim=key,
                          reason="baseline changed between turns")
            act.quote = later.quote
            return act
    return None


# A sentence the candidate marks as a digression ("that's its own story", "anyway", "by the way").
_ASIDE = re.compile(r"\b(its own story|a long story|long story short|side note|by the way|on a tangent|but anyway)\b", re.IGNORECASE)


def _answer_probe(rnd: Round, transcript: Transcript, h: _History) -> Action | None:
    """Probes on the latest answer's wording: inconsistent baselines, "we", opinion, yielding, abstraction."""
    cands = transcript.candidate_turns()
    if not cands:
        return None
    last_no = cands[-1][0]
    all_sents = A.split_sentences(transcript)
    sents = [s for s in all_sents if s.turn == last_no]
    if not sents:
        return None
    last_asked = h.asked[-1] if h.asked else (None, None)
    probed = {c for _, c in h.asked if c}

    def ok(intent: str, key: str) -> bool:
        return intent in rnd.probes and key not in probed and (intent, key) != last_asked

    acts = A.find_actions(sents)
    we = [a for a in acts if a.who == "we"]
    if we and len(we) > len([a for a in acts if a.who == "i"]):
        # the "we" of the story, not of an aside ("…around when we moved offices, which is its own
        # story"): a "we" in a sentence marked as an aside is never the one quoted
        # nor the "we" of a non-answer ("I don't have that number; we tracked it in the weekly report")
        story_we = [] if rnd.lexicons["dont_know"].search(cands[-1][1].text) else [x for x in we if not _ASIDE.search(x.sentence.text)]
        a = story_we[0] if story_we else None
        key = f"we:{a.verb}" if a else ""
        if a is not None and ok("probe_ownership", key) and last_asked[0] != "probe_ownership":
            return _action(rnd, "probe_ownership", h, quote=short_quote(a.sentence.text, a.start, 6), claim=key, reason="'we' hides the candidate's action")
    if not A.find_claims(sents):
        for s, st, _ in A.cue_spans(rnd.lexicons["opinion"], sents):
            key = f"opinion:{s.turn}"
            if ok("probe_opinion", key):
                return _action(rnd, "probe_opinion", h, quote=short_quote(s.text, st, 7), claim=key, reason="opinion without evidence")
    yields = [(s, st) for s, st, _ in A.cue_spans(rnd.lexicons["yield"], sents) if not rnd.lexicons["counterfactual"].search(s.text)]
    if yields and "probe_backbone" in rnd.probes and not any(i == "probe_backbone" for i, _ in h.asked):
        s, st = sorted(yields, key=lambda y: not y[0].text[y[1]:].lower().startswith("i "))[0]
        return _action(rnd, "probe_backbone", h, quote=short_quote(s.text, st, 8), claim=f"yield:{s.turn}", reason="dropped the argument")
    return None


def _abstraction_probe(rnd: Round, transcript: Transcript, h: _History, elapsed_s: float) -> Action | None:
    """Abstraction, escalating (issue "Interrupt abstraction while the candidate is still talking";
    seed: "Interrupts on abstraction"). The latest answer was cut off for abstraction, or holds two
    abstract sentences, or answers an abstraction probe with nothing concrete: the next of the
    round's ``probe_abstraction`` templates, in order (each narrower than the last, never the same
    twice). When they are spent with no concrete event anywhere, ``note_no_example`` says so once
    (kept for the scorecard); if the answer to that is still not concrete, only the general questions
    are left (:func:`_no_story_questions`)."""
    if "probe_abstraction" not in rnd.probes:
        return None
    cands = transcript.candidate_turns()
    if not cands:
        return None
    # The latest answer: every candidate turn since the interviewer last spoke (an answer cut off
    # and then continued over the interviewer's interruption is still one answer).
    last_iv = max((n for n, _ in transcript.interviewer_turns()), default=0)
    answer = [(n, t) for n, t in cands if n > last_iv]
    if not answer:
        return None
    n_last = answer[0][0]
    cut_for = {t.meta.get("interrupted") for _, t in answer}
    focused = any(str(c).startswith("focus:") for _, c in h.asked if c)
    if "probe_focus" in rnd.probes and not focused and not any(i == "ask_second_example" for i, _ in h.asked) \
            and ("second_story" in cut_for or any(rnd.lexicons["story_switch"].search(t.text) for _, t in answer)):
        # a second story began (cut off live, or told in the answer): back to the first, once
        act = _action(rnd, "probe_focus", h, claim=f"focus:{n_last}", reason="a second story began")
        if "second_story" not in cut_for:  # the answer ended on its own: no "let me stop you there"
            act.text = _not_cutting_in(act.text)
        return act
    sents = [s for s in A.split_sentences(transcript) if s.turn in {n for n, _ in answer}]
    before = transcript.turns[n_last - 2] if n_last >= 2 else None
    asked = sum(1 for i, _ in h.asked if i == "probe_abstraction")
    concrete = any(A.concrete(s.text) for s in sents)
    abstract = A.cue_spans(rnd.lexicons["abstraction"], sents)
    cut = "abstraction" in cut_for
    # the story asked for and answered with nothing concrete ("there was a real tension around how
    # digital we should become"): no event to probe yet
    vague = before is not None and not concrete and (before.intent == "probe_abstraction" or before.intent in FIT.STORY_QUESTIONS and len(sents) >= 2)
    if not (cut or len({s.index for s, _, _ in abstract}) >= 2 or vague):
        return None
    key = f"abstract:{n_last}"
    if key in {c for _, c in h.asked if c}:
        return None
    probe = rnd.probes["probe_abstraction"]
    if asked >= len(probe.templates):
        told = any(A.concrete(s.text) for s in A.split_sentences(transcript))
        if not told and "note_no_example" in rnd.probes and not any(i == "note_no_example" for i, _ in h.asked):
            return _action(rnd, "note_no_example", h, reason=f"no concrete example after {asked} abstraction probes")
        return None
    template = probe.templates[asked]
    s, st = (abstract[0][0], abstract[0][1]) if abstract else (sents[0] if sents else None, 0)
    quote = short_quote(s.text, st, 6) if s is not None and "{quote}" in template else None
    text = template.replace("{quote}", f"'{quote}'") if quote else re.sub(r"You said \{quote\}\. ?", "", template)
    if not cut:  # the answer ended on its own: there is nothing to stop
        text = _not_cutting_in(text)
    return Action("probe_abstraction", text, quote, key, None, probe.topics, "abstraction, cut off" if cut else "abstraction")


def _not_cutting_in(text: str) -> str:
    """``text`` without its opening "Let me stop you there" (and the acknowledgement before it):
    said only when the interviewer cuts an answer off, not after an answer that ended."""
    rest = re.sub(r"^(\w+( \w+)?\. )?Let me stop you there[:,.] ?", "", text)
    return rest[:1].upper() + rest[1:]


def _pushback_quote(transcript: Transcript, rnd: Round) -> str | None:
    """The candidate's own position to quote in the pushback: the first match of the round's
    ``interviewer.pushback_quote`` regex that quotes a position, at least :data:`PUSHBACK_QUOTE_WORDS`
    words, whole, and not the outcome ("'I wanted'", "'I disagreed and lost'" are no position: a new
    user's finding). None: the pushback's quote-free template."""
    pattern = rnd.interviewer.get("pushback_quote")
    if not pattern:
        return None
    for s in A.split_sentences(transcript):
        for m in re.finditer(pattern, s.lower):
            quote = short_quote(s.text, m.start(), 8)
            if len(quote.split()) >= PUSHBACK_QUOTE_WORDS and not re.search(r"\b(lost|won)\b", quote, re.IGNORECASE) \
                    and not A.is_fragment(quote, s.text):
                return quote
    return None


PUSHBACK_QUOTE_WORDS = 4


def next_action(transcript: Transcript, elapsed_s: float, rnd: Round, exhausted: bool = False) -> Action:
    """Decide the interviewer's next turn.

    ``transcript``: the session so far (interviewer turns carry ``intent`` and ``meta``).
    ``elapsed_s``: seconds since the round started. ``exhausted``: the candidate has nothing more
    to say (a simulated candidate's story is used up): only the pushback and the reflection are
    still asked, then the wrap-up. Returns an :class:`Action`; ``wrap_up`` in the round's last
    :func:`~voiceround.interviewer.depth.wrap_up_s` seconds, or when the story has no depth left.
    """
    h = _history(transcript, rnd)
    if not transcript.interviewer_turns():
        return opening(rnd)
    if elapsed_s >= rnd.duration_s - D.wrap_up_s(rnd) or len(h.asked) >= MAX_INTERVIEWER_TURNS:
        return _action(rnd, "wrap_up", h, reason="time")
    if exhausted:  # nothing more to tell: "we've covered your story" only when a story was told
        return _last_questions(rnd, transcript, h) or _wrap_up(rnd, h, "story told" if _story_told(transcript, rnd) else "no concrete example",
                                                               D.pace(transcript, elapsed_s, rnd, 0))

    # Claims at their last chance come first (probed within PROBE_WINDOW interviewer turns), then
    # probes on the answer's wording, then fresh claims.
    # No answer to the last question (silence, or only noise): ask it once more.
    last = transcript.turns[-1]
    second = any(i == "ask_second_example" for i, _ in h.asked)
    if last.speaker == "interviewer" and last.intent not in ("repeat_question", "wrap_up") and "repeat_question" in rnd.probes:
        template = rnd.probes["repeat_question"].templates[0]
        previous = last.meta.get("template_text", last.text)
        acks = "|".join(re.escape(a) for a in rnd.interviewer.get("acknowledgements") or ["Okay."])
        previous = re.sub(rf"^(I didn't hear an answer\. Take a moment\. |(?:{acks}) )", "", previous)
        if last.intent == "note_no_example":  # the note is said once; asked again is only its question
            parts = re.split(r"(?<=[.!?])\s+", previous)
            asks = [k for k, p in enumerate(parts) if p.endswith("?")]
            previous = " ".join(parts[asks[0]:]) if asks else previous
        return Action("repeat_question", template.replace("{previous}", previous), last.meta.get("quote"), None, last.meta.get("slot"),
                      rnd.probes[last.intent].topics if last.intent in rnd.probes else (), "no answer")
    # The story was asked for, and asked again, and nothing was said (a silent microphone): no example
    # came. Say so once, as after a story asked for twice and not told, rather than asking about "the
    # other side" of a story never told.
    if last.speaker == "interviewer" and last.intent == "repeat_question" and not transcript.candidate_turns() \
            and "note_no_example" in rnd.probes and not any(i == "note_no_example" for i, _ in h.asked):
        return _action(rnd, "note_no_example", h, reason="no answer to the story question, asked twice")
    # "I don't remember" to a number probe: ask for an estimate and how it was tracked (seed FAQ).
    cands = transcript.candidate_turns()
    prev_iv = transcript.turns[-2] if len(transcript.turns) >= 2 else None
    if cands and last.speaker == "candidate" and prev_iv is not None and prev_iv.speaker == "interviewer" \
            and prev_iv.intent in ("probe_baseline", "probe_slice", "ask_outcome") and rnd.lexicons["dont_know"].search(last.text) \
            and not re.search(r"\b(estimate|roughly|about|around)\b", last.text.lower()) \
            and "probe_estimate" in rnd.probes and not any(i == "probe_estimate" for i, _ in h.asked):
        return _action(rnd, "probe_estimate", h, reason="didn't remember a number")
    sents = A.split_sentences(transcript)
    coverage = A.slot_coverage(sents, rnd.slots)
    covered = {s.id for s in rnd.slots if coverage[s.id][0] >= s.min_weight}
    slot_ids = [s.id for s in rnd.slots]
    nudge = rnd.interviewer.get("nudge")
    nudge_intent = nudge["intent"] if nudge else None
    slot_intent = {p.slot: p.intent for p in rnd.probes.values() if p.slot and p.intent != nudge_intent}
    uncovered = [slot for slot in rnd.interviewer.get("slot_order", slot_ids)
                 if slot in slot_ids and slot not in covered and slot not in h.slots_asked and slot in slot_intent]
    pace = D.pace(transcript, elapsed_s, rnd, len(uncovered) + _owed(rnd, h, slot_ids, slot_intent))
    # A story that doesn't fit the round is redirected once (fit check); claims at their deadline
    # while the owed questions still fit; fresh claims only with time to spare.
    fit = FIT.redirect(transcript, rnd, [i for i, _ in h.asked])
    if fit is not None:
        return _action(rnd, fit[0], h, claim=f"{Transcript.FIT_CLAIM}{fit[1]}", reason=f"story doesn't fit: {fit[1]}")
    if any(i == FIT.REDIRECTS["non_answer"] for i, _ in h.asked) and FIT.problem(transcript, rnd) == "non_answer":
        # asked for the story twice and still no story ("Yes.", "No."): note it once, then ask only
        # the general questions, rather than probing a story that was never told
        if not _story_told(transcript, rnd) and "note_no_example" in rnd.probes and not any(i == "note_no_example" for i, _ in h.asked):
            return _action(rnd, "note_no_example", h, reason="no story after the story was asked for again")
    if any(i == "note_no_example" for i, _ in h.asked) and not _story_told(transcript, rnd):
        if not cands:  # not a word since the first question, asked four times: nobody is answering, so close
            return _wrap_up(rnd, h, "no concrete example", pace)
        return _no_story_questions(rnd, h, pace)
    dismissed = _dismissal_probe(rnd, transcript, h)
    if dismissed is not None:
        return dismissed
    needs = claim_needs(transcript, rnd)
    probe = _abstraction_probe(rnd, transcript, h, elapsed_s) or _inconsistency_probe(rnd, transcript, h) \
        or (_claim_probe(rnd, transcript, h, needs, urgent_only=True) if pace.spare >= 0 else None)
    if probe:
        return probe
    # Fit check, part two: two answers in and still no word of who won, ask how the decision went.
    check = FIT.outcome_check(transcript, rnd, covered | h.slots_asked)
    if check is not None and check in slot_intent and last.speaker == "candidate":
        return _action(rnd, slot_intent[check], h, reason="fit check: did the decision go against them?")
    if pace.spare < 0:  # short of time: what every round must ask comes before probing the last answer
        must = _must_ask(rnd, transcript, h, covered, slot_intent)
        if must is not None:
            return must
    probe = (_claim_probe(rnd, transcript, h, needs, crowded_only=True) if pace.spare >= pace.exchange else None) \
        or (_answer_probe(rnd, transcript, h) if pace.spare >= 0 else None) \
        or (_claim_probe(rnd, transcript, h, needs) if pace.spare >= pace.exchange else None)
    if probe:
        return probe

    # Time management (round file interviewer.nudge; Disagree and Commit: the argument has eaten
    # the clock, seed trap "missing the commitment phase").
    target = rnd.probes[nudge["intent"]].slot if nudge else None
    if nudge and elapsed_s > float(rnd.timing.get("commitment_nudge_after_s", 480)) and target not in covered \
            and target not in h.slots_asked:
        # Share of the elapsed time spent in the nudge's phase (candidate speech, by sentence position).
        phases = A.tag_phases(sents, rnd.slots, A.question_phases(transcript, rnd.slots))
        phase_s = 0.0
        for i, (sent, ph) in enumerate(zip(sents, phases, strict=True)):
            turn = transcript.turns[sent.turn - 1]
            nxt = sents[i + 1].start_s if i + 1 < len(sents) and sents[i + 1].turn == sent.turn else turn.end_s
            if ph == nudge["from_phase"]:
                phase_s += max(0.0, nxt - sent.start_s)
        if elapsed_s > 0 and phase_s / elapsed_s > float(rnd.timing.get("argument_share_limit", 0.6)):
            return _action(rnd, nudge["intent"], h, reason=f"{nudge['from_phase']} took most of the time")

    asked = {i for i, _ in h.asked}
    deeper = [] if second or D.dry(transcript, rnd) else D.available(transcript, rnd, asked, covered | h.slots_asked)
    # One level deeper into what was just answered, if every slot still owed keeps time for a follow-up too.
    now = D.drill(transcript, rnd, deeper)
    if now is not None and pace.spare >= pace.exchange * (len(uncovered) + 1):
        return _followup(rnd, transcript, h, now, f"deeper into {now.deepens}")
    if uncovered:
        return _action(rnd, slot_intent[uncovered[0]], h, reason=f"slot {uncovered[0]} not covered")
    if deeper and pace.spare >= pace.exchange:
        return _followup(rnd, transcript, h, deeper[0], f"deeper into {deeper[0].deepens}: time left")
    last_ones = _last_questions(rnd, transcript, h)
    if last_ones:
        return last_ones
    if deeper and pace.left >= pace.exchange:
        return _followup(rnd, transcript, h, deeper[0], f"deeper into {deeper[0].deepens}: time left")
    if not second and "ask_second_example" in rnd.probes and pace.left >= float(rnd.timing.get("second_example_min_s", D.SECOND_EXAMPLE_MIN_S)):
        return _action(rnd, "ask_second_example", h, reason="first story has no depth left")
    if second and "deep_second_example" in rnd.probes and pace.left >= pace.exchange and last.speaker == "candidate" \
            and not D.dry_answer(rnd, transcript):  # the second example, probed while time is left
        n = sum(1 for i, _ in h.asked if i == "deep_second_example")
        templates = rnd.probes["deep_second_example"].templates
        if n < len(templates):
            return Action("deep_second_example", templates[n], topics=rnd.probes["deep_second_example"].topics, reason="second example: time left")
    return _wrap_up(rnd, h, "story covered", pace)


def _must_ask(rnd: Round, transcript: Transcript, h: _History, covered: set[str], slot_intent: dict) -> Action | None:
    """With less time left than the owed questions need: the commitment (the slot the round's
    ``interviewer.nudge`` moves to), then the pushback and the after-pushback slots (reflection),
    which every round asks (issue "A Bar Raiser who listens", item 2); None when all were asked."""
    nudge = rnd.interviewer.get("nudge")
    target = rnd.probes[nudge["intent"]].slot if nudge and nudge.get("intent") in rnd.probes else None
    if target and target not in covered and target not in h.slots_asked and target in slot_intent:
        return _action(rnd, slot_intent[target], h, reason=f"short of time: slot {target} first")
    return _last_questions(rnd, transcript, h)


def _owed(rnd: Round, h: _History, slot_ids: list[str], slot_intent: dict) -> int:
    """How many of the questions every round asks (the pushback, the after-pushback slots) are still owed."""
    owed = int(not h.pushed_back and "pushback" in rnd.probes)
    return owed + sum(1 for s in rnd.interviewer.get("after_pushback", []) if s in slot_ids and s not in h.slots_asked and s in slot_intent)


def _last_questions(rnd: Round, transcript: Transcript, h: _History) -> Action | None:
    """The pushback, then the after-pushback slots (reflection): asked in every round, before the wrap-up."""
    if not h.pushed_back and "pushback" in rnd.probes:
        return _action(rnd, "pushback", h, quote=_pushback_quote(transcript, rnd), reason="test backbone")
    slot_ids = [s.id for s in rnd.slots]
    slot_intent = {p.slot: p.intent for p in rnd.probes.values() if p.slot}
    for slot in rnd.interviewer.get("after_pushback", []):
        if slot in slot_ids and slot not in h.slots_asked and slot in slot_intent:
            return _action(rnd, slot_intent[slot], h, reason=f"slot {slot}")
    return None


def _story_told(transcript: Transcript, rnd: Round) -> bool:
    """Some answer tells an event: :data:`~voiceround.interviewer.fit.BARE_WORDS` words or more
    with a concrete sentence in them ("I did it." alone is no story) that is no platitude or
    generality (the round's ``reflect_generic`` and ``abstraction`` lexicons: "I learned that
    communication is key" is past tense, but tells no event)."""
    generic = [rnd.lexicons[k] for k in ("reflect_generic", "abstraction")]
    return any(len(t.text.split()) >= FIT.BARE_WORDS
               and any(A.concrete(p) and not any(g.search(p) for g in generic) for p in A.split_text(t.text))
               for _, t in transcript.candidate_turns())


DISMISSAL_WORDS = 10  # a dismissal is a bare one: "Nothing. I was right." (a longer answer has reasons in it)
_DISMISSED = {"pushback": "probe_dismissed_pushback", "ask_reflection": "probe_dismissed_reflection"}


def _dismissal_probe(rnd: Round, transcript: Transcript, h: _History) -> Action | None:
    """The pushback or the reflection answered with a bare refusal (``dismissal`` lexicon, at most
    :data:`DISMISSAL_WORDS` words: "Nothing. I was right."): pushed once more, the way a Bar Raiser
    doesn't take "I was right" for an answer (round file ``probe_dismissed_pushback`` /
    ``probe_dismissed_reflection``); None otherwise."""
    turns = transcript.turns
    if len(turns) < 2 or turns[-1].speaker != "candidate" or turns[-2].speaker != "interviewer":
        return None
    intent = _DISMISSED.get(turns[-2].intent or "")
    answer = turns[-1].text
    if intent is None or intent not in rnd.probes or any(i == intent for i, _ in h.asked) \
            or len(answer.split()) > DISMISSAL_WORDS or not rnd.lexicons["dismissal"].search(answer):
        return None
    return _action(rnd, intent, h, reason="dismissed the question")


def _no_story_questions(rnd: Round, h: _History, pace: D.Pace) -> Action:
    """No specific example came, even after it was asked for again and noted (``note_no_example``):
    the questions every round asks (issue "A Bar Raiser who listens", item 2: the commitment, the
    pushback, the reflection) are still asked, once each, in their general wording (the round
    file's ``no_story_templates``, in the file's probe order), then the round closes with
    ``closing_no_example``. A story told on the way brings the round back to it (the caller stops
    coming here once :func:`_story_told`)."""
    for probe in rnd.probes.values():
        if probe.no_story and not any(i == probe.intent for i, _ in h.asked):
            return _action(rnd, probe.intent, h, reason="no specific example: asked about decisions in general", no_story=True)
    return _wrap_up(rnd, h, "no concrete example", pace)


def _wrap_up(rnd: Round, h: _History, reason: str, pace: D.Pace) -> Action:
    """The closing question. When more than two exchanges' time is left before the wrap-up was due,
    the round file's ``closing_early`` wording says why the round ends early (``closing_no_example``
    when it ends for want of a specific example)."""
    act = _action(rnd, "wrap_up", h, reason=reason)
    early = rnd.interviewer.get("closing_early")
    if reason == "no concrete example":  # there was no story to cover: say why the round ends
        early = rnd.interviewer.get("closing_no_example") or early
    if early and pace.left > 2 * pace.exchange:
        act.text = early
    return act
