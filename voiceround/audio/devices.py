"""Audio device listing through sounddevice (PortAudio). Works without PortAudio installed: the
problem is reported instead of raised."""
from __future__ import annotations

import queue

import numpy as np

from voiceround.core.audio_format import FRAME_SAMPLES, SAMPLE_RATE

PORTAUDIO_HINT = "install the PortAudio library (Debian/Ubuntu: sudo apt install libportaudio2)"


def list_devices() -> tuple[list[dict], str | None]:
    """``(devices, problem)``. Each device: ``index``, ``name``, ``inputs``, ``outputs`` (channel
    counts), ``rate`` (default Hz). ``problem`` says why devices can't be listed (no PortAudio)."""
    try:
        import sounddevice as sd
    except OSError:  # sounddevice raises OSError when libportaudio is missing
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


def _sd():
    """Import sounddevice, turning a missing PortAudio into :class:`AudioError`."""
    from voiceround.core.errors import AudioError
    try:
        import sounddevice as sd
    except OSError as exc:
        raise AudioError("the PortAudio library was not found, so there is no microphone or speaker", hint=PORTAUDIO_HINT) from exc
    return sd


def _close_stream(stream) -> None:
    """Stop and close a PortAudio stream; a device that already vanished is not an error here."""
    try:
        stream.stop()
        stream.close()
    except Exception:
        pass


class MicSource:
    """AudioSource over a microphone (sounddevice/PortAudio), as 16 kHz mono int16 frames of 512
    samples. The PortAudio callback only copies and enqueues. If the device can't open at 16 kHz it
    opens at its default rate and the frames are resampled with soxr. Raises AudioError when there
    is no input device or it fails (also mid-round: an unplugged device ends :meth:`frames`)."""

    FRAME = FRAME_SAMPLES
    RATE = SAMPLE_RATE

    def __init__(self, device: int | str | None = None):
        import soxr

        from voiceround.core.errors import AudioError
        sd = _sd()
        self._q: queue.Queue = queue.Queue()
        self.error: str | None = None
        try:
            info = sd.query_devices(device, "input")
        except Exception as exc:
            raise AudioError(f"no microphone found ({exc})", hint="plug one in, pick it in Settings, or type your answers") from exc
        rate = self.RATE
        try:
            sd.check_input_settings(device=device, samplerate=rate, channels=1, dtype="int16")
        except Exception:
            rate = int(info["default_samplerate"])
        self._resampler = soxr.ResampleStream(rate, self.RATE, 1, dtype="float32") if rate != self.RATE else None
        self._rate, self._captured = rate, 0

        def callback(indata, frames, time_info, status):  # PortAudio thread: copy and enqueue only
            self._q.put(indata[:, 0].copy())
            self._captured += frames

        def finished():
            self._q.put(None)

        try:
            self._stream = sd.InputStream(device=device, samplerate=rate, channels=1, dtype="int16",
                                          blocksize=self.FRAME if rate == self.RATE else 0, callback=callback,
                                          finished_callback=finished)
            self._stream.start()
        except Exception as exc:
            raise AudioError(f"the microphone could not be opened ({exc})", hint="pick another input device in Settings") from exc

    @property
    def captured(self) -> int:
        """Samples captured so far, counted at 16 kHz (whatever the device's rate): the microphone's
        timeline, on which the echo canceller places what the speaker played."""
        return int(self._captured * self.RATE / self._rate)

    def frames(self):
        """Yield 512-sample int16 frames until the stream stops (device unplugged or :meth:`close`)."""
        buf = np.zeros(0, np.int16)
        while True:
            try:
                block = self._q.get(timeout=2.0)
            except queue.Empty:
                self.error = "the microphone stopped sending audio (unplugged?)"
                return
            if block is None:
                return
            if self._resampler is not None:
                block = np.clip(self._resampler.resample_chunk(block.astype(np.float32) / 32768.0) * 32768.0,
                                -32768, 32767).astype(np.int16)
            buf = np.concatenate([buf, block])
            while len(buf) >= self.FRAME:
                yield buf[: self.FRAME]
                buf = buf[self.FRAME:]

    def close(self) -> None:
        _close_stream(self._stream)
        self._q.put(None)


class SpeakerSink:
    """AudioSink that plays 16 kHz mono int16 audio on an output device (blocking per call)."""

    def __init__(self, device: int | str | None = None):
        from voiceround.core.errors import AudioError
        sd = _sd()
        try:
            self._stream = sd.OutputStream(device=device, samplerate=SAMPLE_RATE, channels=1, dtype="int16")
            self._stream.start()
        except Exception as exc:
            raise AudioError(f"the speaker could not be opened ({exc})", hint="pick another output device in Settings") from exc

    def play(self, audio: np.ndarray) -> None:
        self._stream.write(audio.astype(np.int16).reshape(-1, 1))

    def close(self) -> None:
        _close_stream(self._stream)


def input_devices() -> tuple[list[dict], str | None]:
    """Input-capable devices and a problem string (see :func:`list_devices`)."""
    devs, problem = list_devices()
    return [d for d in devs if d["inputs"] > 0], problem


def output_devices() -> tuple[list[dict], str | None]:
    """Output-capable devices and a problem string (see :func:`list_devices`)."""
    devs, problem = list_devices()
    return [d for d in devs if d["outputs"] > 0], problem
