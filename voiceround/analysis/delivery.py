"""Delivery analytics: words per minute, fillers, talk time."""
from __future__ import annotations

from dataclasses import dataclass, field

from voiceround.analysis.cues import FILLERS
from voiceround.analysis.sentences import words
from voiceround.core.types import Transcript


@dataclass
class Delivery:
    """Speaking analytics. ``wpm``: candidate words per minute of candidate speaking time;
    ``fillers``: filler counts by form (as transcribed: Whisper under-reports "um/uh");
    ``talk_share``: candidate speaking time / all speaking time (0-1)."""

    words: int = 0
    speaking_s: float = 0.0
    wpm: float = 0.0
    fillers: dict[str, int] = field(default_factory=dict)
    filler_rate_per_100_words: float = 0.0
    talk_share: float = 0.0


def delivery(transcript: Transcript) -> Delivery:
    """Compute :class:`Delivery` analytics from turn texts and times."""
    d = Delivery()
    cand = [t for t in transcript.turns if t.speaker == "candidate"]
    d.words = sum(len(words(t.text)) for t in cand)
    d.speaking_s = round(sum(t.duration_s for t in cand), 3)
    total = sum(t.duration_s for t in transcript.turns)
    d.wpm = round(d.words / (d.speaking_s / 60.0), 1) if d.speaking_s > 0 else 0.0
    counts: dict[str, int] = {}
    for t in cand:
        for m in FILLERS.finditer(t.text):
            form = m.group(0).lower()
            counts[form] = counts.get(form, 0) + 1
    d.fillers = dict(sorted(counts.items()))
    d.filler_rate_per_100_words = round(100.0 * sum(counts.values()) / d.words, 2) if d.words else 0.0
    d.talk_share = round(d.speaking_s / total, 3) if total > 0 else 0.0
    return d
