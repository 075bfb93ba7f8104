"""Acoustic echo cancellation on the microphone path (a laptop without headphones: the interviewer's
voice leaks from the speaker into the microphone).

WebRTC's AEC3 through ``pywebrtc-audio`` (a ~1 MB wheel). Chosen over livekit's
``rtc.AudioProcessingModule`` on the same synthetic echo (a case answer played back at -10 dB with
60 ms delay under a real voice, ``docs/BENCHMARKS.md``): both remove the echo (AEC3 in both), but
pywebrtc-audio takes our 512-sample frames as numpy arrays, costs 1.1 % of a core per second of audio
against 3.0 %, and is 1 MB against 30 MB.

The far end (the reference) is what the speaker actually played, placed on the microphone's own
timeline: when a block is written to the speaker, :meth:`EchoCanceller.played` is told how many
microphone samples had been captured at that moment, so a backlog of queued microphone frames
(the runner was busy synthesizing) never misaligns the two. AEC3 estimates the rest of the delay
(output and input latency, the room) itself.
"""
from __future__ import annotations

import numpy as np

from voiceround.core.audio_format import SAMPLE_RATE
from voiceround.core.errors import AudioError


class EchoCanceller:
    """AEC3 for one microphone stream at 16 kHz mono int16, in frames of 512 samples.

    Call :meth:`played` for every block sent to the speaker and :meth:`process` for every microphone
    frame, in capture order, from one thread. ``echo_db`` / ``erle_db`` report how loud the echo
    came back relative to what was played, and how much of it was removed (for the sound check).
    Raises :class:`~voiceround.core.errors.AudioError` if the AEC library is missing.
    """

    def __init__(self, sample_rate: int = SAMPLE_RATE):
        try:
            from pywebrtc_audio import EchoCanceller as _AEC3
        except ImportError as exc:  # a broken install: the product depends on it
            raise AudioError("echo cancellation is unavailable (pywebrtc-audio is not installed)",
                             hint="reinstall VoiceRound (make run rebuilds the venv)") from exc
        self._aec = _AEC3(sample_rate=sample_rate, num_channels=1)
        self._far: list[tuple[int, np.ndarray]] = []  # (first mic sample index, int16 samples)
        self._next_far = 0
        self.index = 0             # mic samples processed so far (the next frame's first sample)
        self._echo: list[float] = []   # per frame while the speaker played: mic level re speaker (dB)
        self._erle: list[float] = []   # ... and mic level re canceller output (dB)

    def played(self, audio: np.ndarray, captured: int | None = None) -> None:
        """``audio`` (int16, 16 kHz) was just written to the speaker; ``captured``: microphone samples
        (16 kHz) captured by then, or None to append right after the previous block."""
        start = self._next_far if captured is None else max(int(captured), self._next_far)
        self._far.append((start, np.asarray(audio, np.int16)))
        self._next_far = start + len(audio)

    def _far_frame(self, start: int, n: int) -> np.ndarray:
        out = np.zeros(n, np.int16)
        keep = []
        for s, a in self._far:
            e = s + len(a)
            if e <= start:
                continue  # already behind the microphone
            keep.append((s, a))
            lo, hi = max(s, start), min(e, start + n)
            if lo < hi:
                out[lo - start:hi - start] = a[lo - s:hi - s]
        self._far = keep
        return out

    def process(self, near: np.ndarray) -> np.ndarray:
        """The microphone frame ``near`` (int16, 512 samples) with the speaker's echo removed."""
        far = self._far_frame(self.index, len(near))
        out = self._aec.process(np.ascontiguousarray(near, np.int16), far)
        self.index += len(near)
        p_far = float(np.mean(far.astype(np.float64) ** 2))
        if p_far > 1e4:  # the speaker played (above about -50 dBFS) during this frame
            p_near = float(np.mean(near.astype(np.float64) ** 2)) + 1e-3
            self._echo.append(10 * np.log10(p_near / p_far))
            self._erle.append(10 * np.log10(p_near / (float(np.mean(out.astype(np.float64) ** 2)) + 1e-3)))
        return out

    @property
    def echo_db(self) -> float | None:
        """Median level of the microphone relative to the speaker over the frames the speaker played
        (dB; about -20 for a laptop's built-in pair, under -40 with headphones; the median keeps
        frames where the candidate talked over it from counting). None before anything was played."""
        return round(float(np.median(self._echo)), 1) if self._echo else None

    @property
    def erle_db(self) -> float | None:
        """Echo return loss enhancement: median of how much quieter the microphone got through the
        canceller over the frames the speaker played (dB, higher is better). None before anything was played."""
        return round(float(np.median(self._erle)), 1) if self._erle else None


class ReferenceSink:
    """A speaker that tells the echo canceller what it plays: wraps an AudioSink (``play``,
    ``close``). ``mic``: the microphone source whose ``captured`` sample count places each block."""

    def __init__(self, sink, echo: EchoCanceller, mic):
        self.sink, self.echo, self.mic = sink, echo, mic

    def play(self, audio: np.ndarray) -> None:
        """Play ``audio`` (int16, 16 kHz) and record it as the far end at the microphone's position."""
        self.echo.played(audio, getattr(self.mic, "captured", None))
        self.sink.play(audio)

    def close(self) -> None:
        self.sink.close()
