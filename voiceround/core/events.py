"""What happens in a round, as typed, frozen events: one timestamped stream per session.

The session runner emits them; storage keeps the ``stored`` ones (``kind`` + JSON ``data``); the UI
and the CLI react to them; the latency figures of a round are computed from them alone
(:func:`stage_rows`, :func:`barge_in_stop_ms`). Times: ``t_s`` is seconds on the session timeline
(0 = round start, the recorded WAV's clock); durations carry their unit in the field name
(``_s`` seconds, ``_ms`` milliseconds).

To add an event: subclass :class:`Event` with a unique ``kind`` and JSON-able fields.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import ClassVar


@dataclass(frozen=True)
class Event:
    """Base class. ``t_s``: session-timeline seconds. ``kind``: the stable name stored with it.
    ``stored``: False for display-only events (mic level, partial text), which are not recorded."""

    t_s: float
    kind: ClassVar[str] = "event"
    stored: ClassVar[bool] = True

    @property
    def data(self) -> dict:
        """The JSON-able payload: every field but ``t_s``."""
        d = asdict(self)
        d.pop("t_s")
        return d

    def to_row(self) -> dict:
        """``{"kind", "t_s", "data"}`` as stored."""
        return {"kind": self.kind, "t_s": round(self.t_s, 3), "data": self.data}


@dataclass(frozen=True)
class RoundStarted(Event):
    kind: ClassVar[str] = "round_start"
    round_id: str = ""
    source: str = ""


@dataclass(frozen=True)
class SpeechStarted(Event):
    """The candidate started speaking (VAD onset)."""

    kind: ClassVar[str] = "speech_start"


@dataclass(frozen=True)
class SpeechEnded(Event):
    """The candidate's last voiced frame before an endpoint."""

    kind: ClassVar[str] = "speech_end"


@dataclass(frozen=True)
class EndpointReached(Event):
    """The candidate's turn was judged over: ``pause_s`` of silence after the speech;
    ``reason`` is empty for a normal endpoint, or "monologue"/"abstraction" for an interruption."""

    kind: ClassVar[str] = "endpoint"
    pause_s: float = 0.0
    reason: str = ""


@dataclass(frozen=True)
class SttFinal(Event):
    """The final transcript of a candidate turn."""

    kind: ClassVar[str] = "stt_final"
    text: str = ""


@dataclass(frozen=True)
class NoSpeech(Event):
    """Listening ended with nothing transcribed (silence, noise, or gated by STT confidence)."""

    kind: ClassVar[str] = "no_speech"
    reason: str = ""


@dataclass(frozen=True)
class PlannerDecided(Event):
    """The interviewer's next action: its probe ``intent`` and why."""

    kind: ClassVar[str] = "planner"
    intent: str = ""
    reason: str = ""


@dataclass(frozen=True)
class TtsReady(Event):
    """The first sentence of the interviewer's turn is synthesized (``synth_s`` seconds of compute)."""

    kind: ClassVar[str] = "tts_ready"
    synth_s: float = 0.0


@dataclass(frozen=True)
class SpokeAhead(Event):
    """A question's first sentence had been synthesized ahead, at a gap in the answer (speak-ahead).
    ``used``: the final plan said the same words, so that audio was played; else it was dropped."""

    kind: ClassVar[str] = "spoke_ahead"
    used: bool = False


@dataclass(frozen=True)
class FirstSample(Event):
    """The interviewer's first sample after a candidate endpoint, with the per-stage times (s).

    ``voice_to_voice_s`` = ``endpoint_wait_s`` (silence waited before the endpoint) + ``input_lag_s``
    (how far behind the microphone the endpoint was found: frames still queued, and the echo
    canceller's hold-back) + compute from the endpoint to the first sample (``stt_tail_s`` +
    ``planner_s`` + ``llm_s`` + ``tts_first_s``).
    ``compute_s``: wall seconds from the end of the candidate's turn to the first sample.
    ``from_speech``: False after a typed answer (no stage times then)."""

    kind: ClassVar[str] = "first_sample"
    compute_s: float | None = None
    from_speech: bool = True
    endpoint_wait_s: float = 0.0
    input_lag_s: float = 0.0
    stt_tail_s: float = 0.0
    planner_s: float = 0.0
    llm_s: float = 0.0
    tts_first_s: float = 0.0
    voice_to_voice_s: float = 0.0


@dataclass(frozen=True)
class TurnAdded(Event):
    """A turn was committed (``idx``: 1-based turn number)."""

    kind: ClassVar[str] = "turn"
    idx: int = 0
    speaker: str = ""
    text: str = ""
    start_s: float = 0.0
    end_s: float = 0.0
    intent: str | None = None


@dataclass(frozen=True)
class BargedIn(Event):
    """The candidate talked over the interviewer, who stopped ``stop_ms`` after the speech onset
    (``t_s``); ``played_text`` is what the interviewer had said by then."""

    kind: ClassVar[str] = "barge_in"
    stop_ms: float = 0.0
    played_text: str = ""


