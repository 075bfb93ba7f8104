"""Is an answer in English? VoiceRound's scorer reads English only (its cue lexicons, number words
and the STT model's forced language are English); an answer in another language would be scored
as if it said nothing, silently. This flags it so the scorecard can say so.

The test is the share of words that are among the most common English function words (articles,
pronouns, prepositions, auxiliaries): about 40-50% in spoken English, 28% at the lowest across the
labelled corpus's 580 answers (``tests/data/corpus``, terse and second-language answers included),
and 0-6% in French, Spanish and German answers of the same story.
"""
from __future__ import annotations

import re

# The most frequent English function words (any English frequency list opens with them).
FUNCTION_WORDS = frozenset(
    "the a an and or but so i we you he she they it is was were be been to of in on at for with that this my our "
    "his her their not no as by from had have has did do what when then there just about".split())
# Below this share of function words (and over MIN_WORDS words) an answer is not read as English:
# half the corpus's lowest (0.28), five times the highest of the non-English samples (0.06).
MIN_ENGLISH_SHARE = 0.15
MIN_WORDS = 30
# One turn is shorter and varies more: across the corpus's and the cases' 15,128 turns of 15 words or
# more the lowest share is 0.12 (a terse 25-word turn), so a turn is read as not English only below
# 0.07 (the non-English samples: 0-0.06), from 15 words (a new user's 28-word German turn was too
# short to tell at 30).
MIN_ENGLISH_SHARE_TURN = 0.07
MIN_WORDS_TURN = 15
# A shorter turn (from 8 words) says too little by its English alone (a terse English turn, "Project
# shipped. A bit late. Contractors rolled off after.", has 0.11; the corpus's lowest of 480 such
# turns is 0.09): it is read as not English only when, besides, a fifth of its words are common
# function words of German, Spanish, French, Italian, Portuguese or Dutch (a new user's 14-word German
# commitment, "Nachdem sie entschieden hatte, schrieb ich das Rollback-Handbuch…", had gone unnamed).
MIN_WORDS_SHORT_TURN = 8
MIN_OTHER_SHARE_SHORT_TURN = 0.2
OTHER_FUNCTION_WORDS = frozenset(
    "und der das ich nicht ein eine einen sie wir ist war mit auf dem den zu von auch aber nachdem hatte "
    "el la los las y que en con por para una es fue pero del lo yo nosotros "
    "le les et est une des du je nous il elle avec pour pas mais sur "
    "il che di non per della sono ho "
    "não com uma para os foi mas eu nós "
    "het een van ik niet wij maar".split()) - FUNCTION_WORDS
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


MIN_LETTERS = 60  # letters enough to tell the script of a text written without spaces (about 30 Chinese characters)


MIN_LETTERS_TURN = 12  # one turn in another script: a short sentence ("一旦决定，我就写了发布计划" is 12 letters)


def _other_script(text: str, min_letters: int) -> bool:
    """Whether ``text`` has ``min_letters`` letters or more, most of them outside the Latin alphabet."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= min_letters and sum(c.isascii() or "\u00c0" <= c <= "\u024f" for c in letters) < len(letters) / 2


def english_share(text: str, min_words: int = MIN_WORDS) -> float | None:
    """The share (0-1) of ``text``'s words that are common English function words, or None when it
    has fewer than ``min_words`` words (too short to tell; :data:`MIN_WORDS` for a whole answer). A text of :data:`MIN_LETTERS`
    letters or more, most of them outside the Latin alphabet (Chinese, Japanese, Arabic, Cyrillic…,
    where words are few or not spaced), has share 0.0: a new user's Chinese answer had passed as too
    short to tell."""
    if _other_script(text, MIN_LETTERS):
        return 0.0
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < min_words:
        return None
    return sum(w in FUNCTION_WORDS for w in words) / len(words)


def looks_english(text: str) -> bool:
    """False when ``text`` is long enough to tell and its :func:`english_share` is below
    :data:`MIN_ENGLISH_SHARE`; True otherwise (short text is given the benefit of the doubt)."""
    share = english_share(text)
    return share is None or share >= MIN_ENGLISH_SHARE


def turn_not_english(text: str) -> bool:
    """Whether one turn reads as not English: from :data:`MIN_WORDS_TURN` words, an English
    :func:`english_share` below :data:`MIN_ENGLISH_SHARE_TURN`; from :data:`MIN_WORDS_SHORT_TURN`
    words, that and a :data:`MIN_OTHER_SHARE_SHORT_TURN` share of :data:`OTHER_FUNCTION_WORDS`.
    Shorter turns are given the benefit of the doubt (False), except a turn of
    :data:`MIN_LETTERS_TURN` letters or more mostly outside the Latin alphabet (a new user's
    Chinese turn of 22 characters was dropped with no word on the scorecard)."""
    if _other_script(text, MIN_LETTERS_TURN):
        return True
    share = english_share(text, MIN_WORDS_TURN)
    if share is not None:
        return share < MIN_ENGLISH_SHARE_TURN
    share = english_share(text, MIN_WORDS_SHORT_TURN)
    if share is None or share >= MIN_ENGLISH_SHARE_TURN:
        return False
    words = [w.lower() for w in _WORD.findall(text)]
    return sum(w in OTHER_FUNCTION_WORDS for w in words) / len(words) >= MIN_OTHER_SHARE_SHORT_TURN
