"""The review pages (pytest-qt, offscreen): Replay's waveform, speaker colours, marks and keys;
Compare's attempt axis, colours and empty state; History's table, chart and empty state.
Sessions are written straight into a store (no rounds are run, no models are loaded)."""
from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCharts import QCategoryAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from voiceround.core.events import BargedIn, Interrupted
from voiceround.core.types import Transcript, Turn
from voiceround.rounds import load_round
from voiceround.scoring import score
from voiceround.storage import Store
from voiceround.ui import theme
from voiceround.ui.replay import TURN_ROLE, ComparePage, ReplayPage, read_envelope

RATE = 16000
RND = load_round()
_clock = iter(range(10_000))  # sessions of a test start a minute apart, oldest first
TURNS = [Turn("interviewer", "Tell me about a time you disagreed and lost.", 0.0, 4.0),
         Turn("candidate", "Last spring I led the checkout rewrite and argued for a staged rollout.", 4.5, 12.0),
         Turn("interviewer", "You said 3%. What was the baseline?", 11.0, 14.0),
         Turn("candidate", "The payment error rate was 0.7% against 1.8% in beta.", 14.5, 20.0)]


def write_wav(path, seconds: float, amp: float = 0.5) -> None:
    """``seconds`` of a 220 Hz tone at ``amp`` as 16 kHz mono int16."""
    t = np.arange(int(seconds * RATE)) / RATE
    sf.write(str(path), (amp * np.sin(2 * np.pi * 220 * t) * 32767).astype(np.int16), RATE, subtype="PCM_16")


