"""What a scorecard says, once: the presentation model behind the terminal text
(:mod:`voiceround.report.text`), the printable HTML/PDF (:mod:`voiceround.report.html`) and the Qt
scorecard view, so all three show the same score, the same quotes for and against, and the same
"what to work on next".

Pure functions of a stored scorecard (``voiceround.scoring.score``'s dict), the loaded round and,
optionally, the session's :class:`~voiceround.core.types.Transcript`. ``rnd`` may be ``None`` (a
stored card whose round file can't be loaded): the scorecard's own titles and anchors are used and
the round-file texts (summaries, coach texts, trap caps) are left out.

- :func:`headline`: the one score, its title and what it is.
- :func:`secondary`: every other rubric, as a detail with a one-line explanation.
- :func:`dimension_rows`: per dimension, quotes for (✓) and against (✗, naming the trap).
- :func:`traps`: the flagged traps, what they cap, their quotes.
- :func:`next_steps`: the weakest dimensions, the next tier as an instruction, and a rewrite of one
  of the candidate's own sentences with placeholders for what is missing.
- :func:`header_facts`: the round card's facts without repeats.
"""
from __future__ import annotations

import re

from voiceround import analysis as A
from voiceround.core.types import SPEAKING_RATE_WPS, UNSURE_LOGPROB
from voiceround.scoring import worded_trap

TOP_TIER = 4
# Said in place of "what to work on next" when every dimension is already at the top tier.
ALL_TOP_NOTE = ("Every dimension is at the top tier. Practise keeping it there under time pressure: "
                "a shorter answer, a harder pushback, or a different story.")
# Said in place of "what to work on next" when the candidate said nothing that could be scored (a
# round quit before the first answer, then recovered: its card had coached "argue from data").
NO_ANSWER_NOTE = ("No answer was recorded, so there is nothing to coach yet. Start a new round and tell one specific "
                  "story: who disagreed with you and why, the data each side used, the decision, what you did once it "
                  "went against you, and the result with its baseline.")


# Said in place of "what to work on next" when every dimension is at the top tier but the answer
# would take far longer to say than the round (a new user's 75-minute answer was told to "keep it
# there under time pressure").
TOO_LONG_NOTE = ("Every dimension is at the top tier, but this answer takes far longer to say than the round allows. "
                 "Tell the same story in the time: the decision, the data on both sides, what you did after it, and "
                 "the result with its baseline, a few sentences each.")


def speaking_s(a: dict) -> float:
    """How long the answer takes to say, in seconds, from a scorecard's ``analytics``: the time
    spoken, or for typed words their time at :data:`~voiceround.core.types.SPEAKING_RATE_WPS`."""
    return max(a.get("speaking_s") or 0.0, (a.get("words") or 0) / SPEAKING_RATE_WPS if a.get("timing") else 0.0)


def too_long(a: dict) -> bool:
    """Whether the answer takes more than 1.5 times the round's length to say (``analytics``)."""
    length = a.get("round_length_s") or 0.0
    return bool(length) and speaking_s(a) > 1.5 * length


# An answer that does not read as English (analytics.not_english): its tiers say little, so no step is
# coached from its sentences (a new user's German answer was told to add "I looked at [data source]" to a
# German sentence).
NOT_ENGLISH_NOTE = ("Nothing to coach from here: this answer does not read as English, and VoiceRound reads English "
                    "answers only. Tell the story in English to get next steps.")


def _nothing_to_coach(card: dict) -> str | None:
    """Why no step is coached from this card's sentences, as the note to show instead, or None:
    :data:`NO_ANSWER_NOTE` when no answer was recorded (``analytics.no_answer``),
    :data:`NOT_ENGLISH_NOTE` when it does not read as English (``analytics.not_english``)."""
    a = card.get("analytics") or {}
    return NO_ANSWER_NOTE if a.get("no_answer") else NOT_ENGLISH_NOTE if a.get("not_english") is not None else None


def no_steps_note(card: dict) -> str:
    """What to say when :func:`next_steps` is empty: why there is nothing to coach from
    (:data:`NO_ANSWER_NOTE`, :data:`NOT_ENGLISH_NOTE`), :data:`TOO_LONG_NOTE` for an answer far
    longer than the round, else :data:`ALL_TOP_NOTE` (every dimension at the top tier)."""
    return _nothing_to_coach(card) or (TOO_LONG_NOTE if too_long(card.get("analytics") or {}) else ALL_TOP_NOTE)
