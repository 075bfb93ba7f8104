"""Text-to-speech with Piper (en_US-joe-medium by default, 22.05 kHz). Each sentence comes both at
the voice's own rate (for the speaker, which resamples it once to the device's rate) and resampled
to 16 kHz (for the session recording and the echo canceller's far end)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from voiceround.core.errors import ModelError
from voiceround.engines import Engine
from voiceround.engines.models import ModelSpec, resolve, verify
from voiceround.engines.spoken import for_speech

OUT_RATE = 16000
# Piper normalises every sentence to full scale, and resampling overshoots it (measured: clipped
# samples in the session WAV). A fixed -1.4 dB gain keeps the peak below 0 dBFS.
GAIN = 0.85


@dataclass
class Speech:
    """Synthesized speech: int16 mono ``audio`` at 16 kHz, one array per sentence in ``sentences``
    (so playback can start after the first), and the wall time spent (``synth_s``). ``native``:
    the same sentences as float32 mono at the voice's own rate ``native_rate`` (Hz), for playback
    without a detour through 16 kHz; empty when not kept."""

    sentences: list[np.ndarray]
    synth_s: float
    native: list[np.ndarray] = field(default_factory=list)
    native_rate: int = OUT_RATE

    @property
    def hifi(self) -> tuple[np.ndarray, int] | None:
        """``(float32 audio, rate Hz)`` at the voice's own rate, or None when not kept."""
        return (np.concatenate(self.native), self.native_rate) if self.native else None

    @property
    def audio(self) -> np.ndarray:
        return np.concatenate(self.sentences) if self.sentences else np.zeros(0, np.int16)

    @property
    def duration_s(self) -> float:
        return sum(len(s) for s in self.sentences) / OUT_RATE


class PiperTTS(Engine):
    """Piper voice on CPU. :meth:`speak` returns :class:`Speech` at 16 kHz (soxr resampling)."""

    role = "tts"

    def __init__(self, spec: ModelSpec | None = None):
        super().__init__()
        self.spec = spec or resolve("tts")
        self._voice = None
        self.native_rate = 22050

    def _load(self) -> None:
        verify(self.spec)
        config = self.spec.path.with_name(self.spec.path.name + ".json")
        if not config.exists():
            raise ModelError(f"TTS voice '{self.spec.name}' has no config file {config.name} beside it",
                             hint="a Piper voice needs both VOICE.onnx and VOICE.onnx.json")
        try:
            from piper import PiperVoice
            self._voice = PiperVoice.load(str(self.spec.path), config_path=str(config))
            self.native_rate = int(self._voice.config.sample_rate)
        except Exception as exc:
            raise ModelError(f"TTS voice '{self.spec.name}' failed to load: {exc}",
                             hint=self.spec.fix) from exc

    def _release(self) -> None:
        """Drop the model on the worker thread (see :meth:`Engine.close`)."""
        self._voice = None

    def _warm(self) -> None:
        """One short sentence synthesized and dropped (onnxruntime's first run allocates)."""
        self.speak("Okay. Go on.")

    def speak(self, text: str) -> Speech:
        """Synthesize ``text`` on the TTS thread; one 16 kHz int16 array per sentence, and the
        native-rate float32 ones. Numbers, amounts and symbols are said as words first
        (:func:`voiceround.engines.spoken.for_speech`: "$2M" is "two million dollars")."""
        return self.call(self._speak, for_speech(text))

    def _speak(self, text: str) -> Speech:
        import soxr
        t0 = time.perf_counter()
        out, native, rate = [], [], OUT_RATE
        for chunk in self._voice.synthesize(text):
            x = chunk.audio_float_array.astype(np.float32)
            native.append(np.clip(x * GAIN, -1.0, 1.0))
            rate = int(chunk.sample_rate)
            if chunk.sample_rate != OUT_RATE:
                x = soxr.resample(x, chunk.sample_rate, OUT_RATE)
            out.append(np.clip(np.round(x * GAIN * 32767.0), -32768, 32767).astype(np.int16))
        return Speech(out, time.perf_counter() - t0, native, rate)
