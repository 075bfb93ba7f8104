"""Transcript and Turn: the data every layer passes around (events: :mod:`voiceround.core.events`).

Times are seconds on the session timeline (0 = round start), rounded to milliseconds so that a
transcript read back from storage is identical to the one held in memory.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

# Conversational English: about 150 words per minute (Yuan, Liberman & Cieri 2006, "Towards an
# integrated understanding of speaking rate in conversation", Interspeech). Used to time text-only
# transcripts and typed answers.
SPEAKING_RATE_WPS = 2.5
# Whisper's own threshold for a failed decode is an average log-probability below -1.0 (openai/whisper
# transcribe.py ``logprob_threshold``; faster-whisper keeps the same default). A kept turn whose worst
# segment scored in the band just above it, below this (``Turn.meta["stt_min_avg_logprob"]``), may
# hold misheard words: the scorecard marks its quotes "may be misheard", and the interviewer does not
# quote it back.
UNSURE_LOGPROB = -0.8

Speaker = Literal["interviewer", "candidate"]
SPEAKERS = ("interviewer", "candidate")


def ms(t: float) -> float:
    """Round seconds to whole milliseconds (the timeline's resolution)."""
    return round(float(t), 3)


@dataclass
class Turn:
    """One speaker's turn.

    ``start_s``/``end_s``: seconds on the session timeline. ``intent``: the interviewer's probe intent
    (None for candidate turns). ``topic``: for simulated candidates, the case topic that was played
    (bookkeeping only; the scorer never reads it). ``meta``: free JSON-able details (quote probed,
    STT confidence, whether the turn was cut off).
    """

    speaker: Speaker
    text: str
    start_s: float
    end_s: float
    intent: str | None = None
    topic: str | None = None
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.speaker not in SPEAKERS:
            raise ValueError(f"speaker must be one of {SPEAKERS}, got {self.speaker!r}")
        self.start_s, self.end_s = ms(self.start_s), ms(self.end_s)
        if self.end_s < self.start_s:
            raise ValueError(f"turn ends ({self.end_s}) before it starts ({self.start_s})")

    @property
    def duration_s(self) -> float:
        """Length of the turn in seconds."""
        return self.end_s - self.start_s

    def to_dict(self) -> dict:
        """JSON-able dict with keys speaker, text, start_s, end_s, intent, topic, meta."""
        return asdict(self)


@dataclass
class Transcript:
    """The ordered turns of one session. Turn numbers shown to users are 1-based list positions."""

    turns: list[Turn] = field(default_factory=list)

    def add(self, turn: Turn) -> int:
        """Append ``turn``; return its 1-based turn number."""
        self.turns.append(turn)
        return len(self.turns)

    def candidate_turns(self) -> list[tuple[int, Turn]]:
        """``[(turn_number, turn)]`` for the candidate's turns, turn numbers 1-based."""
        return [(i, t) for i, t in enumerate(self.turns, start=1) if t.speaker == "candidate"]

    def interviewer_turns(self) -> list[tuple[int, Turn]]:
        """``[(turn_number, turn)]`` for the interviewer's turns, turn numbers 1-based."""
        return [(i, t) for i, t in enumerate(self.turns, start=1) if t.speaker == "interviewer"]

    # Interviewer intents after which the candidate's answers are not part of the scored story.
    STORY_ENDS = ("ask_second_example", "wrap_up")

    def story(self) -> "Transcript":
        """The part the scorecard reads: the turns up to and including the interviewer turn that
        asked for a second example (``ask_second_example``) or the closing question (``wrap_up``).
        Answers after it stay in the session but are not scored: a round is scored on its first
        story (issue "The round lasts its 20 minutes"), and questions for the interviewer are not
        part of it. Turn numbers are unchanged (a prefix)."""
        for i, t in enumerate(self.turns):
            if t.speaker == "interviewer" and t.intent in self.STORY_ENDS:
                return Transcript(self.turns[:i + 1])
        return self

    FIT_CLAIM = "fit:"  # an interviewer turn's meta claim "fit:<problem>": the story was redirected

    def fit_redirects(self) -> list[str]:
        """The problems for which the interviewer redirected the story (``voiceround.interviewer.fit``:
        "won", "hypothetical", …), in order, read from its turns' meta claim ``fit:<problem>``."""
        return [str(t.meta["claim"])[len(self.FIT_CLAIM):] for _, t in self.interviewer_turns()
                if str(t.meta.get("claim", "")).startswith(self.FIT_CLAIM)]

    @property
    def end_s(self) -> float:
        """End of the last turn in seconds (0.0 when empty)."""
        return max((t.end_s for t in self.turns), default=0.0)

    @classmethod
    def from_dicts(cls, rows: list[dict]) -> "Transcript":
        """Build from ``Turn.to_dict()`` rows (extra keys are ignored)."""
        keys = ("speaker", "text", "start_s", "end_s", "intent", "topic", "meta")
        return cls([Turn(**{k: r.get(k) if k != "meta" else (r.get("meta") or {}) for k in keys}) for r in rows])
