"""The loaded engines a round needs (VAD, STT, TTS and optionally the LLM), loaded together."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from voiceround.engines.vad import SileroVAD


@dataclass
class Engines:
    """The loaded engines a session needs. ``llm`` is optional (probe rewording)."""

    vad: SileroVAD
    stt: object
    tts: object
    llm: object | None = None

    @classmethod
    def load(cls, use_llm: bool = True, progress: Callable[[str], None] | None = None) -> "Engines":
        """Load the default (or ``VOICEROUND_*_MODEL``) engines; ``progress`` gets one line per model.
        Raises :class:`ModelError` naming the model that failed."""
        from voiceround.engines.llm import LlamaRewriter
        from voiceround.engines.stt import WhisperSTT
        from voiceround.engines.tts import PiperTTS
        say = progress or (lambda _m: None)
        out = {}
        for name, make in (("vad", SileroVAD), ("stt", WhisperSTT), ("tts", PiperTTS)) + ((("llm", LlamaRewriter),) if use_llm else ()):
            say(f"loading {name.upper()} model…")
            engine = make()
            engine.load()
            engine.warm()  # the first answer pays no first-use cost
            say(f"loaded {name.upper()} ({engine.spec.name}) in {engine.load_s + engine.warm_s:.2f} s")
            out[name] = engine
        return cls(**out)

    def describe(self) -> dict:
        """``{role: {"name", "package", "sha256", "path"}}`` of the loaded models (stored with each session)."""
        specs = {role: getattr(getattr(self, role, None), "spec", None) for role in ("vad", "stt", "tts", "llm")}
        return {role: {"name": sp.name, "package": sp.package, "sha256": sp.sha256, "path": str(sp.path)}
                for role, sp in specs.items() if sp is not None}

    def load_times(self) -> dict:
        """``{role: seconds}`` each model took to load and warm up."""
        return {k: round(getattr(self, k).load_s + getattr(self, k).warm_s, 3) for k in ("vad", "stt", "tts", "llm") if getattr(self, k) is not None}

    def close(self) -> None:
        for k in ("vad", "stt", "tts", "llm"):
            e = getattr(self, k)
            if e is not None:
                e.close()
