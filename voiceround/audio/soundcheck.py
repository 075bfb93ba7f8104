"""The sound check before a round (about 10 s): is the candidate wearing headphones, or does the
speaker come back into the microphone, and is the microphone level usable?

1. The interviewer's voice says :data:`PHRASE` on the speaker while the microphone records it
   through the echo canceller: how loud the speaker comes back (``echo_db``, the microphone's level
   relative to what was played) and how much of it the canceller removes (``erle_db``).
2. The candidate says a sentence (``listen_s``): their speech level, the background noise and
   the peak (clipping).

The verdict follows :mod:`voiceround.audio.echo`'s thresholds: little echo (headphones) or echo
cancelled well enough → full duplex (the candidate can interrupt at any time); echo not cancelled →
half-duplex (the candidate has to speak up to interrupt) and headphones are recommended.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

import numpy as np

from voiceround.audio.echo import MIN_ERLE_DB, QUIET_ECHO_DB
from voiceround.core.audio_format import FRAME_S, SAMPLE_RATE

PHRASE = "This is the sound check. This is how your interviewer will sound. When I stop, say one sentence about your last project."
HIGH_ECHO_DB = -20.0   # louder than this back into the microphone: a laptop's own speakers; headphones advised
QUIET_SPEECH_DBFS = -42.0  # speech peaks (90th percentile of 32 ms frames) under this: too far or gain too low
CLIP_LEVEL = 32500     # |sample| at or above this (-0.07 dBFS) is clipped
CLIP_SHARE = 0.0005    # more than 0.05 % of the samples clipped: the input clips (a normalised recording touches full scale once)
MIN_SNR_DB = 12.0      # speech less than this above the background: noisy room


@dataclass
class SoundCheck:
    """What the sound check measured. Levels in dBFS (``speech_dbfs``: 90th percentile of the 32 ms
    frames while the candidate spoke; ``noise_dbfs``: 10th percentile; ``peak_dbfs``: loudest
    sample; ``clipped_share``: share of samples at full scale); ``echo_db`` / ``erle_db`` in dB (None when nothing came back to measure). ``verdict``:
    "headphones" (little echo), "speakers" (echo cancelled) or "half_duplex"; ``advice``: sentences
    for the user. ``recording``: what the microphone heard while the candidate spoke (int16, 16 kHz
    mono), for playing it back; kept in memory only, never stored (not in :meth:`to_dict`)."""

    echo_db: float | None
    erle_db: float | None
    speech_dbfs: float
    noise_dbfs: float
    peak_dbfs: float
    clipped_share: float = 0.0
    verdict: str = ""
    advice: list[str] = field(default_factory=list)
    recording: np.ndarray | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict:
        """The measurements and verdict as JSON-able data (without ``recording``)."""
        d = asdict(self)
        d.pop("recording", None)
        return d


def judge(echo_db: float | None, erle_db: float | None, speech_dbfs: float, noise_dbfs: float,
          peak_dbfs: float, clipped_share: float = 0.0) -> SoundCheck:
    """The verdict and advice for measured levels (see the module docstring for the thresholds)."""
    sc = SoundCheck(echo_db, erle_db, round(speech_dbfs, 1), round(noise_dbfs, 1), round(peak_dbfs, 1),
                    round(clipped_share, 5))
    if echo_db is None or echo_db <= QUIET_ECHO_DB:
        sc.verdict = "headphones"
        sc.advice.append("Hardly any of the interviewer's voice reaches your microphone (headphones, or a quiet "
                         "speaker): you can interrupt the interviewer at any time.")
    elif erle_db is not None and erle_db >= MIN_ERLE_DB:
        sc.verdict = "speakers"
        sc.advice.append(f"Your speaker comes back into the microphone at {echo_db:.0f} dB; echo cancellation removes "
                         f"{erle_db:.0f} dB of it, so you can still interrupt the interviewer.")
        if echo_db > HIGH_ECHO_DB:
            sc.advice.append("That echo is high: headphones will make the round more reliable.")
    else:
        sc.verdict = "half_duplex"
        sc.advice.append(f"Your speaker comes back into the microphone at {echo_db:.0f} dB and echo cancellation removes "
                         f"only {0.0 if erle_db is None else erle_db:.0f} dB. The round will run half-duplex: to interrupt "
                         "the interviewer, speak up for about a third of a second. Use headphones for a natural interview.")
    if clipped_share > CLIP_SHARE:
        sc.advice.append("Your microphone clips (too loud): lower its input level or move back a little.")
    elif speech_dbfs < QUIET_SPEECH_DBFS:
        sc.advice.append("We barely heard you: move closer to the microphone or raise its input level.")
    elif speech_dbfs - noise_dbfs < MIN_SNR_DB:
        sc.advice.append("The background noise is close to your voice: a quieter room will help the transcript.")
    else:
        sc.advice.append("Your voice comes through clearly.")
    return sc


def _dbfs(frame: np.ndarray) -> float:
    rms = float(np.sqrt(np.mean((frame.astype(np.float32) / 32768.0) ** 2)))
    return 20 * float(np.log10(max(rms, 1e-6)))


def run_sound_check(tts, input_device=None, output_device=None, listen_s: float = 5.0,
                    on_level=None, on_phase=None) -> SoundCheck:
    """Run the check on real devices. ``tts``: a loaded TTS engine (``speak(text)`` → Speech);
    ``on_level(dbfs)``: called about ten times a second with the microphone level; ``on_phase(name)``:
    "playing" then "listening". Raises :class:`~voiceround.core.errors.AudioError` when the
    microphone or the speaker can't be opened (nothing is stored either way)."""
    from voiceround.audio.devices import MicSource, SpeakerSink
    from voiceround.audio.echo import LIVE_DELAY_FRAMES, EchoCanceller, connect
    speech = tts.speak(PHRASE)
    audio = speech.audio
    mic = MicSource(input_device)
    try:
        sink = SpeakerSink(output_device)
    except Exception:
        mic.close()
        raise
    echo = EchoCanceller(delay_frames=LIVE_DELAY_FRAMES)
    connect(echo, sink, mic)
    levels: list[float] = []
    said: list[np.ndarray] = []
    peak = clipped = heard = 0
    try:
        frames = mic.frames()
        for _ in range(int(0.3 / FRAME_S)):  # let both streams settle before playing
            frame = next(frames, None)
            if frame is not None:
                echo.process(frame)  # every captured frame goes through: the far end is placed by capture count
        if on_phase:
            on_phase("playing")
        sink.play(audio, speech.hifi)
        last = 0.0
        n_play = int((len(audio) / SAMPLE_RATE + 0.5) / FRAME_S)
        n_listen = int(listen_s / FRAME_S)
        for i in range(n_play + n_listen):
            frame = next(frames, None)
            if frame is None:
                break
            echo.process(frame)
            if i == n_play and on_phase:
                on_phase("listening")
            if i >= n_play:
                said.append(frame)
                levels.append(_dbfs(frame))
                mag = np.abs(frame.astype(np.int32))
                peak, clipped, heard = max(peak, int(mag.max())), clipped + int((mag >= CLIP_LEVEL).sum()), heard + len(frame)
            now = time.perf_counter()
            if on_level and now - last >= 0.1:
                last = now
                on_level(_dbfs(frame))
    finally:
        sink.close()
        mic.close()
    if mic.error:
        from voiceround.core.errors import AudioError
        raise AudioError(f"the sound check could not finish: {mic.error}", hint="check the microphone, then try again")
    lv = np.array(levels or [-120.0])
    # A user who talks over part of the phrase (double talk) must not make the canceller look worse
    # (ERLE: the better quarter of frames) or headphones look like speakers (the quieter quarter of
    # echo levels decides "little echo"); the echo level shown is the median over the phrase.
    robust = echo.recent(n=10 ** 6)
    echo_db, erle_db = echo.echo_db, echo.erle_db
    if robust is not None:
        erle_db = round(robust[1], 1)
        if robust[0] <= QUIET_ECHO_DB:
            echo_db = round(robust[0], 1)
    sc = judge(echo_db, erle_db, float(np.percentile(lv, 90)), float(np.percentile(lv, 10)),
               20 * float(np.log10(max(peak, 1) / 32768.0)), clipped / max(heard, 1))
    sc.recording = np.concatenate(said) if said else None
    return sc
