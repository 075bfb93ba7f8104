"""Barge-in detection while the interviewer speaks (pure: speech probabilities in, decisions out).

The candidate is heard while the interviewer's voice plays. One VAD speech probability arrives per
frame (``frame_s`` seconds, 0.032 s for Silero's 512 samples at 16 kHz). The rule:

- ``onset_s`` (0.096 s, 3 frames) of speech **pauses** playback: someone is talking over it;
- speech that adds up to ``backchannel_s`` (0.6 s) is a **barge-in**: playback stops for good and
  the candidate's turn begins with the audio heard since the onset;
- shorter speech followed by ``resume_silence_s`` (0.3 s) of silence was a backchannel ("mm-hm",
  "okay"): playback **resumes**;
- before playback paused, more than ``reset_frames`` (3) silent frames forget a speech blip.

Constants: measured on the shared cases (barge-in stop p50 96 ms, see docs/BENCHMARKS.md); a
backchannel is typically under 0.5 s (Heldner & Edlund 2010, "Pauses, gaps and overlaps in
conversations", J. Phonetics 38).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from voiceround.core.audio_format import FRAME_S


class Decision(Enum):
    """What playback should do after a frame."""

    PLAY = "play"          # go on (or stay paused, if paused)
    PAUSE = "pause"        # speech onset: pause playback
    RESUME = "resume"      # it was a backchannel: resume playback
    BARGE_IN = "barge_in"  # the candidate took the turn: stop playback


@dataclass(frozen=True)
class BargeInConfig:
    """Thresholds in seconds (and the speech probability that counts as speech)."""

    speech_prob: float = 0.5
    onset_s: float = 3 * FRAME_S
    backchannel_s: float = 0.6
    resume_silence_s: float = 0.3
    reset_frames: int = 3


class BargeInDetector:
    """Feed :meth:`push` one speech probability per frame, with the frame's end time in seconds.

    Attributes after a decision: ``paused`` (playback is paused now), ``onset_s`` (time the speech
    began: the end of the frame before its first voiced frame), ``stop_s`` (time playback paused),
    ``collecting`` (the frame just pushed belongs to the candidate's possible turn: the caller keeps
    it so a barge-in turn starts with it).
    """

    def __init__(self, config: BargeInConfig | None = None, frame_s: float = FRAME_S):
        self.cfg, self.frame_s = config or BargeInConfig(), frame_s
        self.reset()

    def reset(self) -> None:
        """Forget any speech in progress (playback not paused)."""
        self.run = 0          # voiced frames since the onset
        self.silence = 0      # silent frames since the last voiced one
        self.paused = False
        self.onset_s: float | None = None
        self.stop_s: float | None = None
        self.collecting = False

    @property
    def stop_ms(self) -> float:
        """Milliseconds from the speech onset to the pause (the barge-in reaction time)."""
        return 1000.0 * ((self.stop_s or 0.0) - (self.onset_s or 0.0))

    def push(self, prob: float, t_s: float) -> Decision:
        """One frame: ``prob`` the VAD speech probability (0–1), ``t_s`` the frame's end time (s)."""
        c = self.cfg
        if prob >= c.speech_prob:
            self.run += 1
            self.silence = 0
            self.collecting = True
            if self.run == 1:
                self.onset_s = t_s - self.frame_s
            if self.run * self.frame_s >= c.backchannel_s - 1e-9:
                if not self.paused:
                    self.paused, self.stop_s = True, t_s
                return Decision.BARGE_IN
            if self.run * self.frame_s >= c.onset_s - 1e-9 and not self.paused:
                self.paused, self.stop_s = True, t_s
                return Decision.PAUSE
            return Decision.PLAY
        self.collecting = self.run > 0
        if self.run:
            self.silence += 1
        if self.paused and self.silence * self.frame_s >= c.resume_silence_s - 1e-9:
            self.reset()
            return Decision.RESUME
        if not self.paused and self.silence > c.reset_frames:
            self.reset()
        return Decision.PLAY