def fake_session(st: Store, round_id: str = "disagree_and_commit", total: float | None = 55.0, audio_s: float = 20.0,
                 finished: bool = True) -> str:
    """A stored session with ``TURNS``, an interruption and a barge-in, a WAV of ``audio_s`` seconds
    (none when 0) and a scorecard with ``total`` (none when None)."""
    sid = st.new_session(round_id, "1", "test")
    minute = next(_clock)
    st.db["sessions"].update(sid, {"started_at": f"2026-11-{1 + minute // 1440:02d}T{minute // 60 % 24:02d}:{minute % 60:02d}:00+00:00"})
    for i, t in enumerate(TURNS, 1):
        st.add_turn(sid, i, t)
    st.add_event(sid, Interrupted(8.0, reason="monologue", after_s=3.5))
    st.add_event(sid, BargedIn(11.2, stop_ms=180.0, played_text="You said"))
    if audio_s:
        write_wav(st.session(sid)["audio_path"], audio_s)
    if finished:
        st.finish(sid, 20.0)
    if total is not None:
        card = score(Transcript(list(TURNS)), RND)  # a real scorecard, then the total and tiers the test wants
        card["total"] = total
        for i, d in enumerate(card["dimensions"].values()):
            d["tier"] = 1 + (i + int(total) // 30) % 4
        st.save_score(sid, card)
    return sid


@pytest.fixture
def replay(qtbot, data_dir):
    """A Replay page showing a stored session (20 s, 4 turns, 2 marks), shown and active."""
    st = Store()
    sid = fake_session(st)
    page = ReplayPage()
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.show(sid, ReplayPage.read(st, sid))
    st.close()
    super(ReplayPage, page).show()  # QWidget.show (ReplayPage.show shows a session)
    page.activateWindow()
    qtbot.waitExposed(page)
    page.waveform.setFocus()
    qtbot.waitUntil(page.waveform.hasFocus, timeout=3000)
    yield page
    page.player.stop()


# -- Replay --------------------------------------------------------------------------------------
@pytest.mark.fast
def test_envelope_length_and_bad_files(tmp_path):
    wav = tmp_path / "s.wav"
    write_wav(wav, 10.0, amp=0.5)
    env, note = read_envelope(wav, bins=500)
    assert note == "" and len(env) == 500 and env.mins.shape == env.maxs.shape == (500,)
    assert env.duration_s == pytest.approx(10.0) and env.rate == RATE and env.samples_per_bin == 320
    assert np.all(env.mins <= env.maxs) and env.maxs.max() == pytest.approx(0.5, abs=0.01) and env.mins.min() == pytest.approx(-0.5, abs=0.01)
    odd = tmp_path / "odd.wav"  # a last, shorter bin
    write_wav(odd, 1.0001)
    env, _ = read_envelope(odd, bins=100)
    assert len(env) == 100 and env.samples_per_bin * 99 < 16001 <= env.samples_per_bin * 100
    short = tmp_path / "short.wav"  # fewer samples than bins: one bin per sample
    sf.write(str(short), np.zeros(50, np.int16), RATE)
    assert len(read_envelope(short, bins=500)[0]) == 50
    empty = tmp_path / "empty.wav"
    sf.write(str(empty), np.zeros(0, np.int16), RATE)
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF not a wav file at all")
    for path, words in ((tmp_path / "gone.wav", "missing"), (junk, "can't be read"), (empty, "empty"), (None, "No recording")):
        env, note = read_envelope(path)
        assert env is None and words in note, (path, note)


@pytest.mark.fast
def test_replay_empty_state_offers_history(qtbot):
    page = ReplayPage()
    qtbot.addWidget(page)
    assert page.pages.currentIndex() == 0 and page.history_btn.text() == "Open History"
    with qtbot.waitSignal(page.open_history_requested, timeout=1000):
        qtbot.mouseClick(page.history_btn, Qt.LeftButton)
    page.toggle()  # no session: nothing to play, no error
    page.skip(5.0)
    assert not page.is_playing() and page.position_s == 0.0


@pytest.mark.fast
def test_replay_turns_waveform_and_marks(replay):
    page = replay
    assert page.pages.currentIndex() == 1 and page.turns.count() == len(TURNS)
    assert [page.turns.item(i).data(TURN_ROLE)[0] for i in range(len(TURNS))] == [t.speaker for t in TURNS]
    assert page.turns.item(1).text().startswith("0:04 You: Last spring")  # the accessible text
    wave = page.waveform
    assert wave.envelope is not None and len(wave.envelope) > 100 and wave.duration_s == pytest.approx(20.0)
    assert [(k, t) for k, t, _ in wave.marks] == [("interruption", 8.0), ("barge_in", pytest.approx(11.2))]
    assert wave.mark_at(wave.x_of(8.0) + 2)[0] == "interruption" and wave.mark_at(wave.x_of(4.0)) is None
    assert "interruption at 0:08" in page.marks.text() and "barge-in at 0:11" in page.marks.text()
    assert page.wave_note.isHidden()
    lines = wave._wave_lines(wave._wave_rect())  # envelope columns coloured by the speaker heard there
    assert {"interviewer", "candidate"} <= set(lines)
    for w, key in ((page.play_btn, "Space"), (page.speed, None), (page.slider, "Left/Right"), (page.turns, "Up/Down"),
                   (page.waveform, "Left/Right")):
        assert w.accessibleName() and w.toolTip() and (key is None or key in w.toolTip()), w
    # the speaker's name is drawn in its theme colour
    doc = page.turns.itemDelegate()._doc(page.turns.model().index(0, 0), 600, False, page.palette())
    assert theme.color("interviewer") in doc.toHtml() and "Interviewer:" in doc.toPlainText()


@pytest.mark.fast
def test_replay_keys_seek_and_step_turns(replay, qtbot):
    page = replay
    page.seek(6.0)
    qtbot.keyClick(page.waveform, Qt.Key_Right)
    assert page.position_s == pytest.approx(11.0)
    qtbot.keyClick(page.turns, Qt.Key_Left)  # anywhere on the page
    assert page.position_s == pytest.approx(6.0)
    page.seek(1.0)
    qtbot.keyClick(page.waveform, Qt.Key_Left)
    assert page.position_s == 0.0  # clamped
    qtbot.keyClick(page.waveform, Qt.Key_Down)
    assert page.current_turn() == 1 and page.position_s == pytest.approx(4.5) and page.turns.currentRow() == 1
    qtbot.keyClick(page.turns, Qt.Key_Down)
    assert page.current_turn() == 2 and page.position_s == pytest.approx(11.0)
    qtbot.keyClick(page.waveform, Qt.Key_Up)
    assert page.current_turn() == 1 and page.position_s == pytest.approx(4.5)
    r = page.waveform._wave_rect()  # a click on the waveform seeks there
    qtbot.mouseClick(page.waveform, Qt.LeftButton, pos=QPoint(r.left() + r.width() * 3 // 4, r.center().y()))
    assert page.position_s == pytest.approx(15.0, abs=0.1) and page.current_turn() == 3
    assert page.waveform.position_s == page.position_s and page.slider.value() == round(page.position_s * 1000)


def test_replay_space_toggles_playback(replay, qtbot):
    page = replay
    assert not page.is_playing() and page.play_btn.text() == "Play"
    qtbot.keyClick(page.waveform, Qt.Key_Space)
    qtbot.waitUntil(page.is_playing, timeout=5000)
    assert page.play_btn.text() == "Pause"
    page.play_btn.setFocus()  # Space on the focused button still toggles once, not twice
    qtbot.keyClick(page.play_btn, Qt.Key_Space)
    qtbot.waitUntil(lambda: not page.is_playing(), timeout=5000)
    assert page.play_btn.text() == "Play"


@pytest.mark.fast
def test_replay_without_its_recording(qtbot, data_dir):
    st = Store()
    sid = fake_session(st, audio_s=0, finished=False)
    page = ReplayPage()
    qtbot.addWidget(page)
    page.show(sid, ReplayPage.read(st, sid))
    st.close()
    assert page.waveform.envelope is None and "missing" in page.wave_note.text() and not page.wave_note.isHidden()
    assert not page.play_btn.isEnabled() and page.turns.count() == len(TURNS) and "unfinished" in page.title.text()
    page.seek(30.0)  # the timeline is still the turns'
    assert page.position_s == pytest.approx(20.0) and page.current_turn() == 3
    page.grab()  # paints without a waveform


# -- Compare -------------------------------------------------------------------------------------
def compare_data(n: int):
    st = Store()
    sids = [fake_session(st, total=30.0 + 10 * k, audio_s=0) for k in range(n)]
    data = ComparePage.read(st, "disagree_and_commit")
    st.close()
    return sids, data


@pytest.mark.fast
@pytest.mark.parametrize("n", [2, 5, 30])
def test_compare_axis_colours_and_table(qtbot, data_dir, n):
    rnd = load_round()
    _, data = compare_data(n)
    page = ComparePage(rnd)
    qtbot.addWidget(page)
    page.show(data)
    assert page.heading.text() == "Compare attempts" and page.empty.isHidden() and not page.body.isHidden()
    chart = page.chart.chart()
    x = next(a for a in chart.axes(Qt.Horizontal))
    assert isinstance(x, QCategoryAxis)
    labels = x.categoriesLabels()
    if n <= 12:
        assert labels == [str(i) for i in range(1, n + 1)]
    else:  # capped: whole numbers, increasing, the first and the last attempt, readable
        assert labels[0] == "1" and labels[-1] == str(n) and len(labels) <= 13
        assert [int(v) for v in labels] == sorted({int(v) for v in labels})
    assert [x.endValue(label) for label in labels] == [float(v) for v in labels]  # each label sits on its attempt
    y = next(a for a in chart.axes(Qt.Vertical))
    assert y.categoriesLabels() == ["tier 1", "tier 2", "tier 3", "tier 4"]
    series = [s for s in chart.series() if isinstance(s, QLineSeries)]
    dims = rnd.rubrics[rnd.primary_rubric].dimensions
    assert [s.name() for s in series] == [d.name for d in dims] and all(s.count() == n for s in series)
    colors = [s.pen().color().name() for s in series]
    assert len(set(colors)) == len(colors) and set(colors) <= set(theme.SERIES)
    assert chart.legend().isVisible()
    assert page.table.item(0, 0).text() == "Interview framework total"
    assert page.table.item(0, 1).text() == f"{30.0 + 10 * (n - 2):.1f}" and page.table.item(0, 2).text() == f"{30.0 + 10 * (n - 1):.1f}"
    assert page.table.item(0, 3).text().startswith("+10.0")


@pytest.mark.fast
def test_compare_needs_two_scored_sessions(qtbot, data_dir):
    _, data = compare_data(1)
    page = ComparePage(load_round())
    qtbot.addWidget(page)
    page.show(data)
    assert not page.empty.isHidden() and page.body.isHidden()  # no blank grid
    assert "Finish two rounds of this round to compare them" in page.empty.text()


# -- History -------------------------------------------------------------------------------------
@pytest.fixture
def window(qtbot, monkeypatch):
    """The app window without models (History reads the test's own data dir)."""
    from voiceround.ui.app import MainWindow
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    w = MainWindow(load_round(), autoload=False)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.shutdown()


def test_history_empty_state(window, qtbot, monkeypatch):
    window.show_page("History")
    qtbot.waitUntil(lambda: not window.history_empty.isHidden(), timeout=10_000)  # read on a thread
    assert window.history_empty.text() == "No rounds yet." and window.history_start.text() == "Start your first round"
    assert window.chart_view.isHidden() and window.table.isHidden() and window.history_delete.isHidden()
    started = []
    monkeypatch.setattr(window, "new_round", lambda: started.append(True))
    qtbot.mouseClick(window.history_start, Qt.LeftButton)
    assert started == [True]


def test_history_table_chart_and_double_click(window, qtbot, data_dir):
    from voiceround.ui.app import PAGES
    st = Store()
    first = fake_session(st, total=100.0, audio_s=0)
    fake_session(st, round_id="retired_round", total=None, audio_s=0, finished=False)
    last = fake_session(st, total=62.5, audio_s=0)
    st.close()
    window.show_page("History")
    qtbot.waitUntil(lambda: window.table.rowCount() == 3 and not window.table.isHidden(), timeout=10_000)
    assert window.history_empty.isHidden() and not window.chart_view.isHidden()
    t = window.table
    headers = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
    assert "Session" not in headers and t.accessibleName()
    cells = [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]
    assert not any(sid in cell for row in cells for cell in row for sid in (first, last))  # no raw ids shown
    rows = {t.item(r, 0).data(Qt.UserRole): cells[r] for r in range(t.rowCount())}
    assert rows[first][1] == "Disagree and Commit Decision" and rows[first][3] == "100.0" and rows[first][4] == "finished"
    retired = next(v for k, v in rows.items() if k not in (first, last))
    assert retired[1] == "retired_round" and retired[4] == "unfinished" and retired[3] == "–"
    assert [r["id"] for r in window.history_rows] == [t.item(r, 0).data(Qt.UserRole) for r in range(t.rowCount())]
    chart = window.chart_view.chart()
    assert chart.title() == "Interview framework total over time"
    x = next(a for a in chart.axes(Qt.Horizontal))
    assert x.categoriesLabels() == ["1", "2"]  # the two scored sessions, oldest first
    y = next(a for a in chart.axes(Qt.Vertical))
    assert isinstance(y, QValueAxis) and y.max() > 100  # 100 is not clipped
    assert max(p.y() for s in chart.series() for p in s.points()) == 100.0
    row = next(r for r in range(t.rowCount()) if t.item(r, 0).data(Qt.UserRole) == first)
    t.cellDoubleClicked.emit(row, 2)
    qtbot.waitUntil(lambda: window.stack.currentIndex() == PAGES.index("Scorecard"), timeout=10_000)
    assert window.current_session == first


@pytest.mark.fast
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_compare_chart_follows_the_scheme(qtbot, qapp, data_dir, scheme):
    from PySide6.QtCharts import QChart

    from voiceround.ui.replay import chart_backgrounds
    _, data = compare_data(3)
    try:
        theme.apply(qapp, scheme)
        page = ComparePage(load_round())
        qtbot.addWidget(page)
        page.show(data)
        chart = page.chart.chart()
        assert chart.theme() == (QChart.ChartThemeDark if scheme == "dark" else QChart.ChartThemeLight)
        colors = [s.pen().color().name() for s in chart.series()]
        bgs = chart_backgrounds(chart)
        assert len(set(colors)) == len(colors)
        # lines stand out from the chart's background (3:1, WCAG non-text contrast), all but one at worst
        assert sum(min(theme.contrast(c, bg) for bg in bgs) >= 3.0 for c in colors) >= len(colors) - 1
    finally:
        theme.apply(qapp, "light")


_PLAY_PAUSE_STOP = r'''
import random, sys, time
import numpy as np, soundfile as sf
from PySide6.QtWidgets import QApplication
from voiceround.core.types import Transcript, Turn
from voiceround.ui.replay import ReplayPage, read_envelope
app = QApplication([])
wav = sys.argv[1]
t = np.arange(20 * 16000) / 16000
sf.write(wav, (0.5 * np.sin(2 * np.pi * 220 * t) * 32767).astype(np.int16), 16000, subtype="PCM_16")
turns = Transcript([Turn("interviewer", "Tell me about a time.", 0.0, 4.0), Turn("candidate", "Last spring I argued.", 4.5, 20.0)])
row = {"audio_path": wav, "unfinished": False, "duration_s": 20.0, "started_at": "2026-12-04T01:00:00+00:00"}
def spin(ms):
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.002)
rng = random.Random(7)
for i in range(int(sys.argv[2])):
    page = ReplayPage()                                          # a Replay page, as each review opens one
    page.show(f"s{i}", (row, turns, [], read_envelope(wav)))
    page.toggle(); spin(rng.choice([0, 5, 20, 80]))              # Space: play
    page.toggle(); spin(rng.choice([0, 1, 2, 5, 10, 20]))        # Space: pause a moment later
    page.seek(rng.uniform(0, 19))
    if i % 2:
        page.player.stop()                                       # quitting stops it
    else:
        page.show("other", (row, turns, [], read_envelope(wav)))  # another session opened: stops it
    page.deleteLater()
print("rounds done", flush=True)
'''


def test_replay_survives_play_pause_and_stop_in_quick_succession(tmp_path):
    """Play, pause a few milliseconds later, seek, then stop or open another session, on 60 new
    Replay pages: none freezes. With the player made from Python, Qt's FFmpeg thread waited for the
    GIL while holding a lock the GUI thread wanted, within 20 such rounds (a Replay test hung to its
    600 s timeout); Qt now makes the player (voiceround/ui/media.py). Run in its own process, so a
    freeze fails here rather than hanging a test worker."""
    import os
    import subprocess
    import sys
    script = tmp_path / "play_pause_stop.py"
    script.write_text(_PLAY_PAUSE_STOP)
    try:
        r = subprocess.run([sys.executable, str(script), str(tmp_path / "a.wav"), "60"], capture_output=True, text=True,
                           timeout=90, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    except subprocess.TimeoutExpired:
        pytest.fail("Replay froze: play, pause and stop in quick succession did not finish 60 rounds in 90 s")
    assert r.returncode == 0 and "rounds done" in r.stdout, r.stderr[-2000:]


@pytest.mark.fast
def test_replay_player_is_made_by_qt(qtbot):
    """The Replay player and its audio output are Qt's own objects (made by QML), not PySide
    subclasses that Qt's media thread would have to enter Python for; they die with the page."""
    import shiboken6
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
    page = ReplayPage()
    qtbot.addWidget(page)
    player, out = page.player, page.audio_out
    assert type(player) is QMediaPlayer and type(out) is QAudioOutput and player.audioOutput() is out
    assert not shiboken6.createdByPython(player) and not shiboken6.createdByPython(out)
    assert player.parent() is page and out.parent() is player
    page.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(player), timeout=3000)
    assert not shiboken6.isValid(out)


_PLAY_ALOUD = r'''
import sys, time
import numpy as np, soundfile as sf
from PySide6.QtWidgets import QApplication
from voiceround.core.types import Transcript, Turn
from voiceround.ui.replay import ReplayPage, read_envelope
app = QApplication([])
wav = sys.argv[1]
t = np.arange(4 * 16000) / 16000
sf.write(wav, (0.5 * np.sin(2 * np.pi * 440 * t) * 32767).astype(np.int16), 16000, subtype="PCM_16")
row = {"audio_path": wav, "unfinished": False, "duration_s": 4.0, "started_at": "2026-12-04T01:00:00+00:00"}
page = ReplayPage()
page.show("s", (row, Transcript([Turn("candidate", "A tone.", 0.0, 4.0)]), [], read_envelope(wav)))
page.toggle()
end = time.monotonic() + 3.0
while time.monotonic() < end:
    app.processEvents()
    time.sleep(0.005)
print(f"position {page.position_s:.2f}", flush=True)
page.player.stop()
'''


@pytest.mark.live
def test_replay_plays_the_recording_aloud_through_the_speaker(pulse, tmp_path):
    """Replay's player (made by Qt, voiceround/ui/media.py) plays through the sound card: a 440 Hz
    recording played on a PulseAudio virtual speaker is heard on its monitor, and the position moves."""
    import subprocess
    import sys
    script = tmp_path / "aloud.py"
    script.write_text(_PLAY_ALOUD)
    heard = tmp_path / "heard.raw"
    with open(heard, "wb") as out:
        rec = subprocess.Popen(["parec", "--device=speaker.monitor", "--format=s16le", "--rate=16000", "--channels=1"],
                               env=pulse.env, stdout=out)
        try:
            r = subprocess.run([sys.executable, str(script), str(tmp_path / "tone.wav")], capture_output=True, text=True, timeout=60,
                               env={**pulse.env, "QT_QPA_PLATFORM": "offscreen"})
        finally:
            rec.terminate()
            rec.wait(10)
    assert r.returncode == 0, r.stderr[-2000:]
    assert float(r.stdout.split("position ")[1]) > 1.0, r.stdout
    x = np.frombuffer(heard.read_bytes(), np.int16).astype(float) / 32768
    spectrum = np.abs(np.fft.rfft(x))
    freqs = np.fft.rfftfreq(len(x), 1 / 16000)
    assert np.sqrt(np.mean(x ** 2)) > 0.05, "the speaker's monitor heard (almost) nothing"
    assert abs(freqs[np.argmax(spectrum)] - 440) < 5


def test_a_recording_cut_short_is_said_and_not_played_past_its_end(qtbot, data_dir):
    """A new user's test: a session WAV truncated to its first seconds replayed silently after them,
    and Play past its end showed "Pause" on a stuck clock. Now the page says where the recording
    stops, and Play there does nothing; before it, it plays."""
    st = Store()
    sid = fake_session(st, audio_s=3.0)  # turns run to 20 s, the recording to 3 s
    page = ReplayPage()
    qtbot.addWidget(page)
    page.show(sid, ReplayPage.read(st, sid))
    st.close()
    assert "stops at 0:03 of 0:20" in page.wave_note.text() and not page.wave_note.isHidden()
    page.seek(12.0)
    page.toggle()
    assert not page.is_playing() and page.play_btn.text() == "Play"
    page.seek(1.0)
    page.toggle()
    qtbot.waitUntil(page.is_playing, timeout=5000)
    page.player.stop()
    full = Store()
    whole = fake_session(full)  # recorded to the end: no note
    page.show(whole, ReplayPage.read(full, whole))
    full.close()
    assert page.wave_note.text() == ""
