"""Consistency and backbone: conflicting baselines, the answer to pushback, abstraction drift."""
from __future__ import annotations

import re

from voiceround.analysis.claims import CLAIM, FROM_TO, UP_FROM, Claim, find_claims
from voiceround.analysis.sentences import Sentence, split_text, strip_fillers

# Hedged or corrected baselines: "It was, like, five days. Maybe six." / "more like two hundred a month before, not three hundred".
BASELINE_CORRECTION = re.compile(
    r"\bmore like\b[^.]{0,50}\bnot\b|\b(probably|actually) more like\b|\bthinking about it more\b|\bthan i said\b|\b(?:like|about) \w+ (?:days|weeks|months|percent|hours)\.\s*maybe \w+\b", re.IGNORECASE)


def baseline_conflicts(claims: list[Claim]) -> list[tuple[Claim, Claim]]:
    """Pairs of claims in different turns that report the same final value from different
    baselines ("from 14% to 9%" … later "from 12% to 9%"): the seed's "never invent a false
    baseline". Returns ``[(earlier, later)]``."""
    seen: dict[str, tuple[str, Claim]] = {}
    out = []
    for c in claims:
        m = FROM_TO.search(c.sentence.text) or UP_FROM.search(c.sentence.text)
        if not m:
            continue
        a, b = m.group("a").lower().strip(), m.group("b").lower().strip()
        if b in seen and seen[b][0] != a and seen[b][1].turn != c.turn:
            out.append((seen[b][1], c))
        seen.setdefault(b, (a, c))
    return out


def pushback_response(text: str, lexicons) -> str:
    """How a candidate answered a pushback: ``"folded"`` (conceded without reasoning),
    ``"held_with_data"`` (kept the position with numbers or reasons), ``"recalibrated"`` (conceded
    part and kept part), or ``"unclear"``. Rule-based on the answer's words and numbers, with the
    round's ``fold``, ``hold`` and ``recalibrate`` lexicons."""
    sents_ = [Sentence(1, i, 0, len(t), t, 0.0) for i, t in enumerate(split_text(text)) if t]
    has_numbers = bool(find_claims(sents_))
    folded, held, recal = (bool(lexicons[k].search(text)) for k in ("fold", "hold", "recalibrate"))
    if held and (recal or folded):
        return "recalibrated"
    if held or (has_numbers and not folded):
        return "held_with_data"
    if folded:
        return "folded"
    if recal:
        return "recalibrated"
    return "unclear"


def abstraction_drift(text: str, lexicons) -> bool:
    """Whether an answer in progress has drifted into abstraction for more than one sentence: its
    last two sentences both carry abstraction cues ("in general", "I always", "typically", "if
    you…", the round's ``abstraction`` lexicon), and neither states a number. Used to interrupt while
    the candidate is still talking."""
    parts = split_text(strip_fillers(text))
    if len(parts) < 2:
        return False
    last = parts[-2:]
    return all(lexicons["abstraction"].search(p) and not CLAIM.search(p) for p in last)
