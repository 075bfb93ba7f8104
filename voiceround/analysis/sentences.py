"""Sentences of the candidate's turns, fillers stripped, and words."""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from voiceround.core.types import Transcript


@dataclass(frozen=True)
class Sentence:
    """A candidate sentence. ``turn``: 1-based turn number; ``start``/``end``: character offsets in
    the turn text; ``start_s``: estimated start second on the session timeline (the turn's start
    plus its share of the turn's duration by character position)."""

    turn: int
    index: int
    start: int
    end: int
    text: str
    start_s: float

    @property
    def lower(self) -> str:
        return self.text.lower()


FILLER_WORD = r"(?:um+|uh+|erm+|er|hmm+|mm+)"
# A title's period is not a sentence end ("our medical director, Dr. Alan Reyes", "Ms. Grant"): the
# look-behinds are fixed-width, one per title length.
_TITLE = r"(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bMrs\.)(?<!\bProf\.)"
_SENT_END = re.compile(rf"(?<=[.!?]){_TITLE}\s+(?=(?:{FILLER_WORD},?\s+)*[\"'A-Z0-9])", re.IGNORECASE)
# An abbreviation's period before a lower-case word ends no sentence ("I moved Thursday hours to 7
# p.m. in those 19 branches", "e.g. the night shift"); before a capital it may ("…closed at 7 p.m. The
# next day…"). Corpus dev: "7 p.m. in those 19 branches" was split off as a sentence of its own.
_ABBREVIATION = re.compile(r"\b(?:[ap]\.m|e\.g|i\.e|vs|approx|etc|incl|dept|no)\.\s+$", re.IGNORECASE)
_LOWER_NEXT = re.compile(r"\s*[a-z]")
_FILLER_STRIP = re.compile(rf"(?:(?<=\s)|^){FILLER_WORD}\b[,.]?\s*", re.IGNORECASE)


def strip_fillers(text: str) -> str:
    """``text`` without filled pauses ("um", "uh", "erm", "hmm"), so they never change content
    analysis; filler counts are kept separately (:func:`delivery`)."""
    out = _FILLER_STRIP.sub("", text)
    return re.sub(r"\s+([,.;!?])", r"\1", re.sub(r"\s{2,}", " ", out)).strip()


def split_sentences(transcript: Transcript, speaker: str = "candidate") -> list[Sentence]:
    """Split the given speaker's turns into sentences, in timeline order.

    Splits after ``.``, ``!`` or ``?`` followed by whitespace, optional fillers and a capital, digit
    or quote (decimals like "1.8" stay whole; a title such as "Dr." or "Ms." ends no sentence, nor does
    an abbreviation such as "p.m." or "e.g." before a lower-case word). ``Sentence.text`` has fillers removed
    (:func:`strip_fillers`); ``start``/``end`` index the raw turn text. Returns :class:`Sentence` objects.
    """
    out: list[Sentence] = []
    for number, turn in enumerate(transcript.turns, start=1):
        if turn.speaker != speaker or not turn.text.strip():
            continue
        text = turn.text
        bounds = [0] + [m.end() for m in _SENT_END.finditer(text)
                        if not (_ABBREVIATION.search(text, max(0, m.end() - 12), m.end()) and _LOWER_NEXT.match(text, m.end()))] + [len(text)]
        n = max(len(text), 1)
        for a, b in pairwise(bounds):
            piece = text[a:b]
            lead = len(piece) - len(piece.lstrip())
            s, e = a + lead, a + len(piece.rstrip())
            if e <= s:
                continue
            clean = strip_fillers(text[s:e])
            if not clean:
                continue
            start_s = round(turn.start_s + (turn.end_s - turn.start_s) * s / n, 3)
            out.append(Sentence(number, len(out), s, e, clean[0].upper() + clean[1:], start_s))
    return out


def words(text: str) -> list[str]:
    """Lower-case word tokens (letters, digits, apostrophes, %, $, decimal points)."""
    return re.findall(r"[a-z0-9$%][a-z0-9'%.,$]*", text.lower())


def split_text(text: str) -> list[str]:
    """Sentences of a plain string, split after ``.``, ``!`` or ``?`` followed by white space
    (for short texts: an answer to pushback, an interviewer turn before synthesis)."""
    return [p for p in re.split(r"(?<=[.!?])\s+", text.strip()) if p.strip()]
