"""Errors with stable codes. Every error a user can cause carries a message that says what to do."""
from __future__ import annotations


class VoiceRoundError(Exception):
    """Base class. ``code`` is a stable machine-readable id; ``hint`` tells the user how to fix it."""

    code = "error"

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base}\n  fix: {self.hint}" if self.hint else base


class ModelError(VoiceRoundError):
    """A model is missing, truncated, corrupt or fails to load. The message names the model role."""

    code = "model"


class AudioError(VoiceRoundError):
    """Audio can't be read, is empty, or no device is available."""

    code = "audio"


class CaseFileError(VoiceRoundError):
    """A simulated-candidate case file is unreadable or malformed."""

    code = "case_file"


class StorageError(VoiceRoundError):
    """The database or the audio store can't be opened or written (locked, corrupt, disk full)."""

    code = "storage"


class ScoringError(VoiceRoundError):
    """A stored round could not be scored. The session is kept, unscored; ``recover`` offers it."""

    code = "scoring"


class SessionNotFound(VoiceRoundError):
    """No stored session has the given id."""

    code = "session_not_found"
