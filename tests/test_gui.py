"""The minimal window: shows the round card and runs a rehearsal off the GUI thread."""
import time

from PySide6.QtCore import QTimer

from tests.conftest import CASES
from voiceround.rounds import load_round
from voiceround.ui.app import MainWindow, card_html


def test_card_reads_like_the_seed():
    rnd = load_round()
    html = card_html(rnd)
    for text in ("Amazon", "20 min", "Medium", "Pre-interview checklist", "Passive-aggressive compliance",
                 "How do I handle probes about metrics I don't remember?"):
        assert text.replace("'", "&#x27;") in html or text in html


def test_rehearse_in_the_window_without_stalling_the_gui(qtbot):
    win = MainWindow(load_round())
    qtbot.addWidget(win)
    win.show()
    stalls, last = [], [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        stalls.append(now - last[0])
        last[0] = now
    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(20)
    win.rehearse(str(CASES / "weak-passive-aggressive.toml"))
    qtbot.waitUntil(lambda: "Total:" in win.output.toPlainText(), timeout=240_000)
    timer.stop()
    text = win.output.toPlainText()
    assert "Interviewer:" in text and "Candidate:" in text and win.status.text().startswith("Scored")
    assert max(stalls) < 0.5, f"GUI stalled {max(stalls):.3f} s"
