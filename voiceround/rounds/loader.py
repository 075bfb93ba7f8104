"""Round definitions: data files (TOML) plus their loader and validation.

A round file holds the card text, timer, story slots, probe templates, rubrics (dimensions,
weights, tier anchors, criteria) and traps. Nothing round-specific lives in Python; see
``disagree_and_commit.toml`` for the first round, written from the seed round page.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from voiceround.rounds.meaning_model import MeaningModelError, load_meaning_model
from voiceround.rounds.tier_model import TierModelError, load_tier_model
from voiceround.rounds.model import (
    Condition,
    ConditionalCap,
    Criterion,
    Dimension,
    Lexicons,
    Probe,
    Round,
    RoundFileError,
    Rubric,
    Slot,
    Trap,
    asks_two_things,
)


ROUNDS_DIR = Path(__file__).parent
DEFAULT_ROUND = "disagree_and_commit"
# The interviewer needs an opening and a closing whatever the round.
REQUIRED_PROBES = ("ask_scenario", "wrap_up")

_CRITERION = re.compile(r"^\s*([a-z_]+)\s*(>=|<=|>|<|==)\s*(-?\d+(?:\.\d+)?)\s*$")


def _criterion(text, where: str, path: Path) -> Criterion:
    m = _CRITERION.match(text) if isinstance(text, str) else None
    if not m:
        raise RoundFileError(f"{path.name}: {where} has a bad criterion {text!r} (want 'feature >= number')", path=path, field=where)
    return Criterion(m.group(1), m.group(2), float(m.group(3)))


def _condition(raw, where: str, path: Path) -> Condition:
    """``["a >= 1 and b <= 0", "c >= 2"]`` (alternatives of criteria joined by ``and``) → :class:`Condition`."""
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        raise RoundFileError(f"{path.name}: {where} should be a list of conditions like \"yield_cues >= 1 and escalation_cues <= 0\"",
                             path=path, field=where)
    return Condition(tuple(tuple(_criterion(c, where, path) for c in re.split(r"\s+and\s+", alt if isinstance(alt, str) else ""))
                           for alt in raw))


def _lexicons(data: dict, path: Path) -> Lexicons:
    """The files named in ``lexicons`` (relative to the round file), then the round's own
    ``[lexicon]`` table (its entries replace same-named ones). Every pattern must compile."""
    merged: dict[str, list[str]] = {}
    files = data.get("lexicons", [])
    if isinstance(files, str):
        files = [files]
    sources: dict[str, str] = {}
    for name in files:
        lex_path = (path.parent / name).resolve()
        if not lex_path.exists() and (ROUNDS_DIR / name).exists():
            lex_path = ROUNDS_DIR / name  # a bundled lexicon ("lexicons/behavioral.toml") from a round kept elsewhere
        try:
            lex = tomllib.loads(lex_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise RoundFileError(f"{path.name}: cannot read the lexicon file {name!r} ({exc}); name one relative to the "
                                 "round file, or a bundled one such as lexicons/behavioral.toml", path=path, field="lexicons") from exc
        merged.update(lex)
        sources.update(dict.fromkeys(lex, str(lex_path)))
    merged.update(data.get("lexicon", {}))
    sources.update(dict.fromkeys(data.get("lexicon", {}), path.name))
    for name, patterns in merged.items():
        where = f"{sources[name]}: lexicon {name!r}"
        if not isinstance(patterns, list) or not all(isinstance(x, str) for x in patterns):
            raise RoundFileError(f"{where} should be a list of regular expressions", path=path, field=f"lexicon.{name}")
        for pattern in patterns:
            _pattern(pattern, where, path, f"lexicon.{name}")
    return Lexicons(merged)


def _pattern(pattern, where: str, path: Path, field: str) -> re.Pattern:
    """``pattern`` compiled; raises :class:`RoundFileError` naming ``where`` and ``field`` when it
    isn't a string, doesn't compile, matches every sentence (it matches the empty string), or holds
    a control character (a ``\\b`` in a double-quoted TOML string is a backspace). Used for every
    regex of a round file: lexicons, slot cues, ``pushback_quote``."""
    if not isinstance(pattern, str):
        raise RoundFileError(f"{where} should be a regular expression in quotes, got {pattern!r}", path=path, field=field)
    try:
        rx = re.compile(pattern)
    except re.error as exc:
        raise RoundFileError(f"{where} has a bad regex {pattern}: {exc}", path=path, field=field) from exc
    if rx.search("") is not None or any(ord(ch) < 32 for ch in pattern):
        why = "matches every sentence" if rx.search("") is not None else \
            "holds a control character (a \\b in a double-quoted TOML string is a backspace: use 'single quotes')"
        raise RoundFileError(f"{where} has a regex that {why}: {pattern!r}", path=path, field=field)
    if _LITERAL_BACKSLASH.search(pattern):  # '\\b' in single quotes: a backslash then "b", which no spoken sentence holds
        raise RoundFileError(f"{where} has a regex that looks for a backslash, which no transcript holds (\\\\b in 'single "
                             f"quotes' is a backslash and a b: write \\b there, or \\\\b in \"double quotes\"): {pattern!r}",
                             path=path, field=field)
    return rx


# An escaped backslash before a regex class letter ('\\b', '\\d'): the round file's "that was that"
# decision cue was written so and never matched (found 2026-12-03).
_LITERAL_BACKSLASH = re.compile(r"(?<!\\)(?:\\\\)+[bBdDwWsS]")


def _caps(raw, dim_ids: set[str], where: str, path: Path) -> dict[str, int]:
    """``{dimension: highest tier}``: known dimensions, tiers 1-4."""
    if not isinstance(raw, dict):
        raise RoundFileError(f"{path.name}: {where} should be a table like {{ dimension_id = 2 }}", path=path, field=where)
    for k, v in raw.items():
        if k not in dim_ids:
            raise RoundFileError(f"{path.name}: {where} names unknown dimension {k!r}", path=path, field=where)
        if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 4:
            raise RoundFileError(f"{path.name}: {where}.{k} = {v!r} is not a tier (1 to 4)", path=path, field=where)
    return dict(raw)


def _check_interviewer(interviewer: dict, slot_ids: set[str], phases: set[str], probes: dict, path: Path) -> None:
    """``slot_order``/``after_pushback`` name slots that have a probe, each once; so does
    ``fit_outcome_slot``; the nudge names a probe and a phase; ``pushback_quote`` compiles."""
    for key in ("slot_order", "after_pushback"):
        for slot in interviewer.get(key, []):
            if slot not in slot_ids:
                raise RoundFileError(f"{path.name}: interviewer.{key} names unknown slot {slot!r}", path=path, field=f"interviewer.{key}")
            if not any(p.slot == slot for p in probes.values()):
                raise RoundFileError(f"{path.name}: interviewer.{key} names slot {slot!r}, which no probe asks for", path=path,
                                     field=f"interviewer.{key}")
        order = interviewer.get(key, [])
        if len(set(order)) != len(order):
            raise RoundFileError(f"{path.name}: interviewer.{key} names a slot twice", path=path, field=f"interviewer.{key}")
    outcome_slot = interviewer.get("fit_outcome_slot")
    if outcome_slot is not None and not any(p.slot == outcome_slot for p in probes.values()):
        raise RoundFileError(f"{path.name}: interviewer.fit_outcome_slot names {outcome_slot!r}, which no probe asks for", path=path,
                             field="interviewer.fit_outcome_slot")
    nudge = interviewer.get("nudge")
    if nudge is not None:
        if not isinstance(nudge, dict) or nudge.get("intent") not in probes:
            raise RoundFileError(f"{path.name}: interviewer.nudge.intent should name a probe intent, got "
                                 f"{(nudge or {}).get('intent')!r}", path=path, field="interviewer.nudge")
        if nudge.get("from_phase") not in phases:
            raise RoundFileError(f"{path.name}: interviewer.nudge.from_phase should be a slot phase ({', '.join(sorted(phases))}), "
                                 f"got {nudge.get('from_phase')!r}", path=path, field="interviewer.nudge")
    pattern = interviewer.get("pushback_quote")
    if pattern is not None:
        _pattern(pattern, f"{path.name}: interviewer.pushback_quote", path, "interviewer.pushback_quote")


COACH_TIERS = (2, 3, 4)  # a coach text is for reaching one of these tiers (tier 1 is where everyone starts)


def _coach_texts(raw, key: str, where: str, path: Path) -> dict[int, str]:
    """``"text"`` (the same for every tier) or ``{ 2 = "…", 3 = "…", 4 = "…" }`` → ``{tier: text}``."""
    if raw is None:
        return {}
    if isinstance(raw, str):
        return dict.fromkeys(COACH_TIERS, raw)
    if not isinstance(raw, dict):
        raise RoundFileError(f"{path.name}: {where}.{key} should be text or a table like {{ 2 = \"…\", 3 = \"…\", 4 = \"…\" }}",
                             path=path, field=f"{where}.{key}")
    out = {}
    for k, v in raw.items():
        if not str(k).isdigit() or int(k) not in COACH_TIERS or not isinstance(v, str) or not v.strip():
            raise RoundFileError(f"{path.name}: {where}.{key}.{k} should be a tier to reach (2 to 4) holding text", path=path,
                                 field=f"{where}.{key}")
        out[int(k)] = v
    return out


def _coach(raw, where: str, path: Path) -> tuple[dict[int, str], dict[int, str], str | None, str | None]:
    """A dimension's optional ``coach`` table: ``target`` (how to reach the tier, as an instruction),
    ``rewrite`` (a pattern holding ``{sentence}``, the candidate's own sentence, plus bracketed
    placeholders), ``drill`` (the opening question of a short drill on the dimension,
    :func:`voiceround.rounds.drill.drill_round`) and ``phase`` (the story phase whose sentence a rewrite
    builds on first, e.g. "argument" for the data argued with). A rewrite may hold no digits and no other ``{…}``
    field: it must never put a number or a fact into the candidate's mouth."""
    if raw is None:
        return {}, {}, None, None
    if not isinstance(raw, dict):
        raise RoundFileError(f"{path.name}: {where} should be a table with `target` and `rewrite`", path=path, field=where)
    unknown = set(raw) - {"target", "rewrite", "drill", "phase"}
    if unknown:
        raise RoundFileError(f"{path.name}: {where} has an unknown key {sorted(unknown)[0]!r} (known: target, rewrite, drill, phase)", path=path,
                             field=where)
    phase = raw.get("phase")
    if phase is not None and (not isinstance(phase, str) or not phase.strip()):
        raise RoundFileError(f"{path.name}: {where}.phase should name a story phase (text)", path=path, field=f"{where}.phase")
    drill = raw.get("drill")
    if drill is not None and (not isinstance(drill, str) or not drill.strip()):
        raise RoundFileError(f"{path.name}: {where}.drill should be a question (text)", path=path, field=f"{where}.drill")
    target, rewrite = _coach_texts(raw.get("target"), "target", where, path), _coach_texts(raw.get("rewrite"), "rewrite", where, path)
    for tier, text in rewrite.items():
        fields = set(re.findall(r"\{(\w*)\}", text))
        if fields != {"sentence"} or re.search(r"\d", text):
            raise RoundFileError(f"{path.name}: {where}.rewrite.{tier} should hold {{sentence}}, bracketed placeholders and no "
                                 f"digits or other {{fields}}: {text!r}", path=path, field=f"{where}.rewrite")
    return target, rewrite, drill, phase


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
    "wrap_up_s": (0, None),                 # the wrap-up begins this long before the end (default 120)
    "exchange_s": (5, 600),                 # a question and its answer, before the round has its own figure (default 40)
    "second_example_min_s": (0, None),      # a second, shorter example is asked only with this much left (default 75)
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