# Words too common in the rubric's definitions to tie a sentence to one dimension.
_STOP = frozenset("""about after against also because been before being both broader chosen clearly consistently does
from goes have heavily including more most once other rather really specific such than that their them then there
these they this those very were what when where whether which while with would your actively naturally precisely how
the and you hard starting state connect internal technical product disagreement disagreements experienced""".split())


def _primary_id(card: dict, rnd) -> str:
    if card.get("primary_rubric"):
        return card["primary_rubric"]
    if rnd is not None:
        return rnd.primary_rubric
    return next(iter(card.get("rubrics", {})), "")


def _rubric_def(rnd, rid: str):
    return rnd.rubrics.get(rid) if rnd is not None else None


def _in_order(dims: dict, rubric) -> list[tuple[str, dict]]:
    """``(id, dimension)`` of a stored rubric in the round's order (stored JSON is key-sorted);
    dimensions the round no longer has come last."""
    order = [d.id for d in rubric.dimensions] if rubric is not None else []
    return [(k, dims[k]) for k in order if k in dims] + [(k, v) for k, v in dims.items() if k not in order]


def _trap_names(card: dict, rnd) -> dict[str, str]:
    names = {t.id: t.name for t in rnd.traps.values()} if rnd is not None else {}
    names.update({t["id"]: t["name"] for t in card.get("traps", [])})
    return names


def capped_label(card: dict, rnd, capped_by: str | None) -> str | None:
    """What holds a dimension's tier down, in words: the trap's name for a trap id, else the
    round's conditional-cap reason with spaces ("won_the_argument" → "won the argument"). None
    when nothing caps it."""
    if not capped_by:
        return None
    return _trap_names(card, rnd).get(capped_by) or capped_by.replace("_", " ")


def headline(card: dict, rnd) -> dict:
    """The scorecard's one score: ``{"id", "title", "total", "summary"}``.

    ``title``: the primary rubric's title as the round file names it now (e.g. "Interview
    framework"; ``[scoring] primary_rubric``, else the first rubric); ``total``: the card's total
    (the primary rubric's weighted total, 0-100); ``summary``: the rubric's one-line ``summary``
    from the round file, saying what the number is ("" without a round)."""
    rid = _primary_id(card, rnd)
    rdef = _rubric_def(rnd, rid)
    stored = card.get("rubrics", {}).get(rid, {})
    return {"id": rid, "title": rdef.title if rdef is not None else stored.get("title", "Score"),
            "total": float(card["total"]), "summary": rdef.summary if rdef is not None else ""}


def secondary(card: dict, rnd) -> list[dict]:
    """Every rubric but the primary one, in the round's order: ``[{"id", "title", "total",
    "summary", "dimensions": [{"id", "name", "weight", "tier", "anchor"}]}]``.

    ``summary`` is the rubric's one line from the round file: what this second reading is and why
    it differs from the headline (for Disagree and Commit, the round page's "What we evaluate"
    dimensions, shown for detail and not added to the score)."""
    primary = _primary_id(card, rnd)
    stored = card.get("rubrics", {})
    order = [r for r in (rnd.rubrics if rnd is not None else ()) if r in stored] + [r for r in stored if rnd is None or r not in rnd.rubrics]
    out = []
    for rid in order:
        if rid == primary:
            continue
        rb, rdef = stored[rid], _rubric_def(rnd, rid)
        out.append({"id": rid, "title": rdef.title if rdef is not None else rb.get("title", rid),
                    "total": float(rb["total"]), "summary": rdef.summary if rdef is not None else "",
                    "dimensions": [{"id": k, "name": d["name"], "weight": d["weight"], "tier": d["tier"], "anchor": d["anchor"]}
                                   for k, d in _in_order(rb["dimensions"], rdef)]})
    return out


def _key(q: dict) -> tuple:
    return (q["turn"], q["quote"])


