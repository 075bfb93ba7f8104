"""A live round on a laptop without headphones: the speaker leaks into the microphone.

The app runs as a user starts it (``voiceround``, Start round) on a private PulseAudio daemon whose
speaker is looped back into the microphone at -12 dB with 60 ms delay (a laptop's built-in pair;
``tools/echo_bench.py`` runs the issue's whole -20/-12/-6 dB, 30-80 ms range: docs/BENCHMARKS.md). A virtual candidate
answers each question, then talks over one. With echo cancellation on, the interviewer never cuts
itself off or pauses for its own voice (without it: 51 such pauses in one round), no candidate turn holds the interviewer's words, no empty turn is stored, the real
barge-in still stops playback within 250 ms, and the app exits 0.

A barge-in is the candidate's when it comes while the candidate's clip plays (by the clock) or its
words are theirs. Its words are sometimes lost (``barge_in_words_lost``: the interviewer stopped,
but the turn was heard as nothing; about 1 run in 8 here): reported in the failure detail, not
asserted, until that is fixed (docs/BENCHMARKS.md).
"""
import json
import sys

import pytest

from tests.conftest import ROOT, need_pulse_rig

sys.path.insert(0, str(ROOT / "tools"))


@pytest.fixture
def rig_ok():
    need_pulse_rig()


def test_a_live_round_with_speaker_echo_keeps_the_interviewer_and_candidate_apart(rig_ok, tmp_path):
    from echo_bench import run_once
    r = run_once((-12.0, 60), True, 3, tmp_path)
    detail = json.dumps({k: v for k, v in r.items() if k != "log_tail"}, default=str)  # in full on failure
    assert r["exit"] == 0, r.get("log_tail")
    assert r["turns"]["candidate"] >= 3 and r["turns"]["interviewer"] >= 4, detail
    assert r["self_interruptions"] == 0 and r["self_holds"] == 0, detail  # neither cut nor paused by its own voice
    assert r["echo_turns"] == 0, detail
    assert r["empty_turns"] == 0, detail
    assert r["interruptions"] == [], detail  # a concrete story is never cut off for abstraction
    assert r["barge_in_stop_ms"] and r["barge_in_stop_ms"][0] <= 250, detail
    assert r["erle_db"] is not None and r["erle_db"] > 10, detail  # the canceller removed the echo
