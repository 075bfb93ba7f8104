"""Full-duplex playback: the interviewer speaks while the candidate's stream is still heard, so a
candidate who talks over it stops it (barge-in, :mod:`voiceround.turntaking.bargein`).

The session timeline is the recording: every microphone frame is written once, and the
interviewer's audio is mixed into the frames heard while it played. A microphone's frames captured
before playback began (the runner was busy deciding and synthesizing) are written first, unmixed,
so the two stay aligned with what the candidate actually heard.
"""
from __future__ import annotations

import time

import numpy as np

from voiceround.core import events as ev
from voiceround.core.audio_format import FRAME_S, FRAME_SAMPLES, SAMPLE_RATE
from voiceround.turntaking.bargein import BargeInConfig, BargeInDetector, Decision

# Half-duplex (the echo isn't cancelled well enough): a frame counts as the candidate only when the
# double-talk test passes, at a higher speech probability, and a barge-in needs 0.32 s of it (10
# frames, against 3 in full duplex), so residual echo can't stop the interviewer.
HALF_DUPLEX = BargeInConfig(speech_prob=0.7, onset_s=10 * FRAME_S)
# Cutting in (abstraction, monologue): the interviewer holds the floor over the candidate's last
# words, as a person does ("Let me stop you there…"); only speech that goes on for 1.2 s takes it back.
CUTTING_IN = BargeInConfig(onset_s=0.6, backchannel_s=1.2)


def barge_in_config(half: bool, cutting_in: bool) -> BargeInConfig | None:
    """The barge-in thresholds for one sentence: :data:`CUTTING_IN` for the first sentence of an
    interruption (at the half-duplex speech probability when in half-duplex), :data:`HALF_DUPLEX`,
    or None (the detector's defaults)."""
    if cutting_in:
        return BargeInConfig(speech_prob=HALF_DUPLEX.speech_prob if half else CUTTING_IN.speech_prob, onset_s=CUTTING_IN.onset_s,
                             backchannel_s=CUTTING_IN.backchannel_s)
    return HALF_DUPLEX if half else None


class DuplexPolicy:
    """Whether the interviewer plays in half-duplex: when the sound check asked for it
    (``forced``), or the echo canceller (``echo``: :class:`voiceround.audio.echo.EchoCanceller` or
    None) hasn't converged lately, or (silently) before it has heard a second of playback. A change
    of verdict is sent to ``emit`` as :class:`~voiceround.core.events.DuplexChanged`."""

    def __init__(self, echo, forced: bool, emit):
        self.echo, self.forced, self.emit = echo, forced, emit
        self.current = False

    def half(self, t_s: float) -> bool:
        """The verdict now (``t_s``: session second, for the event)."""
        verdict = self.echo.converged if self.echo is not None else True
        half = self.forced or verdict is not True
        if (verdict is not None or self.forced) and half != self.current:
            r = self.echo.recent() if self.echo is not None else None
            reason = "sound check" if self.forced else ("echo not cancelled" if half else "echo cancelled")
            self.emit(ev.DuplexChanged(t_s, half=half, reason=reason, echo_db=None if r is None else round(r[0], 1),
                                       erle_db=None if r is None else round(r[1], 1)))
            self.current = half
        return half


def play_listening(audio: np.ndarray, hifi=None, *, feed, sink, rec, vad, realtime: bool,
                   config: BargeInConfig | None = None, gate=None, on_hold=None) -> dict | None:
    """Play one sentence while listening.

    ``audio``: int16 at 16 kHz; ``hifi``: the same as ``(float32, rate Hz)`` at the voice's own rate
    for the speaker (:meth:`voiceround.audio.devices.SpeakerSink.play`). ``feed``: a live feed
    (``frames_for``, optional ``backlog`` in samples); ``sink``: the speaker or None; ``rec``: the
    session recorder (``write``, ``t_s``); ``vad``: a VAD stream of its own (``prob_int16``);
    ``config``: the barge-in thresholds (:data:`HALF_DUPLEX`: a higher bar); ``gate``: None, or a
    callable telling whether the frame just heard may be the candidate at all (the echo
    canceller's double-talk test, in full and half duplex: after a long answer, AEC3 re-converges
    over the first seconds of the next question, and its residual echo paused the interviewer
    2-3 times in 3 of 4 rig runs at -12 dB, 60 ms; gated, 0 in 4 runs from no echo to -6 dB, and
    barge-in still stops in 96 ms). The speaker gets the whole
    sentence at once; the loop follows it frame by frame (32 ms) as the microphone's frames arrive.
    A backchannel holds playback where it is; ``on_hold(t_s, held_s)`` is told when it goes on. Returns None when it played to the end, or a barge-in
    ``{"played": samples played, "onset_s", "stop_ms", "frames": the candidate's frames so far}``
    after flushing the speaker.
    """
    frames = feed.frames_for(None)
    lead = getattr(feed, "backlog", 0) // FRAME_SAMPLES  # frames heard before this audio starts
    if sink is not None:
        sink.play(audio, hifi)
    pos, heard = 0, []
    due = None  # when the chunk played last ends, on the monotonic clock (no sink: paced here)
    det = BargeInDetector(config)
    while pos < len(audio) or det.paused:
        frame = next(frames, None) if frames is not None else None
        cand = frame if frame is not None else np.zeros(FRAME_SAMPLES, np.int16)
        if sink is not None and sink.held != det.paused:
            sink.hold(det.paused)  # a backchannel pauses playback where it is
        if det.paused or lead > 0:
            lead -= 1
            due = None
            rec.write(cand)
        else:
            chunk = audio[pos:pos + FRAME_SAMPLES]
            pos += len(chunk)
            mix = cand[: len(chunk)].astype(np.int32) + chunk
            mix = np.concatenate([mix, cand[len(chunk):].astype(np.int32)])
            rec.write(np.clip(mix, -32768, 32767).astype(np.int16))
            if sink is None and realtime:
                # Paced to an absolute schedule, not a sleep per chunk: a per-chunk sleep added the
                # frame's own processing and the feed's wait to every chunk, and a live loop fell
                # 2 ms a frame behind the microphone (0.36 s by the end of a 5 s question on a slower machine).
                due = (due if due is not None else time.monotonic()) + len(chunk) / SAMPLE_RATE
                time.sleep(max(0.0, due - time.monotonic()))
        prob = vad.prob_int16(cand)
        held_since = det.stop_s if det.paused else None
        decision = det.push(prob if gate is None or gate() else 0.0, rec.t_s)
        if decision is Decision.RESUME and on_hold is not None and held_since is not None:
            on_hold(rec.t_s, rec.t_s - held_since)
        if det.collecting:
            heard.append(cand)
        elif det.run == 0:  # nothing heard, or a backchannel/blip that was forgotten
            heard = []
        if decision is Decision.BARGE_IN:
            if sink is not None:
                sink.flush()
            return {"played": pos, "onset_s": det.onset_s, "stop_ms": det.stop_ms, "frames": heard}
        if frame is None and frames is not None and pos >= len(audio):
            break
    if sink is not None and sink.held:
        sink.hold(False)
    return None
