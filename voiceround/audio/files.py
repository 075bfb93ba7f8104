"""Audio in and out. Inside VoiceRound audio is always 16 kHz mono int16 (``SAMPLE_RATE``).

AudioSource: something that yields frames of ``FRAME`` samples (microphone, WAV file paced in
real time or as fast as possible, silence). AudioSink: something that takes int16 audio (speaker,
WAV writer).
"""
from __future__ import annotations

import os
import time
import wave
from pathlib import Path
from typing import Iterator

import numpy as np

from voiceround.core.audio_format import FRAME_SAMPLES as FRAME  # samples per frame (32 ms)
from voiceround.core.audio_format import SAMPLE_RATE
from voiceround.core.errors import AudioError, StorageError


def to_internal(x: np.ndarray, rate: int) -> np.ndarray:
    """Convert audio of any shape ``(n,)`` or ``(n, channels)``, float or int, at ``rate`` Hz to
    16 kHz mono int16 (channels averaged; soxr resampling)."""
    import soxr
    a = np.asarray(x)
    if a.dtype.kind in "iu":
        a = a.astype(np.float32) / float(np.iinfo(a.dtype).max + 1)
    a = a.astype(np.float32)
    if a.ndim == 2:
        a = a.mean(axis=1)
    if rate != SAMPLE_RATE and len(a):
        a = soxr.resample(a, rate, SAMPLE_RATE)
    return np.clip(np.round(a * 32767.0), -32768, 32767).astype(np.int16)


def read_audio(path: str | Path) -> np.ndarray:
    """Read an audio file (WAV incl. float, FLAC, OGG/Opus, MP3: whatever libsndfile reads) as 16 kHz
    mono int16. Raises :class:`AudioError` with the file name for a missing, unreadable, non-audio or
    empty file."""
    import soundfile as sf
    p = Path(path)
    if not p.exists():
        raise AudioError(f"audio file not found: {p}")
    if p.is_file() and p.stat().st_size == 0:
        raise AudioError(f"{p.name} is empty (0 bytes)", hint="record the answer again")
    try:
        data, rate = sf.read(str(p), dtype="float32", always_2d=False)
    except Exception as exc:  # soundfile raises LibsndfileError / RuntimeError
        raise AudioError(f"{p.name} is not a readable audio file ({exc})",
                         hint="use a WAV, FLAC, OGG or MP3 recording") from exc
    if data.size == 0:
        raise AudioError(f"{p.name} contains no audio samples")
    return to_internal(data, rate)


class ArraySource:
    """An AudioSource over int16 16 kHz audio, followed by ``tail_silence_s`` of silence (a person
    who stops talking). ``realtime``: pace frames at real speed (for latency work)."""

    def __init__(self, audio: np.ndarray, tail_silence_s: float = 10.0, realtime: bool = False):
        self.audio = audio.astype(np.int16)
        self.tail = int(tail_silence_s * SAMPLE_RATE)
        self.realtime = realtime
        self.pos = 0

    SOUND_DBFS = -45.0  # RMS over 100 ms above this counts as sound still to come

    def has_more_sound(self) -> bool:
        """Whether the audio after the current read position has a 100 ms window louder than
        ``SOUND_DBFS`` (the speaker has more to say)."""
        rest = self.audio[self.pos:].astype(np.float32) / 32768.0
        win = SAMPLE_RATE // 10
        if len(rest) < win:
            return False
        n = len(rest) // win
        rms = np.sqrt(np.mean(rest[: n * win].reshape(n, win) ** 2, axis=1))
        return bool((20 * np.log10(np.maximum(rms, 1e-9)) > self.SOUND_DBFS).any())

    def frames(self) -> Iterator[np.ndarray]:
        """Yield ``FRAME``-sample int16 frames; the last audio frame is zero-padded."""
        total = len(self.audio) + self.tail
        n_frames = (total + FRAME - 1) // FRAME
        t0 = time.perf_counter()
        for i in range(n_frames):
            a = i * FRAME
            self.pos = a + FRAME
            chunk = self.audio[a:a + FRAME]
            if len(chunk) < FRAME:
                chunk = np.concatenate([chunk, np.zeros(FRAME - len(chunk), np.int16)])
            if self.realtime:
                delay = t0 + (i + 1) * FRAME / SAMPLE_RATE - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            yield chunk


class FileSource(ArraySource):
    """An AudioSource that plays a file (any format :func:`read_audio` reads) as if spoken into the mic."""

    def __init__(self, path: str | Path, tail_silence_s: float = 10.0, realtime: bool = False):
        super().__init__(read_audio(path), tail_silence_s, realtime)
        self.path = Path(path)


class WavRecorder:
    """AudioSink that appends 16 kHz mono int16 audio to a WAV file as it is produced.

    The header is rewritten after every append and the file flushed, so a killed process leaves a
    valid WAV with everything written so far. The file is created owner-only (0600). Raises
    :class:`StorageError` when the disk is full or the file can't be written.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            self._fh = os.fdopen(fd, "wb")
            self._w = wave.open(self._fh, "wb")
            self._w.setnchannels(1)
            self._w.setsampwidth(2)
            self._w.setframerate(SAMPLE_RATE)
            self._w.writeframes(b"")
        except OSError as exc:
            raise StorageError(f"cannot write session audio {self.path}: {exc.strerror or exc}",
                               hint="free some disk space or choose another data folder (VOICEROUND_DATA_DIR)") from exc
        self.samples = 0

    @property
    def t_s(self) -> float:
        """Seconds written so far (the session timeline's current end)."""
        return self.samples / SAMPLE_RATE

    def write(self, audio: np.ndarray) -> None:
        """Append int16 samples and flush."""
        try:
            self._w.writeframes(audio.astype(np.int16).tobytes())
            self._fh.flush()
        except OSError as exc:
            raise StorageError(f"cannot write session audio {self.path}: {exc.strerror or exc}",
                               hint="free some disk space; the turns stored so far are kept") from exc
        self.samples += len(audio)

    def silence(self, seconds: float) -> None:
        """Append ``seconds`` of silence."""
        if seconds > 0:
            self.write(np.zeros(int(round(seconds * SAMPLE_RATE)), np.int16))

    def close(self) -> None:
        """Finalize the WAV header and close the file."""
        try:
            self._w.close()
        finally:
            self._fh.close()