def bundled_rounds() -> list[Path]:
    """The round files shipped with VoiceRound (``voiceround/rounds/*.toml``), the default first."""
    return sorted(ROUNDS_DIR.glob("*.toml"), key=lambda p: (p.stem != DEFAULT_ROUND, p.stem))


def _model_file(scoring: dict, key: str, path: Path) -> Path:
    """The file ``[scoring] <key>`` names: next to the round file, else a bundled one of that name (a
    copy of a bundled round kept elsewhere, as for lexicons). Raises RoundFileError for a non-name."""
    ref = scoring[key]
    if not isinstance(ref, str) or not ref:
        raise RoundFileError(f"{path.name}: scoring.{key} should name a file next to the round file (or a bundled one), got {ref!r}",
                             path=path, field=f"scoring.{key}")
    model_path = path.parent / ref
    return ROUNDS_DIR / ref if not model_path.exists() and (ROUNDS_DIR / ref).exists() else model_path


def load_round(name_or_path: str | Path = DEFAULT_ROUND, tier_model: bool = True) -> Round:
    """Load and validate a round file.

    ``name_or_path`` is a bundled round id (e.g. ``"disagree_and_commit"``) or a path to a TOML file.
    ``tier_model=False`` leaves out the round's tier model (``[scoring] tier_model``; for training a new one).
    Raises :class:`RoundFileError` naming the line (for TOML syntax errors) or the field (for schema
    errors): missing fields, weights that don't sum to 100, anchors not 1-4, unknown trap caps, bad
    criteria or regexes.
    """
    path = Path(name_or_path)
    if not path.suffix:
        path = ROUNDS_DIR / f"{name_or_path}.toml"
        if not path.exists():
            known = ", ".join(p.stem for p in bundled_rounds())
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
    for key in ("closing_early", "closing_no_example", "closing_reply", "closing_reply_silent"):  # optional lines of the closing exchange
        line = interviewer.get(key)
        if line is not None and (not isinstance(line, str) or not line.strip()):
            raise RoundFileError(f"{path.name}: interviewer.{key} should be a line of text", path=path, field=f"interviewer.{key}")
        praise = [w for w in interviewer["forbidden"] if line and re.search(rf"(?<![a-z']){re.escape(w.lower())}(?![a-z'])", line.lower())]
        if praise:
            raise RoundFileError(f"{path.name}: interviewer.{key} contains praise ({praise[0]!r})", path=path, field=f"interviewer.{key}")

    slots = []
    for i, s in enumerate(_need(data, "slots", list, "round", path)):
        where = f"slots[{i}]"
        cues = []
        for pattern in _need(s, "cues", list, where, path):
            cues.append(_pattern(pattern, f"{path.name}: {where}.cues", path, f"{where}.cues"))
        slots.append(Slot(_need(s, "id", str, where, path), _need(s, "phase", str, where, path), tuple(cues),
                          float(s.get("min_weight", 1.0))))
    slot_ids = {s.id for s in slots}
    phases = {s.phase for s in slots}

    probes = {}
    for i, p in enumerate(_need(data, "probes", list, "round", path)):
        where = f"probes[{i}]"
        templates = tuple(_need(p, "templates", list, where, path))
        no_story = p.get("no_story_templates", [])
        if not isinstance(no_story, list) or not all(isinstance(t, str) and t for t in no_story) \
                or any("{" in t for t in no_story):
            raise RoundFileError(f"{path.name}: {where}.no_story_templates should be a list of questions without placeholders",
                                 path=path, field=f"{where}.no_story_templates")
        for t in (*templates, *no_story):
            praise = [w for w in interviewer["forbidden"] if re.search(rf"(?<![a-z']){re.escape(w.lower())}(?![a-z'])", t.lower())]
            if praise:
                raise RoundFileError(f"{path.name}: {where} template contains praise ({praise[0]!r}): {t!r}", path=path, field=f"{where}.templates")
            if "{previous}" not in t and (t.count("?") != 1 or not t.rstrip().endswith("?")):
                raise RoundFileError(f"{path.name}: {where} template must end in exactly one question: {t!r}", path=path, field=f"{where}.templates")
            # as spoken: the planner may put an acknowledgement ("Understood.") before it
            if any(asks_two_things(spoken) for spoken in (t, *(f"{a} {t}" for a in interviewer.get("acknowledgements") or []))):
                raise RoundFileError(f"{path.name}: {where} template asks two things at once (\"…, and how…?\"); ask one: {t!r}",
                                     path=path, field=f"{where}.templates")
        for t in templates:
            unknown = set(re.findall(r"\{(\w*)\}", t)) - {"quote", "previous"}
            if unknown:
                raise RoundFileError(f"{path.name}: {where} template has an unknown placeholder {{{sorted(unknown)[0]}}} "
                                     f"(known: {{quote}}, {{previous}}): {t!r}", path=path, field=f"{where}.templates")
        slot = p.get("slot")
        if slot is not None and slot not in slot_ids:
            raise RoundFileError(f"{path.name}: {where}.slot names unknown slot {slot!r}", path=path, field=f"{where}.slot")
        intent = _need(p, "intent", str, where, path)
        try:
            keep = tuple(re.compile(k, re.IGNORECASE) for k in p.get("keep", []))
        except re.error as exc:
            raise RoundFileError(f"{path.name}: {where}.keep has a bad regex: {exc}", path=path, field=f"{where}.keep") from exc
        for t in (*templates, *no_story):
            for k in keep:
                if not k.search(t.replace("{quote}", "")):
                    raise RoundFileError(f"{path.name}: {where} template doesn't match its own keep pattern {k.pattern!r}: {t!r}",
                                         path=path, field=f"{where}.keep")
        deepens, depth = p.get("deepens"), p.get("depth", 1)
        if deepens is not None and deepens not in slot_ids:
            raise RoundFileError(f"{path.name}: {where}.deepens names unknown slot {deepens!r}", path=path, field=f"{where}.deepens")
        if not isinstance(depth, int) or isinstance(depth, bool) or not (1 <= depth <= 3) or (depth > 1) != (deepens is not None):
            raise RoundFileError(f"{path.name}: {where}.depth should be 2 or 3 with `deepens` (1 without it), got {depth!r}",
                                 path=path, field=f"{where}.depth")
        if deepens is not None and slot is not None:
            raise RoundFileError(f"{path.name}: {where} has both `slot` and `deepens`: a follow-up deepens a slot another probe asks",
                                 path=path, field=f"{where}.deepens")
        answered = p.get("answered", [])
        if not isinstance(answered, list) or not all(isinstance(a, str) and a for a in answered):
            raise RoundFileError(f"{path.name}: {where}.answered should be a list of non-empty regular expressions", path=path,
                                 field=f"{where}.answered")
        try:
            answered_rx = re.compile("|".join(f"(?:{a})" for a in answered), re.IGNORECASE) if answered else None
        except re.error as exc:
            raise RoundFileError(f"{path.name}: {where}.answered has a bad regex: {exc}", path=path, field=f"{where}.answered") from exc
        needs = p.get("needs")
        if needs is not None and not isinstance(needs, str):
            raise RoundFileError(f"{path.name}: {where}.needs should name a lexicon", path=path, field=f"{where}.needs")
        covers = p.get("covers")
        if covers is not None and covers not in slot_ids:
            raise RoundFileError(f"{path.name}: {where}.covers names unknown slot {covers!r}", path=path, field=f"{where}.covers")
        probes[intent] = Probe(intent, templates, tuple(p.get("topics", [])), slot, keep, deepens, depth, answered_rx,
                               needs=needs, covers=covers, no_story=tuple(no_story))

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
            criteria = [_criterion(c, f"{dwhere}.criteria", path) for c in _need(d, "criteria", list, dwhere, path)]
            target, rewrite, drill, coach_phase = _coach(d.get("coach"), f"{dwhere}.coach", path)
            tiers_raw = d.get("tiers", {})
            if not isinstance(tiers_raw, dict) or not set(tiers_raw) <= {"2", "3", "4"}:
                raise RoundFileError(f"{path.name}: {dwhere}.tiers must map tiers 2, 3 and 4 to conditions", path=path, field=f"{dwhere}.tiers")
            tiers = {int(k): _condition(v, f"{dwhere}.tiers.{k}", path) for k, v in tiers_raw.items()}
            floor = d.get("model_floor", 1)
            if not isinstance(floor, int) or isinstance(floor, bool) or not 1 <= floor <= 4:
                raise RoundFileError(f"{path.name}: {dwhere}.model_floor should be a tier 1-4, got {floor!r}", path=path, field=f"{dwhere}.model_floor")
            ceiling = d.get("model_ceiling")
            if ceiling is not None:
                if not isinstance(ceiling, dict) or set(ceiling) != {"tier", "unless"} or not isinstance(ceiling["tier"], int) \
                        or isinstance(ceiling["tier"], bool) or not 1 <= ceiling["tier"] <= 3:
                    raise RoundFileError(f"{path.name}: {dwhere}.model_ceiling should be {{ tier = 1-3, unless = \"<condition>\" }}, got {ceiling!r}",
                                         path=path, field=f"{dwhere}.model_ceiling")
                ceiling = (ceiling["tier"], _condition(ceiling["unless"], f"{dwhere}.model_ceiling.unless", path))
            dims.append(Dimension(
                _need(d, "id", str, dwhere, path), _need(d, "name", str, dwhere, path),
                float(_need(d, "weight", (int, float), dwhere, path)), _need(d, "definition", str, dwhere, path),
                anchors, tuple(criteria), tuple(d.get("evidence_features", [])), bool(d.get("top_needs_all", False)),
                target, rewrite, drill, tiers, floor, coach_phase, ceiling,
            ))
        for j, d in enumerate(dims):
            if d.weight <= 0:
                raise RoundFileError(f"{path.name}: {where}.dimensions[{j}].weight = {d.weight:g} must be above 0", path=path,
                                     field=f"{where}.dimensions[{j}].weight")
        total = sum(d.weight for d in dims)
        if abs(total - 100) > 1e-6:
            raise RoundFileError(f"{path.name}: {where} weights sum to {total:g}, not 100", path=path, field=f"{where}.dimensions.weight")
        rubric_id = _need(r, "id", str, where, path)
        summary = r.get("summary", "")
        if not isinstance(summary, str):
            raise RoundFileError(f"{path.name}: {where}.summary should be one line of text", path=path, field=f"{where}.summary")
        rubrics[rubric_id] = Rubric(rubric_id, r.get("title", rubric_id), tuple(dims), " ".join(summary.split()))
    dim_ids = {d.id for rb in rubrics.values() for d in rb.dimensions}

    traps = {}
    for i, t in enumerate(_need(data, "traps", list, "round", path)):
        where = f"traps[{i}]"
        caps = _caps(t.get("caps", {}), dim_ids, f"{where}.caps", path)
        tid = _need(t, "id", str, where, path)
        if tid in traps:
            raise RoundFileError(f"{path.name}: {where}.id {tid!r} is used by an earlier trap", path=path, field=f"{where}.id")
        evidence = tuple(t.get("evidence", []))
        asked_slot = t.get("asked_slot", "")
        if asked_slot and asked_slot not in slot_ids:
            raise RoundFileError(f"{path.name}: {where}.asked_slot {asked_slot!r} is not one of the round's slots ({', '.join(sorted(slot_ids))})",
                                 path=path, field=f"{where}.asked_slot")
        traps[tid] = Trap(tid, _need(t, "name", str, where, path), t.get("description", ""), caps,
                          _condition(_need(t, "when", (list, str), where, path), f"{where}.when", path), evidence,
                          bool(t.get("absence", False)), asked_slot)

    scoring = dict(data.get("scoring", {}))
    caps_list = []
    for i, c in enumerate(scoring.get("caps", [])):
        where = f"scoring.caps[{i}]"
        caps = _caps(_need(c, "caps", dict, where, path), dim_ids, f"{where}.caps", path)
        description = c.get("description", "")
        if not isinstance(description, str):
            raise RoundFileError(f"{path.name}: {where}.description should be one line of text", path=path, field=f"{where}.description")
        fit = c.get("fit", "")
        if not isinstance(fit, str):
            raise RoundFileError(f"{path.name}: {where}.fit should be the id of an interviewer fit problem, e.g. \"won\"", path=path,
                                 field=f"{where}.fit")
        caps_list.append(ConditionalCap(_need(c, "reason", str, where, path), _condition(_need(c, "when", (list, str), where, path),
                                                                                          f"{where}.when", path), caps,
                                        " ".join(description.split()), fit))
    scoring["caps"] = tuple(caps_list)
    if scoring.get("tier_rounding", "nearest") not in ("nearest", "up"):
        raise RoundFileError(f"{path.name}: scoring.tier_rounding should be \"nearest\" or \"up\", got {scoring['tier_rounding']!r}",
                             path=path, field="scoring.tier_rounding")
    if scoring.get("primary_rubric", next(iter(rubrics))) not in rubrics:
        raise RoundFileError(f"{path.name}: scoring.primary_rubric names unknown rubric {scoring['primary_rubric']!r}", path=path,
                             field="scoring.primary_rubric")
    if not tier_model:
        scoring.pop("tier_model", None)
    if "tier_model" in scoring:  # the tiers learned from the round's labelled corpus (rounds/tier_model.py)
        model_path = _model_file(scoring, "tier_model", path)
        try:
            model = load_tier_model(model_path)
        except TierModelError as exc:
            raise RoundFileError(f"{path.name}: scoring.tier_model: {exc}", path=path, field="scoring.tier_model") from exc
        stray = sorted(set(model.dimensions) - dim_ids)
        if stray:
            raise RoundFileError(f"{path.name}: scoring.tier_model has weights for unknown dimension {stray[0]!r}", path=path,
                                 field="scoring.tier_model")
        scoring["tier_model"] = model
    lexicons = _lexicons(data, path)
    if "meaning_model" in scoring:  # cues read by meaning as well as by lexicon (rounds/meaning_model.py)
        model_path = _model_file(scoring, "meaning_model", path)
        try:
            meaning = load_meaning_model(model_path)
        except MeaningModelError as exc:
            raise RoundFileError(f"{path.name}: scoring.meaning_model: {exc}", path=path, field="scoring.meaning_model") from exc
        stray = sorted(set(meaning.cues) - set(scoring.get("cue_features", {})))
        if stray:
            raise RoundFileError(f"{path.name}: scoring.meaning_model reads cue {stray[0]!r}, which is not in scoring.cue_features",
                                 path=path, field="scoring.meaning_model")
        stray = sorted(set(meaning.traps) - set(traps))
        if stray:
            raise RoundFileError(f"{path.name}: scoring.meaning_model reads trap {stray[0]!r}, which is not one of the round's traps",
                                 path=path, field="scoring.meaning_model")
        bad = next((p for c in meaning.cues.values() for p in (c.phases or ()) if p not in phases), None)
        bad = bad or next((p for t in meaning.traps.values() for p in t.phases if p not in phases), None)
        if bad is not None:
            raise RoundFileError(f"{path.name}: scoring.meaning_model names unknown phase {bad!r}", path=path, field="scoring.meaning_model")
        scoring["meaning_model"] = meaning
    for name, spec in scoring.get("cue_features", {}).items():
        spec = spec if isinstance(spec, dict) else {"lexicon": spec}
        names = [spec.get("lexicon")] + [spec.get("unless")]
        names = [n for v in names for n in ([v] if isinstance(v, str) or v is None else v)]
        wanted = [spec["phase"]] if isinstance(spec.get("phase"), str) else spec.get("phase") or []
        if not isinstance(wanted, list) or any(p not in phases for p in wanted):
            raise RoundFileError(f"{path.name}: scoring.cue_features.{name}.phase {spec['phase']!r} is not a slot phase or a list of them "
                                 f"({', '.join(sorted(phases))})", path=path, field=f"scoring.cue_features.{name}")
        if spec.get("lexicon") is None:
            raise RoundFileError(f"{path.name}: scoring.cue_features.{name} needs a 'lexicon'", path=path, field=f"scoring.cue_features.{name}")
        for needed in names:
            if needed is not None and needed not in lexicons:
                raise RoundFileError(f"{path.name}: scoring.cue_features.{name} names unknown lexicon {needed!r}", path=path,
                                     field=f"scoring.cue_features.{name}")
    _check_interviewer(interviewer, slot_ids, phases, probes, path)
    for intent, probe in probes.items():
        if probe.needs is not None and probe.needs not in lexicons:
            raise RoundFileError(f"{path.name}: probe {intent}.needs names unknown lexicon {probe.needs!r}", path=path, field="probes.needs")

    return Round(
        id=rid, version=str(data.get("version", "1")), title=data.get("title", rid), card=card, timing=timing,
        interviewer=interviewer, slots=tuple(slots), probes=probes, rubrics=rubrics, traps=traps, path=path,
        scoring=scoring, lexicons=lexicons,
    )
