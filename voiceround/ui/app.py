"""The desktop window (minimal for now): the round card, and File → Rehearse from case file…,
which runs a whole round on a worker thread and shows the scorecard. No model, audio, scoring
or database work runs on the GUI thread; results cross back through one queued signal.
"""
from __future__ import annotations

import html
import sys
import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (QApplication, QFileDialog, QLabel, QMainWindow, QMessageBox, QPlainTextEdit,
                               QSplitter, QTextBrowser)

from voiceround.rounds import Round, load_round


def card_html(rnd: Round) -> str:
    """The round card as HTML: header facts, what it is about, strong/weak answers, checklist, FAQ."""
    c = rnd.card
    e = html.escape

    def items(key: str) -> str:
        return "".join(f"<li><b>{e(i['title'])}.</b> {e(i['text'])}</li>" for i in c.get(key, []))

    traps = "".join(f"<li><b>{e(t.name)}.</b> {e(t.description)}</li>" for t in rnd.traps.values())
    faq = "".join(f"<p><b>{e(q['q'])}</b><br>{e(q['a'])}</p>" for q in c.get("faq", []))
    facts = " · ".join(e(str(x)) for x in (c["field"], c["company"], c["role"], f"{c['duration_min']} min", c["difficulty"]))
    return (f"<h2>{e(c.get('headline', rnd.title))}</h2><p>{facts}</p>"
            f"<h3>What this round is about</h3><ul>{items('about')}</ul>"
            f"<h3>What strong answers look like</h3><ul>{items('strong')}</ul>"
            f"<h3>What weak answers look like</h3><ul>{items('weak')}</ul>"
            f"<h3>Pre-interview checklist</h3><ul>{items('checklist')}</ul>"
            f"<h3>Common traps</h3><ul>{traps}</ul><h3>Common questions</h3>{faq}")


class Bridge(QObject):
    """The one signal that carries worker-thread results to the GUI thread: ``(kind, payload)``."""

    event = Signal(str, object)


class MainWindow(QMainWindow):
    """Round card on the left, session output on the right."""

    def __init__(self, rnd: Round):
        super().__init__()
        self.rnd = rnd
        self.setWindowTitle(f"VoiceRound — {rnd.title}")
        self.resize(1280, 800)
        self.bridge = Bridge()
        self.bridge.event.connect(self._on_event, Qt.QueuedConnection)
        self.card = QTextBrowser()
        self.card.setHtml(card_html(rnd))
        self.output = QPlainTextEdit()
        self.output.setReadOnly(True)
        self.output.setFont(QFont("monospace"))
        self.output.setPlaceholderText("File → Rehearse from case file… (Ctrl+O) runs a whole round from a simulated "
                                       "candidate's audio and shows the scorecard here.")
        self.status = QLabel("Ready.")
        split = QSplitter()
        split.addWidget(self.card)
        split.addWidget(self.output)
        split.setSizes([560, 720])
        self.setCentralWidget(split)
        self.statusBar().addWidget(self.status, 1)
        menu = self.menuBar().addMenu("&File")
        self.act_rehearse = QAction("&Rehearse from case file…", self, shortcut=QKeySequence("Ctrl+O"), triggered=self.choose_case)
        menu.addAction(self.act_rehearse)
        menu.addAction(QAction("&Quit", self, shortcut=QKeySequence.Quit, triggered=self.close))
        self._thread: threading.Thread | None = None

    def choose_case(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a case file", "", "Case files (*.toml)")
        if path:
            self.rehearse(path)

    def rehearse(self, path: str) -> None:
        """Run ``rehearse`` on a worker thread; progress and the scorecard arrive via the bridge."""
        if self._thread and self._thread.is_alive():
            return
        self.output.clear()
        self.act_rehearse.setEnabled(False)
        self.status.setText("Loading models…")
        self._thread = threading.Thread(target=self._work, args=(path,), daemon=True, name="vr-session")
        self._thread.start()

    def _work(self, path: str) -> None:
        from voiceround.core.errors import VoiceRoundError
        from voiceround.report import clock, scorecard_text
        from voiceround.session.cases import load_case
        from voiceround.session.runner import Engines, SessionRunner, SimulatedFeed
        from voiceround.storage import Store
        emit = self.bridge.event.emit
        try:
            case = load_case(path)
            engines = Engines.load(progress=lambda m: emit("status", m))
            store = Store()

            def on_event(ev):
                if ev.kind == "turn":
                    who = "Interviewer" if ev.data["speaker"] == "interviewer" else "Candidate"
                    emit("line", f"[{clock(ev.data['start_s'])}] {who}: {ev.data['text']}")
            emit("status", "Round running…")
            res = SessionRunner(self.rnd, engines, SimulatedFeed(case), store, source=f"case:{case.id}", on_event=on_event).run()
            engines.close()
            store.close()
            emit("line", "\n" + scorecard_text(res.scorecard, f"Session {res.session_id}"))
            emit("done", f"Scored: {res.scorecard['total']:.1f} / 100")
        except VoiceRoundError as exc:
            emit("error", str(exc))
        except Exception as exc:  # show, don't crash the window
            emit("error", f"unexpected error: {exc!r}")

    def _on_event(self, kind: str, payload) -> None:
        if kind == "line":
            self.output.appendPlainText(payload)
        elif kind == "status":
            self.status.setText(payload)
        elif kind == "done":
            self.status.setText(payload)
            self.act_rehearse.setEnabled(True)
        elif kind == "error":
            self.status.setText("Error.")
            self.act_rehearse.setEnabled(True)
            QMessageBox.critical(self, "VoiceRound", payload)


def main(argv: list[str] | None = None) -> int:
    """Start the app; returns the Qt exit code."""
    app = QApplication.instance() or QApplication(sys.argv[:1] + list(argv or []))
    win = MainWindow(load_round())
    win.show()
    return app.exec()
