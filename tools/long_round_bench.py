#!/usr/bin/env python3
"""A full-length live round through real audio devices: does the interviewer use its 20 minutes?

A private PulseAudio daemon (tests/pulse_rig.py) gives the app a virtual speaker and microphone.
The app is started as a user starts it (``voiceround``, a scripted Start round). A virtual candidate
keeps answering from a long story (``tests/data/long/strong-long-pricing-migration.toml``, 53
turns, spoken once by the bundled Piper voice and cached): after each interviewer question it reads
the question's intent from the session database and plays the best-fitting unused turn into the
microphone, as :class:`voiceround.session.cases.SimulatedCandidate` picks it; it answers the
closing question with a question of its own.

Printed (one JSON line, then Markdown): when the wrap-up began, questions asked, repeated
questions, follow-ups and the depth reached per story slot, the voice-to-voice gap at the speaker
(end of each answer's speech → first interviewer sound) over the round, the app's resident memory
at minutes 1, 10 and 19, and whether the session's audio, transcript, closing answer and score
are complete.

Usage: tools/long_round_bench.py [--case FILE] [--echo GAIN_DB:DELAY_MS]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))
from echo_bench import SpeakerRecorder, speech_bounds  # noqa: E402
from tests.pulse_rig import PulseRig, available  # noqa: E402

CASE = ROOT / "tests" / "data" / "long" / "strong-long-pricing-migration.toml"
VOICEROUND = str(ROOT / ".venv" / "bin" / "voiceround")
CLOSING = "Yes. How does the team measure success for this role in the first year?"
CACHE = Path(tempfile.gettempdir()) / "voiceround-long-round-audio"


def spoken_turns(case_path: Path) -> dict[int, Path]:
    """``{turn number: WAV}`` of the case spoken by the bundled Piper voice (cached by text hash),
    plus turn 0: the candidate's question at the close."""
    from voiceround.engines.tts import PiperTTS
    from voiceround.session.cases import load_case
    case = load_case(case_path)
    texts = {ct.number: ct.text for ct in case.turns} | {0: CLOSING}
    CACHE.mkdir(exist_ok=True)
    out, todo = {}, []
    for n, text in texts.items():
        out[n] = CACHE / f"{hashlib.sha1(text.encode()).hexdigest()[:16]}.wav"
        if not out[n].exists():
            todo.append(n)
    if todo:
        tts = PiperTTS().load()
        try:
            for n in todo:
                sf.write(str(out[n]), tts.speak(texts[n]).audio, 16000, subtype="PCM_16")
        finally:
            tts.close()
    return out


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run(case_path: Path, echo: tuple[float, int] | None, folder: Path) -> dict:
    from voiceround.rounds import load_round
    from voiceround.session.cases import SimulatedCandidate, load_case
    rnd = load_round("disagree_and_commit")
    wavs = spoken_turns(case_path)
    sim = SimulatedCandidate(load_case(case_path))
    rig = PulseRig(folder / "pulse").start()
    db_path = folder / "data" / "voiceround.db"
    try:
        if echo:
            rig.echo(*echo)
        env = dict(rig.env, QT_QPA_PLATFORM="offscreen", VOICEROUND_DATA_DIR=str(folder / "data"),
                   VOICEROUND_CONFIG_DIR=str(folder / "config"))
        script = folder / "steps.json"
        script.write_text(json.dumps([{"wait": "models"}, {"click": "start_btn"}, {"wait": "result", "timeout_s": 1800},
                                      {"sleep": 3600}]))
        env["VOICEROUND_UI_SCRIPT"] = str(script)
        spk = SpeakerRecorder(rig.env)
        spk.start()
        lines: list[str] = []
        proc = subprocess.Popen([VOICEROUND], cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        threading.Thread(target=lambda: [lines.append(ln.rstrip()) for ln in proc.stderr], daemon=True).start()
        rss: list[tuple[float, float]] = []  # (wall seconds since the round began, MB)
        t_round = None
        gaps: list[tuple[float, float]] = []  # (wall seconds since the round began, gap at the speaker)

        def interviewer_turns() -> list[sqlite3.Row]:
            if not db_path.exists():
                return []
            try:
                db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
                db.row_factory = sqlite3.Row
                rows = db.execute("select t.* from turns t join sessions s on s.id = t.session_id where t.speaker = 'interviewer' "
                                  "order by s.started_at desc, t.idx").fetchall()
                db.close()
                return rows
            except sqlite3.Error:
                return []

        seen, done = 0, False
        deadline = time.monotonic() + 2400
        while not done and time.monotonic() < deadline and proc.poll() is None:
            rows = interviewer_turns()
            if t_round is None and rows:
                t_round = time.monotonic() - rows[0]["end_s"]
            if t_round is not None and (not rss or time.monotonic() - t_round - rss[-1][0] >= 10):
                mb = rss_mb(proc.pid)
                if mb:
                    rss.append((time.monotonic() - t_round, mb))
            if len(rows) <= seen:
                time.sleep(0.1)
                continue
            seen = len(rows)
            last = rows[-1]
            if last["intent"] == "closing_reply":
                done = True
                break
            if last["intent"] == "wrap_up":
                wav = wavs[0]
            else:
                probe = rnd.probes.get(last["intent"])
                ct = sim.answer(probe.topics if probe and probe.topics else ("unknown",))
                if ct is None:
                    continue
                wav = wavs[ct.number]
            time.sleep(0.6)
            _dur, _v0, v1 = speech_bounds(wav)
            t_start = time.monotonic()
            rig.play(wav)
            t_end = t_start + v1 + 0.05
            t = spk.first_loud_after(t_end + 0.05)
            wait_until = time.monotonic() + 20
            while t is None and time.monotonic() < wait_until:
                time.sleep(0.05)
                t = spk.first_loud_after(t_end + 0.05)
            if t is not None:
                gaps.append((round(t_end - t_round, 1), round(t - t_end, 3)))
        # the scorecard is computed when the round ends; give it time, then close the app
        for _ in range(600):
            if any("script: step 3 done" in ln for ln in lines):
                break
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = "timeout"
        spk.close()
    finally:
        rig.stop()
    return report(db_path, rnd, code, gaps, rss, lines)


def report(db_path: Path, rnd, code, gaps, rss, lines) -> dict:
    db = sqlite3.connect(str(db_path))
    db.row_factory = sqlite3.Row
    s = db.execute("select * from sessions order by started_at desc limit 1").fetchone()
    turns = [dict(r) for r in db.execute("select * from turns where session_id = ? order by idx", (s["id"],))]
    score = db.execute("select total from scores where session_id = ?", (s["id"],)).fetchone()
    iv = [t for t in turns if t["speaker"] == "interviewer"]
    questions = [t for t in iv if t["intent"] not in ("closing_reply",)]
    wrap = next((t for t in iv if t["intent"] == "wrap_up"), None)
    texts = [json.loads(t["meta"] or "{}").get("template_text", t["text"]) for t in questions]
    depth: dict[str, int] = {}
    for t in iv:
        p = rnd.probes.get(t["intent"] or "")
        if p is not None and p.slot:
            depth[p.slot] = max(depth.get(p.slot, 0), 1)
        if p is not None and p.deepens:
            depth[p.deepens] = max(depth.get(p.deepens, 1), p.depth)
    closing_answer = next((t for t in turns if t["speaker"] == "candidate" and json.loads(t["meta"] or "{}").get("closing")), None)
    g = np.array([x for _, x in gaps]) if gaps else np.array([np.nan])

    def rss_at(minute: float):
        near = [mb for t, mb in rss if abs(t - minute * 60) <= 30]
        return round(near[0]) if near else None
    by_part = {}
    for lo in (0, 5, 10, 15):
        part = [x for t, x in gaps if lo * 60 <= t < (lo + 5) * 60]
        by_part[f"{lo}-{lo + 5} min"] = round(float(np.median(part)), 2) if part else None
    audio_s = sf.info(s["audio_path"]).duration if Path(s["audio_path"]).exists() else 0.0
    out = {
        "exit": code, "status": s["status"], "session_s": round(s["duration_s"] or 0, 1),
        "wrap_up_at_s": round(wrap["start_s"], 1) if wrap else None, "questions": len(questions),
        "repeats": len(texts) - len(set(texts)),
        "follow_ups": sum(1 for t in iv if (p := rnd.probes.get(t["intent"] or "")) is not None and p.deepens),
        "depth_per_slot": depth, "candidate_turns": sum(1 for t in turns if t["speaker"] == "candidate"),
        "closing_answer_stored": closing_answer is not None, "closing_reply": bool(iv and iv[-1]["intent"] == "closing_reply"),
        "gap_first_s": gaps[0][1] if gaps else None, "gap_p50_s": round(float(np.nanmedian(g)), 2),
        "gap_p95_s": round(float(np.nanpercentile(g, 95)), 2), "gap_max_s": round(float(np.nanmax(g)), 2), "gap_median_by_part": by_part,
        "rss_mb": {"min 1": rss_at(1), "min 10": rss_at(10), "min 19": rss_at(19)},
        "audio_s": round(audio_s, 1), "scored_total": score["total"] if score else None,
    }
    if code != 0:
        out["log_tail"] = [ln for ln in lines if "voiceround:" in ln][-12:]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", type=Path, default=CASE)
    ap.add_argument("--echo", default=None, help="GAIN_DB:DELAY_MS, e.g. -12:60 (default: no echo, headphones)")
    args = ap.parse_args()
    why = available()
    if why:
        print(f"skipped: {why}", file=sys.stderr)
        return 0
    echo = tuple(float(x) if i == 0 else int(x) for i, x in enumerate(args.echo.split(":"))) if args.echo else None
    with tempfile.TemporaryDirectory() as tmp:
        r = run(args.case, echo, Path(tmp))
        shutil.copy(Path(tmp) / "data" / "voiceround.db", Path(tempfile.gettempdir()) / "long_round_last.db")  # for a closer look
    print(json.dumps(r))
    print("\n| measure | value |\n|---|---|")
    for k in ("status", "session_s", "wrap_up_at_s", "questions", "repeats", "follow_ups", "depth_per_slot", "closing_answer_stored",
              "gap_first_s", "gap_p50_s", "gap_p95_s", "gap_max_s", "gap_median_by_part", "rss_mb", "audio_s", "scored_total"):
        v = r.get(k)
        print(f"| {k.replace('_', ' ')} | {json.dumps(v) if isinstance(v, dict) else v} |")
    return 0 if r["exit"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
