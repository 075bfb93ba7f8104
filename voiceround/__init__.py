"""VoiceRound: offline spoken practice for behavioral interview rounds."""

__version__ = "0.1.0"
