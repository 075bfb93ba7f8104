"""Simulated candidates: case files (TOML story + one WAV per turn), as defined by
``../shared/cases/README.md``.

The runner uses a case only as a stand-in for a person at the microphone: it picks which turn's
audio to play next. The case's labels are never passed to the interviewer or the scorer.
"""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from voiceround.core.errors import CaseFileError
from voiceround.core.types import SPEAKING_RATE_WPS, Transcript, Turn
from voiceround.rounds import DEFAULT_ROUND, RoundFileError, load_round

TEXT_GAP_S = 1.0
CLOSING_TOPIC = "closing_questions"  # a case turn that answers the closing question (not part of the story)


@dataclass
class CaseTurn:
    """One turn of a case: its topic, text and audio file (``audio/ID.NN.wav``; may not exist)."""

    number: int
    topic: str
    text: str
    audio: Path


@dataclass
class Case:
    """A loaded case file. ``labels`` is the human reading, for evaluation only."""

    id: str
    path: Path
    turns: list[CaseTurn]
    labels: dict = field(default_factory=dict)
    summary: str = ""
    pair_of: str | None = None   # minimal pairs: the base case id this one changes in one way
    change: str | None = None    # ... and what the change is ("we", "nobaseline", "padding", ...)
    round: str = DEFAULT_ROUND   # the id of the round the story answers (its topics are that round's)
    round_ref: str = DEFAULT_ROUND  # what loads that round: a bundled id or a round file's absolute path


# A 20-minute round at 150-200 spoken words a minute is 3,000-4,000 words, about 20 KB; fifty times
# that is no answer, and scoring it (linear in its length, about 15 s per MB here) would look hung.
MAX_CASE_BYTES = 1_000_000


_FORMAT_HINT = "the format is in README.md ('To score an answer you wrote yourself') and ../shared/cases/README.md"


