"""Every README command run as a subprocess, the way a user types it: ``make run``, ``voiceround``,
``voiceround gui``, ``python -m voiceround`` (with and without ``--round``) open the window, load
the models, stay up, and exit 0 on a close request, also after a typed round, a round from a
recording and a live microphone round through PulseAudio; the command-line help, ``sessions`` and
``doctor``. The app is driven with ``VOICEROUND_UI_SCRIPT`` (see ``voiceround/ui/driver.py``),
which clicks its real buttons and menu actions."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import CASES, ROOT

# A round in real time (the interviewer's voice, a recording or the microphone played as it comes) runs
# alone, never beside other tests (Makefile `test`); the launch, exit and error checks around it run
# two at a time with the rest: they wait on the app, not on a clock. (Typed rounds beside the first
# stage's work took a minute more there than they gave back here, 2026-12-03: the interviewer's
# language model shares the two cores.)
LIVE = pytest.mark.live

VENV_BIN = Path(sys.executable).parent
VOICEROUND = str(VENV_BIN / "voiceround")


class App:
    """The app as a child process (offscreen), its stderr read line by line as it comes."""

    def __init__(self, cmd: list[str], tmp_path: Path, steps: list[dict] | None = None, env: dict | None = None):
        env = dict(env or os.environ)
        env["QT_QPA_PLATFORM"] = "offscreen"
        if steps is not None:
            script = tmp_path / f"ui-script-{time.monotonic_ns()}.json"
            script.write_text(json.dumps(steps))
            env["VOICEROUND_UI_SCRIPT"] = str(script)
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     start_new_session=True)
        self.lines: list[tuple[float, str]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.append((time.monotonic() - self.t0, line.rstrip("\n")))

    @property
    def err(self) -> str:
        return "\n".join(line for _, line in self.lines)

    def wait_for(self, pattern: str, timeout_s: float = 120.0) -> float:
        """Seconds from the start until a stderr line matches ``pattern``; fails on exit or timeout."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for t, line in list(self.lines):
                if re.search(pattern, line):
                    return t
            if self.proc.poll() is not None:
                self._reader.join(5)
                pytest.fail(f"the app exited ({self.proc.returncode}) before {pattern!r}:\n{self.err}")
            time.sleep(0.05)
        self.kill()
        pytest.fail(f"no {pattern!r} within {timeout_s} s:\n{self.err}")

    def count(self, pattern: str) -> int:
        return sum(1 for _, line in list(self.lines) if re.search(pattern, line))

    def signal(self, sig: int) -> None:
        os.killpg(self.proc.pid, sig)

    def finish(self, timeout_s: float = 300.0) -> int:
        try:
            code = self.proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"the app did not exit within {timeout_s} s:\n{self.err}")
        self._reader.join(5)
        self.proc.stdout.close()
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def assert_clean_exit(app: App, code: int) -> None:
    """Exit 0 with the orderly shutdown logged, and no traceback, abort or thread left behind."""
    err = app.err
    assert code == 0, f"exit code {code}:\n{err}"
    for bad in ("Traceback", "Fatal Python error", "threads still running", "Segmentation"):
        assert bad not in err, err
    # a script step's own failure line (Qt's PulseAudio "connect() failed" on a machine without a sound
    # server is not one)
    assert not re.search(r"script: step \d+ .*(failed|timed out)", err), err
    assert "window shown" in err and "shut down cleanly (exit 0)" in err, err


OPEN_AND_CLOSE = [{"wait": "models"}, {"sleep": 2}, {"close": True}]


def test_make_run_opens_the_window_and_closes_cleanly(tmp_path):
    """README: `make run` starts the app on the bundled models; a close request exits 0."""
    app = App(["make", "--no-print-directory", "run"], tmp_path, OPEN_AND_CLOSE)
    shown = app.wait_for(r"window shown \(disagree_and_commit\)")
    loaded = app.wait_for(r"models loaded")
    code = app.finish()
    assert_clean_exit(app, code)
    print(f"make run: window at {shown:.2f} s, models loaded at {loaded:.2f} s")


