"""Speech-to-text with faster-whisper (CTranslate2), Whisper tiny.en int8 by default."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np

from voiceround.core.errors import ModelError
from voiceround.engines import Engine, spare_core_threads
from voiceround.engines.models import ModelSpec, resolve, verify

# DESIGN.md: an initial prompt that itself contains fillers makes Whisper keep "um/uh"
# (measured on ../shared/realspeech/crw_sample.wav and the filler-heavy cases).
FILLER_PROMPT = "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking. Uh, so, um, yeah."
# Whisper's own gating rule (openai/whisper transcribe.py): a segment is silence when
# no_speech_prob > 0.6 and avg_logprob < -1.0.
NO_SPEECH_PROB = 0.6
LOGPROB_FLOOR = -1.0
# A kept segment whose average log-probability is below UNSURE_LOGPROB (voiceround.core.types) is
# shown as "may be misheard" (the scorecard's quotes, the transcript).
# Stricter rule for low-confidence text: measured here, a 1.8 s laugh (realspeech/wts_laugh1.mp3)
# became "I'm gonna go ahead and try it right here." at avg_logprob -1.31, no_speech_prob 0.25.
LOW_CONF_NO_SPEECH_PROB = 0.2
# openai/whisper's compression_ratio_threshold: gzip ratio above this means repetitive text.
COMPRESSION_RATIO_MAX = 2.4


@dataclass
class STTSegment:
    """A decoded segment: seconds relative to the utterance start, text, and Whisper's confidences."""

    start_s: float
    end_s: float
    text: str
    avg_logprob: float
    no_speech_prob: float


@dataclass
class STTResult:
    """Transcript of one utterance. ``text`` excludes segments gated as non-speech; ``dropped``
    counts them. ``audio_s``: input length; ``decode_s``: wall time spent decoding."""

    text: str
    segments: list[STTSegment] = field(default_factory=list)
    dropped: int = 0
    audio_s: float = 0.0
    decode_s: float = 0.0


# Whisper's encoder is given a 30 s window (3000 log-mel frames of 10 ms) whatever the audio's
# length: faster-whisper pads the features with zeros up to it, and encoding that window is most of
# a decode (tiny.en int8, one thread: 0.37 s of 0.42 s for 4 s of speech). CTranslate2 encodes a
# shorter window as well; one of the speech plus 3 s, never under 15 s, decodes the shared cases'
# 77 answers at WER 0.135 (30 s window: 0.136) and six real recordings at 0.200 (0.200), in
# 0.17 s instead of 0.47 s at the median (docs/BENCHMARKS.md). Windows of 10 s lost words
# (WER 0.184). The model was trained on 30 s windows only, hence the floor; and its confidences
# move with the window (a laugh read as words at avg_logprob -1.13, no_speech_prob 0.16, against
# -1.30 and 0.25 on 30 s), so audio with a segment below LOGPROB_FLOOR is decoded again on the
# 30 s window the gating rules below were measured on (4 of 92 case and real-speech clips).
MIN_WINDOW_FRAMES = 1500
WINDOW_MARGIN_FRAMES = 300


def encoder_window(features: np.ndarray) -> np.ndarray:
    """The log-mel ``features`` (shape ``(80, 3000)`` or ``(batch, 80, 3000)``: 10 ms frames, the
    audio's then faster-whisper's zero padding) cut to the window the encoder is given: the last
    frame that isn't padding plus :data:`WINDOW_MARGIN_FRAMES`, at least :data:`MIN_WINDOW_FRAMES`,
    at most the input's length."""
    used = np.flatnonzero(np.any(features != 0, axis=tuple(range(features.ndim - 1))))
    n = int(used[-1]) + 1 if len(used) else 0
    keep = min(features.shape[-1], max(MIN_WINDOW_FRAMES, n + WINDOW_MARGIN_FRAMES))
    return features[..., :keep]


def _looping(text: str) -> bool:
    """Whether text repeats one short phrase (1-3 words) 6 or more times in a row."""
    import re
    words = re.findall(r"[a-z']+", text.lower())
    for n in (1, 2, 3):
        run = 1
        for i in range(n, len(words) - n + 1, n):
            run = run + 1 if words[i:i + n] == words[i - n:i] else 1
            if run >= 6:
                return True
    return False