def load_case(path: str | Path, rnd=None, any_topic: bool = False) -> Case:
    """Load a case TOML. Its ``round`` (a bundled round id, or a round file's path relative to the
    case file; default ``disagree_and_commit``) names the round whose topics
    (:attr:`voiceround.rounds.Round.topics`) the turns use; ``rnd``, when given (``--round``), is
    used instead. Raises :class:`CaseFileError` for an unreadable file, one over
    :data:`MAX_CASE_BYTES`, bad TOML, an unknown round,
    or turns without a known topic or text. ``any_topic``: a topic the round doesn't know is kept
    as it is (scoring a text reads only what is said, so an answer written for one round can be
    scored on another: ``score --text FILE --round customer_obsession``)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_CASE_BYTES:
            raise CaseFileError(f"{path.name} is {size / 1e6:.1f} MB: a case file over {MAX_CASE_BYTES // 10**6} MB is not one "
                                "interview answer (a whole 20-minute round is about 20 KB of text)",
                                hint="check that this is the file you meant: an answer file holds one candidate's turns")
        raw = path.read_bytes()
    except OSError as exc:
        raise CaseFileError(f"cannot read case file {path}: {exc.strerror or exc}") from exc
    try:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, as Windows Notepad saves "Unicode"
            try:
                raw = raw.decode("utf-16").encode("utf-8")
            except UnicodeDecodeError as exc:  # a UTF-16 mark on what isn't UTF-16 (a new user's test: a traceback)
                raise CaseFileError(f"{path.name}: starts as UTF-16 text but is not UTF-16 (byte {exc.start} is not text); "
                                    "save it as UTF-8 text") from exc
        data = tomllib.loads(raw.decode("utf-8-sig"))  # a UTF-8 byte-order mark (Notepad) is fine
    except UnicodeDecodeError as exc:
        raise CaseFileError(f"{path.name}: not a text file in UTF-8 (byte {exc.start} is not text); "
                            "save it as UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CaseFileError(f"{path.name}: not a valid TOML case file: {exc}") from exc
    cid = data.get("id") or path.stem
    round_id = data.get("round", DEFAULT_ROUND)
    for key, value in (("id", cid), ("round", round_id)):
        if not isinstance(value, str):  # "round = 5" had ended in a traceback
            raise CaseFileError(f"{path.name}: {key} should be text in quotes, got {value!r}",
                                hint=f'e.g. {key} = "{path.stem if key == "id" else DEFAULT_ROUND}"')
    if round_id.endswith(".toml"):
        round_id = str((path.parent / round_id).resolve())
    round_ref = round_id
    if rnd is not None:
        round_id, topics = rnd.id, rnd.topics
    else:
        try:
            round_id, topics = _round_topics(round_id)
        except RoundFileError as exc:
            raise CaseFileError(f"{path.name}: {exc}", hint="name a bundled round id (`voiceround rounds`), a round file's "
                                "path relative to the case file, or give --round FILE") from exc
    raw = data.get("turns")
    if not isinstance(raw, list) or not raw:
        near = [k for k in data if k in ("turn", "Turns", "TURNS", "Turn", "answers", "answer")]  # [[turn]]: say what was found
        raise CaseFileError(f"{path.name}: a case needs at least one [[turns]] entry" + (f" (found [[{near[0]}]])" if near else ""),
                            hint=_FORMAT_HINT)
    turns = []
    for n, t in enumerate(raw, start=1):
        if not isinstance(t, dict):
            raise CaseFileError(f"{path.name}: turn {n} should be a [[turns]] table with topic and text, got {type(t).__name__}",
                                hint=_FORMAT_HINT)
        topic, text = t.get("topic"), t.get("text")
        if isinstance(topic, str) and topic.strip().lower() in topics:  # "Commitment", " outcome": the topic meant
            topic = topic.strip().lower()
        if topic is None and any_topic:  # scoring a text: a turn without a topic is part of the story
            topic = ""
        if topic is None:  # said plainly, not as Python's None (a new user's test: "unknown topic None")
            raise CaseFileError(f"{path.name}: turn {n} has no topic", hint=f"add topic = \"…\", one of {', '.join(topics)}")
        if topic not in topics and not any_topic:
            raise CaseFileError(f"{path.name}: turn {n} has unknown topic {topic!r} for round {round_id}",
                                hint=f"use one of {', '.join(topics)}")
        if text is not None and not isinstance(text, str):  # text = 42: say what is wrong, not "no text"
            raise CaseFileError(f"{path.name}: turn {n}'s text should be a quoted string, got {type(text).__name__} {text!r}",
                                hint='write text = "…" in quotes')
        if not isinstance(text, str) or not text.strip():
            other = sorted(k for k in t if k not in ("topic", "text"))  # txt = "…": say which key was there instead
            raise CaseFileError(f"{path.name}: turn {n} has no text" + (f" (it has {', '.join(map(repr, other))}, which a turn doesn't read)"
                                                                        if other else ""), hint='give each turn text = "…"')
        turns.append(CaseTurn(n, topic, text.strip(), _audio_path(path.parent / "audio", cid, n)))
    return Case(cid, path.resolve(), turns, data.get("labels", {}), data.get("summary", ""), data.get("pair_of"), data.get("change"),
                round_id, round_ref)


@functools.lru_cache(maxsize=16)
def _round_topics(round_id: str) -> tuple[str, tuple[str, ...]]:
    rnd = load_round(round_id)
    return rnd.id, rnd.topics


def _audio_path(folder: Path, cid: str, n: int) -> Path:
    """``audio/ID.NN.wav``, or ``.flac`` when only that exists (cases kept in the repository are FLAC)."""
    wav = folder / f"{cid}.{n:02d}.wav"
    flac = wav.with_suffix(".flac")
    return flac if flac.exists() and not wav.exists() else wav


def check_audio(case: Case) -> None:
    """Check every turn's WAV exists and is readable audio before a round starts. Raises
    :class:`voiceround.core.errors.AudioError` naming the first bad file."""
    from voiceround.audio import read_audio
    for ct in case.turns:
        if not ct.audio.exists():
            from voiceround.core.errors import AudioError
            raise AudioError(f"case {case.id}: turn {ct.number} has no audio file {ct.audio}",
                             hint="speak the case with shared/tools/make_case_audio.py, or score its text with `voiceround score --text`")
        read_audio(ct.audio)


def text_transcript(case: Case, include_unknown: bool = False) -> Transcript:
    """The case's story as a candidate-only transcript, in file order, timed at 150 words/min with
    1 s gaps. The ``unknown`` fallback turn is left out unless ``include_unknown``."""
    tr = Transcript()
    t = 0.0
    for ct in case.turns:
        if ct.topic == CLOSING_TOPIC or (ct.topic == "unknown" and not include_unknown):
            continue
        dur = max(1.0, len(ct.text.split()) / SPEAKING_RATE_WPS)
        tr.add(Turn("candidate", ct.text, t, t + dur))
        t += dur + TEXT_GAP_S
    return tr


def text_items(cases: list[Case]) -> list[tuple[Case, Transcript]]:
    """``[(case, text transcript)]`` for scoring cases from their text (see :func:`text_transcript`);
    the input of :func:`voiceround.scoring.evaluate.evaluate`."""
    return [(c, text_transcript(c)) for c in cases]


class SimulatedCandidate:
    """Answers interviewer probes from a case, as a person telling that story would.

    Rule (issue spec): answer with the unused case turn whose topic best fits the probe, trying the
    probe's topics in order; fall back to the ``unknown`` turn (which may repeat), and in a case
    written without one, to the next untold turn of the story, as a person with nothing to add on
    the probe goes on with their story (a new user's case without an ``unknown`` turn fell silent at
    the first probe it had no turn for, and the round ended at 1:18 with the commitment and the
    outcome never told). The story is used up when every non-``unknown`` turn has been told.
    """

    def __init__(self, case: Case):
        self.case = case
        self.used: set[int] = set()

    def answer(self, topics: tuple[str, ...] | list[str], fallback: bool = True) -> CaseTurn | None:
        """The case turn that answers a probe with the given preferred ``topics``; None if the case
        has no fitting turn, no ``unknown`` turn and no untold turn left (or ``fallback`` is False:
        the closing question is answered only by a turn written for it)."""
        for topic in topics:
            for ct in self.case.turns:
                if ct.topic == topic and topic != "unknown" and ct.number not in self.used:
                    self.used.add(ct.number)
                    return ct
        if not fallback:
            return None
        unknown = next((ct for ct in self.case.turns if ct.topic == "unknown"), None)
        if unknown is not None:
            return unknown
        untold = next((ct for ct in self.case.turns if ct.number not in self.used and ct.topic != CLOSING_TOPIC), None)
        if untold is not None:
            self.used.add(untold.number)
        return untold

    @property
    def story_used_up(self) -> bool:
        """True once every non-``unknown`` turn has been told."""
        return all(ct.number in self.used for ct in self.case.turns if ct.topic not in ("unknown", CLOSING_TOPIC))


def wer_pairs(result: dict, case: Case) -> tuple[list[str], list[str]]:
    """``(references, hypotheses)`` for word error rate: each candidate turn of a ``rehearse --json``
    ``result`` next to the text of the case turn it played (matched by topic, in order), both
    normalised with :func:`voiceround.analysis.normalize.normalize_for_wer`."""
    from voiceround.analysis.normalize import normalize_for_wer
    refs, hyps, used = [], [], set()
    for t in result["turns"]:
        if t["speaker"] != "candidate":
            continue
        ct = next(c for c in case.turns if c.topic == t["topic"] and (c.number not in used or c.topic == "unknown"))
        used.add(ct.number)
        refs.append(normalize_for_wer(ct.text))
        hyps.append(normalize_for_wer(t["text"]))
    return refs, hyps
