"""User settings (audio devices, model files, PDF page size), stored as JSON in the config dir."""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields

from voiceround.core import paths


# Model variables as the user set them when the process started (before Settings touched them).
_ENV_AT_START = {k: os.environ.get(k) for k in ("VOICEROUND_LLM_MODEL", "VOICEROUND_STT_MODEL", "VOICEROUND_TTS_MODEL")}


@dataclass
class Settings:
    """``input_device``/``output_device``: PortAudio device names (None = system default).
    ``llm_model``/``stt_model``/``tts_model``: user model paths (None = the bundled model).
    ``page_size``: "A4" or "Letter" for PDF export. ``listening``: how the candidate hears the
    interviewer: "auto" (the last sound check decides), "headphones", "speakers" (echo cancelled,
    full duplex) or "half_duplex" (speakers whose echo isn't cancelled well enough: the candidate
    has to speak up to interrupt). ``sound_check``: the last sound check's measurements
    (:class:`voiceround.audio.soundcheck.SoundCheck` as a dict) or None. ``theme``: the app's colour
    scheme, "system" (follow the desktop), "light" or "dark"."""

    input_device: str | None = None
    output_device: str | None = None
    llm_model: str | None = None
    stt_model: str | None = None
    tts_model: str | None = None
    page_size: str = "A4"
    listening: str = "auto"
    sound_check: dict | None = None
    theme: str = "system"

    LISTENING = ("auto", "headphones", "speakers", "half_duplex")

    def remember_sound_check(self, result: dict) -> None:
        """Keep a sound check's measurements; its verdict decides while ``listening`` is "auto"."""
        self.sound_check = result

    @property
    def half_duplex(self) -> bool:
        """Whether live rounds start half-duplex: chosen in Settings, or "auto" and the last sound
        check found echo that wasn't cancelled."""
        if self.listening == "auto":
            return bool(self.sound_check) and self.sound_check.get("verdict") == "half_duplex"
        return self.listening == "half_duplex"

    @classmethod
    def load(cls) -> "Settings":
        """Read settings; a missing or unreadable file gives the defaults."""
        try:
            data = json.loads((paths.config_dir() / "settings.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        names = {f.name for f in fields(cls)}
        s = cls(**{k: v for k, v in data.items() if k in names})
        # a hand-edited or damaged file: wrong types fall back to the defaults, field by field
        for name in ("input_device", "output_device", "llm_model", "stt_model", "tts_model"):
            if not isinstance(getattr(s, name), (str, int, type(None))) or isinstance(getattr(s, name), bool):
                setattr(s, name, None)
        if s.page_size not in ("A4", "Letter"):
            s.page_size = "A4"
        if s.listening not in cls.LISTENING:
            s.listening = "auto"
        if s.theme not in ("system", "light", "dark"):
            s.theme = "system"
        sc = s.sound_check
        if not (isinstance(sc, dict) and sc.get("verdict") in ("headphones", "speakers", "half_duplex")
                and isinstance(sc.get("advice", []), list) and all(isinstance(a, str) for a in sc.get("advice", []))):
            s.sound_check = None
        return s

    def save(self) -> None:
        """Write settings atomically, owner-only."""
        path = paths.config_dir() / "settings.json"
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(asdict(self), fh, indent=2)
        os.replace(tmp, path)

    def apply_models(self) -> None:
        """Export the model choices as ``VOICEROUND_<ROLE>_MODEL`` so the engines pick them up.
        A variable the user set before starting the app wins over Settings (README: either way
        works; the one given for this run is the one meant)."""
        for role in ("llm", "stt", "tts"):
            value = getattr(self, f"{role}_model")
            key = f"VOICEROUND_{role.upper()}_MODEL"
            if _ENV_AT_START.get(key):
                os.environ[key] = _ENV_AT_START[key]
            elif value:
                os.environ[key] = value
            else:
                os.environ.pop(key, None)
