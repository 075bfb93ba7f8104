"""Where VoiceRound keeps its data and settings (platformdirs, with ``VOICEROUND_*`` overrides)."""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "voiceround"


def _owner_only_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.chmod(path, 0o700)
    except OSError:
        pass
    return path


def data_dir() -> Path:
    """User data dir (database, session audio). ``VOICEROUND_DATA_DIR`` overrides it. Created 0700."""
    override = os.environ.get("VOICEROUND_DATA_DIR")
    return _owner_only_dir(Path(override) if override else Path(platformdirs.user_data_dir(APP)))


def config_dir() -> Path:
    """User config dir (settings). ``VOICEROUND_CONFIG_DIR`` overrides it. Created 0700."""
    override = os.environ.get("VOICEROUND_CONFIG_DIR")
    return _owner_only_dir(Path(override) if override else Path(platformdirs.user_config_dir(APP)))


def db_path() -> Path:
    """The SQLite database file inside :func:`data_dir`."""
    return data_dir() / "voiceround.db"


def audio_dir() -> Path:
    """Folder for session audio (one 16 kHz mono WAV per session). Created 0700."""
    return _owner_only_dir(data_dir() / "audio")
