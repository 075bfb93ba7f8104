"""Story slots (from the round file) and story phases relative to the decision."""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from voiceround.analysis.actions import find_actions
from voiceround.analysis.claims import ARGUING, HYPOTHETICAL, OTHER_ARGUED, OTHER_PLAN, OUTCOME_COUNT, PROPOSAL, find_claims
from voiceround.analysis.sentences import Sentence

# a result still to come, told while arguing ("If the error rate stays at 1.8%, we will fail about seven
# thousand payments on sale day"): a forecast, not an outcome
FORECAST = re.compile(r"\b(will|won'?t|is going to|are going to)\b(?! (?:be )?(?:honest|say|admit|tell)\b)", re.IGNORECASE)
# the other side's evidence announced ("Linda had real data too.", "They had their own numbers")
OTHER_DATA = re.compile(r"\b(?:[Hh]e|[Ss]he|[Tt]hey|[A-Z][a-z]+) (?:had|has|brought|came with) (?:\w+ ){0,2}(?:data|numbers|figures|evidence)\b")
# a result told against what would have happened without the work (isolation, not a proposal)
COUNTERFACTUAL = re.compile(r"\b(would|could) have (been|had|cost|needed|taken|happened|gone)\b|\bwithout (the|my|that|our|this) \w+", re.IGNORECASE)


@lru_cache(maxsize=512)
def _any_cue(cues: tuple) -> re.Pattern | None:
    """One pattern that matches where any of ``cues`` does (the same search, one pass instead of
    one per cue: tagging was most of the planner's time); None when the cues' flags differ."""
    if not cues:
        return re.compile(r"(?!)")
    if len({c.flags for c in cues}) != 1:
        return None
    return re.compile("|".join(f"(?:{c.pattern})" for c in cues), cues[0].flags)


def tag_slots(sentences: list[Sentence], slots) -> list[tuple[str, ...]]:
    """For each sentence, the ids of the round's story slots whose cues match it (round-file order).

    ``slots``: the round's :class:`~voiceround.rounds.Slot` list (ids, phases, compiled cues).
    """
    rx = [(slot.id, _any_cue(tuple(slot.cues)), slot.cues) for slot in slots]
    return [tuple(sid for sid, one, cues in rx if (one.search(s.lower) if one is not None else any(c.search(s.lower) for c in cues)))
            for s in sentences]


def slot_coverage(sentences: list[Sentence], slots) -> dict[str, tuple[float, list[Sentence]]]:
    """How well each story slot is covered: ``{slot_id: (weight, sentences)}``.

    A sentence tagged with n slots adds 1/n to each, so a sentence that only mentions a slot in
    passing among others counts less than one that is about it. A slot is covered at weight >= 1.
    """
    out: dict[str, tuple[float, list[Sentence]]] = {slot.id: (0.0, []) for slot in slots}
    for s, tags in zip(sentences, tag_slots(sentences, slots), strict=True):
        for t in tags:
            w, ss = out[t]
            out[t] = (round(w + 1.0 / len(tags), 4), ss + [s])
    return out


def question_phases(transcript, slots) -> dict[int, str]:
    """``{candidate turn number (1-based in transcript.turns): phase}`` for answers to a question
    that asked for a story slot (the interviewer turn's ``meta.slot``, or ``meta.deepens`` for a
    follow-up): the phase of that slot. An answer to "What data did you bring?" is the argument
    even when it comes after the decision was told (the interviewer asks out of story order)."""
    phase_of = {s.id: s.phase for s in slots}
    out, asked = {}, None
    for n, t in enumerate(transcript.turns, start=1):
        if t.speaker != "candidate":
            slot = (t.meta or {}).get("slot") or (t.meta or {}).get("deepens")
            asked = phase_of.get(slot) if slot else None
        elif asked:
            out[n] = asked
    return out


