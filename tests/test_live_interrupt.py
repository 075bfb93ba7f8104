"""Interrupting abstraction in a live round, through the microphone path (issue 19).

The app runs as a user starts it (``voiceround``, Start round) on a private PulseAudio daemon
(``tests/pulse_rig.py``). A virtual candidate talks into the virtual microphone and, like a person,
stops talking when the interviewer cuts in. Its first two answers are pure generalities (the
``weak-abstraction`` case's first three sentences, then a new abstract answer spoken by Piper);
each must be cut off mid-answer, at a pause, by an escalating abstraction probe (never the same
wording twice), and the cut-off turns are stored, marked as interrupted. A concrete story is never
cut off: ``tests/test_live_echo.py`` plays ``strong-staged-rollout`` through the same path and
asserts no interruption.
"""
import json
import sqlite3
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
import soundfile as sf

from tests.conftest import CASES, ROOT, need_pulse_rig

pytestmark = pytest.mark.live  # real time: run alone, never beside other tests (Makefile `test`)

sys.path.insert(0, str(ROOT / "tools"))

NEW_ABSTRACT = ("Well, in my experience the best teams argue openly and then move on. I usually find that people respect "
                "you more when you speak up. Generally I think conflict is healthy if it's handled well. And as a rule I try "
                "to stay curious about the other side, because you learn a lot that way. Teams that listen tend to do better.")


def joined(paths, gap_s: float, out) -> float:
    """Concatenate 16 kHz WAVs with ``gap_s`` of silence between them into ``out``; its seconds."""
    parts = []
    for p in paths:
        a, sr = sf.read(str(p), dtype="int16")
        parts += [a, np.zeros(int(16000 * gap_s), np.int16)]
    audio = np.concatenate(parts[:-1])
    sf.write(str(out), audio, 16000, subtype="PCM_16")
    return len(audio) / 16000


@pytest.fixture
def rig_ok():
    need_pulse_rig()


def test_abstract_answers_are_cut_off_mid_answer(rig_ok, tmp_path):
    from echo_bench import SpeakerRecorder

    from tests.pulse_rig import PulseRig
    from voiceround.engines.tts import PiperTTS
    tts = PiperTTS().load()
    try:
        sf.write(str(tmp_path / "new.wav"), tts.speak(NEW_ABSTRACT).audio, 16000, subtype="PCM_16")
    finally:
        tts.close()
    audio = CASES / "audio"
    answers = [
        (tmp_path / "a1.wav", joined([audio / "weak-abstraction.01.wav", audio / "weak-abstraction.02.wav",
                                      audio / "weak-abstraction.03.wav"], 0.35, tmp_path / "a1.wav")),
        (tmp_path / "new.wav", sf.info(str(tmp_path / "new.wav")).duration),
    ]
    rig = PulseRig(tmp_path / "pulse").start()
    data = tmp_path / "data"
    try:
        steps = tmp_path / "steps.json"
        steps.write_text(json.dumps([{"wait": "models"}, {"click": "start_btn"}, {"sleep": 3600}]))
        env = dict(rig.env, QT_QPA_PLATFORM="offscreen", VOICEROUND_DATA_DIR=str(data), VOICEROUND_CONFIG_DIR=str(tmp_path / "config"),
                   VOICEROUND_UI_SCRIPT=str(steps))
        spk = SpeakerRecorder(rig.env)
        spk.start()
        lines: list[str] = []
        app = subprocess.Popen([str(ROOT / ".venv" / "bin" / "voiceround")], cwd=ROOT, env=env, stderr=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, text=True)
        threading.Thread(target=lambda: [lines.append(ln.rstrip()) for ln in app.stderr], daemon=True).start()
        cut_after = []  # per answer: seconds of it played before the interviewer's voice came (None: not cut)
        try:
            for k, (wav, dur) in enumerate(answers, start=1):
                deadline = time.monotonic() + 180
                while sum("turn interviewer" in ln for ln in list(lines)) < k and time.monotonic() < deadline and app.poll() is None:
                    time.sleep(0.05)
                assert app.poll() is None, lines[-10:]
                time.sleep(0.8)
                t0 = time.monotonic()
                player = subprocess.Popen(["paplay", "--device=micfeed", str(wav)], env=rig.env)
                heard = None
                while player.poll() is None:  # a person stops talking when the interviewer cuts in
                    heard = spk.first_loud_after(t0 + 0.3)
                    if heard is not None:
                        player.terminate()
                        break
                    time.sleep(0.05)
                player.wait()
                cut_after.append(None if heard is None or heard - t0 > dur else round(heard - t0, 2))
            time.sleep(3)
        finally:
            app.terminate()
            code = app.wait(60)
            spk.close()
    finally:
        rig.stop()
    assert code == 0, lines[-12:]
    db = sqlite3.connect(str(data / "voiceround.db"))
    turns = db.execute("select speaker, intent, text, meta from turns order by idx").fetchall()
    events = [(k, json.loads(d)) for k, d in db.execute("select kind, data from events order by t_s")]
    cuts = [d for k, d in events if k == "interruption"]
    probes = [t[2] for t in turns if t[1] == "probe_abstraction"]
    marked = [t for t in turns if t[0] == "candidate" and json.loads(t[3] or "{}").get("interrupted") == "abstraction"]
    detail = {"cut_after_s": cut_after, "cuts": cuts, "turns": [(t[0], t[1], t[2][:60]) for t in turns]}
    print(json.dumps(detail))
    assert cut_after[0] is not None and cut_after[1] is not None, detail  # both abstract answers cut off mid-answer
    assert all(c["reason"] == "abstraction" for c in cuts) and len(cuts) == 2, detail
    assert len(marked) == 2 and len(probes) >= 2 and len(set(probes)) == len(probes), detail  # kept, marked; escalating wording
