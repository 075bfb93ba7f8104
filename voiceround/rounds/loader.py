"""Round definitions: data files (TOML) plus their loader and validation.

A round file holds the card text, timer, story slots, probe templates, rubrics (dimensions,
weights, tier anchors, criteria) and traps. Nothing round-specific lives in Python; see
``disagree_and_commit.toml`` for the first round, written from the seed round page.
"""
from __future__ import annotations

import re
import tomllib
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

ROUNDS_DIR = Path(__file__).parent
DEFAULT_ROUND = "disagree_and_commit"
# The interviewer needs an opening and a closing whatever the round.
REQUIRED_PROBES = ("ask_scenario", "wrap_up")

_CRITERION = re.compile(r"^\s*([a-z_]+)\s*(>=|<=|>|<|==)\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Criterion:
    """One tier step of a rubric dimension: ``feature op threshold`` (e.g. ``i_actions >= 3``)."""

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
class Dimension:
    """A rubric dimension: weight in percent, tier anchors 1-4 and the criteria that raise the tier."""

    id: str
    name: str
    weight: float
    definition: str
    anchors: dict[int, str]
    criteria: tuple[Criterion, ...]
    evidence_features: tuple[str, ...]


@dataclass(frozen=True)
class Rubric:
    """A weighted set of dimensions; weights sum to 100."""

    id: str
    title: str
    dimensions: tuple[Dimension, ...]


@dataclass(frozen=True)
class Trap:
    """A named failure pattern; ``caps`` maps dimension id to the highest tier allowed when flagged."""

    id: str
    name: str
    description: str
    caps: dict[str, int]


@dataclass(frozen=True)
class Slot:
    """A story slot the interviewer walks through; ``cues`` are compiled lower-case regexes."""

    id: str
    phase: str
    cues: tuple[re.Pattern, ...]
    min_weight: float = 1.0


@dataclass(frozen=True)
class Probe:
    """Probe templates for one interviewer intent, and the case topics that answer it."""

    intent: str
    templates: tuple[str, ...]
    topics: tuple[str, ...]
    slot: str | None = None
    keep: tuple[re.Pattern, ...] = ()


@dataclass(frozen=True)
class Round:
    """A loaded, validated round file."""

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

    @property
    def duration_s(self) -> float:
        """Round length in seconds (the seed's 20 minutes for Disagree and Commit)."""
        return float(self.timing["duration_s"])

    def slot(self, slot_id: str) -> Slot:
        """Return the slot with ``slot_id``; raises KeyError if absent."""
        for s in self.slots:
            if s.id == slot_id:
                return s
        raise KeyError(slot_id)


def _need(data: dict, key: str, kind, where: str, path: Path):
    if key not in data:
        raise RoundFileError(f"{path.name}: {where} is missing the field '{key}'", path=path, field=f"{where}.{key}")
    value = data[key]
    if not isinstance(value, kind):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise RoundFileError(f"{path.name}: {where}.{key} should be {names}, got {type(value).__name__}",
                             path=path, field=f"{where}.{key}")
    return value


# [timing] keys: (lowest, highest allowed; None = the round's duration_s), and what each means.
TIMING_RANGES = {
    "duration_s": (1, 4 * 3600),            # the round's length in seconds
    "commitment_nudge_after_s": (0, None),  # past this second, ask for the commitment if it is missing
    "argument_share_limit": (0.05, 1.0),    # share of the candidate's time on the argument before that nudge
    "monologue_budget_s": (5, None),        # an answer longer than this is interrupted
    "max_claim_probes": (0, 100),           # claim probes per round, so the story still gets told
}


def _check_timing(timing: dict, path: Path) -> dict:
    """Every [timing] value is a known key holding a number in its range (:data:`TIMING_RANGES`)."""
    _need(timing, "duration_s", (int, float), "timing", path)
    for key, value in timing.items():
        if key not in TIMING_RANGES:
            raise RoundFileError(f"{path.name}: timing.{key} is not a known timing value (known: {', '.join(TIMING_RANGES)})",
                                 path=path, field=f"timing.{key}")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RoundFileError(f"{path.name}: timing.{key} should be a number, got {type(value).__name__}", path=path, field=f"timing.{key}")
        low, high = TIMING_RANGES[key]
        high = timing["duration_s"] if high is None else high
        if not low <= value <= high:
            raise RoundFileError(f"{path.name}: timing.{key} = {value} is out of range ({low} to {high})", path=path, field=f"timing.{key}")
    return timing


def load_round(name_or_path: str | Path = DEFAULT_ROUND) -> Round:
    """Load and validate a round file.

    ``name_or_path`` is a bundled round id (e.g. ``"disagree_and_commit"``) or a path to a TOML file.
    Raises :class:`RoundFileError` naming the line (for TOML syntax errors) or the field (for schema
    errors): missing fields, weights that don't sum to 100, anchors not 1-4, unknown trap caps, bad
    criteria or regexes.
    """
    path = Path(name_or_path)
    if not path.suffix:
        path = ROUNDS_DIR / f"{name_or_path}.toml"
        if not path.exists():
            known = ", ".join(sorted(p.stem for p in ROUNDS_DIR.glob("*.toml")))
            raise RoundFileError(f"unknown round {str(name_or_path)!r}; known rounds: {known}", path=path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RoundFileError(f"cannot read round file {path}: {exc.strerror or exc}", path=path) from exc
    except UnicodeDecodeError as exc:
        raise RoundFileError(f"{path.name} is not a round file: it is not UTF-8 text (byte {exc.start} can't be read)",
                             path=path) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))  # Python < 3.14 has no TOMLDecodeError.lineno
        line = getattr(exc, "lineno", None) or (int(m.group(1)) if m else None)
        raise RoundFileError(f"{path.name}: TOML syntax error: {exc}", path=path, line=line) from exc

    rid = _need(data, "id", str, "round", path)
    card = _need(data, "card", dict, "round", path)
    for key in ("field", "company", "role", "duration_min", "difficulty"):
        _need(card, key, (str, int), "card", path)
    timing = _check_timing(_need(data, "timing", dict, "round", path), path)
    interviewer = _need(data, "interviewer", dict, "round", path)
    _need(interviewer, "closing", str, "interviewer", path)
    _need(interviewer, "forbidden", list, "interviewer", path)

    slots = []
    for i, s in enumerate(_need(data, "slots", list, "round", path)):
        where = f"slots[{i}]"
        cues = []
        for pattern in _need(s, "cues", list, where, path):
            try:
                cues.append(re.compile(pattern))
            except re.error as exc:
                raise RoundFileError(f"{path.name}: {where}.cues has a bad regex {pattern!r}: {exc}", path=path, field=f"{where}.cues") from exc
        slots.append(Slot(_need(s, "id", str, where, path), _need(s, "phase", str, where, path), tuple(cues),
                          float(s.get("min_weight", 1.0))))
    slot_ids = {s.id for s in slots}

    probes = {}
    for i, p in enumerate(_need(data, "probes", list, "round", path)):
        where = f"probes[{i}]"
        templates = tuple(_need(p, "templates", list, where, path))
        for t in templates:
            praise = [w for w in interviewer["forbidden"] if re.search(rf"(?<![a-z']){re.escape(w.lower())}(?![a-z'])", t.lower())]
            if praise:
                raise RoundFileError(f"{path.name}: {where} template contains praise ({praise[0]!r}): {t!r}", path=path, field=f"{where}.templates")
            if "{previous}" not in t and (t.count("?") != 1 or not t.rstrip().endswith("?")):
                raise RoundFileError(f"{path.name}: {where} template must end in exactly one question: {t!r}", path=path, field=f"{where}.templates")
        slot = p.get("slot")
        if slot is not None and slot not in slot_ids:
            raise RoundFileError(f"{path.name}: {where}.slot names unknown slot {slot!r}", path=path, field=f"{where}.slot")
        intent = _need(p, "intent", str, where, path)
        try:
            keep = tuple(re.compile(k, re.IGNORECASE) for k in p.get("keep", []))
        except re.error as exc:
            raise RoundFileError(f"{path.name}: {where}.keep has a bad regex: {exc}", path=path, field=f"{where}.keep") from exc
        for t in templates:
            for k in keep:
                if not k.search(t.replace("{quote}", "")):
                    raise RoundFileError(f"{path.name}: {where} template doesn't match its own keep pattern {k.pattern!r}: {t!r}",
                                         path=path, field=f"{where}.keep")
        probes[intent] = Probe(intent, templates, tuple(p.get("topics", [])), slot, keep)

    for required in REQUIRED_PROBES:
        if required not in probes:
            raise RoundFileError(f"{path.name}: probes must include the intent {required!r}", path=path, field="probes.intent")
    rubrics = {}
    for i, r in enumerate(_need(data, "rubrics", list, "round", path)):
        where = f"rubrics[{i}]"
        dims = []
        for j, d in enumerate(_need(r, "dimensions", list, where, path)):
            dwhere = f"{where}.dimensions[{j}]"
            anchors_raw = _need(d, "anchors", dict, dwhere, path)
            anchors = {int(k): v for k, v in anchors_raw.items()}
            if sorted(anchors) != [1, 2, 3, 4]:
                raise RoundFileError(f"{path.name}: {dwhere}.anchors must define tiers 1, 2, 3 and 4", path=path, field=f"{dwhere}.anchors")
            criteria = []
            for c in _need(d, "criteria", list, dwhere, path):
                m = _CRITERION.match(c)
                if not m:
                    raise RoundFileError(f"{path.name}: {dwhere}.criteria has a bad criterion {c!r} (want 'feature >= number')", path=path, field=f"{dwhere}.criteria")
                criteria.append(Criterion(m.group(1), m.group(2), float(m.group(3))))
            dims.append(Dimension(
                _need(d, "id", str, dwhere, path), _need(d, "name", str, dwhere, path),
                float(_need(d, "weight", (int, float), dwhere, path)), _need(d, "definition", str, dwhere, path),
                anchors, tuple(criteria), tuple(d.get("evidence_features", [])),
            ))
        total = sum(d.weight for d in dims)
        if abs(total - 100) > 1e-6:
            raise RoundFileError(f"{path.name}: {where} weights sum to {total:g}, not 100", path=path, field=f"{where}.dimensions.weight")
        rubric_id = _need(r, "id", str, where, path)
        rubrics[rubric_id] = Rubric(rubric_id, r.get("title", rubric_id), tuple(dims))
    dim_ids = {d.id for rb in rubrics.values() for d in rb.dimensions}

    traps = {}
    for i, t in enumerate(_need(data, "traps", list, "round", path)):
        where = f"traps[{i}]"
        caps = {k: int(v) for k, v in t.get("caps", {}).items()}
        for k in caps:
            if k not in dim_ids:
                raise RoundFileError(f"{path.name}: {where}.caps names unknown dimension {k!r}", path=path, field=f"{where}.caps")
        tid = _need(t, "id", str, where, path)
        traps[tid] = Trap(tid, _need(t, "name", str, where, path), t.get("description", ""), caps)

    return Round(
        id=rid, version=str(data.get("version", "1")), title=data.get("title", rid), card=card, timing=timing,
        interviewer=interviewer, slots=tuple(slots), probes=probes, rubrics=rubrics, traps=traps, path=path,
        scoring=data.get("scoring", {}),
    )