def decision_point(sentences: list[Sentence], slots, all_tags: list[tuple[str, ...]] | None = None, actions=None) -> int | None:
    """Index (in ``sentences``) of the decision moment the story turns on, or None.

    Many answers open with the decision as context ("Our VP decided to add a $35 fee. I argued for
    $25.") and only later tell how it was settled ("He decided twenty percent for all."). What the
    candidate did between the two is the argument, not the commitment. The decision moment is the
    first sentence tagged with the ``decision`` slot that comes after the candidate argued (a
    sentence with an argument-phase slot other than the round's first, the setting, or an
    :data:`~voiceround.analysis.claims.ARGUING` phrase, and no decision cue of its own). When no
    decision sentence follows an argument, it is the first decision sentence (None when the round
    has no ``decision`` slot or none is told). Source: the seed's story order (disagree, argue with
    data, lose, commit) and the labelled corpus's dev split, where answers opening on the decision had
    their argument scored as commitment. With none told in words, an explicit commitment after the
    argument, else where the candidate turns from arguing to doing (:func:`_turned_to_acting`;
    ``actions``: :func:`~voiceround.analysis.actions.find_actions` of ``sentences`` if already found).
    """
    if "decision" not in {s.id for s in slots}:
        return None
    all_tags = all_tags if all_tags is not None else tag_slots(sentences, slots)
    # a decision recalled in the reflection ("I should have started on the short form the day she decided") is hindsight
    cues = next((tuple(s.cues) for s in slots if s.id == "decision"), ())
    decisions = [i for i, t in enumerate(all_tags) if "decision" in t and "reflection" not in t and not _hypothetical_decision(sentences[i], cues)]
    first_argued = _first_argued(sentences, slots, all_tags)
    if not decisions:
        # No decision told in words, but the candidate says they committed after arguing ("So we
        # committed.", "So then I owned streaks."): the commitment is where the story turned.
        told = next((i for i, t in enumerate(all_tags) if "commitment" in t and first_argued is not None and i > first_argued
                     and not HYPOTHETICAL.search(sentences[i].text)), None)
        return told if told is not None else _turned_to_acting(sentences, all_tags, first_argued, actions)
    if first_argued is not None:
        after = [i for i in decisions if i > first_argued]
        if after:
            # A "no" the candidate then took further is not the final call: "She said no because the
            # board met on the 10th. I asked for one meeting with her and the CEO … and the CEO sided
            # with Dana." turns on the CEO's call (a new user's answer: the escalation was read as the commitment).
            chosen = after[0]
            for nxt in after[1:]:
                if not any("escalation" in all_tags[j] for j in range(chosen + 1, nxt + 1)):
                    break
                chosen = nxt
            return chosen
    return decisions[0]


def _hypothetical_decision(sentence: Sentence, cues) -> bool:
    """Whether a sentence tagged with the decision slot tells a decision that was not made ("She
    would have picked the fee", "we could go with the beta"): a modal (:data:`HYPOTHETICAL`)
    before the first decision cue (``cues``: the slot's compiled regexes). A modal after it is the
    reason told with a real decision ("Tom … decided to keep the single cut-over because the vendor
    would not delay the contract": a new user's strong answer lost its decision and its commitment
    phase so)."""
    modal = HYPOTHETICAL.search(sentence.text)
    if modal is None:
        return False
    first = min((m.start() for c in cues if (m := c.search(sentence.lower)) is not None), default=None)
    return first is None or modal.start() < first


_ARGUING_VERBS = frozenset("said told asked argued pointed showed pulled ran measured analyzed analysed brought estimated looked dug "
                           "collected compared sent emailed raised pushed escalated warned proposed suggested recommended "
                           "explained presented mentioned checked".split())


def _turned_to_acting(sentences: list[Sentence], all_tags, first_argued: int | None, actions=None) -> int | None:
    """Where a story with no decision word turns from arguing to doing ("She bought it. Her call, her
    grant. … I wrote the protocols and the booking calendar, and trained six people…"): the first of
    two sentences in a row, after the candidate argued, each with an action of the candidate's own
    that is not arguing (no arguing-slot cue, no said/told/showed… verb) and no hypothetical; None
    if there is none. Its index is taken as the decision moment (corpus w7: decisions told as "She
    bought it", "He set it at twenty-one thousand" left whole commitments in the argument)."""
    if first_argued is None:
        return None
    doing = {a.sentence.index for a in (find_actions(sentences) if actions is None else actions) if a.who == "i" and a.verb not in _ARGUING_VERBS}
    for i in range(first_argued + 1, len(sentences) - 1):
        if all(j in doing and not all_tags[j] and not HYPOTHETICAL.search(sentences[j].text) for j in (i, i + 1)):
            return i
    return None


def arguing_slots(slots) -> set[str]:
    """Ids of the slots where the candidate argues: the first phase's slots after the first slot
    (the setting), e.g. opposing view, own data, words said, escalation in Disagree and Commit."""
    return {sl.id for sl in slots[1:] if sl.phase == slots[0].phase} if slots else set()


