"""Candidate feeds for live rounds: the microphone, a recording played as the microphone, and
typed answers. (The simulated case candidate is :class:`voiceround.session.runner.SimulatedFeed`.)

A feed gives the runner, after each interviewer turn, either a frame iterator (``frames_for``)
or typed text (``text_for``). A continuous source (microphone, recording) hands out the same
stream every turn, exactly as a person keeps talking into one microphone.
"""
from __future__ import annotations

import queue
import threading
from typing import Callable, Iterator

import numpy as np

from voiceround.audio import FileSource


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

    def _iter(self) -> Iterator[np.ndarray]:
        for f in self._frames:
            yield f
        self._ended = True

    def has_more_speech(self) -> bool:
        return False  # a live speaker who resumes after the endpoint starts a new turn

    @property
    def exhausted(self) -> bool:
        return self._ended


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

    def text_for(self, action, stopped: Callable[[], bool]) -> str | None:
        """Block until an answer is submitted, the feed closes, or ``stopped()`` turns true."""
        while not stopped():
            try:
                item = self._q.get(timeout=0.1)
            except queue.Empty:
                continue
            return item
        return None

    @property
    def exhausted(self) -> bool:
        return self._closed.is_set()
