"""Audio device listing through sounddevice (PortAudio). Works without PortAudio installed: the
problem is reported instead of raised."""
from __future__ import annotations

import queue
import time

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


# No block from the microphone for this long (seconds) means it stopped (unplugged, or the sound server
# gone). 2 s aborted a sound check once on PulseAudio virtual devices in a cold suite run on a busy
# 2-core machine (2026-12-04; it passed when run again); a real unplug is still told within seconds.
STALL_S = 5.0


class MicSource:
    """AudioSource over a microphone (sounddevice/PortAudio), as 16 kHz mono int16 frames of 512
    samples. The device is opened as it is, at its own default rate and channel count (up to two),
    in blocks of one frame's duration (32 ms) at low latency, so silence arrives as it happens (the
    endpoint waits on it); channels are averaged and the audio resampled once, with soxr, to 16 kHz.
    The PortAudio callback only copies and enqueues. Raises AudioError when there is no input device or it fails (also
    mid-round: an unplugged device ends :meth:`frames`)."""

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
        if int(info["max_input_channels"]) < 1:
            raise AudioError(f"'{info['name']}' has no input channels", hint="pick a microphone in Settings")
        rate, channels = int(info["default_samplerate"]), max(1, min(2, int(info["max_input_channels"])))
        try:
            sd.check_input_settings(device=device, samplerate=rate, channels=channels, dtype="int16")
        except Exception:
            rate, channels = self.RATE, 1  # the device's own settings refused: let PortAudio convert
        self._resampler = soxr.ResampleStream(rate, self.RATE, 1, dtype="float32") if rate != self.RATE else None
        self._rate, self._captured, self.channels = rate, 0, channels

        def callback(indata, frames, time_info, status):  # PortAudio thread: copy and enqueue only
            self._q.put(indata.copy())
            self._captured += frames

        def finished():
            self._q.put(None)

        try:
            self._stream = sd.InputStream(device=device, samplerate=rate, channels=channels, dtype="int16",
                                          blocksize=int(round(rate * self.FRAME / self.RATE)), latency="low",
                                          callback=callback, finished_callback=finished)
            self._stream.start()
        except Exception as exc:
            raise AudioError(f"the microphone could not be opened ({exc})", hint="pick another input device in Settings") from exc

    @property
    def rate(self) -> int:
        """The device's capture rate (Hz)."""
        return self._rate

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
                block = self._q.get(timeout=STALL_S)
            except queue.Empty:
                self.error = "the microphone stopped sending audio (unplugged?)"
                return
            if block is None:
                return
            mono = block[:, 0] if block.shape[1] == 1 else block.astype(np.float32).mean(axis=1)
            if self._resampler is not None:
                block = np.clip(self._resampler.resample_chunk(np.asarray(mono, np.float32) / 32768.0) * 32768.0,
                                -32768, 32767).astype(np.int16)
            else:
                block = np.asarray(mono).astype(np.int16)
            buf = np.concatenate([buf, block])
            while len(buf) >= self.FRAME:
                yield buf[: self.FRAME]
                buf = buf[self.FRAME:]

    def close(self) -> None:
        _close_stream(self._stream)
        self._q.put(None)


# Output buffer (s). Smaller stops a barge-in sooner, but PortAudio's "low" (8.6 ms through
# PulseAudio's ALSA plugin, in 1 ms callbacks) underran 2-7 times in 7 s of speech here, and each
# underrun shifts the echo by its length, so the canceller had to find it again (measured echo delay
# 60 → 160-180 ms). 10 ms callbacks in a 50 ms buffer: no underruns in the rig (docs/BENCHMARKS.md).
OUTPUT_LATENCY_S = 0.05


