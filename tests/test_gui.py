"""The desktop app (pytest-qt, offscreen): every screen, a whole round from a case's audio, the
GUI thread never stalls, and the no-microphone path with typed answers."""
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.conftest import CASES
from voiceround.rounds import load_round
from voiceround.ui import app as ui
from voiceround.ui.app import PAGES, MainWindow
from voiceround.ui.a11y import unnamed_controls
from voiceround.ui.scorecard import card_html


@pytest.fixture
def win(qtbot, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.Ok)
    w = MainWindow(load_round())
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.engines is not None, timeout=60_000)
    yield w
    w.shutdown()  # as main() does after the event loop: streams closed, threads joined, models freed


def test_card_reads_like_the_seed():
    html = card_html(load_round())
    for text in ("Amazon", "20-minute round", "Medium", "What strong answers look like", "Passive-aggressive compliance",
                 "How do I handle probes about metrics", "Data-driven Advocacy"):
        assert text in html.replace("&#x27;", "'")


def test_every_screen_and_shortcut(win, qtbot, monkeypatch):
    for name in PAGES:
        win.show_page(name)
        assert win.stack.currentIndex() == PAGES.index(name)
    win.new_round()
    assert win.stack.currentIndex() == PAGES.index("Briefing") and win.brief_clock.text() == "2:00"
    qtbot.waitUntil(lambda: win.brief_clock.text() != "2:00", timeout=3000)  # the countdown runs
    win._skip_briefing()
    assert "skipped" in win.brief_clock.text() and win.start_btn.isEnabled()
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.Yes)
    win.act_end.trigger()  # End round with no round running: no question, nothing changes
    assert not asked and win.stack.currentIndex() == PAGES.index("Briefing") and not win._busy()
    actions = {a.text().replace("&", ""): a for m in win.menuBar().actions() for a in m.menu().actions()}
    keys = {name: [k.toString() for k in actions[name].shortcuts()] for name in PAGES}
    for n, name in enumerate(PAGES, start=1):  # Ctrl+1 … Ctrl+8 reach every page
        assert f"Ctrl+{n}" in keys[name], keys
    assert "Ctrl+H" in keys["History"] and "F1" in keys["Round card"]
    assert not unnamed_controls(win)  # every control has a name a screen reader can say
    assert actions["New round"].shortcut().toString() == "Ctrl+N" and actions["End round"].shortcut().toString() == "Ctrl+E"
    actions["History"].trigger()
    assert win.stack.currentIndex() == PAGES.index("History")
    actions["Compare"].trigger()
    assert win.stack.currentIndex() == PAGES.index("Compare")
    actions["Round card"].trigger()
    assert win.stack.currentIndex() == PAGES.index("Round card")


def test_whole_round_from_case_audio_without_stalling(win, qtbot):
    stalls, last = [], [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        stalls.append(now - last[0])
        last[0] = now
    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(20)
    assert win.start_round("case", str(CASES / "weak-passive-aggressive.toml"))
    qtbot.waitUntil(lambda: "Interviewer" in win.transcript.toPlainText(), timeout=30_000)
    qtbot.waitUntil(lambda: win.countdown.text() != "20:00", timeout=30_000)  # the timer runs
    qtbot.waitUntil(lambda: win.last_card is not None, timeout=240_000)
    timer.stop()
    text = win.transcript.toPlainText()
    assert "You" in text and "Interviewer" in text
    assert win.stack.currentIndex() == PAGES.index("Scorecard")
    qtbot.waitUntil(lambda: win.scorecard.findChild(type(win.brief_clock), "total") is not None, timeout=5000)  # laid out next turn
    total = win.scorecard.findChild(type(win.brief_clock), "total")
    assert total is not None and total.text() == f"{win.last_card['total']:.1f} / 100"  # the one headline score
    labels = " ".join(lab.text() for lab in win.scorecard.findChildren(type(win.brief_clock)))
    assert labels.count("/ 100") == 1 and "What we evaluate" in labels and "not your score" in labels
    assert "✓" in labels and "What to work on next" in labels
    print(f"longest GUI stall during the round: {1000 * max(stalls):.0f} ms")
    assert max(stalls) < 0.15, f"GUI stalled {max(stalls):.3f} s"
    win.show_page("History")
    qtbot.waitUntil(lambda: win.table.rowCount() == 1, timeout=10_000)
    win.show_page("Round card")
    win._open_history_row(0, 0)  # the scorecard is read on a thread, then shown
    qtbot.waitUntil(lambda: win.stack.currentIndex() == PAGES.index("Scorecard"), timeout=10_000)


def test_no_microphone_offers_typed_answers(win, qtbot, monkeypatch):
    import voiceround.audio.devices as devices
    monkeypatch.setattr(devices, "input_devices", lambda: ([], "no input device was found"))
    win.new_round()
    assert "No working microphone" in win.mic_label.text() and "type your answers" in win.mic_label.text()
    # declined (or closed, or the app quit meanwhile: a new user's finding): no round, no session
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.No)
    win.start_live()
    assert not win._busy() and not win.typed_frame.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    win.start_live()  # falls back to typed answers
    assert win.typed_frame.isVisible()
    qtbot.waitUntil(lambda: "Interviewer" in win.transcript.toPlainText(), timeout=30_000)
    # Round → Pause or resume does nothing where the Pause button can't be pressed (a typed round waits
    # anyway): a new user's menu pause said "press Alt+P to resume" beside a greyed-out button
    pause = next(a for a in win.menuBar().actions()[1].menu().actions() if a.text() == "&Pause or resume")
    pause.trigger()
    assert not win.pause_btn.isChecked() and win.state != "paused"
    qtbot.keyClick(win.typed_box, ui.Qt.Key_P, ui.Qt.AltModifier)  # Alt+P is a shortcut, never a "p" in the answer
    assert win.typed_box.toPlainText() == ""
    qtbot.keyClick(win.typed_box, ui.Qt.Key_Return, ui.Qt.ControlModifier)  # nothing typed: a hint, nothing sent
    assert "type your answer" in win.statusBar().currentMessage()
    win.typed_box.setPlainText("I was the lead engineer. My director Priya wanted to launch to everyone and I disagreed, "
                               "because the beta showed payment errors of 1.8% against 0.6% on the old flow.")
    qtbot.keyClick(win.typed_box, ui.Qt.Key_Return, ui.Qt.ControlModifier)
    qtbot.waitUntil(lambda: "1.8%" in win.transcript.toPlainText(), timeout=30_000)
    qtbot.waitUntil(lambda: win.transcript.toPlainText().count("Interviewer") >= 2, timeout=30_000)
    win.end_round()
    qtbot.waitUntil(lambda: win.last_card is not None, timeout=60_000)
    assert win.last_card["analytics"]["words"] > 10