class _Sentences:
    """The transcript's candidate sentences by turn, to find a quote's sentence and its turn."""

    def __init__(self, transcript):
        self.transcript = transcript
        self.by_turn: dict[int, list[A.Sentence]] = {}
        for s in A.split_sentences(transcript) if transcript is not None else ():
            self.by_turn.setdefault(s.turn, []).append(s)

    def turn(self, number: int):
        turns = self.transcript.turns if self.transcript is not None else []
        return turns[number - 1] if 1 <= number <= len(turns) else None

    def find(self, q: dict) -> A.Sentence | None:
        """The sentence a quote was cut from: same turn and start second, else same opening words."""
        sents = self.by_turn.get(q["turn"], [])
        for s in sents:
            if abs(s.start_s - q["start_s"]) < 0.002:
                return s
        head = q["quote"].rstrip("…").strip()[:40]
        return next((s for s in sents if head and s.text.startswith(head)), None)

    def seconds(self, s: A.Sentence) -> tuple[float, float]:
        """A sentence's span on the timeline: its start to the next sentence's (or the turn's end)."""
        sents = self.by_turn.get(s.turn, [])
        i = sents.index(s)
        turn = self.turn(s.turn)
        return s.start_s, sents[i + 1].start_s if i + 1 < len(sents) else (turn.end_s if turn is not None else s.start_s)


def _span_hits(span, s: A.Sentence, text: str, secs: tuple[float, float]) -> bool:
    """Whether one ``meta["unsure"]`` span overlaps sentence ``s`` of a turn with ``text``."""
    if isinstance(span, str):  # words heard unsure, as text of the turn
        low = text.lower()
        i = low.find(span.lower().strip()) if span.strip() else -1
        while i >= 0:
            if i < s.end and i + len(span.strip()) > s.start:
                return True
            i = low.find(span.lower().strip(), i + 1)
        return False
    if isinstance(span, dict):
        if "start_s" in span and "end_s" in span:  # seconds on the session timeline
            return float(span["start_s"]) < secs[1] and float(span["end_s"]) > secs[0]
        span = (span.get("start"), span.get("end"))
    if isinstance(span, (list, tuple)) and len(span) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in span):
        return span[0] < s.end and span[1] > s.start  # character offsets in the turn's text
    return False


def _unsure(q: dict, sents: _Sentences) -> bool:
    turn = sents.turn(q["turn"])
    if turn is None or turn.speaker != "candidate" or turn.meta.get("corrected"):
        return False  # a corrected answer's words are the user's own, not the STT's guess (a new user's test)
    lp = turn.meta.get("stt_min_avg_logprob")
    if isinstance(lp, (int, float)) and not isinstance(lp, bool) and lp < UNSURE_LOGPROB:
        return True
    spans = turn.meta.get("unsure") or []
    if not spans:
        return False
    s = sents.find(q)
    if s is None:  # can't place the quote: any unsure span in its turn counts
        return True
    return any(_span_hits(span, s, turn.text, sents.seconds(s)) for span in spans)


