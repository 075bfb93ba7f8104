"""Audio in and out, 16 kHz mono int16 inside: sources, reading files, the session recorder. The code lives in :mod:`voiceround.audio.files`."""
from voiceround.audio.files import (  # noqa: F401  (the package API)
    FRAME,
    SAMPLE_RATE,
    ArraySource,
    FileSource,
    WavRecorder,
    read_audio,
    to_internal,
)