class WhisperSTT(Engine):
    """faster-whisper on CPU, int8, ``cpu_threads`` explicit, never touching the hub.

    ``cpu_threads``: default one core less than the machine has (at most 4), as for the LLM: the
    audio loop (echo canceller, VAD, endpointing) and the window need a core while the answer is
    decoded ahead. On this 2-core machine one thread is no slower (tiny.en, 5 s of speech: 0.45 s
    against 0.42 s with two; 20 s: 0.58 s against 0.73 s), and with two the audio loop fell up to
    0.44 s behind the microphone at a reply (docs/BENCHMARKS.md)."""

    role = "stt"

    def __init__(self, spec: ModelSpec | None = None, cpu_threads: int | None = None, keep_fillers: bool = True):
        super().__init__()
        self.spec = spec or resolve("stt")
        self.cpu_threads = cpu_threads or spare_core_threads()
        self.keep_fillers = keep_fillers
        self._model = None

    def _load(self) -> None:
        verify(self.spec)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from faster_whisper import WhisperModel

            class _WindowedWhisper(WhisperModel):
                """faster-whisper with the encoder given :func:`encoder_window`, not 30 s of padding
                (unless ``full_window``)."""

                full_window = False  # set per decode by WhisperSTT._decode

                def encode(self, features):
                    return super().encode(features if self.full_window else encoder_window(np.asarray(features)))

            self._model = _WindowedWhisper(str(self.spec.path), device="cpu", compute_type="int8",
                                           cpu_threads=self.cpu_threads, local_files_only=True)
        except Exception as exc:
            raise ModelError(f"STT model '{self.spec.name}' failed to load from {self.spec.path} (not a CTranslate2 Whisper model, or damaged)",
                             hint=self.spec.fix) from exc

    def _release(self) -> None:
        """Drop the model on the worker thread (see :meth:`Engine.close`)."""
        self._model = None

    def _warm(self) -> None:
        """One second of faint noise decoded once (CTranslate2 picks its kernels on the first call)."""
        noise = (np.random.default_rng(0).standard_normal(16000) * 0.003).astype(np.float32)
        self.transcribe(noise, "warm up")

    def transcribe(self, audio: np.ndarray, context: str = "") -> STTResult:
        """Transcribe int16 (or float32 in [-1, 1]) mono 16 kHz ``audio``. ``context``: what the
        speaker said just before (decoding continues it, as Whisper does across 30 s windows).
        Runs on the STT thread."""
        return self.call(self._transcribe, audio, context)

    def _decode(self, x: np.ndarray, prompt: str | None, full_window: bool = False) -> list:
        self._model.full_window = full_window
        segs, _info = self._model.transcribe(
            x, language="en", beam_size=1, temperature=0.0, vad_filter=False,
            condition_on_previous_text=False, initial_prompt=prompt, without_timestamps=False,
        )
        return list(segs)

    def _transcribe(self, audio: np.ndarray, context: str = "") -> STTResult:
        import time
        x = audio.astype(np.float32) / 32768.0 if audio.dtype == np.int16 else audio.astype(np.float32)
        t0 = time.perf_counter()
        ctx = " ".join(context.split()[-40:])
        prompt = " ".join(p for p in ((FILLER_PROMPT if self.keep_fillers else ""), ctx) if p) or None
        segs = self._decode(x, prompt)
        doubtful = any(s.avg_logprob < LOGPROB_FLOOR for s in segs)
        if doubtful:  # gated below by rules measured on 30 s windows (see MIN_WINDOW_FRAMES)
            segs = self._decode(x, prompt, full_window=True)
        if prompt and any(s.compression_ratio > COMPRESSION_RATIO_MAX for s in segs):
            # The filler prompt can send greedy decoding into a loop ("i'm uh i'm uh ..."); measured on
            # the espeak case mixed-argument-heavy.02. Decode once more without it (still deterministic).
            segs = self._decode(x, ctx or None, full_window=doubtful)
        out, dropped = [], 0
        for s in segs:
            if s.compression_ratio > COMPRESSION_RATIO_MAX or _looping(s.text):
                dropped += 1  # a hallucination loop ("yeah, yeah, yeah …") is not what was said
                continue
            seg = STTSegment(round(s.start, 3), round(s.end, 3), s.text.strip(), s.avg_logprob, s.no_speech_prob)
            low_conf = seg.avg_logprob < LOGPROB_FLOOR
            if not seg.text or (low_conf and seg.no_speech_prob > LOW_CONF_NO_SPEECH_PROB) or \
                    (low_conf and seg.no_speech_prob > NO_SPEECH_PROB):
                dropped += 1
                continue
            out.append(seg)
        text = " ".join(s.text for s in out).strip()
        return STTResult(text, out, dropped, len(x) / 16000.0, time.perf_counter() - t0)