class _Traps:
    """Which flagged trap, if any, a quote trips: a quote in the trap's evidence on the card, or
    (the card keeps at most three quotes a trap) a sentence matching the lexicon of a cue feature
    the trap quotes (round file: the trap's ``evidence`` names, ``[scoring.cue_features]``), as
    the scorer reads it: the lexicon matches and none of its ``unless`` lexicons do. Cue features
    limited to a phase or to sentences with numbers are only taken from the card."""

    def __init__(self, card: dict, rnd):
        self.flagged = card.get("traps", [])
        self.quoted: dict[tuple, dict] = {}
        self.caps = {t["id"]: (set(rnd.traps[t["id"]].caps) if rnd is not None and t["id"] in rnd.traps else None) for t in self.flagged}
        for t in self.flagged:
            if rnd is not None and t["id"] in rnd.traps and rnd.traps[t["id"]].absence:
                continue  # a missing part of the story: its quotes say where, no sentence trips it
            for q in t.get("carried_by") or t["evidence"]:  # every sentence that carries it (older cards: the quotes)
                self.quoted.setdefault(_key(q), []).append(t)
        self.cues: list[tuple[dict, list, list]] = []
        cue_features = rnd.scoring.get("cue_features", {}) if rnd is not None else {}
        # a cue read by meaning as well (``<cue>_read``: the scorer's lexicon count plus the sentences
        # the meaning model reads as saying it) is the cue's wording too
        cue_of = lambda n: n[: -len("_read")] if n.endswith("_read") and n[: -len("_read")] in cue_features else n  # noqa: E731
        # the scorer's own test (it bars these traps' sentences under every dimension)
        self.lexical = {t["id"] for t in self.flagged if rnd is not None and t["id"] in rnd.traps
                        and worded_trap(rnd.traps[t["id"]], cue_features)}
        as_list = lambda v: [v] if isinstance(v, str) else list(v or [])  # noqa: E731
        for t in self.flagged:
            tdef = rnd.traps.get(t["id"]) if rnd is not None else None
            for name in (cue_of(n) for entry in (tdef.evidence if tdef is not None else ()) for n in entry.split("|")):
                spec = cue_features.get(name)
                spec = {"lexicon": spec} if isinstance(spec, str) else spec
                if spec and not spec.get("phase") and not spec.get("with_number"):
                    self.cues.append((t, [rnd.lexicons[x] for x in as_list(spec["lexicon"])], [rnd.lexicons[x] for x in as_list(spec.get("unless"))]))

    def wording(self, trap: dict | None) -> bool:
        """Whether ``trap`` is flagged by the words themselves: every feature it quotes is a cue
        feature (a lexicon: opinion, yield, passive-aggressive, abstraction cues), not a missing
        part of the story (outcome numbers without a slice, "we" actions, no commitment)."""
        return trap is not None and trap["id"] in self.lexical

    def of(self, q: dict, dim: str | None = None) -> dict | None:
        """The first flagged trap that ``q`` (``{"turn", "quote", …}``) trips under dimension ``dim``,
        or None. A trap flagged by its wording (:meth:`wording`) trips its sentences everywhere; one
        about the story's structure (outcome numbers without a slice, "we" actions) trips them only
        under the dimensions it caps: "We looked at the funnel: 62 percent of paying customers…" holds
        Ownership down but is still evidence of Customer Focus."""
        for t in self.quoted.get(_key(q), []):
            if dim is None or self.wording(t) or self.caps.get(t["id"]) is None or dim in self.caps[t["id"]]:
                return t
        text = q["quote"]
        return next((t for t, lex, unless in self.cues if any(rx.search(text) for rx in lex) and not any(u.search(text) for u in unless)),
                    None)


def _quote(q: dict, sents: _Sentences, why: str = "") -> dict:
    return {"quote": q["quote"], "turn": q["turn"], "start_s": q["start_s"], "unsure": _unsure(q, sents), "why": why}


def _rows(card: dict, rnd, sents: _Sentences) -> list[dict]:
    primary = _primary_id(card, rnd)
    rdef = _rubric_def(rnd, primary)
    traps = card.get("traps", [])
    tripped = _Traps(card, rnd)
    rows = []
    for did, d in _in_order(card["dimensions"], rdef):
        capping: dict[tuple, tuple[dict, list[str]]] = {}  # quote → (quote, why) of every trap capping this dimension
        for t in traps:
            tdef = rnd.traps.get(t["id"]) if rnd is not None else None
            caps = tdef.caps if tdef is not None else ({did: d["tier"]} if d.get("capped_by") == t["id"] else {})
            if did in caps:
                # the cap is named only where it is what holds the tier ("caps this at tier 2" under a
                # dimension already at tier 1 says something the answer's own tier contradicts)
                held = f" (caps this at tier {caps[did]})" if d["tier"] >= caps[did] else ""
                # every sentence that carries it (the scorer no longer quotes them as evidence of any
                # tier); a missing part of the story (absence) has only its quotes, which say where
                absent = tdef is not None and tdef.absence
                for q in (t["evidence"] if absent else (t.get("carried_by") or t["evidence"])):
                    capping.setdefault(_key(q), (q, []))[1].append(f"trap: {t['name']}{held}")
        against = [_quote(q, sents, "; ".join(whys)) for q, whys in capping.values()]
        seen = set(capping)
        pro = []
        for q in d.get("evidence", []):
            if _key(q) in seen:
                continue
            trap = tripped.of(q, did)
            if trap is not None:  # a sentence that trips a trap is never shown as a strength
                seen.add(_key(q))
                against.append(_quote(q, sents, f"trap: {trap['name']}"))
            else:
                pro.append(_quote(q, sents))
        against.sort(key=lambda q: (q["turn"], q["start_s"]))
        if d["tier"] <= 1 and (not d.get("criteria_met") or d.get("capped_by")):
            # nothing raised the tier: a quote listed as ✓ would say it had ("I built…" at tier 1); nor under
            # a trap's cap to tier 1 ("compliance only": a new user's "We improved things a lot" was ✓ under
            # Execution Commitment held at tier 1 by "I did what I was told", and the rewrite started from it)
            pro = []
        rows.append({"id": did, "name": d["name"], "weight": d["weight"], "tier": d["tier"], "anchor": d["anchor"], "reading": reading_note(d),
                     "capped_by": capped_label(card, rnd, d.get("capped_by")), "for": pro, "against": against})
    return rows


