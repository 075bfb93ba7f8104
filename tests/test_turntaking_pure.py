"""Turn-taking decisions on synthetic speech-probability sequences (no model, no audio device):
the endpointing segmenter and the barge-in detector, frame by frame (32 ms frames)."""
from __future__ import annotations

import numpy as np
import pytest

from voiceround.core.audio_format import FRAME_S, FRAME_SAMPLES
from voiceround.turntaking.bargein import BargeInDetector, Decision
from voiceround.turntaking.endpointing import EndpointConfig, Endpointer, sentence_complete

pytestmark = pytest.mark.fast


def frames_for(seconds: float) -> int:
    return int(round(seconds / FRAME_S))


def run_barge(probs: list[float]) -> list[Decision]:
    det = BargeInDetector()
    return [det.push(p, (i + 1) * FRAME_S) for i, p in enumerate(probs)], det


def test_speech_pauses_playback_after_96_ms_and_barges_in_at_0_6_s():
    decisions, det = run_barge([0.0] * 5 + [0.9] * 25)
    assert decisions[:7] == [Decision.PLAY] * 7
    assert decisions[7] == Decision.PAUSE  # third voiced frame
    barge = decisions.index(Decision.BARGE_IN)
    assert barge == 5 + 18  # the 19th voiced frame: 0.608 s of speech
    assert det.onset_s == pytest.approx(5 * FRAME_S) and det.stop_ms == pytest.approx(96, abs=0.5)


def test_a_backchannel_pauses_then_resumes():
    decisions, det = run_barge([0.9] * 8 + [0.1] * 12)  # 0.26 s "mm-hm", then silence
    assert Decision.PAUSE in decisions and Decision.BARGE_IN not in decisions
    resume = decisions.index(Decision.RESUME)
    assert (resume - 7) * FRAME_S == pytest.approx(0.32, abs=0.001)  # 10 silent frames ≥ 0.3 s
    assert not det.paused and not det.collecting


def test_a_blip_shorter_than_the_onset_never_pauses():
    decisions, det = run_barge([0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1])
    assert set(decisions) == {Decision.PLAY} and det.run == 0


def test_speech_with_short_gaps_adds_up_to_a_barge_in():
    probs = ([0.9] * 6 + [0.2] * 3) * 3 + [0.9] * 5  # words with 0.1 s gaps while paused
    decisions, _ = run_barge(probs)
    assert decisions.count(Decision.PAUSE) == 1 and decisions[-1] == Decision.BARGE_IN


class FakeFrames:
    """Frames whose content doesn't matter: the endpointer is given the probabilities."""

    @staticmethod
    def frame(i: int) -> np.ndarray:
        return np.full(FRAME_SAMPLES, i % 100, np.int16)


def push_all(ep: Endpointer, probs: list[float]):
    out = []
    for i, p in enumerate(probs):
        u = ep.push(FakeFrames.frame(i), p)
        if u is not None:
            out.append((i, u))
    return out


def test_endpointer_soft_gap_then_pause_then_final():
    ep = Endpointer()
    probs = [0.0] * 20 + [0.9] * 40 + [0.0] * frames_for(2.1)
    events = push_all(ep, probs)
    kinds = [("soft" if u.soft else "final" if u.final else "pause") for _, u in events]
    assert kinds == ["soft", "pause", "final"]
    soft_i, soft = events[0]
    assert (soft_i - 59) * FRAME_S == pytest.approx(EndpointConfig().soft_pause_s, abs=FRAME_S)
    final = events[-1][1]
    assert final.start_s == pytest.approx(20 * FRAME_S) and final.end_s == pytest.approx(60 * FRAME_S)
    # pre-roll (0.4 s) + speech + a 0.2 s tail after the last voiced frame
    assert len(final.audio) == (frames_for(0.4) + 40 + frames_for(0.2)) * FRAME_SAMPLES
    assert not ep.in_speech


def test_endpointer_forgets_a_click_and_keeps_a_thinking_pause():
    ep = Endpointer()
    assert push_all(ep, [0.9] * 3 + [0.0] * 20) == []  # 96 ms click: no utterance
    events = push_all(ep, [0.9] * 30 + [0.0] * frames_for(1.5) + [0.9] * 30 + [0.0] * 5)
    kinds = [("soft" if u.soft else "final" if u.final else "pause") for _, u in events]
    assert "final" not in kinds and ep.in_speech  # a 1.5 s pause mid-answer doesn't end it
    assert ep.utterance_s == pytest.approx((30 + frames_for(1.5) + 30 + 5) * FRAME_S, abs=0.001)


def test_endpointer_hysteresis_keeps_speech_between_the_two_thresholds():
    ep = Endpointer()
    events = push_all(ep, [0.9] * 20 + [0.4] * 40 + [0.0] * 5)  # 0.4 ≥ end_prob 0.35: still speech
    assert all(u.soft for _, u in events) and ep.in_speech


@pytest.mark.parametrize("text,complete", [("We shipped it in March.", True), ("and then we", False),
                                           ("It was because.", False), ("Why?", True), ("", False),
                                           # Whisper's mark of speech that broke off, and a full stop after a fragment
                                           ("Payment errors were...", False), ("against 0.6% on the…", False),
                                           ("The main trade-off was.", False), ("I pulled the support queue.", True),
                                           ("That's how it was, and I committed.", True), ("So I told her.", True),
                                           ("That's just how it is.", True), ("We shipped as fast as we could.", True),
                                           # a "that" clause still to come (a live round ended an answer there), and "that" ending one
                                           ("Priya, our head of product, and she argued that.", False), ("He pointed out that.", False),
                                           ("I didn't expect that.", True), ("She was right about that.", True),
                                           # a preposition ending a relative clause or an infinitive (a new user's answers waited 3.5 s)
                                           ("She was the one I worked with.", True), ("I told the VP I reported to.", True),
                                           ("It was nicer to work with.", True), ("Then I worked with.", False),
                                           ("My director. I worked with.", False), ("We shipped it and then we talked to.", False),
                                           ("The data came from.", False)])
def test_sentence_complete(text, complete):
    assert sentence_complete(text) is complete
