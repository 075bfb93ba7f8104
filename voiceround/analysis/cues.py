"""Cue matching. The lexicons themselves are data: ``voiceround/rounds/lexicons/*.toml``, named by a
round file and passed in as the round's :class:`~voiceround.rounds.Lexicons`; only fillers (speech,
not story) are defined here."""
from __future__ import annotations

import re

from voiceround.analysis.sentences import FILLER_WORD, Sentence


def customer_friction(text: str, lexicons) -> bool:
    """Whether a sentence ties a problem to the end user: a ``user_friction`` match, or a
    ``system_friction`` match in the same sentence as a ``customer`` word. ``lexicons``: the round's
    :class:`~voiceround.rounds.Lexicons` (name → compiled pattern)."""
    return bool(lexicons["user_friction"].search(text)
                or (lexicons["system_friction"].search(text) and lexicons["customer"].search(text)))


FILLERS = re.compile(rf"\b{FILLER_WORD}\b|\byou know\b", re.IGNORECASE)


def cue_spans(pattern: re.Pattern, sentences: list[Sentence]) -> list[tuple[Sentence, int, int]]:
    """Every match of ``pattern`` in ``sentences`` as ``(sentence, start, end)`` character spans."""
    return [(s, m.start(), m.end()) for s in sentences for m in pattern.finditer(s.text)]