def reading_note(d: dict) -> str | None:
    """Why the tier given differs from the tier whose anchor conditions hold, or None. The tier model
    (voiceround/rounds/tier_model.py) may move a tier one step from the conditions' (``d["conditions_tier"]``);
    the anchor shown is then the given tier's, and can read against the answer ("An outcome number
    without a baseline" beside a before-and-after: a new user's test). A cap is said elsewhere
    (``capped_by``), so a capped tier gets no note. ``d``: a scorecard dimension."""
    conditions = d.get("conditions_tier")
    if conditions is None or conditions == d["tier"] or d.get("capped_by"):
        return None
    joint = ", but" if conditions > d["tier"] else ";"
    return (f"Its words meet tier {conditions}'s conditions{joint} read as a whole the answer is like those that "
            f"human graders put at tier {d['tier']}")


def dimension_rows(card: dict, rnd, transcript=None) -> list[dict]:
    """The primary rubric's dimensions in the round's order, each::

        {"id", "name", "weight", "tier", "anchor", "reading", "capped_by", "for": [quote], "against": [quote]}
        quote = {"quote", "turn", "start_s", "unsure": bool, "why": str}

    ``for``: the scorer's evidence for the dimension (the sentences that raised its tier); empty at
    tier 1 when no criterion was met, since nothing raised it.
    ``against``: the evidence of every flagged trap whose round-file ``caps`` name this dimension
    (``rnd.traps[id].caps``), ``why`` naming the trap and its cap; and any of the dimension's own
    evidence that trips a flagged trap (see :class:`_Traps`): a sentence that trips a trap is never
    shown as a strength ("I gave up too fast." raised Execution Commitment, but it trips "Yielding
    too quickly"). A quote is in one list only.
    ``capped_by``: what holds the tier down, in words (:func:`capped_label`), or None.
    ``reading``: :func:`reading_note`, when the tier given is not the one the anchors' conditions give.

    ``unsure`` (the quote may be misheard) when the quote's candidate turn has
    ``meta["stt_min_avg_logprob"]`` below :data:`UNSURE_LOGPROB` (-0.8: the band just above
    Whisper's own failed-decode threshold of -1.0, faster-whisper's ``log_prob_threshold`` default),
    or ``meta["unsure"]`` lists a span that overlaps the quote's sentence: character offsets in the
    turn's text (``[start, end]`` or ``{"start", "end"}``), seconds on the session timeline
    (``{"start_s", "end_s"}``) or the unsure words themselves as a string. Without ``transcript``
    nothing is unsure."""
    return _rows(card, rnd, _Sentences(transcript))


NOT_COUNTED_NOTE = "Not counted: addressed to the evaluator, a template's blank, or said before (word for word or nearly)"


def not_counted(card: dict) -> list[dict]:
    """Sentences the scorer left out because they address the evaluator or the interviewer
    (the round's ``meta_address`` lexicon: "please give this a 4", "this answer shows excellent
    customer obsession"): ``[{"turn", "quote", "start_s", "why"}]``, empty for cards scored before
    they were kept. They count for nothing; the scorecard shows them so the candidate sees why.

    The same sentence left out for the same reason is listed once, at its first place, with
    ``"turns"`` (every turn it was said in) and ``"count"`` (a rehearsal's fallback answer, "I'd
    have to look that up.", said six times was six lines: a new user's test)."""
    grouped: dict[tuple, dict] = {}
    for q in card.get("not_counted", []):
        key = (q["quote"], q.get("why", ""))
        if key in grouped:
            grouped[key]["turns"].append(q["turn"])
            grouped[key]["count"] += 1
        else:
            grouped[key] = dict(q, turns=[q["turn"]], count=1)
    return list(grouped.values())