def test_settings_validate_model_files(win, tmp_path):
    bad = tmp_path / "model.gguf"
    bad.write_text("not a model")
    win.show_page("Settings")
    assert not win._set_model("llm", str(bad))
    assert "not a GGUF" in win.settings_msg.text()
    assert win._set_model("llm", "")


@pytest.mark.fast
def test_theme_colours_meet_wcag_contrast_in_light_and_dark():
    """Every colour the app draws text in, and every state banner, reads at ≥ 4.5:1 (WCAG 2.1 AA)
    on its background, in both schemes (issue: weight labels at 1.9:1 and "Interviewer" at 2.0:1 in dark mode)."""
    from voiceround.ui import theme
    for role, (light, dark) in theme.COLORS.items():
        if role == "on_accent":
            continue
        assert theme.contrast(light, "#efefef") >= 4.5 and theme.contrast(light, "#ffffff") >= 4.5, role
        assert theme.contrast(dark, "#323232") >= 4.5 and theme.contrast(dark, "#262626") >= 4.5, role
    for state, (bg, fg) in theme.BANNERS.items():
        assert theme.contrast(fg, bg) >= 4.5, state
    assert len(set(theme.SERIES)) == len(theme.SERIES)


def test_dark_theme_applies_to_the_window(qtbot, monkeypatch):
    """VOICEROUND_THEME=dark (or Settings → Appearance): a dark window background, and the app's
    colours switch to their dark variants."""
    from PySide6.QtGui import QPalette

    from voiceround.ui import theme
    monkeypatch.setenv("VOICEROUND_THEME", "dark")
    w = MainWindow(load_round(), autoload=False)
    qtbot.addWidget(w)
    try:
        qtbot.waitUntil(lambda: theme.luminance(w.palette().color(QPalette.Window).name()) < 0.05, timeout=2000)  # propagated
        assert theme.is_dark() and theme.luminance(QApplication.instance().palette().color(QPalette.Window).name()) < 0.05
        assert theme.color("muted") == theme.COLORS["muted"][1]
        assert not w.windowIcon().isNull()
    finally:
        w.shutdown()
        monkeypatch.setenv("VOICEROUND_THEME", "light")
        theme.apply(QApplication.instance(), "light")


def test_practise_this_again_opens_a_drill_briefing_then_the_round_comes_back(qtbot, monkeypatch):
    """Scorecard → What to work on next → Practise this again: the Briefing for a 5-minute drill on
    that dimension (its own title and clock); after the drill's result the full round is back."""
    monkeypatch.setenv("VOICEROUND_THEME", "light")
    w = MainWindow(load_round(), autoload=False)
    qtbot.addWidget(w)
    try:
        full = w.rnd
        w.scorecard.practise_requested.emit("impact_quantification")
        assert w.stack.currentIndex() == PAGES.index("Briefing")
        assert w.rnd.duration_s == 300 and "Impact Quantification" in w.rnd.title and "Impact Quantification" in w.windowTitle()
        assert w.countdown.text() == "5:00" and "5 minutes" in w.brief_text.text()
        # the drill's result arrives (as from the session thread): the scorecard shows, the full round is back
        from voiceround.scoring import score
        from voiceround.session.cases import load_case, text_transcript
        from voiceround.session.results import SessionResult
        tr = text_transcript(load_case(CASES / "weak-royal-we.toml"))
        card = score(tr, w.rnd)
        w._on_event("result", SessionResult("drill-session", tr, card, {"session_s": 240.0}, "finished"))
        assert w.rnd is full and w.rnd.duration_s == 1200 and w.stack.currentIndex() == PAGES.index("Scorecard")
        qtbot.waitUntil(lambda: w.scorecard.session_id == "drill-session", timeout=3000)
        w.scorecard.practise_requested.emit("")  # the empty scorecard's button: prepare a round
        assert w.stack.currentIndex() == PAGES.index("Briefing")
    finally:
        w.shutdown()