class SpeakerSink:
    """AudioSink over an output device: one continuous PortAudio callback stream at the device's own
    rate (``rate``, Hz) and channel count, silent when there is nothing to play (no underruns, no
    gap between sentences). :meth:`play` queues a block and returns at once; :meth:`drain` waits
    until it has been played; :meth:`flush` drops what is queued (a barge-in: playback stops within
    one callback block). ``on_output(ref)``, when set, is called from the PortAudio thread with the
    16 kHz int16 audio of each block as it leaves (the echo canceller's far end). Raises
    :class:`AudioError` when no output device opens.
    """

    def __init__(self, device: int | str | None = None, latency: float = OUTPUT_LATENCY_S):
        import collections
        import threading

        from voiceround.core.errors import AudioError
        sd = _sd()
        try:
            info = sd.query_devices(device, "output")
        except Exception as exc:
            raise AudioError(f"no speaker found ({exc})", hint="plug one in or pick it in Settings") from exc
        self.rate = int(info["default_samplerate"])
        self.channels = 1
        try:
            sd.check_output_settings(device=device, samplerate=self.rate, channels=1, dtype="float32")
        except Exception:
            self.channels = max(1, min(2, int(info["max_output_channels"])))
        self._items: collections.deque = collections.deque()  # [device-rate float32, 16 kHz int16, offset]
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self.on_output = None
        self.held = False
        self.underruns = 0  # output underflows PortAudio reported (a diagnostic: 0 expected)

        def callback(outdata, frames, time_info, status):  # PortAudio thread: copy out only
            if status.output_underflow:
                self.underruns += 1
            outdata.fill(0)
            refs, n = [], 0
            with self._lock:
                while n < frames and self._items and not self.held:
                    item = self._items[0]
                    dev, ref, off = item
                    take = min(frames - n, len(dev) - off)
                    outdata[n:n + take, 0] = dev[off:off + take]
                    refs.append(ref[off * SAMPLE_RATE // self.rate:(off + take) * SAMPLE_RATE // self.rate])
                    item[2] = off + take
                    n += take
                    if item[2] >= len(dev):
                        self._items.popleft()
                if not self._items:
                    self._idle.set()
            if self.channels > 1:
                outdata[:, 1:] = outdata[:, :1]
            hook = self.on_output
            if hook is not None:
                hook(np.concatenate(refs) if refs else np.zeros(frames * SAMPLE_RATE // self.rate, np.int16))

        try:
            self._stream = sd.OutputStream(device=device, samplerate=self.rate, channels=self.channels, dtype="float32",
                                           blocksize=self.rate // 100, latency=latency, callback=callback)
            self._stream.start()
        except Exception as exc:
            raise AudioError(f"the speaker could not be opened ({exc})", hint="pick another output device in Settings") from exc

    def play(self, audio: np.ndarray, hifi: tuple[np.ndarray, int] | None = None) -> None:
        """Queue ``audio`` (int16, 16 kHz). ``hifi``: the same sound as ``(float32 samples, rate Hz)``
        at a higher rate (the TTS voice's own), played instead so the voice is resampled only once,
        to the device's rate. Returns at once."""
        import soxr
        ref = np.asarray(audio, np.int16)
        src, rate = hifi if hifi is not None else (ref.astype(np.float32) / 32768.0, SAMPLE_RATE)
        dev = soxr.resample(np.asarray(src, np.float32), rate, self.rate) if rate != self.rate else np.asarray(src, np.float32)
        need = int(round(len(ref) * self.rate / SAMPLE_RATE))  # keep the two timelines the same length
        dev = np.pad(dev[:need], (0, max(0, need - len(dev))))
        with self._lock:
            self._items.append([dev, ref, 0])
            self._idle.clear()

    def drain(self, timeout_s: float = 60.0) -> bool:
        """Wait until everything queued has been played (False on timeout or a stopped stream)."""
        if not self._idle.wait(timeout_s):
            return False
        latency = getattr(self._stream, "latency", 0.0) or 0.0
        time.sleep(min(float(latency), 0.5))  # the last block is still in the device's buffer
        return True

    def hold(self, held: bool) -> None:
        """Pause (True) or resume (False) playback where it is; queued audio is kept."""
        self.held = bool(held)

    def flush(self) -> None:
        """Drop everything queued: playback falls silent within one callback block."""
        with self._lock:
            self._items.clear()
            self._idle.set()
        self.held = False

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