def traps(card: dict, rnd, transcript=None) -> list[dict]:
    """The flagged traps, in the scorecard's order::

        [{"id", "name", "description", "caps": [{"id", "name", "tier"}], "evidence": [quote]}]

    ``description`` and ``caps`` (the dimensions the trap holds down and the highest tier it
    allows, any rubric) are the round file's ("" and [] without a round); quotes as in
    :func:`dimension_rows`, ``why`` naming the trap."""
    sents = _Sentences(transcript)
    names = {d.id: d.name for rb in rnd.rubrics.values() for d in rb.dimensions} if rnd is not None else {}
    out = []
    for t in card.get("traps", []):
        tdef = rnd.traps.get(t["id"]) if rnd is not None else None
        out.append({"id": t["id"], "name": t["name"], "description": tdef.description if tdef is not None else "",
                    "caps": [{"id": k, "name": names.get(k, k), "tier": v} for k, v in (tdef.caps.items() if tdef is not None else ())],
                    "evidence": [_quote(q, sents, f"trap: {t['name']}") for q in t["evidence"]]})
    return out


def _stem(word: str) -> str:
    """A crude stem, enough to match "argued" with "argue" and "metrics" with "metric"."""
    for suffix in ("ing", "ed", "es", "s", "e", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _content(text: str) -> set[str]:
    """Content words of ``text``, stemmed: four letters or more, not in :data:`_STOP`."""
    return {_stem(w) for w in (w.strip(".,'%$") for w in A.words(text)) if len(w) >= 4 and w.isalpha() and w not in _STOP}


def _rewrite(pattern: str, sentence: str) -> str:
    s = sentence.strip()
    if s and s[-1] not in ".!?…":
        s += "."
    return pattern.replace("{sentence}", s)


MIN_GROUND_WORDS = 4


def _no_ground(sentence: str, rnd) -> bool:
    """A sentence no stronger answer can be built on: under :data:`MIN_GROUND_WORDS` words ("No."),
    a non-answer, or the candidate's side winning ("I won that argument.", the round's
    ``won_decision`` lexicon) in a round about losing. Its rewrite is said instead of it."""
    if len(A.words(sentence)) < MIN_GROUND_WORDS:
        return True
    return rnd is not None and any(k in rnd.lexicons and rnd.lexicons[k].search(sentence) for k in ("non_answer", "won_decision"))


def _example(row: dict, ddef, rnd, sents: _Sentences, tripped: _Traps, pattern: str) -> dict | None:
    """The candidate's sentence to build on: a ``for`` quote of the dimension (one heard clearly
    first), else an ``against`` quote only missing what its trap names (a headline metric without
    its slice: the rewrite adds the slice), else an ``against`` quote whose wording is the trap (said
    instead of), else the first scored candidate sentence sharing a
    content word with the dimension's definition (with a ``coach_phase``: the first sentence of that
    phase) (not one that trips a trap, nor one addressed to the evaluator), else the first of the dimension's ``against`` quotes, else None. The rewrite builds on the sentence, except for a
    sentence whose wording is the trap (``replaces``: say the rewrite instead; :meth:`_Traps.wording`)."""
    def pick(q: dict, **more) -> dict:
        s = sents.find(q)  # the whole sentence, not the quote cut at 180 characters
        return {"sentence": s.text if s is not None else q["quote"].rstrip("…").strip(), "turn": q["turn"],
                "start_s": q["start_s"], "unsure": q["unsure"], **more}

    clear_first = sorted(row["for"], key=lambda q: q["unsure"])
    chosen = pick(clear_first[0]) if clear_first else None
    if chosen is None:  # a sentence only missing something the trap names ("Revenue went up 22%" without its
        # slice) is the one to build on, before any sentence that merely shares a word with the dimension
        q = next((q for q in row["against"] if (t := tripped.of(q)) is not None and not tripped.wording(t)), None)
        chosen = pick(q, replaces=False) if q is not None else None
    if chosen is None:  # a sentence whose wording is a trap that holds this dimension down ("I didn't really
        # have numbers, it was more my gut." under Data-driven Advocacy) is what to say instead of, before
        # any sentence that merely shares a word with the dimension (a new user's test: the advice
        # rewrote the scenario's first sentence)
        q = next((q for q in row["against"] if tripped.wording(tripped.of(q))), None)
        chosen = pick(q, replaces=True) if q is not None else None
    if chosen is None and ddef is not None and sents.transcript is not None:
        want = _content(ddef.definition)
        meta = rnd.lexicons["meta_address"] if rnd is not None else None
        told = sents.transcript.story()
        story = A.split_sentences(told)
        in_phase = False
        if ddef.coach_phase and rnd is not None:  # only the dimension's own phase (the data argued with, not the outcome)
            phases = A.tag_phases(story, rnd.slots, A.question_phases(told, rnd.slots))
            story = [s for s, p in zip(story, phases, strict=True) if p == ddef.coach_phase]
            in_phase = True
        for s in story:
            q = {"turn": s.turn, "quote": s.text, "start_s": s.start_s}
            if (meta is not None and meta.search(s.text)) or tripped.of(q) is not None or \
                    any(k[0] == s.turn and s.text.startswith(k[1].rstrip("…")) for k in tripped.quoted):
                continue
            if in_phase or _content(s.text) & want:
                chosen = pick(dict(q, unsure=_unsure(q, sents)))
                break
    if chosen is None and row["against"]:  # last: a sentence that tripped a trap. One whose wording is the
        # trap (an opinion, a yield) is replaced; one only missing something (a headline metric
        # without its slice, a decision with no commitment after it) is built on.
        q = row["against"][0]
        chosen = pick(q, replaces=tripped.wording(tripped.of(q)))
    if chosen is None:
        return None
    if not chosen.get("replaces") and _no_ground(chosen["sentence"], rnd):
        chosen["replaces"] = True  # "No.", "I won that argument.": nothing a stronger answer builds on
    bare = " ".join(pattern.replace("{sentence}", "").split())  # what the tier needs, without the sentence
    if chosen.get("replaces"):  # a trap's sentence is replaced, not built on
        return dict(chosen, rewrite=bare)
    if len(A.words(chosen["sentence"])) > LONG_SENTENCE_WORDS:
        # a rambling sentence is not repeated whole with more added to it (a new user's test: an
        # 80-word "Stronger:"): the rewrite asks for it short, then what the tier needs
        return dict(chosen, replaces=False, rewrite=f"{SHORTER} {bare}")
    return dict(chosen, replaces=False, rewrite=_rewrite(pattern, chosen["sentence"]))


# Past this many words a sentence is told again as an instruction to shorten it, not repeated in the
# rewrite; spoken sentences in the corpus's strong answers run 10-25 words.
LONG_SENTENCE_WORDS = 35
SHORTER = "[Your sentence above, cut to under 25 words.]"


def next_steps(card: dict, rnd, transcript=None, n: int = 2) -> list[dict]:
    """"What to work on next": the ``n`` weakest primary dimensions below tier 4 (lowest tier
    first, then the heavier weight; rubric order breaks ties), each::

        {"id", "name", "tier", "next_tier", "target", "capped_by", "cap_note", "cap_is_trap", "example"}
        example = {"sentence", "turn", "start_s", "unsure", "replaces", "rewrite"} or None

    ``target``: how to reach the NEXT tier (``tier + 1``; never the current or a lower one), as an
    instruction: "To reach tier 3: " + the dimension's ``coach.target`` for that tier in the round
    file, else the tier's anchor. ``example``: one of the candidate's own sentences (see
    :func:`_example`) and ``rewrite``, the round file's ``coach.rewrite`` for that tier with the
    sentence in place of ``{sentence}`` and bracketed placeholders for what the tier needs (the
    loader refuses rewrites with digits, so no number or fact is invented); when the only sentence
    to hand is one whose wording tripped a trap ("I didn't want to create friction"), ``replaces``
    is True and the rewrite is said instead of it. ``capped_by``: the trap
    or condition holding the tier down, or None; ``cap_note``: that as a sentence with the trap's
    description (what to stop doing) or the round cap's, or None; ``cap_is_trap``: whether a trap holds it.

    ``[]`` when every dimension is at tier 4, when no answer was recorded, or when it does not read
    as English (nothing to coach from): say :func:`no_steps_note` instead."""
    if _nothing_to_coach(card) is not None:
        return []
    sents = _Sentences(transcript)
    rows = _rows(card, rnd, sents)
    rdef = _rubric_def(rnd, _primary_id(card, rnd))
    defs = {d.id: d for d in rdef.dimensions} if rdef is not None else {}
    order = {r["id"]: i for i, r in enumerate(rows)}
    weak = sorted((r for r in rows if r["tier"] < TOP_TIER), key=lambda r: (r["tier"], -r["weight"], order[r["id"]]))[:max(n, 0)]
    tripped = _Traps(card, rnd)
    out = []
    for r in weak:
        nt = r["tier"] + 1
        ddef = defs.get(r["id"])
        anchor = ddef.anchors.get(nt) if ddef is not None else card["dimensions"][r["id"]].get("next_anchor")
        instruction = (ddef.coach_target.get(nt) if ddef is not None else None) or \
            (f"the answer needs this: {_lower(anchor)}" if anchor else "see the tier's anchor")
        pattern = (ddef.coach_rewrite.get(nt) if ddef is not None else None) or \
            "{sentence} [" + (f"add: {_lower(anchor).rstrip('.')}" if anchor else "add what the next tier needs") + "]"
        cid = card["dimensions"][r["id"]].get("capped_by")
        out.append({"id": r["id"], "name": r["name"], "tier": r["tier"], "next_tier": nt, "target": f"To reach tier {nt}: {_lower(instruction)}",
                    "capped_by": r["capped_by"], "cap_note": _cap_note(card, rnd, r),
                    "cap_is_trap": bool(cid) and rnd is not None and cid in rnd.traps,
                    "example": _example(r, ddef, rnd, sents, tripped, pattern)})
    return out


def _lower(text: str) -> str:
    """An instruction after a colon: first letter lower-case, unless it is "I" or an acronym."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper() and not re.match(r"I\b", text):
        return text[0].lower() + text[1:]
    return text


def _cap_note(card: dict, rnd, row: dict) -> str | None:
    """Why the tier can't rise until a trap is cleared: "Held at tier 2 by the trap “…”: <its
    description from the round file>", or the conditional cap's reason. None when not capped."""
    cid = card["dimensions"][row["id"]].get("capped_by")
    if not cid:
        return None
    tdef = rnd.traps.get(cid) if rnd is not None else None
    if tdef is not None:
        return f"Held at tier {row['tier']} by the trap “{tdef.name}”" + (f": {_lower(tdef.description)}" if tdef.description else "")
    cond = next((c for c in (rnd.scoring.get("caps", ()) if rnd is not None else ()) if c.reason == cid), None)
    why = f". {cond.description}" if cond is not None and cond.description else ""
    return f"Held at tier {row['tier']} by: {row['capped_by']}{why}"


def header_facts(rnd) -> list[str]:
    """The round card's facts for a report header, each said once: company, "Role: …", "Field: …",
    "20-minute round", "Medium difficulty", leaving out a value already in the card's headline and
    one sharing a word with a fact already kept (the bundled rounds' role "Generic Practice" and
    field "General Practice" say the same thing: only the first is shown)."""
    c = rnd.card
    head = c.get("headline", rnd.title).lower()
    out: list[str] = []
    seen: set[str] = set()
    for label, value in (("", c.get("company")), ("Role: ", c.get("role")), ("Field: ", c.get("field"))):
        text = str(value or "").strip()
        ws = {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3}
        if not text or text.lower() in head or ws & seen:
            continue
        # labelled: "Generic Practice" under "Amazon Mid-Level Interview" read as a contradiction (a new user's test)
        out.append(label + text)
        seen |= ws
    if c.get("duration_min"):
        out.append(f"{c['duration_min']}-minute round")
    if c.get("difficulty"):
        out.append(f"{c['difficulty']} difficulty")
    return out
