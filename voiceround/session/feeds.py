"""Candidate feeds for live rounds: the microphone, a recording played as the microphone, and
typed answers, and a simulated candidate playing a case file (:class:`SimulatedFeed`).

A feed gives the runner, after each interviewer turn, either a frame iterator (``frames_for``)
or typed text (``text_for``). A continuous source (microphone, recording) hands out the same
stream every turn, exactly as a person keeps talking into one microphone.
"""
from __future__ import annotations

import queue
import threading
import time
from typing import TYPE_CHECKING, Callable, Iterator, Protocol

import numpy as np

from voiceround.audio import FileSource
from voiceround.core.errors import AudioError
from voiceround.session.cases import Case, SimulatedCandidate

if TYPE_CHECKING:
    from voiceround.interviewer import Action


class CandidateFeed(Protocol):
    """Where the candidate's audio comes from. ``frames_for(action)`` returns the frame iterator to
    listen to after the interviewer's ``action`` (None: nobody will answer, the round ends)."""

    def frames_for(self, action: "Action") -> Iterator[np.ndarray] | None: ...

    @property
    def exhausted(self) -> bool: ...

    last_topic: str | None


class SimulatedFeed:
    """A case played through the microphone path: for each probe the simulated candidate picks the
    best-fitting unused turn and its WAV is streamed (then ``tail_silence_s`` of silence, as a person
    who has stopped talking). Raises :class:`AudioError` if a turn's WAV is missing or unreadable."""

    def __init__(self, case: Case, realtime: bool = False, tail_silence_s: float = 8.0):
        self.sim = SimulatedCandidate(case)
        self.realtime, self.tail = realtime, tail_silence_s
        self.last_topic: str | None = None
        self._source: FileSource | None = None

    def frames_for(self, action: "Action") -> Iterator[np.ndarray] | None:
        # the closing question is answered only by a turn written for it (no "unknown" fallback)
        ct = self.sim.answer(action.topics or ("unknown",), fallback=not action.is_wrap_up)
        if ct is None:
            return None
        self.last_topic = ct.topic
        if not ct.audio.exists():
            raise AudioError(f"case {self.sim.case.id}: turn {ct.number} has no audio file {ct.audio}",
                             hint="speak the case with shared/tools/make_case_audio.py, or score it with `voiceround score --text`")
        self._source = FileSource(ct.audio, self.tail, self.realtime)
        return self._source.frames()

    def has_more_speech(self) -> bool:
        """Whether the answer being played still has sound after the current position."""
        return self._source is not None and self._source.has_more_sound()

    @property
    def exhausted(self) -> bool:
        return self.sim.story_used_up


class StreamFeed:
    """One continuous audio stream (microphone or a recording) across all turns.

    ``frames``: an iterator of 512-sample int16 frames. ``exhausted`` once it has ended. ``live``:
    the stream is heard while the interviewer talks too (barge-in).
    """

    last_topic = None
    live = True

    def __init__(self, frames: Iterator[np.ndarray], source=None):
        self._frames = frames
        self.source = source
        self._ended = False

    @property
    def lost(self) -> bool:
        """The device stopped mid-round (unplugged): the source reports an error."""
        return self._ended and getattr(self.source, "error", None) is not None

    def frames_for(self, action) -> Iterator[np.ndarray] | None:
        if self._ended:
            return None
        if not hasattr(self, "_it"):
            self._it = self._iter()
        return self._it

    consumed = 0  # samples (16 kHz) handed out so far

    @property
    def backlog(self) -> int:
        """Samples (16 kHz) the device has captured that were not handed out yet (the runner was
        busy): 0 for a source that doesn't count what it captured."""
        captured = getattr(self.source, "captured", None)
        return max(0, int(captured) - self.consumed) if captured is not None else 0

    def _iter(self) -> Iterator[np.ndarray]:
        for f in self._frames:
            self.consumed += len(f)
            yield f
        self._ended = True

    def has_more_speech(self) -> bool:
        return False  # a live speaker who resumes after the endpoint starts a new turn

    @property
    def exhausted(self) -> bool:
        return self._ended


class EchoCancelledFeed:
    """A live microphone feed whose frames pass through an
    :class:`~voiceround.audio.echo.EchoCanceller` before VAD, STT and barge-in. Everything else
    (``live``, ``exhausted``, ``lost``, ``source``, ``close``…) is the wrapped feed's."""

    def __init__(self, feed: StreamFeed, echo):
        self.feed, self.echo = feed, echo
        self._it: Iterator[np.ndarray] | None = None

    def frames_for(self, action) -> Iterator[np.ndarray] | None:
        inner = self.feed.frames_for(action)
        if inner is None:
            return None
        if self._it is None:
            self._it = (self.echo.process(f) for f in inner)
        return self._it

    def __getattr__(self, name: str):
        return getattr(self.feed, name)


def aec_enabled() -> bool:
    """Echo cancellation is on unless ``VOICEROUND_AEC=off`` (for measuring what it does)."""
    import os
    return os.environ.get("VOICEROUND_AEC", "on").lower() not in ("off", "0", "no", "false")


def with_echo_canceller(feed, sink):
    """``(feed, echo)``: when a live microphone feed and a speaker are both in use, the feed cancels
    the speaker's echo and the sink reports each block it plays as the far end; otherwise the feed
    unchanged and ``echo`` None (files, recordings and typed answers have no acoustic echo)."""
    mic = getattr(feed, "source", None)
    if sink is None or not getattr(feed, "live", False) or not hasattr(mic, "captured") \
            or not hasattr(sink, "on_output") or not aec_enabled():
        return feed, None
    from voiceround.audio.echo import LIVE_DELAY_FRAMES, EchoCanceller, connect
    echo = EchoCanceller(delay_frames=LIVE_DELAY_FRAMES)
    connect(echo, sink, mic)
    return EchoCancelledFeed(feed, echo), echo


def recording_feed(path, realtime: bool = True) -> StreamFeed:
    """A recorded answer (any format :func:`voiceround.audio.read_audio` reads) played as the microphone."""
    src = FileSource(path, tail_silence_s=3.0, realtime=realtime)
    return StreamFeed(src.frames(), src)


class TypedFeed:
    """Typed answers (no microphone): the UI calls :meth:`submit`; the runner waits in
    :meth:`text_for`. :meth:`close` ends the round's input."""

    last_topic = None

    def __init__(self):
        self._q: queue.Queue[str | None] = queue.Queue()
        self._closed = threading.Event()

    def submit(self, text: str) -> None:
        """Send one answer (from the GUI thread)."""
        self._q.put(text)

    def close(self) -> None:
        self._closed.set()
        self._q.put(None)

    def text_for(self, action, stopped: Callable[[], bool], timeout_s: float | None = None) -> str | None:
        """Block until an answer is submitted, the feed closes, ``stopped()`` turns true, or
        ``timeout_s`` seconds pass (None: no limit; the closing question waits a minute). An answer
        already submitted (typed while the interviewer was speaking) is returned even after a stop,
        so End round never drops what the candidate sent."""
        try:
            item = self._q.get_nowait()
            if item is not None:
                return item
        except queue.Empty:
            pass
        end = None if timeout_s is None else time.monotonic() + timeout_s
        while not stopped() and (end is None or time.monotonic() < end):
            try:
                item = self._q.get(timeout=0.1)
            except queue.Empty:
                continue
            return item
        return None

    @property
    def exhausted(self) -> bool:
        return self._closed.is_set()