def _first_argued(sentences: list[Sentence], slots, all_tags) -> int | None:
    """Index of the first sentence where the candidate argues: an :func:`arguing_slots` cue or an
    :data:`~voiceround.analysis.claims.ARGUING` phrase, and no decision cue of its own; None if none."""
    arguing = arguing_slots(slots)
    return next((i for i, (s, t) in enumerate(zip(sentences, all_tags, strict=True))
                 if "decision" not in t and (arguing & set(t) or ARGUING.search(s.text))), None)


def tag_phases(sentences: list[Sentence], slots, asked: dict[int, str] | None = None) -> list[str]:
    """One story phase per sentence (the round's slot phases: argument, decision, commitment, ...).

    A tagged sentence takes the phase of its best slot: the matching slot latest in story order (a
    sentence that recalls the argument and reports an action after the decision belongs to the
    later phase), except that an outcome phrased as a proposal, a hypothetical or a forecast ("we
    will fail…") stays in the argument. An untagged sentence takes the phase of the nearest tagged sentence in the same turn
    (earlier first), else the previous turn's last phase; the first default is the first slot's
    phase (``"argument"`` in Disagree and Commit). Phases named ``decision``, ``commitment`` and
    ``outcome`` get the rules below when a round has them.

    ``asked`` (:func:`question_phases`): the phase each answer was asked for. An answer asked for
    the argument stays in the argument after the decision (no commitment by position); an answer
    asked for the outcome keeps in the outcome what is not the candidate's own doing ("we got a lot
    of good feedback"). An untagged sentence with no tagged sentence before it in its turn takes the
    asked phase before the turn's next tagged sentence's and the previous turn's.
    """
    asked = asked or {}
    arguing = arguing_slots(slots)
    order = {s.id: i for i, s in enumerate(slots)}
    first_phase = slots[0].phase if slots else "argument"
    phase_of = {s.id: s.phase for s in slots}
    phases_known = set(phase_of.values())
    own: list[str | None] = []
    reflected: set[int] = set()  # turns where a lesson was told: what follows in the turn is still the reflection
    decided = False
    claim_sents = {c.sentence.index for c in find_claims(sentences)}
    actions = find_actions(sentences)
    acted = {a.sentence.index for a in actions}
    i_acted = {a.sentence.index for a in actions if a.who == "i"}  # after a settled decision, "I trained my thirty agents" is commitment
    all_tags = tag_slots(sentences, slots)
    # A story told out of order (the interviewer asked for the commitment before the decision):
    # once a decision is told anywhere, a turn with no argument cue can hold commitment actions.
    point = decision_point(sentences, slots, all_tags, actions)
    decision_told = point is not None
    argued_turns = {s_.turn for s_, t in zip(sentences, all_tags, strict=True) if any(phase_of[x] == first_phase for x in t)}
    first_argued = _first_argued(sentences, slots, all_tags)
    # the story told the argument, then how it was settled
    resolved = point is not None and first_argued is not None and first_argued < point
    # ... or told in words the slots lack, in the turns before the decision
    told_before = point is not None and first_argued is None and point > 0 and sentences[point].turn > sentences[0].turn
    for k, (sent, tags) in enumerate(zip(sentences, all_tags, strict=True)):
        ph = phase_of[max(tags, key=order.__getitem__)] if tags else None
        # Outcomes are reported facts: a proposal or a hypothetical ("I wanted a holdout", "the
        # holdout would cost revenue") is still the argument.
        # After the decision a counterfactual is how the result is isolated ("without the script every
        # one of those would have been a truck roll"), so it stays in the outcome.
        if ph == "outcome" and (PROPOSAL.search(sent.text) or ARGUING.search(sent.text) or FORECAST.search(sent.text)
                                or (HYPOTHETICAL.search(sent.text) and not (decided and COUNTERFACTUAL.search(sent.text)))):
            ph = first_phase
        # Before the decision the story turns on, a change the other side planned or argued with is
        # their case, not a result ("Linda wanted to move the unit from eight hour shifts to twelve";
        # "Linda had real data too. Twelves cut handoffs from three a day to two").
        if ph == "outcome" and point is not None and k < point and (
                OTHER_PLAN.search(sent.text) or OTHER_ARGUED.search(sent.text)
                or (k > 0 and sentences[k - 1].turn == sent.turn and OTHER_DATA.search(sentences[k - 1].text))):
            ph = first_phase
        # Before the decision, a from-to the candidate argued with is evidence, not the result ("I
        # pulled our cohort data … in the 2022 pilot sign-ups fell from 410 a week to 260": an answer
        # asked for the candidate's data, tagged with an arguing slot as well as the outcome's).
        if ph == "outcome" and point is not None and k < point and arguing & set(tags) and asked.get(sent.turn) != "outcome":
            ph = first_phase
        # A decision to cut something is the plan, not its result ("Tanya decided to cut reserve
        # coverage from twelve percent to eight").
        if ph == "outcome" and "decision" in tags and OTHER_PLAN.search(sent.text):
            ph = "decision"
        # A decision told before the one the story turns on is the plan argued about ("our creative
        # director went with this teal palette", told in the scenario), not the decision.
        if ph == "decision" and point is not None and k < point:
            ph = first_phase
        # After the decision, something the candidate did (and that reports no number) is the
        # commitment phase, whatever other cue words it contains ("I set up a holdout"); with a number,
        # when told in "I" or with a commitment cue ("Once she decided, we trained our twelve agents").
        # Before the decision, a turn holds commitment actions only in a story told out of order, after
        # an argument told somewhere: with none recognised at all, the turns before the decision are
        # the argument, told in words the slots lack ("We looked at our fraud data…", "We told Sam
        # that we thought the risk was too high": a new user's "we" answer read as commitment).
        out_of_order = decision_told and sent.turn not in argued_turns and (not resolved or asked.get(sent.turn) == "commitment") \
            and (first_argued is not None or "commitment" in tags or asked.get(sent.turn) == "commitment" or k > point)
        if asked.get(sent.turn) != first_phase and (decided or out_of_order) \
                and "commitment" in phases_known \
                and sent.index in acted and (sent.index not in claim_sents or ((resolved or told_before) and decided and (sent.index in i_acted or "commitment" in tags))) \
                and ph not in ("reflection",) and asked.get(sent.turn) != "reflection" and not HYPOTHETICAL.search(sent.text) \
                and (asked.get(sent.turn) != "outcome" or sent.index in i_acted) and sent.turn not in reflected:
            # (an answer asked for the reflection stays there: "I gave up too fast."; one asked for the
            # outcome keeps what is not the candidate's own doing: "we got a lot of good feedback"; after a
            # lesson in the same turn, the rest of the turn is the lesson: see below)
            ph = "commitment"
        # After the decision, a number that is not something the candidate did is a result ("About
        # 1,900 routers didn't come back", "We needed 180 truck rolls instead of 1,900", "there were
        # four phone-related referrals", "We finished in about thirty-eight weeks": told as the team's,
        # not as the candidate's own doing), though it carries no outcome cue word.
        elif asked.get(sent.turn) != first_phase and decided and (resolved or told_before) and "outcome" in phases_known and ph in (None, "commitment") \
                and (sent.index in claim_sents or OUTCOME_COUNT.search(sent.text)) and sent.index not in i_acted and not HYPOTHETICAL.search(sent.text):
            ph = "outcome"
        if (ph == "decision" or (tags and "decision" in tags) or k == point) and (point is None or k >= point):
            decided = True
        # after a lesson told once the decision was made, the rest of the turn is the lesson too: "Since then,
        # when I disagree, I put the other side's metric on my first slide" is the changed behaviour, not
        # the commitment or the argument (a new user's answer quoted it under Execution Commitment)
        if sent.turn in reflected and decided and ph in (None, first_phase, "commitment"):
            ph = "reflection"
        if ph == "reflection":
            reflected.add(sent.turn)
        own.append(ph)
    phases: list[str] = []
    carry = first_phase
    tagged_in_turn: dict[int, list[int]] = {}  # turn -> indices of its sentences with a phase of their own, in order
    for j, sent in enumerate(sentences):
        if own[j] is not None:
            tagged_in_turn.setdefault(sent.turn, []).append(j)
    for i, sent in enumerate(sentences):
        if own[i] is None:
            same = tagged_in_turn.get(sent.turn, [])
            # the nearest tagged sentence of the turn before it, else what the answer was asked for (the
            # opening of an answer answers the question: "It went really well.", asked for the outcome),
            # else the turn's next tagged sentence, else the previous turn's phase
            at = bisect.bisect_left(same, i)
            ph = own[same[at - 1]] if at > 0 else asked.get(sent.turn) or (own[same[at]] if at < len(same) else carry)
        else:
            ph = own[i]
        phases.append(ph)
        if i + 1 == len(sentences) or sentences[i + 1].turn != sent.turn:
            # An outcome told first, before the decision the story turns on ("the short version is
            # missed appointments went from one in six to one in twelve"), is a headline: the turns
            # after it tell the story from its start, not more of the outcome (corpus dev: the
            # argument told after an outcome-first opening was read as outcome).
            carry = first_phase if ph == "outcome" and point is not None and i < point else ph
    return phases