@pytest.mark.parametrize("cmd", [[VOICEROUND], [VOICEROUND, "gui"], [sys.executable, "-m", "voiceround"]],
                         ids=["voiceround", "voiceround-gui", "python-m-voiceround"])
def test_launchers_stay_up_and_exit_0_on_sigterm(cmd, tmp_path):
    """Each launcher opens the window and loads the models; the app is still up 3 s later; SIGTERM
    (a desktop session's close request) closes it with exit 0."""
    app = App(cmd, tmp_path)
    app.wait_for(r"window shown")
    t = app.wait_for(r"models loaded")
    while time.monotonic() - app.t0 < t + 3:
        assert app.proc.poll() is None, app.err
        time.sleep(0.1)
    app.signal(signal.SIGTERM)
    assert_clean_exit(app, app.finish(60))


def test_a_real_x11_window_on_xvfb(tmp_path):
    """The app on a real X server (Xvfb), not offscreen: Qt's xcb plugin loads (every X11 library it
    needs is there), the window shows, File → Quit exits 0."""
    if shutil.which("xvfb-run") is None:
        if os.environ.get("CI"):
            pytest.fail("xvfb-run is required in CI (apt install xvfb xauth)")
        pytest.skip("xvfb-run not installed")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    script = tmp_path / "quit.json"
    script.write_text(json.dumps([{"wait": "models"}, {"sleep": 1}, {"action": "Quit"}]))
    env["VOICEROUND_UI_SCRIPT"] = str(script)
    r = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", VOICEROUND], capture_output=True, text=True,
                       timeout=180, env=env, cwd=ROOT)
    assert r.returncode == 0 and "window shown" in r.stderr and "shut down cleanly (exit 0)" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and "Could not load the Qt platform plugin" not in r.stderr, r.stderr


