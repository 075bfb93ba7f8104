"""Audio in and out. Inside VoiceRound audio is always 16 kHz mono int16 (``SAMPLE_RATE``).

AudioSource: something that yields frames of ``FRAME`` samples (microphone, WAV file paced in
real time or as fast as possible, silence). AudioSink: something that takes int16 audio (speaker,
WAV writer).
"""
from voiceround.audio.files import (  # noqa: F401  (the package API)
    FRAME,
    SAMPLE_RATE,
    to_internal,
    read_audio,
    ArraySource,
    FileSource,
    WavRecorder,
)
