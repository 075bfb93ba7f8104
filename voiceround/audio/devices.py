"""Audio device listing through sounddevice (PortAudio). Works without PortAudio installed: the
problem is reported instead of raised."""
from __future__ import annotations

PORTAUDIO_HINT = "install the PortAudio library (Debian/Ubuntu: sudo apt install libportaudio2)"


def list_devices() -> tuple[list[dict], str | None]:
    """``(devices, problem)``. Each device: ``index``, ``name``, ``inputs``, ``outputs`` (channel
    counts), ``rate`` (default Hz). ``problem`` says why devices can't be listed (no PortAudio)."""
    try:
        import sounddevice as sd
    except OSError as exc:  # sounddevice raises OSError when libportaudio is missing
        return [], f"the PortAudio library was not found; {PORTAUDIO_HINT}"
    try:
        raw = sd.query_devices()
    except Exception as exc:  # PortAudioError
        return [], f"PortAudio error: {exc}"
    out = []
    for i, d in enumerate(raw):
        out.append({"index": i, "name": d["name"], "inputs": d["max_input_channels"],
                    "outputs": d["max_output_channels"], "rate": d["default_samplerate"]})
    return out, None