@pytest.mark.parametrize("display", [":87", "unix:87.0"])
def test_a_display_with_no_x_server_is_explained(display):
    """A stale DISPLAY: a message and exit 2, not Qt's abort (exit 134)."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env["DISPLAY"] = display
    r = subprocess.run([VOICEROUND], capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 2 and "no X server is running there" in r.stderr and "Traceback" not in r.stderr, r.stderr


@pytest.fixture
def other_round(tmp_path) -> Path:
    """A copy of the default round file under another id and title."""
    src = ROOT / "voiceround" / "rounds" / "disagree_and_commit.toml"
    text = src.read_text().replace('id = "disagree_and_commit"', 'id = "practice_copy"', 1)
    text = text.replace('title = "Disagree and Commit Decision"', 'title = "Practice copy"', 1)
    p = tmp_path / "practice_copy.toml"
    p.write_text(text)
    return p


@pytest.mark.parametrize("prefix", [[VOICEROUND], [VOICEROUND, "gui"], [sys.executable, "-m", "voiceround"]],
                         ids=["voiceround", "voiceround-gui", "python-m-voiceround"])
def test_round_option_opens_that_round(prefix, other_round, tmp_path):
    """`--round FILE`, with or without the `gui` subcommand, opens the window on that round."""
    app = App([*prefix, "--round", str(other_round)], tmp_path, [{"close": True}])
    app.wait_for(r"window shown \(practice_copy\)")
    assert_clean_exit(app, app.finish(60))


@pytest.mark.parametrize("kind", ["missing", "binary", "empty", "folder", "not-a-round"])
def test_bad_round_option_says_why_and_opens_nothing(tmp_path, kind):
    """`voiceround --round BAD` (as a user mistypes it): one clear line naming the file, exit 2, no window."""
    path = tmp_path / "round.toml"
    if kind == "binary":
        path.write_bytes(b"\xff\xfe\x00\x80 not text")
    elif kind == "empty":
        path.write_text("")
    elif kind == "folder":
        path.mkdir()
    elif kind == "not-a-round":
        path.write_text('title = "hello"\n')
    r = subprocess.run([VOICEROUND, "--round", str(path)], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 2 and "round.toml" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.startswith("error: ") and len(r.stderr.strip().splitlines()) <= 2, r.stderr
    assert "window shown" not in r.stderr


@LIVE
def test_typed_round_then_close(tmp_path):
    """A typed round (no microphone): Start typing → two answers → End round (confirmed) → the
    scorecard → close; exit 0 and the session is stored, scored."""
    steps = [{"wait": "models"}, {"click": "type_btn"}, {"wait": "turns", "count": 1},
             {"type": "In 2023 I disagreed with my manager Priya about shipping the new checkout without a staged rollout."},
             {"wait": "turns", "count": 2},
             {"type": "I showed her that our last two big-bang launches had a 4% error rate, but she decided to ship, and I committed."},
             {"wait": "turns", "count": 3}, {"action": "End round"}, {"dialog": "Yes"}, {"wait": "result"}, {"close": True}]
    app = App([VOICEROUND], tmp_path, steps)
    code = app.finish()
    assert_clean_exit(app, code)
    assert app.count(r"turn candidate .*: \d+ words") == 2
    assert re.search(r"round scored: session \S+, ended_early, total \d", app.err), app.err
    out = subprocess.run([VOICEROUND, "sessions", "--json"], capture_output=True, text=True, timeout=60, check=True).stdout
    rows = json.loads(out)
    assert len(rows) == 1 and rows[0]["total"] is not None and not rows[0]["unfinished"]
    shown = subprocess.run([VOICEROUND, "score", rows[0]["id"]], capture_output=True, text=True, timeout=60, check=True).stdout
    assert "pace not measured: typed answers" in shown and not re.search(r"Delivery: \d+ words/min", shown), shown  # was 49880
    assert re.search(rf"^Session {rows[0]['id']} .* \d+:\d\d, {rows[0]['turns']} turns", shown, re.M), shown.splitlines()[0]


@LIVE
def test_an_answer_typed_while_the_interviewer_speaks_is_kept_on_end_round(tmp_path):
    """Typed during the opening question, then End round at once: the answer is stored, not dropped."""
    steps = [{"wait": "models"}, {"click": "type_btn"}, {"sleep": 0.5},
             {"type": "In March my director and I disagreed about the launch date; I argued with churn data and lost."},
             {"action": "End round"}, {"dialog": "Yes"}, {"wait": "result"}, {"action": "Quit"}]
    app = App([VOICEROUND], tmp_path, steps)
    assert_clean_exit(app, app.finish())
    assert app.count(r"turn candidate .*: 1[0-9] words") == 1, app.err


@LIVE
def test_quitting_mid_round_ends_it_at_once_and_keeps_it(tmp_path):
    """SIGTERM during a typed round: no closing line is spoken, the app exits 0 within seconds, and
    the session is kept."""
    app = App([VOICEROUND], tmp_path, [{"wait": "models"}, {"click": "type_btn"}, {"wait": "turns", "count": 1},
                                      {"type": "We disagreed about the rollout plan in May."}, {"wait": "turns", "count": 2}])
    app.wait_for(r"script: done")
    t0 = time.monotonic()
    app.signal(signal.SIGTERM)
    assert_clean_exit(app, app.finish(60))
    assert time.monotonic() - t0 < 4.0, app.err
    assert app.count(r"turn interviewer") == 2, app.err  # the closing line was not added
    rows = json.loads(subprocess.run([VOICEROUND, "sessions", "--json"], capture_output=True, text=True, timeout=60, check=True).stdout)
    assert len(rows) == 1 and rows[0]["turns"] >= 3


def test_a_bad_model_given_by_environment_is_refused_by_the_app(tmp_path):
    """README: VOICEROUND_LLM_MODEL=/path works for the app too; a file that isn't a GGUF is refused
    with a message naming it (not silently replaced by the bundled model)."""
    bad = tmp_path / "notamodel.gguf"
    bad.write_text("not a model\n" * 100)
    env = {**os.environ, "VOICEROUND_LLM_MODEL": str(bad)}
    app = App([VOICEROUND], tmp_path, [{"dialog": "OK", "timeout_s": 60}, {"action": "Quit"}], env=env)
    code = app.finish(120)
    assert code == 0 and "model error" in app.err and "notamodel.gguf" in app.err, app.err
    assert "models loaded" not in app.err


@LIVE
def test_round_from_a_recording_then_close(tmp_path):
    """File → Rehearse from audio: a recorded answer played as the microphone, in real time; the
    round ends when the recording does, is scored, and the app exits 0."""
    wav = CASES / "audio" / "weak-passive-aggressive.04.wav"  # 5.3 s: played in real time
    steps = [{"wait": "models"}, {"recording": str(wav)}, {"wait": "result", "timeout_s": 240}, {"close": True}]
    app = App([VOICEROUND], tmp_path, steps)
    code = app.finish()
    assert_clean_exit(app, code)
    assert app.count(r"turn candidate") >= 1 and "round scored" in app.err


@LIVE
def test_live_microphone_round_through_pulseaudio_then_close(pulse, tmp_path):
    """The live round as a user runs it: Start round on the microphone (PulseAudio virtual mic and
    speaker), a virtual candidate answers the first question; before the second answer the user
    presses Repeat the question (played again, not a new turn) and Pause, then Resume (the session
    clock stands still meanwhile); End round (confirmed), the scorecard, then Quit. Exit 0, with no
    abort at interpreter exit (the old bool_dealloc crash) and no thread left."""
    # two short answers (10.9 s and 5.2 s; the staged-rollout case's took 45 s of the suite's real-time stage):
    # what is checked is the repeat, the pause and the round's end (three long answers live: tests/test_live_echo.py)
    answers = [CASES / "audio" / f"weak-yields-quickly.{n:02d}.wav" for n in (1, 4)]
    steps = [{"wait": "models"}, {"click": "start_btn"}, {"wait": "turns", "speaker": "interviewer", "count": 2, "timeout_s": 200},
             {"sleep": 0.5}, {"click": "repeat_btn"}, {"sleep": 10}, {"click": "pause_btn"}, {"sleep": 3}, {"click": "pause_btn"},
             {"wait": "turns", "speaker": "candidate", "count": len(answers), "timeout_s": 300},
             {"wait": "turns", "count": len(answers) + 1, "timeout_s": 60},
             {"action": "End round"}, {"dialog": "Yes"}, {"wait": "result", "timeout_s": 120}, {"action": "Quit"}]
    app = App([VOICEROUND], tmp_path, steps, env=pulse.env)

    def wait_for(pattern: str) -> None:
        deadline = time.monotonic() + 200
        while app.count(pattern) < 1 and time.monotonic() < deadline and app.proc.poll() is None:
            time.sleep(0.1)
    wait_for(r"turn interviewer")
    time.sleep(0.5)
    pulse.play(answers[0])
    wait_for(r"session clock running again")  # repeated, paused and resumed: now the second answer
    time.sleep(0.5)
    pulse.play(answers[1])
    code = app.finish(400)
    assert_clean_exit(app, code)
    assert app.count(r"turn candidate") >= len(answers), app.err
    assert app.count(r"question repeated at") == 1 and app.count(r"session clock stopped at") == 1, app.err
    stopped = re.search(r"session clock stopped at (\d+:\d\d)", app.err).group(1)
    again = re.search(r"session clock running again at (\d+:\d\d)", app.err).group(1)
    assert stopped == again, app.err  # 3 s paused: the clock did not move
    # the repeat is not a new question: no interviewer turn between it and the second answer
    lines = app.err.splitlines()
    after = lines[next(i for i, ln in enumerate(lines) if "question repeated at" in ln):]
    upto = after[:next(i for i, ln in enumerate(after) if re.search(r"turn candidate", ln))]
    assert not any(re.search(r"turn interviewer", ln) for ln in upto), app.err
    assert "round scored" in app.err


def test_cli_help_sessions_and_doctor(tmp_path):
    """`voiceround --help`, every subcommand's `--help`, `sessions` and `doctor`, as typed."""
    top = subprocess.run([VOICEROUND, "--help"], capture_output=True, text=True, timeout=60)
    assert top.returncode == 0 and "usage: voiceround" in top.stdout
    subs = re.search(r"\{([a-z,]+)\}", top.stdout).group(1).split(",")
    assert {"rehearse", "score", "sessions", "doctor", "export", "import", "recover", "delete", "eval", "rounds", "gui"} <= set(subs)
    rl = subprocess.run([VOICEROUND, "rounds"], capture_output=True, text=True, timeout=60)
    assert rl.returncode == 0 and re.search(r"^disagree_and_commit\s+20 min\s+Disagree and Commit Decision", rl.stdout, re.M), rl.stdout
    assert re.search(r"^customer_obsession\s+20 min\s+Customer Obsession", rl.stdout, re.M), rl.stdout
    bad = subprocess.run([VOICEROUND, "--round", "nosuch", "rounds"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "unknown round 'nosuch'" in bad.stderr  # not silently ignored
    bad = subprocess.run([VOICEROUND, "--round", "nosuch", "sessions"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "unknown round 'nosuch'" in bad.stderr  # by any command, not only `rounds`
    bad = subprocess.run([VOICEROUND, "--round", "", "sessions"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--round is empty" in bad.stderr  # not the default round in silence
    for sub in subs:
        r = subprocess.run([VOICEROUND, sub, "--help"], capture_output=True, text=True, timeout=60)
        assert r.returncode == 0 and f"usage: voiceround {sub}" in r.stdout and "Traceback" not in r.stderr, (sub, r.stderr)
    both = subprocess.run([VOICEROUND, "delete", "20260101-000000-abcdef", "--all", "--yes"], capture_output=True, text=True, timeout=60)
    assert both.returncode == 2 and "not both" in both.stderr  # never "delete everything" by accident
    s = subprocess.run([VOICEROUND, "sessions"], capture_output=True, text=True, timeout=60)
    assert s.returncode == 0 and "no sessions yet" in s.stdout
    d = subprocess.run([VOICEROUND, "doctor"], capture_output=True, text=True, timeout=120)
    assert d.returncode == 0, d.stdout + d.stderr
    for role in ("VAD", "STT", "TTS", "LLM", "ENCODER"):
        assert re.search(rf"{role}\s+\S.*\n\s+source: \S+\n\s+path:\s+\S+\n\s+size:\s+[\d.]+ MB\s+load: [\d.]+ s\s+sha256 ok", d.stdout), d.stdout
    assert "Audio devices" in d.stdout and "Data folder:" in d.stdout


def test_qt_signal_emit_keeps_refcounts():
    """The app's one cross-thread signal must not drain a reference per emit. PySide6 6.12.0's
    ``SignalInstance.emit()`` returned ``True`` without a reference: after a few thousand events
    (a live round's mic level alone is ~31 a second) ``True``'s refcount reached zero and the
    process aborted at exit with "Fatal Python error: bool_dealloc" (exit 134)."""
    from PySide6.QtCore import QCoreApplication

    from voiceround.ui.app import Bridge
    _app = QCoreApplication.instance() or QCoreApplication([])
    bridge, got = Bridge(), []
    bridge.event.connect(lambda kind, payload: got.append(kind))
    before = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    for _ in range(2000):
        bridge.event.emit("level", {"dbfs": -30.0})
    after = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    assert len(got) == 2000
    assert all(abs(a - b) <= 5 for a, b in zip(after, before, strict=True)), f"refcounts {before} -> {after}"


@LIVE
def test_picking_the_second_round_runs_and_scores_on_it(tmp_path):
    """Round card → Round: Customer Obsession → a typed round: the interviewer opens with that
    round's question, the session is stored under that round and scored on its rubric."""
    steps = [{"wait": "models"}, {"choose": "round_pick", "text": "Customer Obsession"}, {"click": "type_btn"},
             {"wait": "turns", "count": 1},
             {"type": "Last year I was the PM for refills at a mail-order pharmacy; 11% of insulin refills were stuck "
                      "for more than three days, and I listened to 40 patient calls about it."},
             {"wait": "turns", "count": 2}, {"action": "End round"}, {"dialog": "Yes"}, {"wait": "result"}, {"close": True}]
    app = App([VOICEROUND], tmp_path, steps)
    code = app.finish()
    assert_clean_exit(app, code)
    assert "round picked: customer_obsession" in app.err and "round started (typed, customer_obsession)" in app.err, app.err
    rows = json.loads(subprocess.run([VOICEROUND, "sessions", "--json"], capture_output=True, text=True, timeout=60, check=True).stdout)
    assert len(rows) == 1 and rows[0]["round_id"] == "customer_obsession", rows
    shown = subprocess.run([VOICEROUND, "score", rows[0]["id"]], capture_output=True, text=True, timeout=60, check=True).stdout
    assert "Customer Specificity" in shown and "Trade-off Judgment" in shown and "Conflict Articulation" not in shown, shown


def test_rehearse_a_case_of_the_second_round_end_to_end(tmp_path):
    """`voiceround rehearse CASE` on a Customer Obsession case (its audio, the real models): the case
    names its round, the interviewer asks that round's questions, the scorecard is on its rubric;
    `--round customer_obsession` given explicitly gives the same round."""
    case = ROOT / "tests" / "data" / "cases_customer_obsession" / "dev" / "co-mixed-gift-returns.toml"
    r = subprocess.run([VOICEROUND, "rehearse", str(case), "--json", "--quiet", "--round", "customer_obsession"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["round"] == "customer_obsession"
    iv = [t["text"] for t in out["turns"] if t["speaker"] == "interviewer"]
    assert iv[0].startswith("Tell me about one specific time you went out of your way for a customer"), iv
    assert any("cost" in t for t in iv), iv  # the trade-off probe of this round
    assert set(out["scores"]["dimensions"]) == {"customer_specificity", "working_backwards", "tradeoff_judgment", "personal_ownership",
                         "customer_impact", "trust_mechanism"}


def test_eval_scorer_refuses_labels_it_cannot_compare(tmp_path):
    """`voiceround eval scorer` on cases whose labels it can't use (a tier of 7, a trap the round
    doesn't have: it would be counted as missed) says which, one line each, and exits 2."""
    src = (CASES / "weak-royal-we.toml").read_text()
    (tmp_path / "bad-tier.toml").write_text(re.sub(r"(?m)^conflict_articulation = \d", "conflict_articulation = 7", src))
    (tmp_path / "bad-trap.toml").write_text(re.sub(r"(?m)^traps = \[", 'traps = ["not_a_trap", ', src))
    r = subprocess.run([VOICEROUND, "eval", "scorer", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert "labels.tiers.conflict_articulation = 7 is not a tier (1 to 4)" in r.stderr
    assert "labels.traps has 'not_a_trap', not a trap of this round" in r.stderr


def test_eval_interviewer_refuses_an_unknown_fit_label(tmp_path):
    """A new user's `fit = "maybe"` was taken silently (it counted in no fit line): exit 2, naming the file."""
    src = (ROOT / "tests" / "data" / "adversarial" / "dev" / "adv-won-retail-pricing.toml").read_text()
    (tmp_path / "maybe.toml").write_text(src.replace('fit = "won"', 'fit = "maybe"'))
    r = subprocess.run([VOICEROUND, "eval", "interviewer", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr and "maybe.toml: labels.fit = 'maybe' should be one of" in r.stderr, r.stderr


