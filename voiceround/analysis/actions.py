"""Who did what: "I" and "we" action statements."""
from __future__ import annotations

import re
from dataclasses import dataclass

from voiceround.analysis.sentences import Sentence

_ADVERBS = r"(?:all|just|also|personally|then|quickly|really|actually|even|still|immediately|finally|basically|mostly|later|first|myself|ourselves|both)"
_NON_ACTION = {
    "felt", "thought", "believed", "knew", "liked", "wanted", "agreed", "learned", "remembered", "disagreed",
    "decided", "needed", "hoped", "figured", "guessed", "assumed", "expected", "realized", "realised",
    "understood", "worried", "feared", "preferred", "loved", "hated", "wished", "tried", "seemed", "used",
    "called", "supposed", "based", "concerned", "interested", "excited", "surprised", "disappointed", "named",
    "red", "need", "bed", "shed", "wed", "had", "were", "was", "did", "ended", "started",
    # what was not done ("I refused to write the help article" had counted as a commitment action)
    "refused", "declined", "failed", "neglected", "forgot", "avoided",
    # a stance, not a thing done: "I committed to it. I fully committed… I committed one hundred
    # percent." had read as four concrete actions (a new user's padded answer: Execution Commitment 4)
    "committed", "accepted", "embraced", "backed", "respected", "owned",
}
_ACTION_IRREGULAR = {
    "built", "wrote", "made", "ran", "took", "set", "led", "drove", "found", "brought", "sent", "put", "got",
    "gave", "told", "spoke", "met", "kept", "cut", "shipped", "rewrote", "dug", "fought", "sat", "held", "paid",
    "won", "lost", "went", "began", "chose", "did", "stood", "ate", "rang", "caught", "taught", "sought", "saw",
    # more irregular pasts of things done (corpus w9: "After that I threw myself into it")
    "threw", "drew", "sold", "bought", "spent", "split", "shut", "quit", "rebuilt", "redid", "redrew", "oversaw",
    "withdrew", "broke", "froze", "shook", "undertook", "hung", "struck", "fed", "laid", "left", "dealt", "upheld",
    "rode", "flew",
}
# "did" with a thing done after it is an action ("I did a briefing every night", "I did all the
# rotas"); as an auxiliary ("I did push", "I did not") or a pro-verb ("I did") it is not. So is
# "called" with whom ("I called the three carriers myself"), not "we called it Phoenix".
_DID_OBJECT = re.compile(r"\s+(?:a|an|the|my|all|every|each|some|most|half|both|\d+|two|three|four|five|six|ten)\b")
_MODAL_ACTION = re.compile(rf"\b(?P<who>i|we)(?:'ll| will)\s+(?:{_ADVERBS}\s+)*(?P<verb>[a-z]+)\b")
_SUBJ_VERB = re.compile(rf"\b(?P<who>i|we)\s+(?:{_ADVERBS}\s+)*(?P<verb>[a-z]+)\b(?!')")
# More verbs of the same doer in one sentence ("I wrote the pricing copy, set up the dashboards and
# briefed the support team": three actions, not one), joined by a comma or "and", no new subject.
_NEXT_VERB = re.compile(rf"(?:,\s*(?:and\s+|then\s+)?|\s+and\s+(?:then\s+)?)(?:{_ADVERBS}\s+)*(?P<verb>[a-z]+)\b(?!')")
_CLAUSE_END = re.compile(r"[;:]|\b(?:because|but|so|which|who|when|while|after|before|until|if|since|although|though)\b|\b(?:he|she|they|we|i|you)\b")


@dataclass(frozen=True)
class Action:
    """An action statement: ``who`` ("i" or "we") did ``verb``; ``start``/``end`` index the sentence."""

    sentence: Sentence
    who: str
    verb: str
    start: int
    end: int


def _is_action_verb(verb: str) -> bool:
    if verb in _NON_ACTION:
        return False
    return verb in _ACTION_IRREGULAR or (verb.endswith("ed") and len(verb) > 4)


def find_actions(sentences: list[Sentence]) -> list[Action]:
    """Action statements ("I built", "we shipped", "I'll own") in ``sentences``.

    Judged on who did what, not on raw pronoun counts: cognition and feeling verbs ("we felt",
    "I thought") and group decisions ("we decided") are not actions. Returns :class:`Action` list.
    """
    out: list[Action] = []
    for s in sentences:
        low = s.lower
        seen: set[int] = set()
        for m in _MODAL_ACTION.finditer(low):
            verb = m.group("verb")
            # "I'll own it" is a commitment; "we will fail" is a prediction, not a team action.
            if m.group("who") == "i" and verb not in {"be", "have", "need", "want", "try", "think", "feel", "see"}:
                out.append(Action(s, m.group("who"), verb, m.start(), m.end()))
                seen.add(m.start())
        for m in _SUBJ_VERB.finditer(low):
            if m.start() in seen:
                continue
            verb = m.group("verb")
            if _is_action_verb(verb) or (verb in ("did", "called") and _DID_OBJECT.match(low, m.end())):
                out.append(Action(s, m.group("who"), verb, m.start(), m.end()))
                out.extend(_coordinated(s, low, m.group("who"), m.end()))
    return out


def _coordinated(s: Sentence, low: str, who: str, pos: int) -> list[Action]:
    """The further actions of ``who`` joined to the one ending at ``pos`` in ``low`` (``s.lower``):
    past-tense action verbs after a comma or "and", up to a new subject or clause ("because",
    "but", "she"…). "I wrote the copy, set up the dashboards and briefed the team" → set, briefed."""
    out: list[Action] = []
    stop = _CLAUSE_END.search(low, pos)
    end = stop.start() if stop else len(low)
    for m in _NEXT_VERB.finditer(low, pos, end):
        verb = m.group("verb")
        if _is_action_verb(verb):
            out.append(Action(s, who, verb, m.start("verb"), m.end()))
    return out
