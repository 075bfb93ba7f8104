#!/usr/bin/env python3
"""Live rounds through real audio devices, with and without a speaker-to-microphone echo.

A private PulseAudio daemon (tests/pulse_rig.py) gives the app a virtual speaker and microphone.
The app is started as a user starts it (``voiceround`` with a scripted Start round); a virtual
candidate plays case answers into the microphone each time the interviewer has asked. The speaker
is recorded (``parec`` on its monitor). With ``--echo GAIN_DB:DELAY_MS`` the speaker is looped
back into the microphone (a laptop without headphones). Finally the candidate talks over the
interviewer once, 1.2 s into a question, to measure barge-in with echo on.

Printed per run (one JSON line each, then a Markdown table):
self_interruptions (interviewer turns cut while the candidate was silent), self_holds (pauses for a
"backchannel" that was the interviewer's own echo: the virtual candidate never backchannels),
holds_in_answers (pauses while an answer was still playing: a premature endpoint, not echo), echo_turns (candidate
turns holding interviewer words), WER of the candidate turns against the case text, barge-in stop
time, voice-to-voice gap at the speaker (end of an answer's speech → first interviewer sound),
and the canceller's echo level and ERLE.

Usage: tools/echo_bench.py [--answers 4] [--runs none,-20:40,-12:60,-6:80] [--aec on,off]
"""
from __future__ import annotations

import argparse
import json
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.pulse_rig import PulseRig, available  # noqa: E402

CASE = ROOT.parent / "shared" / "cases" / "strong-staged-rollout.toml"
# The candidate's barge-in: a clean, close-mic read sentence (TIMIT's LDC93S1, 2.9 s), played at
# -15 dBFS. (JFK's inaugural clip, used before, is a distant PA recording: through the live path its
# speech probability fell to 0.2-0.6 and 1 barge-in in about 5 wasn't taken or was heard as nothing.)
BARGE = ROOT.parent / "shared" / "realspeech" / "dsp_LDC93S1.wav"
BARGE_REF = ROOT.parent / "shared" / "realspeech" / "refs" / "dsp_LDC93S1.txt"
BARGE_DBFS = -15.0
STOP = {"a", "an", "and", "the", "so", "i", "it", "to", "of", "you", "my", "what", "do", "can", "for", "not", "your"}
VOICEROUND = str(ROOT / ".venv" / "bin" / "voiceround")
RATE = 16000
HOP = 320  # 20 ms


