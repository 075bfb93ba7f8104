"""Cue matching. The lexicons themselves are data: ``voiceround/rounds/lexicons/*.toml``, named by a
round file and passed in as the round's :class:`~voiceround.rounds.Lexicons`; only fillers (speech,
not story) are defined here."""
from __future__ import annotations

import re
from functools import lru_cache

from voiceround.analysis.sentences import FILLER_WORD, Sentence


def customer_friction(text: str, lexicons) -> bool:
    """Whether a sentence ties a problem to the end user: a ``user_friction`` match, or a
    ``system_friction`` match in the same sentence as a ``customer`` word. ``lexicons``: the round's
    :class:`~voiceround.rounds.Lexicons` (name → compiled pattern)."""
    return bool(lexicons["user_friction"].search(text)
                or (lexicons["system_friction"].search(text) and lexicons["customer"].search(text)))


# "you know" is a filler when nothing it governs follows ("we shipped it, you know.", "it was, you know,
# slow"), not when it is the verb of the sentence ("Okay, you know best", "you know what she said",
# "you know the drill").
_YOU_KNOW_VERB = r"(?:best|better|more|less|what|how|why|when|where|who|whether|if|that|this|it|him|her|them|me|us|the|a|an|about|each|everyone|your|my|our|their)"
FILLERS = re.compile(rf"\b{FILLER_WORD}\b|\byou know\b(?!\s+{_YOU_KNOW_VERB}\b)", re.IGNORECASE)


# Spoken hedges that leave what is said unchanged ("I didn't really push it further", "he kind of
# laughed and said", "I honestly just let it go"): cues are also matched with them taken out, so a
# lexicon entry needn't list every hedge a speaker puts inside it.
HEDGES = re.compile(r"\b(?:really|kind of|sort of|actually|honestly|basically|just|pretty much|even|simply|literally)\s+", re.IGNORECASE)


@lru_cache(maxsize=4096)
def unhedged(text: str) -> tuple[str, tuple[int, ...]]:
    """``text`` without :data:`HEDGES`, and for each character of it the index of the same
    character in ``text`` (one past the end for the end). Cached: every lexicon's cues are matched
    against the same sentences, and the planner re-reads the whole transcript each turn."""
    keep, out, last = [], [], 0
    for m in HEDGES.finditer(text):
        out.append(text[last:m.start()])
        keep.extend(range(last, m.start()))
        last = m.end()
    out.append(text[last:])
    keep.extend(range(last, len(text)))
    keep.append(len(text))
    return "".join(out), tuple(keep)


def cue_spans(pattern: re.Pattern, sentences: list[Sentence]) -> list[tuple[Sentence, int, int]]:
    """Every match of ``pattern`` in ``sentences`` as ``(sentence, start, end)`` character spans of
    ``sentence.text``: matches in the text as said, then those found only once the spoken hedges
    are taken out (:func:`unhedged`), mapped back to the text as said."""
    out = []
    for s in sentences:
        spans = [(m.start(), m.end()) for m in pattern.finditer(s.text)]
        bare, at = unhedged(s.text)
        if len(bare) != len(s.text):
            for m in pattern.finditer(bare):
                a, b = at[m.start()], at[m.end()]
                if not any(x < b and a < y for x, y in spans):
                    spans.append((a, b))
        out += [(s, a, b) for a, b in sorted(spans)]
    return out
