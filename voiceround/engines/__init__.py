"""Engine adapters: Silero VAD, faster-whisper STT, Piper TTS, llama.cpp LLM.

Heavy imports happen lazily inside ``load()``. Each engine owns one worker thread; callers use
:meth:`Engine.call` (blocking) or :meth:`Engine.submit` (a Future). Nothing here downloads.
"""
from __future__ import annotations

import os
import time
from concurrent.futures import Future, ThreadPoolExecutor


def spare_core_threads() -> int:
    """Threads for a model's compute: one core less than the machine has, at least 1, at most 4, so
    the audio loop (echo canceller, VAD, endpointing) and the window keep a core (the LLM: 1.2-4.9 s a
    rewording with 2 threads on 2 cores, 0.4-1.0 s with 1; the STT: no slower on 1, docs/BENCHMARKS.md)."""
    return max(1, min(4, (os.cpu_count() or 2) - 1))


class Engine:
    """Base class: one single-thread executor per engine, an explicit :meth:`load`, load timing."""

    role = "engine"

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"vr-{self.role}")
        self.loaded = False
        self.load_s = self.warm_s = 0.0

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

    def warm(self) -> float:
        """One dummy pass through the loaded model (:meth:`_warm`), so first-use costs (memory
        allocation, kernel selection, caches) are paid at load, not on the candidate's first
        answer (issue "The round lasts its 20 minutes": the first reply came slowest). Returns
        its seconds (also in ``warm_s``). A failure here is raised like a load failure."""
        t0 = time.perf_counter()
        self._warm()
        self.warm_s = time.perf_counter() - t0
        return self.warm_s

    def _warm(self) -> None:
        """The dummy pass; engines override it (default: nothing)."""

    def submit(self, fn, *args, **kwargs) -> Future:
        """Run ``fn(*args, **kwargs)`` on this engine's worker thread."""
        return self._pool.submit(fn, *args, **kwargs)

    def call(self, fn, *args, **kwargs):
        """Run ``fn`` on the worker thread and wait for its result (exceptions propagate)."""
        return self._pool.submit(fn, *args, **kwargs).result()

    def _release(self) -> None:
        """Drop the model object (runs on the worker thread). Overridden by engines that hold one."""

    def close(self, timeout_s: float = 10.0) -> None:
        """Release the model on its worker thread, then stop and join that thread.

        Called before the interpreter and Qt tear down, so that no C extension (onnxruntime,
        CTranslate2, llama.cpp) frees its objects during interpreter finalization. Pending calls
        are cancelled; a call still running gets ``timeout_s`` seconds to finish, after which the
        thread is left to end on its own (never an unbounded wait: a stuck native call must not hang
        the app's exit). Safe to call twice.
        """
        if getattr(self, "_closed", False):
            return
        self._closed = True
        released = True
        try:
            self._pool.submit(self._release).result(timeout=timeout_s)
        except TimeoutError:
            released = False
        except Exception:  # a failed release must not block the shutdown
            pass
        self._pool.shutdown(wait=released, cancel_futures=True)
        self.loaded = False
