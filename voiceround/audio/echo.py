"""Acoustic echo cancellation on the microphone path (a laptop without headphones: the interviewer's
voice leaks from the speaker into the microphone).

WebRTC's AEC3 through ``pywebrtc-audio`` (a ~1 MB wheel). Chosen over livekit's
``rtc.AudioProcessingModule`` on the same synthetic echo (a case answer played back at -10 dB with
60 ms delay under a real voice, ``docs/BENCHMARKS.md``): both remove the echo (AEC3 in both), but
pywebrtc-audio takes our 512-sample frames as numpy arrays, costs 1.1 % of a core per second of audio
against 3.0 %, and is 1 MB against 30 MB.

The far end (the reference) is what the speaker actually played, placed on the microphone's own
timeline: the speaker's output callback hands each block to :meth:`EchoCanceller.played` as it
leaves, with how many microphone samples had been captured at that moment (:func:`connect`), so a
backlog of queued microphone frames (the runner was busy synthesizing) never misaligns the two, and
a block dropped by a barge-in is never a far end. AEC3 estimates the rest of the delay (output and
input latency, the room) itself.
"""
from __future__ import annotations

import collections
import threading

import numpy as np

from voiceround.core.audio_format import SAMPLE_RATE
from voiceround.core.errors import AudioError


FRAME = 512
# PulseAudio placed the far end up to 40 ms after its echo in 1 live run of 2 (a far end measured by
# the output callback's moment vs. the echo found by cross-correlation); 3 frames (96 ms, 80 ms of
# lead) keep it causal at the cost of 96 ms on the microphone path, only with a speaker in use.
LIVE_DELAY_FRAMES = 3
FAR_WINDOW = 8        # frames (256 ms): the far end's recent peak covers the echo's delay
RECENT_FRAMES = 60    # played frames (about 2 s of speech) behind the live convergence verdict
MIN_FRAMES = 30       # played frames before any verdict
MIN_ERLE_DB = 10.0    # below this the canceller hasn't converged (AEC3 reaches 20-45 dB here: BENCHMARKS)
QUIET_ECHO_DB = -35.0  # echo this far under the speaker needs no cancelling (headphones)
DOUBLE_TALK_MARGIN_DB = 6.0  # half-duplex: the microphone must beat the expected echo by this much
PATH_FRAMES = 600     # played frames (about 19 s) behind the double-talk test's echo path
PATH_PERCENTILE = 90  # the echo path: this percentile of microphone level re the speaker's recent peak
ACTIVE_DB = -40.0     # the speaker's recent peak above this: a frame that measures the echo path


