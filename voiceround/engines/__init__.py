"""Engine adapters: Silero VAD, faster-whisper STT, Piper TTS, llama.cpp LLM.

Heavy imports happen lazily inside ``load()``. Each engine owns one worker thread; callers use
:meth:`Engine.call` (blocking) or :meth:`Engine.submit` (a Future). Nothing here downloads.
"""
from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor


class Engine:
    """Base class: one single-thread executor per engine, an explicit :meth:`load`, load timing."""

    role = "engine"

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"vr-{self.role}")
        self.loaded = False
        self.load_s = 0.0

    def load(self) -> "Engine":
        """Load the model on the engine's worker thread; returns self. Raises ModelError."""
        if not self.loaded:
            t0 = time.perf_counter()
            self._pool.submit(self._load).result()
            self.load_s = time.perf_counter() - t0
            self.loaded = True
        return self

    def _load(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def submit(self, fn, *args, **kwargs) -> Future:
        """Run ``fn(*args, **kwargs)`` on this engine's worker thread."""
        return self._pool.submit(fn, *args, **kwargs)

    def call(self, fn, *args, **kwargs):
        """Run ``fn`` on the worker thread and wait for its result (exceptions propagate)."""
        return self._pool.submit(fn, *args, **kwargs).result()

    def close(self) -> None:
        """Stop the worker thread."""
        self._pool.shutdown(wait=False, cancel_futures=True)
