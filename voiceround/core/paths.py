"""Where VoiceRound keeps its data and settings (platformdirs, with ``VOICEROUND_*`` overrides)."""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from voiceround.core.errors import StorageError

APP = "voiceround"


def _owner_only_dir(path: Path) -> Path:
    """Create ``path`` owner-only (0700) if it doesn't exist; an existing folder is left as it is.
    Safe when several threads create it at once (the app's storage reads start together on a first
    launch). Raises :class:`StorageError` when it can't be created or isn't a folder."""
    if path.is_dir():
        return path
    try:
        path.mkdir(parents=True, mode=0o700)
    except FileExistsError:
        pass  # made meanwhile by another thread, or a file: told apart below
    except OSError as exc:
        raise StorageError(f"cannot create the folder {path}: {exc.strerror or exc}",
                           hint="choose a writable location with VOICEROUND_DATA_DIR") from exc
    else:
        os.chmod(path, 0o700)
    if not path.is_dir():
        raise StorageError(f"the data path {path} exists but is not a folder",
                           hint="point VOICEROUND_DATA_DIR (or VOICEROUND_CONFIG_DIR) at a folder")
    return path


def data_dir() -> Path:
    """User data dir (database, session audio). ``VOICEROUND_DATA_DIR`` overrides it. Created 0700;
    raises :class:`StorageError` if it can't be."""
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
