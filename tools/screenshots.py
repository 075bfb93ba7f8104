#!/usr/bin/env python3
"""Screenshot every screen of the app at 1280x800 (run under Xvfb): docs/screenshots/*.png, plus
the exported scorecard PDF (turn its first page into scorecard-pdf.png with pdftoppm).

Usage: xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python tools/screenshots.py CASE.toml [light|dark]
(dark: the files are named *-dark.png and no PDF is written).
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from voiceround.engines.encoder import shared_encoder  # noqa: E402
from voiceround.rounds import load_round  # noqa: E402
from voiceround.scoring import use_encoder  # noqa: E402
from voiceround.ui.app import MainWindow  # noqa: E402

use_encoder(shared_encoder)  # the scorer reads meaning as in the app (voiceround.cli.main sets it)

SCHEME = sys.argv[2] if len(sys.argv) > 2 else "light"
os.environ["VOICEROUND_THEME"] = SCHEME
SUFFIX = "-dark" if SCHEME == "dark" else ""
OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
OUT.mkdir(parents=True, exist_ok=True)
app = QApplication([])
win = MainWindow(load_round())
win.resize(1280, 800)
win.show()
case = sys.argv[1]
steps = []


def shot(name):
    win.grab().save(str(OUT / f"{name}{SUFFIX}.png"))
    print(OUT / f"{name}{SUFFIX}.png")


def run():
    """Each step: wait for its condition, act, then wait ``delay`` ms before the next step."""
    if not steps:
        app.quit()
        return
    cond, action, delay = steps[0]
    if cond():
        steps.pop(0)
        action()
        QTimer.singleShot(delay, run)
    else:
        QTimer.singleShot(200, run)


steps += [
    (lambda: True, lambda: win.show_page("Round card"), 300),
    (lambda: True, lambda: shot("1-round-card"), 100),
    (lambda: win.engines is not None, win.new_round, 1500),
    (lambda: True, lambda: shot("2-briefing"), 100),
    (lambda: True, lambda: win.start_round("case", case), 100),
    (lambda: win.transcript.toPlainText().count("Interviewer") >= 4, lambda: shot("3-live-round"), 100),
    (lambda: win.last_card is not None, lambda: None, 800),
    (lambda: True, lambda: shot("4-scorecard"), 100),
    (lambda: True, lambda: win.show_page("History"), 1500),
    (lambda: True, lambda: shot("5-history"), 100),
    (lambda: True, lambda: win.show_page("Settings"), 500),
    (lambda: True, lambda: shot("6-settings"), 100),
    (lambda: True, lambda: win.open_replay(win.current_session, 40.0), 1000),
    (lambda: True, lambda: shot("7-replay"), 100),
    (lambda: True, lambda: win.show_page("Compare"), 1500),
    (lambda: True, lambda: shot("8-compare"), 100),
]
if not SUFFIX:
    steps += [
        (lambda: not (OUT / "scorecard.pdf").unlink(missing_ok=True), lambda: win.write_pdf(win.current_session, str(OUT / "scorecard.pdf")), 500),
        (lambda: (OUT / "scorecard.pdf").exists(), lambda: None, 100),  # the session is read on a thread first
    ]
QTimer.singleShot(500, run)
app.exec()
win.shutdown()
