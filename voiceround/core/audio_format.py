"""The one audio format inside VoiceRound, in one place.

Every candidate frame, every recorded session WAV and every VAD call uses 16 kHz mono int16.
``FRAME_SAMPLES`` is fixed by the Silero VAD v5/v6 model, which takes 512-sample windows at 16 kHz
(32 ms); see the Silero VAD README. Devices at other rates are resampled to this at the edge
(``voiceround.audio.devices``).
"""
SAMPLE_RATE = 16000             # Hz
FRAME_SAMPLES = 512             # samples per frame (Silero VAD window at 16 kHz)
FRAME_S = FRAME_SAMPLES / SAMPLE_RATE   # 0.032 s
