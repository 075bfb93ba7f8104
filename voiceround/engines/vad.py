"""Silero VAD (v6 ONNX, shipped in the faster-whisper wheel). Endpointing on its probabilities is
pure and lives in :mod:`voiceround.turntaking.endpointing`.

The model takes 512-sample frames at 16 kHz (32 ms) with 64 samples of left context and a
recurrent state, and gives a speech probability per frame (Silero VAD, snakers4/silero-vad).
"""
from __future__ import annotations

import numpy as np

from voiceround.core.audio_format import FRAME_SAMPLES as FRAME
from voiceround.core.audio_format import SAMPLE_RATE  # noqa: F401  (re-exported for callers)
from voiceround.core.errors import ModelError
from voiceround.engines import Engine
from voiceround.engines.models import ModelSpec, resolve, verify

CONTEXT = 64           # samples of left context the v5/v6 model expects


class SileroVAD(Engine):
    """Streaming Silero VAD. :meth:`prob` takes one float32 frame of ``FRAME`` samples in [-1, 1]
    and returns P(speech). Not thread-safe across streams: call :meth:`reset` per stream."""

    role = "vad"

    def __init__(self, spec: ModelSpec | None = None):
        super().__init__()
        self.spec = spec or resolve("vad")
        self._session = None
        self.reset()

    def _load(self) -> None:
        verify(self.spec)
        try:
            import onnxruntime
            opts = onnxruntime.SessionOptions()
            opts.inter_op_num_threads = 1
            opts.intra_op_num_threads = 1
            opts.log_severity_level = 4
            self._session = onnxruntime.InferenceSession(str(self.spec.path), sess_options=opts, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types
            raise ModelError(f"VAD model '{self.spec.name}' failed to load: {exc}",
                             hint=f"reinstall {self.spec.package}") from exc

    def _release(self) -> None:
        """Drop the model on the worker thread (see :meth:`Engine.close`)."""
        self._session = None

    def _warm(self) -> None:
        """Half a second of silence through a fresh stream (onnxruntime's first run allocates)."""
        stream = self.stream()
        for _ in range(16):
            stream.prob(np.zeros(FRAME, np.float32))

    def reset(self) -> None:
        """Forget the default stream's recurrent state and context (start of a new stream)."""
        self._default = VADStream(self)

    def stream(self) -> VADStream:
        """A new, independent stream on this model: its own recurrent state and context, so two
        detectors (endpointing, barge-in) never disturb each other. Streams share the model."""
        return VADStream(self)

    def _run(self, x: np.ndarray, h: np.ndarray, c: np.ndarray):
        return self._session.run(None, {"input": x, "h": h, "c": c})

    def prob(self, frame: np.ndarray) -> float:
        """P(speech) for one frame of ``FRAME`` float32 samples at 16 kHz, on the default stream."""
        return self._default.prob(frame)

    def prob_int16(self, frame: np.ndarray) -> float:
        """P(speech) for one frame of ``FRAME`` int16 samples at 16 kHz, on the default stream."""
        return self._default.prob_int16(frame)


class VADStream:
    """One audio stream through a :class:`SileroVAD`: the model's recurrent state (h, c: 1×1×128
    float32) and 64 samples of left context. Call from one thread."""

    def __init__(self, vad: SileroVAD):
        self.vad = vad
        self._h = np.zeros((1, 1, 128), np.float32)
        self._c = np.zeros((1, 1, 128), np.float32)
        self._ctx = np.zeros(CONTEXT, np.float32)

    def prob(self, frame: np.ndarray) -> float:
        """P(speech) for one frame of ``FRAME`` float32 samples in [-1, 1] at 16 kHz; raises
        ValueError for another frame length."""
        if frame.shape != (FRAME,):
            raise ValueError(f"VAD frame must be {FRAME} samples, got {frame.shape}")
        x = np.concatenate([self._ctx, frame.astype(np.float32)])[None, :]
        out, self._h, self._c = self.vad._run(x, self._h, self._c)
        self._ctx = frame[-CONTEXT:].astype(np.float32)
        return float(np.asarray(out).ravel()[0])

    def prob_int16(self, frame: np.ndarray) -> float:
        """P(speech) for one frame of ``FRAME`` int16 samples at 16 kHz (scaled to [-1, 1] here)."""
        return self.prob(frame.astype(np.float32) / 32768.0)
