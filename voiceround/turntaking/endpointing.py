"""Endpointing: when the candidate's turn ends, from per-frame speech probabilities (pure).

Silence rules with hysteresis (Silero VAD's recommended 0.5 start / 0.35 end thresholds), a soft
gap (0.2 s) where the speech so far is decoded ahead, a pause (0.5 s) where the caller checks
whether the words end a sentence, and a final endpoint (2 s) whatever was said. Parameters and
their sources: :class:`EndpointConfig`.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from voiceround.core.audio_format import FRAME_SAMPLES as FRAME
from voiceround.core.audio_format import SAMPLE_RATE


@dataclass
class EndpointConfig:
    """Endpointing parameters, in seconds and probabilities.

    ``start_prob``/``end_prob``: hysteresis thresholds (Silero's recommended 0.5 and 0.35).
    ``min_speech_s``: shorter bursts are noise. ``soft_pause_s``: a short gap (between sentences)
    where the audio so far is decoded ahead, so that at the endpoint only the last bit needs
    decoding. ``pause_s``: silence after which the utterance so far is checked (the runner asks the STT whether it ends a sentence; if so, that is the endpoint).
    ``max_pause_s``: silence that ends the turn whatever was said (a thinking pause mid-sentence is
    kept up to this). ``pre_roll_s``: audio kept before speech start so no first syllable is clipped
    (≥ 0.3 s). The case audio has sentence pauses up to 0.61 s (measured on ../shared/cases).
    ``story_pause_s`` / ``story_max_pause_s`` / ``story_min_s``: after a question that asks for a
    story (the scenario, a story slot), the first ``story_min_s`` of the answer end only after
    ``story_pause_s`` of silence after a full sentence, and ``story_max_pause_s`` mid-sentence: the
    pause after a first sentence ("Last spring, I was the lead engineer on…") is the candidate
    gathering the story, not the end of it (live rounds ended there in 3 of 3 runs), and a
    thinking pause of up to 3 s after an unfinished sentence ("…and then we") is kept. (A pause
    after words the STT punctuates as a sentence, "My director, Priya.", still ends at 1 s.)
    ``story_late_pause_s``: later in such an answer, a full sentence ends it after this much
    silence, not ``pause_s``: in live rounds (no look-ahead) the 0.5 s rule ended 5 of 40 story
    answers of the long-round bench between sentences; the bundled voice's sentence gaps reach
    0.6-0.7 s in 5 of 397 gaps (energy below -45 dBFS), and a person's are longer.
    ``unfinished_max_pause_s``: anywhere in an answer, a pause after words that don't end a
    sentence ("…the main trade-off was", "…against…") ends the turn only after this much silence,
    not ``max_pause_s``: a thinking pause of 2.5 s mid-sentence is the candidate still answering
    (the latency issue's target; Whisper marks such a fragment with a trailing "...").
    """

    start_prob: float = 0.5
    end_prob: float = 0.35
    min_speech_s: float = 0.25
    soft_pause_s: float = 0.2
    pause_s: float = 0.5
    max_pause_s: float = 2.0
    pre_roll_s: float = 0.4
    story_pause_s: float = 1.0
    story_max_pause_s: float = 3.0
    story_min_s: float = 8.0
    story_late_pause_s: float = 0.65
    unfinished_max_pause_s: float = 3.5


@dataclass
class Utterance:
    """The candidate's speech so far: int16 ``audio`` at 16 kHz (from pre-roll to the current frame)
    and stream times in seconds of speech start (``start_s``), last voiced frame (``end_s``) and
    the decision point (``endpoint_s``). ``final``: the silence reached ``max_pause_s``."""

    audio: np.ndarray
    start_s: float
    end_s: float
    endpoint_s: float
    final: bool = False
    soft: bool = False


class Endpointer:
    """Turns a stream of int16 frames and their VAD speech probabilities into utterances (pure: no
    model is called here; the caller computes each frame's probability, e.g. with
    :class:`voiceround.engines.vad.SileroVAD`).

    Feed :meth:`push` one ``FRAME``-sample int16 frame at a time with its probability. It returns an :class:`Utterance`
    with ``soft`` True at a short gap (``soft_pause_s``: decode ahead, decide nothing), and
    when a pause of ``pause_s`` follows at least ``min_speech_s`` of speech (``final`` False: the
    caller decides whether the sentence is complete, and if not keeps pushing), once more when it
    reaches a longer pause the caller put in force (:attr:`pause_s`, early in a story), and again with
    ``final`` True when the pause reaches ``max_pause_s``; otherwise None. Call :meth:`finish` to
    close the utterance at a caller-decided endpoint. Times count from the first frame pushed.
    """

    def __init__(self, config: EndpointConfig | None = None):
        self.cfg = config or EndpointConfig()
        self.pause_s = self.cfg.pause_s  # the pauses in force now (the caller lengthens them early in a story)
        self.max_pause_s = self.cfg.max_pause_s
        self.reset()

    def reset(self) -> None:
        """Start a new stream (time 0 at the next frame). The caller resets its VAD state too."""
        self.n = 0
        self.in_speech = False
        self.speech_frames = 0
        self.silence_frames = 0
        self.start_frame = 0
        self.last_voiced = 0
        self.paused_reported = 0.0  # the longest pause reported for the current silence (s)
        self.buf: list[np.ndarray] = []
        self.pre = deque(maxlen=max(1, int(round(self.cfg.pre_roll_s * SAMPLE_RATE / FRAME))))

    @property
    def t_s(self) -> float:
        """Stream time in seconds of the frames pushed so far."""
        return self.n * FRAME / SAMPLE_RATE

    def _utterance(self, final: bool) -> Utterance:
        fs = FRAME / SAMPLE_RATE
        keep = len(self.buf) - self.silence_frames + int(0.2 / fs)  # 200 ms tail after the last voice
        return Utterance(np.concatenate(self.buf[:keep]), round(self.start_frame * fs, 3), round(self.last_voiced * fs, 3),
                         round(self.n * fs, 3), final)

    @property
    def utterance_s(self) -> float:
        """Length in seconds of the utterance in progress (0 when not in speech)."""
        return (self.n - self.start_frame) * FRAME / SAMPLE_RATE if self.in_speech else 0.0

    def peek(self) -> Utterance | None:
        """The utterance in progress so far, without closing it (for live partial text)."""
        if not self.in_speech or not self.buf:
            return None
        fs = FRAME / SAMPLE_RATE
        return Utterance(np.concatenate(self.buf), round(self.start_frame * fs, 3), round(self.last_voiced * fs, 3),
                         round(self.n * fs, 3), False)

    def force(self) -> Utterance | None:
        """Close the utterance in progress now (an interruption); None when not in speech."""
        if not self.in_speech or not self.buf:
            return None
        fs = FRAME / SAMPLE_RATE
        utt = Utterance(np.concatenate(self.buf), round(self.start_frame * fs, 3), round(self.last_voiced * fs, 3),
                        round(self.n * fs, 3), True)
        self.finish()
        return utt

    def finish(self) -> None:
        """End the current utterance (the caller decided the endpoint); the next speech starts a new one."""
        self.in_speech = False
        self.buf = []
        self.pre.clear()

    def push(self, frame: np.ndarray, p: float) -> Utterance | None:
        """Process one int16 frame of ``FRAME`` samples and its speech probability ``p`` (0–1);
        return an :class:`Utterance` at a soft gap, a pause or the final endpoint, else None."""
        self.n += 1
        fs = FRAME / SAMPLE_RATE
        if not self.in_speech:
            if p >= self.cfg.start_prob:
                self.in_speech = True
                self.start_frame = self.n - 1
                self.buf = list(self.pre) + [frame]
                self.speech_frames, self.silence_frames = 1, 0
                self.last_voiced = self.n
                self.paused_reported = 0.0
            else:
                self.pre.append(frame)
            return None
        self.buf.append(frame)
        if p >= self.cfg.end_prob:
            self.speech_frames += 1
            self.silence_frames = 0
            self.last_voiced = self.n
            self.paused_reported = 0.0
            return None
        self.silence_frames += 1
        silence = self.silence_frames * fs
        if self.speech_frames * fs < self.cfg.min_speech_s:
            if silence >= self.cfg.pause_s:  # a click or a breath: forget it (not lengthened)
                self.finish()
            return None
        if silence >= self.max_pause_s:
            utt = self._utterance(final=True)
            self.finish()
            return utt
        for pause in sorted({self.cfg.pause_s, self.pause_s}):  # each pause in force is reported once
            if silence >= pause > self.paused_reported:
                self.paused_reported = pause
                return self._utterance(final=False)
        if self.silence_frames == int(round(self.cfg.soft_pause_s / fs)) and silence < self.pause_s:
            utt = self._utterance(final=False)
            utt.soft = True
            return utt
        return None


_OPEN_END = ("and", "but", "so", "because", "or", "um", "uh", "then", "the", "a", "an", "to", "of", "with", "which",
             "like", "if", "when", "while", "for", "my", "our", "their", "your", "its", "we", "i",
             # words a spoken sentence hardly ends on ("…the main trade-off was.", "…payment errors were."):
             # Whisper puts a full stop after a fragment cut there. Not words an answer does end on
             # ("I told her.", "that's how it is.", "as fast as we could.")
             "was", "were", "very", "than", "from", "into", "also", "whether")


# Verbs that introduce a "that" clause: a transcript ending "…argued that." broke off (a live round
# ended an answer there on a 2.5 s thinking pause, Whisper having written the full stop).
_THAT_CLAUSE = frozenset(("argued", "said", "says", "showed", "shows", "found", "thought", "think", "believed", "believe", "felt",
                          "feel", "knew", "know", "claimed", "realized", "realised", "noticed", "meant", "means", "mean", "decided",
                          "agreed", "pointed", "out", "assumed", "worried", "insisted", "explained", "proved", "suggested"))


# A preposition left at the end of a relative clause or an infinitive ("…the one I worked with.",
# "…the VP I reported to.", "…nicer to work with.") ends a sentence: a new user's live answers
# ending so waited the 3.5 s thinking pause. Left at the end of a main clause ("Then I worked
# with.") it is a sentence broken off, as before.
_STRANDABLE = frozenset(("with", "to", "for", "of", "from", "into"))
_SUBJECTS = frozenset(("i", "we", "he", "she", "they", "you"))
_CLAUSE_OPENERS = frozenset(("and", "but", "so", "then", "because", "when", "while", "if", "first", "later", "after",
                             "before", "also", "um", "uh", "that"))


def _stranded(words: list[str]) -> bool:
    """Whether the last of ``words`` (a sentence's, its final punctuation off) is a preposition left
    at the end of a relative clause ("…the one I worked with") or an infinitive ("…to work with")."""
    if len(words) < 3 or words[-1].lower() not in _STRANDABLE:
        return False
    before = [w.lower() for w in words[-4:-1]]
    if before[-2] == "to":
        return True  # "to work with"
    return len(before) == 3 and before[-2] in _SUBJECTS and before[0].isalpha() and before[0] not in _CLAUSE_OPENERS


def sentence_complete(text: str) -> bool:
    """Whether a transcript so far reads as a finished thought: it ends with ``.``, ``?`` or ``!`` and
    its last word is not a conjunction, article or filler ("…and.", "because." are not endings), nor
    "that" after a verb that introduces a clause ("…she argued that.").
    A trailing ellipsis ("…of sessions against...") is Whisper marking speech that broke off: not
    an ending (Whisper tiny.en wrote it on 6 of 8 mid-sentence cuts of a shared case answer)."""
    t = text.strip()
    if not t or t[-1] not in ".?!" or t.endswith(("...", "…")):
        return False
    words = t.rstrip(".?!").split()
    if len(words) >= 2 and words[-1].lower() == "that" and words[-2].lower().strip(",") in _THAT_CLAUSE:
        return False  # "…and she argued that." is a clause still to come
    return bool(words) and (words[-1].lower().strip(",") not in _OPEN_END or _stranded(words))
