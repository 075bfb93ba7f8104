"""What a loaded round holds: frozen dataclasses built by :func:`voiceround.rounds.loader.load_round`.

How to write a round file is in ``docs/ROUNDS.md``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path


class RoundFileError(ValueError):
    """A round file can't be read or fails validation.

    ``line`` is set for TOML syntax errors, ``field`` (a dotted path) for schema errors.
    (Defined here, not in ``core``, because ``rounds`` imports only the stdlib.)
    """

    code = "round_file"

    def __init__(self, message: str, *, path: Path | None = None, line: int | None = None, field: str | None = None):
        super().__init__(message)
        self.path, self.line, self.field = path, line, field


@dataclass(frozen=True)
class Criterion:
    """One test on a scorer feature: ``feature op threshold`` (e.g. ``i_actions >= 3``)."""

    feature: str
    op: str
    threshold: float

    def met(self, value: float) -> bool:
        """Whether ``value`` satisfies the criterion."""
        return {
            ">=": value >= self.threshold,
            "<=": value <= self.threshold,
            ">": value > self.threshold,
            "<": value < self.threshold,
            "==": value == self.threshold,
        }[self.op]

    def __str__(self) -> str:
        return f"{self.feature} {self.op} {self.threshold:g}"


@dataclass(frozen=True)
class Condition:
    """A trap's or a conditional cap's test: alternatives (any may hold), each a conjunction of
    criteria (all must hold). Written in a round file as ``["a >= 1 and b <= 0", "c >= 2"]``."""

    alternatives: tuple[tuple[Criterion, ...], ...]

    def holding(self, value_of) -> tuple[Criterion, ...] | None:
        """The first alternative whose criteria are all met, or None; ``value_of(feature) -> float``."""
        return next((alt for alt in self.alternatives if all(c.met(value_of(c.feature)) for c in alt)), None)

    def holds(self, value_of) -> bool:
        """Whether any alternative has all its criteria met; ``value_of(feature) -> float``."""
        return self.holding(value_of) is not None

    @property
    def features(self) -> set[str]:
        """Every feature name the condition reads."""
        return {c.feature for alt in self.alternatives for c in alt}

    def __str__(self) -> str:
        return " or ".join(" and ".join(str(c) for c in alt) for alt in self.alternatives)


@dataclass(frozen=True)
class Dimension:
    """A rubric dimension: weight in percent, tier anchors 1-4 and the criteria that raise the tier.
    ``top_needs_all``: tier 4 only when every criterion is met (an anchor whose top tier adds one
    more thing, e.g. Impact's "and an attribution of which part was the candidate's own").

    ``coach_target`` and ``coach_rewrite`` (optional; round file ``[rubrics.dimensions.coach]``
    ``target``/``rewrite``) are keyed by the tier to reach (2-4): the next tier's anchor said as an
    instruction ("Give one outcome metric with its before and after"), and a pattern that rewrites
    one of the candidate's own sentences (``{sentence}``) into a stronger one with what that tier
    needs as bracketed placeholders ("{sentence} [Metric] went from [baseline] to [result]"). Used by
    :func:`voiceround.report.view.next_steps`; without them the report derives the instruction
    from ``anchors``. ``drill``: the opening question of a short drill on this dimension
    ("Practise this again"; ``coach.drill``), or None for one built from the definition.
    ``coach_phase`` (``coach.phase``): the story phase whose sentences a rewrite builds on first
    (Data-driven Advocacy: the argument, not "customers were happy" in the outcome), or None.

    ``tiers`` (optional; round file ``tiers = { 2 = [...], 3 = [...], 4 = [...] }``): the anchors as
    conditions over the scorer's features. When given, the tier is the highest one whose condition
    holds (1 when none does), instead of the share of ``criteria`` met; ``criteria`` are then only
    reported.

    ``model_floor`` (optional; round file ``model_floor = 2``): the round's tier model never gives a
    tier below this when the conditions give at least this (an anchor that says a thing is absent,
    "No outcome numbers", is not shown beside a sentence that has it).

    ``model_ceiling`` (optional; round file ``model_ceiling = { tier = 2, unless = "outcome_baselined >= 1" }``):
    ``(tier, condition)``: the tier model never raises the tier above ``tier`` unless the condition
    holds, because a higher anchor needs what the condition reads ("At least one outcome metric with
    a clear before and after"); the conditions' own tier is kept either way."""

    id: str
    name: str
    weight: float
    definition: str
    anchors: dict[int, str]
    criteria: tuple[Criterion, ...]
    evidence_features: tuple[str, ...]
    top_needs_all: bool = False
    coach_target: dict[int, str] = field(default_factory=dict)
    coach_rewrite: dict[int, str] = field(default_factory=dict)
    drill: str | None = None
    tiers: dict[int, Condition] = field(default_factory=dict)
    model_floor: int = 1
    coach_phase: str | None = None
    model_ceiling: tuple[int, Condition] | None = None


@dataclass(frozen=True)
class Rubric:
    """A weighted set of dimensions; weights sum to 100. ``summary``: one line saying what the
    rubric's total is (the headline score, or a second reading shown for detail and why it
    differs); shown under the total on every scorecard."""

    id: str
    title: str
    dimensions: tuple[Dimension, ...]
    summary: str = ""


@dataclass(frozen=True)
class Trap:
    """A named failure pattern. ``when`` flags it; ``caps`` maps dimension id to the highest tier
    allowed when flagged; ``evidence`` lists the features whose sentences are quoted, each entry
    ``"a|b"`` taking the first of its alternatives that has any. ``absence``: the trap is about a
    part of the story that is missing ("Missing the commitment phase"), so its quotes only show
    where that part should have been, under the dimensions it caps, and no sentence "trips" it.
    ``asked_slot``: for an absence trap, the story slot the interviewer asks for that part
    ("commitment"): in a round the candidate ended before that question and before the close, the
    part was never asked for, so the trap is not flagged ("" for always)."""

    id: str
    name: str
    description: str
    caps: dict[str, int]
    when: Condition | None = None
    evidence: tuple[str, ...] = ()
    absence: bool = False
    asked_slot: str = ""


@dataclass(frozen=True)
class ConditionalCap:
    """Tier caps that apply when a condition on the features holds, e.g. a Disagree and Commit
    story the candidate won has no commitment to someone else's path. ``reason`` is shown as the
    cap's source on the scorecard; ``description``, what to change, beside it ("" for none).
    ``fit``: the interviewer's fit problem that is the same finding (``"hypothetical"``, ``"won"``;
    :mod:`voiceround.interviewer.fit`), so a scorecard that tells the redirect doesn't tell it twice; "" for none."""

    reason: str
    when: Condition
    caps: dict[str, int]
    description: str = ""
    fit: str = ""


@dataclass(frozen=True)
class Slot:
    """A story slot the interviewer walks through; ``cues`` are compiled lower-case regexes."""

    id: str
    phase: str
    cues: tuple[re.Pattern, ...]
    min_weight: float = 1.0


@dataclass(frozen=True)
class Probe:
    """Probe templates for one interviewer intent, and the case topics that answer it.

    A follow-up (``deepens`` a story slot, ``depth`` 2 or 3) drills into a slot already asked:
    depth 2 after the slot's own question, depth 3 after its depth-2 follow-up was answered.
    ``answered``: the follow-up is skipped when a candidate sentence already matches it (it was
    answered before it was asked). Round file ``[[probes]]`` keys of the same names."""

    intent: str
    templates: tuple[str, ...]
    topics: tuple[str, ...]
    slot: str | None = None
    keep: tuple[re.Pattern, ...] = ()
    deepens: str | None = None
    depth: int = 1
    answered: re.Pattern | None = None
    needs: str | None = None
    """A lexicon (round file ``needs``) some un-negated candidate sentence must match before this
    follow-up is asked: "When you took it higher…" only after the candidate told taking it higher."""
    covers: str | None = None
    """A story slot this probe asks in substance (round file ``covers``): "which part did your own
    work move" asks the attribution, so the attribution question isn't asked again after it."""
    no_story: tuple[str, ...] = ()
    """Wording used once the candidate has given no specific example (round file
    ``no_story_templates``): the commitment, the pushback and the reflection are still asked, about
    decisions in general, rather than about a story that was never told."""


# A question that asks two things at once ("Who made the final call, when, and on what basis?",
# "…, and how did you measure it?"): a new user counted these as compound (issue 16, item 3:
# questions "single"). Quoted words are the candidate's and don't count. "And what…" opening a
# sentence is one question ("Understood. And what did you say to that objection?": an
# acknowledgement before the template "And what did you say…" ended a live round when this was
# read as a second question).
COMPOUND = re.compile(r"(?<![.?!]),? and (?:(?:with|to|from|for|in|on|by) )?(?:what|how|who|whom|when|where|which|why)\b|\b(?:who|what|when|where)\b, (?:who|what|when|where)\b",
                      re.IGNORECASE)


def asks_two_things(question: str) -> bool:
    """Whether ``question`` asks two things at once (:data:`COMPOUND`), its quoted words (the
    candidate's, in single quotes) left out: checked on the round's templates at load and on
    every interviewer turn."""
    return bool(COMPOUND.search(re.sub(r"'[^']*'", "", question)))


NEVER = re.compile(r"(?!)")


class Lexicons(Mapping):
    """Named cue lexicons of a round, each compiled to one case-insensitive pattern.

    ``lexicons[name]`` is the pattern; a name the round doesn't define gives a pattern that never
    matches (a round without a ``yield`` lexicon simply never probes yielding). ``name in
    lexicons`` tells which are defined."""

    def __init__(self, patterns: dict[str, list[str]]):
        self.sources = {k: tuple(v) for k, v in patterns.items()}
        self._rx = {k: cue_rx(*v) if v else NEVER for k, v in patterns.items()}

    def __getitem__(self, name: str) -> re.Pattern:
        return self._rx.get(name, NEVER)

    def __contains__(self, name: object) -> bool:
        return name in self._rx

    def __iter__(self) -> Iterator[str]:
        return iter(self._rx)

    def __len__(self) -> int:
        return len(self._rx)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Lexicons) and other.sources == self.sources

    __hash__ = None  # type: ignore[assignment]


def cue_rx(*patterns: str) -> re.Pattern:
    """One case-insensitive pattern matching any of ``patterns``."""
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@dataclass(frozen=True)
class Round:
    """A loaded, validated round file.

    ``interviewer`` holds the persona, closing, forbidden words, ``slot_order`` (story slots asked
    before the pushback), ``after_pushback`` (asked after it) and the optional nudge; ``scoring``
    holds ``primary_rubric``, ``cue_features`` and ``caps`` (as :class:`ConditionalCap`)."""

    id: str
    version: str
    title: str
    card: dict
    timing: dict
    interviewer: dict
    slots: tuple[Slot, ...]
    probes: dict[str, Probe]
    rubrics: dict[str, Rubric]
    traps: dict[str, Trap]
    path: Path = field(compare=False)
    scoring: dict = field(default_factory=dict, compare=False)
    lexicons: Lexicons = field(default_factory=lambda: Lexicons({}), compare=False)

    @property
    def duration_s(self) -> float:
        """Round length in seconds (the seed's 20 minutes for Disagree and Commit)."""
        return float(self.timing["duration_s"])

    @property
    def primary_rubric(self) -> str:
        """The rubric whose total is the session's one score (``[scoring] primary_rubric``, else the first)."""
        return self.scoring.get("primary_rubric") or next(iter(self.rubrics))

    @property
    def topics(self) -> tuple[str, ...]:
        """The case-file topics of this round: every probe's topics, in first-seen order, plus ``unknown``."""
        out: dict[str, None] = {}
        for p in self.probes.values():
            out.update(dict.fromkeys(p.topics))
        out["unknown"] = None
        return tuple(out)

    def slot(self, slot_id: str) -> Slot:
        """Return the slot with ``slot_id``; raises KeyError if absent."""
        for s in self.slots:
            if s.id == slot_id:
                return s
        raise KeyError(slot_id)
