"""Checks on interviewer wording, used for every turn and for any LLM rewording.

Rules (seed "How the AI behaves" and DESIGN.md): exactly one question, and it ends the turn; no
praise or validation words (the round file's ``interviewer.forbidden`` list); at most
``MAX_WORDS`` words; a probe that quotes the candidate keeps the quoted phrase.
"""
from __future__ import annotations

import re

from voiceround.rounds.model import asks_two_things  # a rule of question templates, checked on load too

MAX_WORDS = 35
MIN_OVERLAP = 0.6  # share of the probe's content words a rewording must keep (same intent)


_QUOTED = re.compile(r"(?:(?<=\s)|^)'(.+?)'(?=[\s.,;:?!]|$)")


def quoted_spans(text: str) -> list[str]:
    """Phrases inside single quotes (apostrophes inside words, as in "that's", are not quotes)."""
    return _QUOTED.findall(text)


def praise_found(text: str, forbidden: list[str]) -> str | None:
    """The first forbidden praise word or phrase in ``text`` (whole-word, case-insensitive), or None."""
    low = text.lower()
    for phrase in forbidden:
        if re.search(rf"(?<![a-z']){re.escape(phrase.lower())}(?![a-z'])", low):
            return phrase
    return None


def check_turn(text: str, forbidden: list[str]) -> str | None:
    """Why ``text`` is not an acceptable interviewer turn, or None if it is.

    Checks: exactly one ``?`` and it is the last character; it asks one thing (no
    :func:`~voiceround.rounds.model.asks_two_things`: "…, and how…"); no praise.
    """
    t = text.strip()
    if t.count("?") != 1 or not t.endswith("?"):
        return "must end with exactly one question"
    if asks_two_things(t):
        return "asks two things at once"
    word = praise_found(t, forbidden)
    if word:
        return f"contains praise ({word!r})"
    return None


def check_rewording(original: str, reworded: str, quote: str | None, forbidden: list[str], keep=()) -> str | None:
    """Why an LLM ``reworded`` probe must be rejected in favour of ``original``, or None to accept.

    Checks :func:`check_turn`, at most ``MAX_WORDS`` words, the quoted phrase kept verbatim
    (case-insensitive), no quotation added when the probe quoted nothing, at least ``MIN_OVERLAP`` of the
    probe's content words (4+ letters) kept (same intent), and no new numbers that the original
    didn't contain (no presupposed facts). ``keep``: the probe's compiled intent patterns (round
    file ``probes.keep``); each must match. The rewording must also keep the probe's number of
    sentences (SmolLM2-135M tends to merge them into fragments).
    """
    why = check_turn(reworded, forbidden)
    if why:
        return why
    sentences = lambda t: len(re.findall(r"[.!?](?:\s|$)", t.strip()))  # noqa: E731
    if sentences(reworded) != sentences(original):
        return "changed the number of sentences"
    for pattern in keep:
        if not pattern.search(reworded):
            return f"lost the probe's intent (no match for {pattern.pattern!r})"
    if len(reworded.split()) > MAX_WORDS:
        return f"longer than {MAX_WORDS} words"
    if quote:
        spans = quoted_spans(reworded)
        if quote.lower() not in reworded.lower():
            return "dropped the quoted phrase"
        if any(s.strip().lower() != quote.lower() for s in spans):
            return "changed the candidate's quoted words"
    if not quote and re.search(r"['\"‘’“”]\s*\w", reworded) and "'" not in original.replace("'s", "").replace("n't", ""):
        return "added a quotation the candidate didn't say"
    new_numbers = set(re.findall(r"\d+(?:\.\d+)?", reworded)) - set(re.findall(r"\d+(?:\.\d+)?", original))
    if new_numbers:
        return "introduced numbers the candidate didn't say"
    content = lambda t: {w for w in re.findall(r"[a-z]+", t.lower()) if len(w) > 3}  # noqa: E731
    base = content(original)
    if base and len(base & content(reworded)) / len(base) < MIN_OVERLAP:
        return "drifted from the original probe"
    return None


def leading_reason(text: str, candidate_said: str, presuppositions: list[str]) -> str | None:
    """Why an interviewer turn is a leading question, or None.

    Leading = it quotes words the candidate never said, states a number the candidate never said,
    or uses a presupposing phrase (round file ``interviewer.presuppositions``) the candidate hasn't
    used first. ``candidate_said``: everything the candidate said before this turn.
    """
    from voiceround.analysis import strip_fillers

    def plain(t: str) -> str:  # compare words, not punctuation
        return " ".join(re.findall(r"[a-z0-9%$']+(?:\.\d+)?", strip_fillers(t).lower()))
    said = plain(candidate_said)
    for q in quoted_spans(text):
        if plain(q) not in said:
            return f"quotes words the candidate didn't say: {q!r}"
    for n in re.findall(r"\d+(?:\.\d+)?", text):
        if n not in said:
            return f"states a number the candidate didn't say: {n}"
    low = text.lower()
    for phrase in presuppositions:
        if phrase.lower() in low and phrase.lower() not in said:
            return f"presupposes {phrase!r}"
    return None