class EchoCanceller:
    """AEC3 for one microphone stream at 16 kHz mono int16, in frames of 512 samples.

    Call :meth:`played` for every block the speaker plays (from any thread, e.g. its output
    callback) and :meth:`process` for every microphone frame, in capture order, from one thread. ``echo_db`` / ``erle_db`` report how loud the echo
    came back relative to what was played, and how much of it was removed (for the sound check).
    ``delay_frames``: the microphone path is held back this many frames and the far end read
    ``delay_frames * 512 - 256`` samples ahead (:data:`LIVE_DELAY_FRAMES` on a live round): a far
    end placed up to that much too late still comes before its echo, which AEC3 needs (it only
    finds delays of 0 to about 500 ms). Output is then ``delay_frames`` frames behind input (silence
    first). Raises :class:`~voiceround.core.errors.AudioError` if the AEC library is missing.
    """

    def __init__(self, sample_rate: int = SAMPLE_RATE, delay_frames: int = 0):
        try:
            from pywebrtc_audio import EchoCanceller as _AEC3
        except ImportError as exc:  # a broken install: the product depends on it
            raise AudioError("echo cancellation is unavailable (pywebrtc-audio is not installed)",
                             hint="reinstall VoiceRound (make run rebuilds the venv)") from exc
        self._aec = _AEC3(sample_rate=sample_rate, num_channels=1)
        self._far: list[tuple[int, np.ndarray]] = []  # (first mic sample index, int16 samples)
        self._held = collections.deque(np.zeros(FRAME, np.int16) for _ in range(delay_frames))
        self.lead = max(0, delay_frames * FRAME - FRAME // 2)  # far end read this many samples ahead
        self._lock = threading.Lock()
        self._next_far = 0
        self.index = -delay_frames * FRAME  # mic index of the next frame the canceller works on (held frames first)
        self._echo: list[float] = []   # per frame while the speaker played: mic level re speaker (dB)
        self._erle: list[float] = []   # ... and mic level re canceller output (dB)
        self._far_db: collections.deque = collections.deque(maxlen=FAR_WINDOW)
        self.near_db = self.far_db = -120.0  # the last frame's microphone level, the recent far-end peak (dBFS)
        self._path: collections.deque = collections.deque(maxlen=PATH_FRAMES)  # near_db - far_db while the speaker played
        self._path_db = 0.0  # the echo path the double-talk test uses (0 dB: unknown yet, assume full level)

    @property
    def held_samples(self) -> int:
        """Samples (16 kHz) the microphone path is held back by (``delay_frames`` × 512)."""
        return len(self._held) * FRAME

    def played(self, audio: np.ndarray, captured: int | None = None) -> None:
        """``audio`` (int16, 16 kHz) was just written to the speaker; ``captured``: microphone samples
        (16 kHz) captured by then, or None to append right after the previous block."""
        if not len(audio):
            return
        with self._lock:
            start = self._next_far if captured is None else max(int(captured), self._next_far)
            self._far.append((start, np.asarray(audio, np.int16)))
            self._next_far = start + len(audio)

    def _far_frame(self, start: int, n: int) -> np.ndarray:
        out = np.zeros(n, np.int16)
        keep = []
        with self._lock:
            far = list(self._far)
        for s, a in far:
            e = s + len(a)
            if e <= start:
                continue  # already behind the microphone
            keep.append((s, a))
            lo, hi = max(s, start), min(e, start + n)
            if lo < hi:
                out[lo - start:hi - start] = a[lo - s:hi - s]
        with self._lock:
            self._far = keep + self._far[len(far):]  # blocks played meanwhile are kept
        return out

    def process(self, near: np.ndarray) -> np.ndarray:
        """The microphone frame ``near`` (int16, 512 samples) with the speaker's echo removed (with
        ``delay_frames``, the frame that many frames back)."""
        if self._held:
            self._held.append(np.asarray(near, np.int16))
            near = self._held.popleft()
        far = self._far_frame(self.index + self.lead, len(near))
        out = self._aec.process(np.ascontiguousarray(near, np.int16), far)
        self.index += len(near)
        p_far = float(np.mean(far.astype(np.float64) ** 2))
        p_near = float(np.mean(near.astype(np.float64) ** 2)) + 1e-3
        self._far_db.append(_dbfs(p_far))
        self.near_db, self.far_db = _dbfs(p_near), max(self._far_db)
        if self.far_db > ACTIVE_DB and not self.double_talk():  # the candidate's own words don't measure the echo
            self._path.append(self.near_db - self.far_db)
            if len(self._path) >= MIN_FRAMES:
                self._path_db = float(np.percentile(self._path, PATH_PERCENTILE))
        if p_far > 1e4:  # the speaker played (above about -50 dBFS) during this frame
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


    def recent(self, n: int = RECENT_FRAMES) -> tuple[float, float] | None:
        """``(echo_db, erle_db)`` over the last ``n`` frames the speaker played, or None before
        :data:`MIN_FRAMES` of them. Frames where the candidate talked over the speaker (double
        talk) raise the microphone's level and pass the canceller unchanged, so the quieter quarter
        gives the echo level and the better quarter the ERLE: most of the window may be double
        talk (a barge-in) without making a converged canceller look unconverged."""
        if len(self._echo) < MIN_FRAMES:
            return None
        return float(np.percentile(self._echo[-n:], 25)), float(np.percentile(self._erle[-n:], 75))

    @property
    def converged(self) -> bool | None:
        """Whether the echo is handled: the canceller removes at least :data:`MIN_ERLE_DB` of it
        lately, or there is hardly any echo (under :data:`QUIET_ECHO_DB`, headphones). None before
        the speaker has played about a second."""
        r = self.recent()
        return None if r is None else (r[1] >= MIN_ERLE_DB or r[0] <= QUIET_ECHO_DB)

    def double_talk(self) -> bool:
        """Half-duplex test for the last frame (a Geigel-style double-talk detector): the microphone
        is louder than the speaker's recent peak times the echo path, by
        :data:`DOUBLE_TALK_MARGIN_DB`, so it is the candidate and not the echo. True when nothing
        was played lately.

        The echo path is measured in the test's own terms: the :data:`PATH_PERCENTILE` th percentile
        of microphone level minus the speaker's recent peak over the last :data:`PATH_FRAMES` frames
        the speaker played (the loud end of the echo; frames this test took for the candidate are
        left out, so talking over the speaker doesn't raise it), updated by :meth:`process` as
        frames come. Unknown yet (under :data:`MIN_FRAMES`): the echo is assumed to come back at
        full level. Live at -12 dB, 60 ms the old path (the quieter quarter of the per-frame level
        ratio) read -30 dB: the gate let any echo within 24 dB of the speaker through, and the
        interviewer paused for its own voice (docs/BENCHMARKS.md)."""
        if self.far_db < -50.0:
            return True
        return self.near_db > self.far_db + self._path_db + DOUBLE_TALK_MARGIN_DB


def _dbfs(power: float) -> float:
    """Level in dBFS of a mean square ``power`` of int16 samples."""
    return 10 * float(np.log10(max(power, 1e-12) / 32768.0 ** 2))


def connect(echo: EchoCanceller, sink, mic) -> None:
    """Make ``sink`` (a :class:`~voiceround.audio.devices.SpeakerSink`) report each block it plays to
    ``echo`` as the far end, placed at ``mic``'s ``captured`` sample count (16 kHz) at that moment."""
    sink.on_output = lambda ref: echo.played(ref, mic.captured)