def norm(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9' ]", " ", text.lower()).split()


def ngrams(words: list[str], n: int = 4) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def speech_bounds(path: Path) -> tuple[float, float, float]:
    """(duration, first voiced second, last voiced second) by a -40 dBFS threshold."""
    a, sr = sf.read(str(path), dtype="float32", always_2d=True)
    a = a[:, 0]
    hop = int(sr * 0.02)
    rms = np.array([np.sqrt(np.mean(a[i:i + hop] ** 2) + 1e-12) for i in range(0, len(a) - hop, hop)])
    voiced = np.where(20 * np.log10(rms + 1e-9) > -40)[0]
    return (len(a) / sr, voiced[0] * 0.02, (voiced[-1] + 1) * 0.02) if len(voiced) else (len(a) / sr, 0.0, 0.0)


class SpeakerRecorder(threading.Thread):
    """Records a device of the rig (default the app's speaker, the null sink's monitor; ``mic``: what
    the app's microphone hears): 20 ms loudness, each stamped with the wall-clock time it arrived
    (so the recorder's start-up lag doesn't shift the timeline). Both ends of a voice-to-voice gap
    are read this way, so the two recorders' equal buffering cancels out of it."""

    def __init__(self, env: dict, device: str = "speaker.monitor"):
        super().__init__(daemon=True)
        self.proc = subprocess.Popen(["parec", f"--device={device}", "--raw", "--format=s16le", f"--rate={RATE}",
                                      "--channels=1", "--latency-msec=20"], stdout=subprocess.PIPE, env=env)
        self.t0 = time.monotonic()
        self.frames: list[tuple[float, float]] = []  # (arrival time, dBFS)

    def run(self) -> None:
        while True:
            b = self.proc.stdout.read(HOP * 2)
            if not b or len(b) < HOP * 2:
                return
            x = np.frombuffer(b, np.int16).astype(np.float32) / 32768.0
            self.frames.append((time.monotonic() - 0.02, 20 * np.log10(np.sqrt(np.mean(x ** 2)) + 1e-9)))

    def first_loud_after(self, t_wall: float, level_db: float = -45.0) -> float | None:
        return next((t for t, db in list(self.frames) if t >= t_wall and db > level_db), None)

    def last_loud_between(self, t0: float, t1: float, level_db: float = -40.0) -> float | None:
        """End (arrival time) of the last frame louder than ``level_db`` dBFS in [t0, t1]."""
        return next((t + 0.02 for t, db in reversed(list(self.frames)) if t0 <= t <= t1 and db > level_db), None)

    def close(self) -> None:
        self.proc.terminate()


def run_once(echo: tuple[float, int] | None, aec: bool, n_answers: int, folder: Path) -> dict:
    case = tomllib.loads(CASE.read_text())
    turns = [(i + 1, t) for i, t in enumerate(case["turns"]) if t["topic"] != "unknown"][:n_answers]
    answers = [(CASE.parent / "audio" / f"{case['id']}.{n:02d}.wav", t["text"]) for n, t in turns]
    rig = PulseRig(folder / "pulse").start()
    gaps, played_late, plays, t_first_sound, barge_played = [], [], [], None, None  # plays: (start, end) of each answer on the microphone, monotonic seconds
    try:
        if echo:
            rig.echo(echo[0], echo[1])
        env = dict(rig.env, QT_QPA_PLATFORM="offscreen", VOICEROUND_DATA_DIR=str(folder / "data"),
                   VOICEROUND_CONFIG_DIR=str(folder / "config"), VOICEROUND_AEC="on" if aec else "off")
        # Start the round; the bench closes the app (SIGTERM) once the answers and the barge-in are done.
        steps = [{"wait": "models"}, {"click": "start_btn"}, {"sleep": 3600}]
        script = folder / "steps.json"
        script.write_text(json.dumps(steps))
        env["VOICEROUND_UI_SCRIPT"] = str(script)
        spk = SpeakerRecorder(rig.env)
        spk.start()
        mic = SpeakerRecorder(rig.env, "mic")  # the answer's true end, as the app's microphone heard it
        mic.start()
        lines: list[str] = []
        proc = subprocess.Popen([VOICEROUND], cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        threading.Thread(target=lambda: [lines.append(ln.rstrip()) for ln in proc.stderr], daemon=True).start()

        def wait_turns(k: int, timeout_s: float = 150) -> bool:
            deadline = time.monotonic() + timeout_s
            while time.monotonic() < deadline and proc.poll() is None:
                if sum("turn interviewer" in ln for ln in list(lines)) >= k:
                    return True
                time.sleep(0.05)
            return False

        t_launch, t_reply = time.monotonic(), None
        for i, (wav, _text) in enumerate(answers, start=1):
            if not wait_turns(i):
                break
            time.sleep(0.6)
            dur, v0, v1 = speech_bounds(wav)
            t_start = time.monotonic()
            rig.play(wav)
            t_end = t_start + v1 + 0.05
            plays.append((t_start + v0, t_end))
            # The end of the answer's speech on the microphone (paplay starts some time after it is
            # called; with echo on, the interviewer's voice is on the microphone too, so only the
            # stretch while the answer played is read).
            time.sleep(0.3)
            t_mic = mic.last_loud_between(t_start, time.monotonic() - 0.25 if echo else time.monotonic()) or t_end
            t = spk.first_loud_after(t_mic + 0.05)
            deadline = time.monotonic() + 15
            while t is None and time.monotonic() < deadline:
                time.sleep(0.05)
                t = spk.first_loud_after(t_mic + 0.05)
            if t is not None:
                gaps.append(round(t - t_mic, 3))
                played_late.append(round(t_mic - t_end, 3))
            t_reply = t
        # barge-in: the candidate talks over the next question 1.2 s after it starts (the reply to
        # the last answer, found above; searched afresh only if there was none: searching "the first
        # loud frame in the last 0.5 s" here had found the question's end in 3 of 11 runs, and the
        # clip then played after it, as an answer)
        t_q = t_reply if t_reply is not None else spk.first_loud_after(time.monotonic() - 0.5)
        deadline = time.monotonic() + 20
        while t_q is None and time.monotonic() < deadline:
            time.sleep(0.05)
            t_q = spk.first_loud_after(time.monotonic() - 0.5)
        if t_q is not None:
            time.sleep(max(0.0, t_q + 1.2 - time.monotonic()))
            clip = folder / "barge.wav"
            a, sr = sf.read(str(BARGE), dtype="float64")
            a = a[: sr * 4] * 10 ** (BARGE_DBFS / 20) / max(float(np.sqrt(np.mean(a[: sr * 4] ** 2))), 1e-9)
            sf.write(str(clip), np.clip(a * 32767, -32768, 32767).astype(np.int16), sr)
            t_clip = time.monotonic()
            rig.play(clip)
            barge_played = (t_clip, time.monotonic())
        time.sleep(6)  # the barged-in turn is heard out and stored
        t_first_sound = spk.first_loud_after(t_launch)
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = "timeout"
        spk.close()
        mic.close()
    finally:
        rig.stop()
    db = sqlite3.connect(str(folder / "data" / "voiceround.db"))
    db.row_factory = sqlite3.Row
    sid = db.execute("select id from sessions order by started_at desc limit 1").fetchone()
    out = {"echo": f"{echo[0]:g} dB, {echo[1]} ms" if echo else "none", "aec": aec, "exit": code, "gaps_s": gaps,
           "mic_end_minus_clock_end_s": played_late,
           "barge_played": bool(barge_played)}
    if code != 0:
        out["log_tail"] = [ln for ln in lines if "voiceround:" in ln][-12:]
    if sid is None:
        out["error"] = "no session stored: " + " | ".join(lines[-5:])
        return out
    sid = sid[0]
    turns_rows = [dict(r) for r in db.execute("select * from turns where session_id = ? order by idx", (sid,))]
    events = [dict(r) for r in db.execute("select * from events where session_id = ? order by t_s", (sid,))]
    iv = [t for t in turns_rows if t["speaker"] == "interviewer"]
    cand = [t for t in turns_rows if t["speaker"] == "candidate"]
    iv_grams = set()
    for t in iv:
        meta = json.loads(t.get("meta") or "{}")
        iv_grams |= ngrams(norm(meta.get("full_text") or t["text"]))
    # What each barge-in turned out to be: one while the candidate's clip played (by the clock) is
    # theirs; otherwise the turn it opened tells: the candidate's words (a real barge-in), or
    # nothing / the interviewer's own words (its voice came back through the microphone: a
    # self-interruption). A short turn is the
    # candidate's when it shares a word with what the candidate played (the barge-in clip's
    # reference text, or an answer), since a 4 s clip can be heard as two words.
    # Session seconds map to the bench's clock through the first interviewer sound on the speaker.
    first = next((e["t_s"] for e in events if e["kind"] == "first_sample"), None)
    offset = t_first_sound - first if first is not None and t_first_sound is not None else None
    in_clip = lambda t: bool(barge_played) and offset is not None and barge_played[0] - 0.3 <= t + offset <= barge_played[1] + 0.3  # noqa: E731
    said = set(norm(" ".join(ln for ln in BARGE_REF.read_text().splitlines() if not ln.startswith("#"))))
    for _, text in answers:
        said |= set(norm(text))
    kinds = []
    for i, e in enumerate(events):
        if e["kind"] != "barge_in":
            continue
        nxt = next((x for x in events[i + 1:] if x["kind"] in ("stt_final", "no_speech")), None)
        heard = json.loads(nxt["data"]).get("text", "") if nxt is not None and nxt["kind"] == "stt_final" else ""
        words_ = norm(heard)
        own = bool(ngrams(words_) & iv_grams) or (len(words_) < 3 and not set(words_) & (said - STOP))
        # a barge-in while the candidate's clip played is the candidate's, even when its words were lost
        kinds.append((e["t_s"], json.loads(e["data"]), "candidate" if in_clip(e["t_s"]) or not own else "self", heard))
    out["self_interruptions"] = sum(1 for _, _, k, _ in kinds if k == "self")
    out["candidate_barge_ins"] = sum(1 for _, _, k, _ in kinds if k == "candidate")
    out["barge_in_at_s"] = [(round(t, 2), k, heard) for t, _, k, heard in kinds]
    # the candidate's barge-in heard as no words at all: the interviewer stopped, but what they said was lost
    out["barge_in_words_lost"] = sum(1 for _, _, k, heard in kinds if k == "candidate" and not norm(heard))
    real = [(t, b) for t, b, k, _ in kinds if k == "candidate"]
    out["barge_in_stop_ms"] = [round(real[-1][1].get("stop_ms", 0))] if barge_played and real else []
    if barge_played and not real and offset is not None:  # why none: the question the clip was played over
        over = [t for t in iv if t["start_s"] + offset <= barge_played[0] + 0.3]
        out["barge_question"] = (over[-1]["text"], round(over[-1]["end_s"] - over[-1]["start_s"], 1)) if over else None
    t_probe = real[-1][0] if barge_played and real else float("inf")
    cand = [t for t in cand if t["start_s"] < t_probe - 0.5]  # WER on the case answers, not the probe
    out["echo_turns"] = sum(1 for t in cand if ngrams(norm(t["text"])) & iv_grams)
    out["empty_turns"] = sum(1 for t in turns_rows if not t["text"].strip())
    out["interruptions"] = [json.loads(e["data"]).get("reason") for e in events if e["kind"] == "interruption"]  # none on a concrete story
    # the virtual candidate never backchannels: a hold is the interviewer pausing for its own echo,
    # unless it falls inside the 4 s clip the candidate talks over the interviewer with
    clip = [t for t, _, k, _ in kinds if k == "candidate"]
    # ... or while an answer was still playing (an endpoint came before the answer's end: the hold
    # was for the candidate's own words, a premature endpoint, not echo). Session seconds map to the
    # bench's clock through the first interviewer sound on the speaker.
    answering = lambda t: offset is not None and any(a - 0.3 <= t + offset <= b + 0.3 for a, b in plays)  # noqa: E731
    holds = [e for e in events if e["kind"] == "hold" and not any(0 <= e["t_s"] - t <= 5.0 for t in clip)]
    out["self_holds"] = sum(1 for e in holds if not answering(e["t_s"]))
    out["holds_in_answers"] = sum(1 for e in holds if answering(e["t_s"]))
    out["self_hold_at_s"] = [round(e["t_s"], 2) for e in holds if not answering(e["t_s"])]
    import jiwer
    ref = " ".join(" ".join(norm(text)) for _, text in answers)
    hyp = " ".join(" ".join(norm(t["text"])) for t in cand[: len(answers)])
    out["wer"] = round(jiwer.wer(ref, hyp), 3) if hyp else 1.0
    end = next((json.loads(e["data"]) for e in events if e["kind"] == "round_end"), {})
    out["echo_db"], out["erle_db"] = end.get("echo_db"), end.get("aec_erle_db")
    out["turns"] = {"interviewer": len(iv), "candidate": len(cand)}
    # The app's own breakdown of each reply (event first_sample): what of the gap at the speaker is
    # the endpoint wait, the decoding, the planner and the first sentence's synthesis; the rest is
    # the way out (echo canceller hold-back, output buffer, the devices).
    out["stages"] = [{k: v for k, v in json.loads(e["data"]).items() if k.endswith("_s") and k != "compute_s"}
                     for e in events if e["kind"] == "first_sample" and json.loads(e["data"]).get("from_speech")][: len(gaps)]
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--answers", type=int, default=4)
    ap.add_argument("--runs", default="none,-20:40,-12:60,-6:80")
    ap.add_argument("--aec", default="on,off")
    args = ap.parse_args()
    problem = available()
    if problem:
        print(f"echo bench skipped: {problem}")
        return 0
    rows = []
    for spec in args.runs.split(","):
        echo = None if spec == "none" else (float(spec.split(":")[0]), int(spec.split(":")[1]))
        for aec in [a == "on" for a in args.aec.split(",")]:
            if echo is None and not aec:
                continue
            with tempfile.TemporaryDirectory() as tmp:
                r = run_once(echo, aec, args.answers, Path(tmp))
            print(json.dumps(r), file=sys.stderr, flush=True)
            rows.append(r)
    stages = [st for r in rows for st in r.get("stages") or []]
    if stages:
        print()
        print("| stage (in the app) | p50 s | max s |")
        print("|---|---|---|")
        for k in stages[0]:
            v = sorted(st.get(k, 0.0) for st in stages)
            print(f"| {k[:-2].replace('_', ' ')} | {v[len(v) // 2]:.3f} | {v[-1]:.3f} |")
        print()
    print("| echo (level, delay) | AEC | self-interruptions | pauses for its own echo | candidate turns holding interviewer words | "
          "empty turns | candidate WER | barge-in stop (ms) | voice-to-voice gap at the speaker, p50 / p95 / max (s) | echo level / ERLE (dB) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        g = sorted(r.get("gaps_s") or [])
        gap = f"{g[len(g) // 2]:.2f} / {g[min(len(g) - 1, round(0.95 * (len(g) - 1)))]:.2f} / {g[-1]:.2f}" if g else "–"
        er = f"{r.get('echo_db', '–')} / {r.get('erle_db', '–')}" if r["aec"] else "–"
        print(f"| {r['echo']} | {'on' if r['aec'] else 'off'} | {r.get('self_interruptions', '–')} | {r.get('self_holds', '–')} | "
              f"{r.get('echo_turns', '–')} | "
              f"{r.get('empty_turns', '–')} | {r.get('wer', '–')} | {', '.join(map(str, r.get('barge_in_stop_ms') or [])) or '–'} | "
              f"{gap} | {er} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