@dataclass(frozen=True)
class PlaybackHeld(Event):
    """The interviewer paused for a short sound from the candidate (a backchannel, "mm-hm") and
    went on: ``held_s`` seconds of pause. Repeated holds with nobody talking are the speaker's own
    echo (counted by ``tools/echo_bench.py``)."""

    kind: ClassVar[str] = "hold"
    held_s: float = 0.0


@dataclass(frozen=True)
class Interrupted(Event):
    """The interviewer cut in: ``reason`` "abstraction", "second_story" or "monologue" (after ``after_s`` seconds)."""

    kind: ClassVar[str] = "interruption"
    reason: str = ""
    after_s: float | None = None


@dataclass(frozen=True)
class DeviceLost(Event):
    """The microphone stopped mid-round; the round pauses for typed answers."""

    kind: ClassVar[str] = "device_lost"
    reason: str = ""


@dataclass(frozen=True)
class DuplexChanged(Event):
    """Barge-in switched between full duplex and half-duplex (``half``): the speaker's echo wasn't
    cancelled well enough (``reason``; ``echo_db``, ``erle_db`` as measured lately), so the candidate
    must speak up to interrupt; or it is cancelled again."""

    kind: ClassVar[str] = "duplex"
    half: bool = False
    reason: str = ""
    echo_db: float | None = None
    erle_db: float | None = None


@dataclass(frozen=True)
class RoundEnded(Event):
    """The round is over (``status``: finished, ended_early); scoring comes next. With a live
    microphone and speaker: ``echo_db``, the microphone's level relative to the speaker while it
    played, and ``aec_erle_db``, how much the echo canceller removed (None otherwise)."""

    kind: ClassVar[str] = "round_end"
    status: str = ""
    echo_db: float | None = None
    aec_erle_db: float | None = None


@dataclass(frozen=True)
class StageError(Event):
    """A stage failed without ending the round (``code``: e.g. "llm", "stt"; ``message``)."""

    kind: ClassVar[str] = "stage_error"
    code: str = ""
    message: str = ""


@dataclass(frozen=True)
class Paused(Event):
    """The candidate paused the round (``paused`` True) or resumed it (False). While paused the
    microphone is not recorded and the session clock (the recorded WAV) stands still, so the
    round's 20 minutes don't run down."""

    kind: ClassVar[str] = "paused"
    paused: bool = True


@dataclass(frozen=True)
class QuestionRepeated(Event):
    """The candidate asked to hear the last question again; it was played again (``text``). Not a
    new turn: the transcript keeps the question once."""

    kind: ClassVar[str] = "question_repeated"
    text: str = ""


@dataclass(frozen=True)
class MicLevel(Event):
    """Microphone level for the meter, in dBFS (at most ten a second; not stored)."""

    kind: ClassVar[str] = "level"
    stored: ClassVar[bool] = False
    dbfs: float = -60.0


@dataclass(frozen=True)
class PartialText(Event):
    """The candidate's words so far, while they speak (display only; not stored)."""

    kind: ClassVar[str] = "partial"
    stored: ClassVar[bool] = False
    text: str = ""


EVENT_TYPES: dict[str, type[Event]] = {cls.kind: cls for cls in (
    RoundStarted, SpeechStarted, SpeechEnded, EndpointReached, SttFinal, NoSpeech, PlannerDecided, TtsReady,
    FirstSample, TurnAdded, BargedIn, PlaybackHeld, Interrupted, DeviceLost, DuplexChanged, RoundEnded, StageError, Paused, QuestionRepeated, MicLevel, PartialText)}


def from_row(row: dict) -> Event:
    """The typed event of a stored row ``{"kind", "t_s", "data"}``. Raises KeyError for an unknown kind."""
    cls = EVENT_TYPES[row["kind"]]
    names = {f.name for f in fields(cls)}
    return cls(t_s=row["t_s"], **{k: v for k, v in (row.get("data") or {}).items() if k in names})


STAGES = ("voice_to_voice_s", "endpoint_wait_s", "input_lag_s", "stt_tail_s", "planner_s", "llm_s", "tts_first_s")


def stage_rows(events: list[Event]) -> list[dict[str, float]]:
    """Per-response stage times in seconds (one dict per :class:`FirstSample`, keys ``STAGES``)."""
    return [{k: getattr(e, k) for k in STAGES} for e in events if isinstance(e, FirstSample) and e.from_speech]


def response_compute_s(events: list[Event]) -> list[float]:
    """Seconds of compute from each candidate turn's end to the interviewer's first sample."""
    return [e.compute_s for e in events if isinstance(e, FirstSample) and e.compute_s is not None]


def barge_in_stop_ms(events: list[Event]) -> list[float]:
    """Milliseconds from each barge-in's speech onset to the interviewer stopping."""
    return [e.stop_ms for e in events if isinstance(e, BargedIn)]
