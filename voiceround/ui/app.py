"""The desktop app: round card, briefing, live round, scorecard, history and settings.

Threads (DESIGN.md): the GUI thread only renders. Models load on a loader thread; a round runs on
one session thread (the same :class:`~voiceround.session.runner.SessionRunner` as ``rehearse``);
every result crosses back through the single queued signal :attr:`Bridge.event`.
"""
from __future__ import annotations

import html
import logging
import os
import signal
import sys
import threading
import time

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import QDateTime, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (QApplication, QComboBox, QFileDialog, QFormLayout, QFrame, QGridLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QMainWindow, QMessageBox, QPlainTextEdit, QProgressBar, QPushButton,
                               QScrollArea, QStackedWidget, QTableWidget, QTableWidgetItem, QTextBrowser, QVBoxLayout, QWidget)

from voiceround.core.settings import Settings
from voiceround.report import clock, work_on_next
from voiceround.rounds import Round, load_round

PAGES = ("Round card", "Briefing", "Live round", "Scorecard", "Replay", "Compare", "History", "Settings")
BRIEFING_S = 120  # seed: "Pre-interview checklist (2 minutes before you start)"
log = logging.getLogger("voiceround.app")
STATE_TEXT = {"idle": "Not started", "listening": "● Listening", "speaking": "● You are speaking", "thinking": "… Thinking",
              "interviewer": "▶ Interviewer speaking", "scoring": "Scoring…", "done": "Round over"}


def card_html(rnd: Round) -> str:
    """The round card as HTML: header facts, what it is about, strong/weak answers, checklist,
    interviewer behaviour, traps and FAQ (the seed page's sections, from the round file)."""
    c = rnd.card
    e = html.escape

    def items(key: str) -> str:
        return "".join(f"<li><b>{e(i['title'])}.</b> {e(i['text'])}</li>" for i in c.get(key, []))

    traps = "".join(f"<li><b>{e(t.name)}.</b> {e(t.description)}</li>" for t in rnd.traps.values())
    faq = "".join(f"<p><b>{e(q['q'])}</b><br>{e(q['a'])}</p>" for q in c.get("faq", []))
    facts = " · ".join(e(str(x)) for x in (c["field"], c["company"], c["role"], f"{c['duration_min']} min", c["difficulty"]))
    dims = "".join(f"<li>{e(d.name)} — {d.weight:.0f}%<br><span style='color:#555'>{e(d.definition)}</span></li>"
                   for d in next(iter(rnd.rubrics.values())).dimensions)
    return (f"<h2>{e(c.get('headline', rnd.title))}</h2><p style='font-size:14px'>{facts}</p>"
            f"<h3>What this round is about</h3><ul>{items('about')}</ul>"
            f"<h3>What strong answers look like</h3><ul>{items('strong')}</ul>"
            f"<h3>What weak answers look like</h3><ul>{items('weak')}</ul>"
            f"<h3>How the interviewer behaves</h3><ul>{items('interviewer_behaviour')}</ul>"
            f"<h3>Common traps</h3><ul>{traps}</ul>"
            f"<h3>How you are scored</h3><ul>{dims}</ul><h3>Common questions</h3>{faq}")


class Bridge(QObject):
    """The one signal that carries worker-thread results to the GUI thread: ``(kind, payload)``."""

    event = Signal(str, object)


def _title(text: str) -> QLabel:
    lab = QLabel(text)
    f = lab.font()
    f.setPointSize(f.pointSize() + 6)
    f.setBold(True)
    lab.setFont(f)
    return lab


class ScorecardView(QWidget):
    """Total, the framework dimensions as tier bars with weights and evidence, traps, what to
    work on next, the second rubric and delivery analytics. Every evidence quote is a link:
    clicking it emits :attr:`seek_requested` ``(session_id, seconds)``."""

    seek_requested = Signal(str, float)

    def __init__(self):
        super().__init__()
        self.session_id = ""
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.scroll)
        self.show_card(None)

    def _link(self, href: str) -> None:
        if href.startswith("t:") and self.session_id:
            self.seek_requested.emit(self.session_id, float(href[2:]))

    def show_card(self, card: dict | None, header: str = "", rnd: Round | None = None, session_id: str = "") -> None:
        """Show ``card`` (dimensions in the round's rubric order when ``rnd`` is given)."""
        self.session_id = session_id
        from voiceround.report.html import in_rubric_order
        if card is not None and rnd is not None:  # stored scorecards are key-sorted: show the rubric's order
            dims = in_rubric_order(card["dimensions"], next(iter(rnd.rubrics.values())))
            card = dict(card, dimensions={k: v for d in dims for k, v in card["dimensions"].items() if v is d})
        body = QWidget()
        v = QVBoxLayout(body)
        if card is None:
            v.addWidget(QLabel("No scorecard yet. Finish a round, or double-click a session in History."))
            v.addStretch()
            self.scroll.setWidget(body)
            return
        e = html.escape
        if header:
            v.addWidget(QLabel(header))
        total = _title(f"Total {card['total']:.1f} / 100")
        total.setObjectName("total")
        v.addWidget(total)
        grid = QGridLayout()
        for row, (did, d) in enumerate(card["dimensions"].items()):
            name = QLabel(f"<b>{e(d['name'])}</b><br><span style='color:#555'>weight {d['weight']:.0f}%</span>")
            bar = QProgressBar()
            bar.setRange(0, 4)
            bar.setValue(d["tier"])
            bar.setFormat(f"tier {d['tier']}/4")
            bar.setMinimumWidth(220)
            quotes = "<br>".join(f"“{e(q['quote'])}” <a href='t:{q['start_s']}'>(turn {q['turn']}, {clock(q['start_s'])})</a>"
                                 for q in d["evidence"]) or "<i>no evidence</i>"
            capped = f"<br><span style='color:#a40'>capped by trap: {e(d['capped_by'])}</span>" if d.get("capped_by") else ""
            ev = QLabel(f"{e(d['anchor'])}{capped}<br>{quotes}")
            ev.setObjectName(f"evidence-{did}")
            ev.setWordWrap(True)
            ev.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.LinksAccessibleByMouse)
            ev.linkActivated.connect(self._link)
            grid.addWidget(name, row, 0, Qt.AlignTop)
            grid.addWidget(bar, row, 1, Qt.AlignTop)
            grid.addWidget(ev, row, 2)
        grid.setColumnStretch(2, 1)
        v.addLayout(grid)
        traps = card["traps"]
        t = "<h3>Traps flagged</h3>" + ("".join(
            f"<p><b>{e(x['name'])}</b><br>" + "<br>".join(f"“{e(q['quote'])}” ({clock(q['start_s'])})" for q in x["evidence"]) + "</p>"
            for x in traps) if traps else "<p>None.</p>")
        weakest = work_on_next(list(card["dimensions"].values()))
        t += "<h3>What to work on next</h3><ul>" + "".join(
            f"<li><b>{e(d['name'])}</b> (tier {d['tier']}): aim for “{e(d.get('next_anchor') or d['anchor'])}”</li>" for d in weakest) + "</ul>"
        rubrics = card.get("rubrics", {})
        for rb in list(rubrics.values())[1:]:
            t += f"<h3>{e(rb['title'])}: {rb['total']:.1f} / 100</h3><ul>" + "".join(
                f"<li>{e(d['name'])} ({d['weight']:.0f}%): tier {d['tier']}/4 — {e(d['anchor'])}</li>" for d in rb["dimensions"].values()) + "</ul>"
        a = card.get("analytics", {})
        if a:
            fillers = ", ".join(f"{k} ×{n}" for k, n in a.get("fillers", {}).items()) or "none transcribed"
            phases = ", ".join(f"{k} {clock(s)}" for k, s in a.get("phase_seconds", {}).items())
            t += (f"<h3>Delivery</h3><p>{a['wpm']:.0f} words per minute · you talked {a['talk_share']:.0%} of the time · "
                  f"fillers: {fillers} <i>(Whisper under-reports “um” and “uh”)</i><br>Time by phase: {phases}<br>"
                  f"Numbers: {a['numbers']} stated, {a['numbers_with_baseline']} with a baseline</p>")
        rest = QLabel(t)
        rest.setWordWrap(True)
        rest.setTextInteractionFlags(Qt.TextSelectableByMouse)
        v.addWidget(rest)
        v.addStretch()
        self.scroll.setWidget(body)


class MainWindow(QMainWindow):
    """The app window. ``rnd``: the round; ``autoload``: load models at start (tests may defer)."""

    def __init__(self, rnd: Round, autoload: bool = True):
        super().__init__()
        self.rnd = rnd
        self.settings = Settings.load()
        self.settings.apply_models()
        self.setWindowTitle(f"VoiceRound — {rnd.title}")
        self.resize(1280, 800)
        self.bridge = Bridge()
        self.bridge.event.connect(self._on_event, Qt.QueuedConnection)
        self.engines = None
        self.runner = None
        self.feed = None
        self._thread: threading.Thread | None = None
        self._loader: threading.Thread | None = None
        self._loaded = None  # the loader's Engines, kept here too so shutdown can release them
        self._readers: list[threading.Thread] = []
        self._closing = False  # a close request that must not ask (SIGTERM, shutdown)
        self._shut = False
        self.state = "idle"
        self.last_card: dict | None = None
        self.mic_problem: str | None = None

        self.nav = QListWidget()
        self.nav.addItems(PAGES)
        self.nav.setFixedWidth(150)
        self.stack = QStackedWidget()
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        central = QWidget()
        h = QHBoxLayout(central)
        h.addWidget(self.nav)
        h.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_rounds()
        self._build_briefing()
        self._build_live()
        self.scorecard = ScorecardView()
        self.scorecard.seek_requested.connect(self.open_replay)
        self.stack.addWidget(self.scorecard)
        from voiceround.ui.replay import ComparePage, ReplayPage
        self.replay = ReplayPage()
        self.stack.addWidget(self.replay)
        self.compare = ComparePage(self.rnd)
        self.stack.addWidget(self.compare)
        self._build_history()
        self._build_settings()
        self._build_menus()
        self.model_status = QLabel("Models: not loaded")
        self.model_progress = QProgressBar()
        self.model_progress.setRange(0, 4)
        self.model_progress.setMaximumWidth(180)
        self.statusBar().addWidget(self.model_status, 1)
        self.statusBar().addPermanentWidget(self.model_progress)
        self.nav.setCurrentRow(0)
        self._check_microphone()
        if autoload:
            self.load_models()
            QTimer.singleShot(0, self.check_unfinished)

    # -- pages ----------------------------------------------------------------------------------
    def _build_rounds(self) -> None:
        page = QWidget()
        v = QVBoxLayout(page)
        self.card = QTextBrowser()
        self.card.setHtml(card_html(self.rnd))
        v.addWidget(self.card)
        go = QPushButton("Prepare for this round  (Ctrl+N)")
        go.clicked.connect(self.new_round)
        v.addWidget(go, 0, Qt.AlignRight)
        self.stack.addWidget(page)

    def _build_briefing(self) -> None:
        page = QWidget()
        v = QVBoxLayout(page)
        v.addWidget(_title("Pre-interview checklist"))
        items = "".join(f"<li style='margin-bottom:8px'><b>{html.escape(i['title'])}.</b> {html.escape(i['text'])}</li>"
                        for i in self.rnd.card.get("checklist", []))
        text = QLabel(f"<ul style='font-size:15px'>{items}</ul><p>The round lasts {self.rnd.card['duration_min']} minutes. "
                      "The interviewer asks for one specific story and will interrupt to probe numbers, baselines and "
                      "what you personally did. It will not praise you.</p>")
        text.setWordWrap(True)
        v.addWidget(text)
        self.brief_clock = _title(clock(BRIEFING_S))
        v.addWidget(self.brief_clock)
        self.mic_label = QLabel("")
        self.mic_label.setWordWrap(True)
        v.addWidget(self.mic_label)
        row = QHBoxLayout()
        self.skip_btn = QPushButton("Skip countdown")
        self.skip_btn.clicked.connect(self._skip_briefing)
        self.start_btn = QPushButton("Start round")
        self.start_btn.setEnabled(False)
        self.start_btn.setToolTip("Enabled once the models are loaded")
        self.start_btn.clicked.connect(self.start_live)
        self.type_btn = QPushButton("Start, typing my answers")
        self.type_btn.setEnabled(False)
        self.type_btn.clicked.connect(lambda: self.start_round("typed"))
        for b in (self.skip_btn, self.type_btn, self.start_btn):
            row.addWidget(b)
        row.addStretch()
        v.addLayout(row)
        v.addStretch()
        self._brief_left = BRIEFING_S
        self._brief_timer = QTimer(self)
        self._brief_timer.timeout.connect(self._tick_briefing)
        self.stack.addWidget(page)

    def _build_live(self) -> None:
        page = QWidget()
        v = QVBoxLayout(page)
        top = QHBoxLayout()
        self.countdown = _title(clock(self.rnd.duration_s))
        self.state_label = QLabel(STATE_TEXT["idle"])
        f = self.state_label.font()
        f.setPointSize(f.pointSize() + 3)
        self.state_label.setFont(f)
        self.level = QProgressBar()
        self.level.setRange(-60, 0)
        self.level.setValue(-60)
        self.level.setFormat("mic level")
        self.level.setMaximumWidth(200)
        self.in_dev = QComboBox()
        self.out_dev = QComboBox()
        top.addWidget(self.countdown)
        top.addSpacing(20)
        top.addWidget(self.state_label, 1)
        top.addWidget(QLabel("Mic"))
        top.addWidget(self.level)
        v.addLayout(top)
        devs = QHBoxLayout()
        devs.addWidget(QLabel("Input"))
        devs.addWidget(self.in_dev, 1)
        devs.addWidget(QLabel("Output"))
        devs.addWidget(self.out_dev, 1)
        v.addLayout(devs)
        self.transcript = QTextBrowser()
        v.addWidget(self.transcript, 1)
        self.partial = QLabel("")
        self.partial.setStyleSheet("color:#666; font-style:italic")
        self.partial.setWordWrap(True)
        v.addWidget(self.partial)
        self.typed_box = QPlainTextEdit()
        self.typed_box.setPlaceholderText("Type your answer, then Ctrl+Enter to send")
        self.typed_box.setMaximumHeight(90)
        self.send_btn = QPushButton("Send  (Ctrl+Enter)")
        self.send_btn.clicked.connect(self.send_typed)
        QShortcut(QKeySequence("Ctrl+Return"), self.typed_box, activated=self.send_typed)
        QShortcut(QKeySequence("Ctrl+Enter"), self.typed_box, activated=self.send_typed)
        typed_row = QHBoxLayout()
        typed_row.addWidget(self.typed_box, 1)
        typed_row.addWidget(self.send_btn)
        self.typed_frame = QFrame()
        self.typed_frame.setLayout(typed_row)
        self.typed_frame.hide()
        v.addWidget(self.typed_frame)
        bottom = QHBoxLayout()
        self.scoring_bar = QProgressBar()
        self.scoring_bar.setRange(0, 0)
        self.scoring_bar.hide()
        self.end_btn = QPushButton("End round  (Ctrl+E)")
        self.end_btn.setEnabled(False)
        self.end_btn.clicked.connect(lambda: self.end_round())  # clicked(bool) must not fill `confirm`
        bottom.addWidget(self.scoring_bar, 1)
        bottom.addStretch()
        bottom.addWidget(self.end_btn)
        v.addLayout(bottom)
        self.stack.addWidget(page)
        self._fill_devices()

    def _build_history(self) -> None:
        page = QWidget()
        v = QVBoxLayout(page)
        v.addWidget(_title("History"))
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(["Date", "Round", "Duration", "Total", "Status", "Session"])
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellDoubleClicked.connect(self._open_history_row)
        v.addWidget(self.table, 1)
        hrow = QHBoxLayout()
        dele = QPushButton("Delete session…")
        dele.clicked.connect(self.delete_selected_session)
        hrow.addWidget(dele)
        hrow.addStretch()
        v.addLayout(hrow)
        self.chart_view = QChartView()
        self.chart_view.setRenderHint(QPainter.Antialiasing)
        self.chart_view.setMinimumHeight(240)
        v.addWidget(self.chart_view, 1)
        self.stack.addWidget(page)

    def _build_settings(self) -> None:
        page = QWidget()
        v = QVBoxLayout(page)
        v.addWidget(_title("Settings"))
        form = QFormLayout()
        self.set_in = QComboBox()
        self.set_out = QComboBox()
        form.addRow("Microphone", self.set_in)
        form.addRow("Speaker", self.set_out)
        self.model_edits = {}
        for role, label, kind in (("llm", "LLM (GGUF file)", "file"), ("stt", "Whisper model folder", "dir"), ("tts", "Piper voice (.onnx)", "file")):
            row = QHBoxLayout()
            edit = QLineEdit(getattr(self.settings, f"{role}_model") or "")
            edit.setPlaceholderText("bundled model")
            browse = QPushButton("Choose…")
            browse.clicked.connect(lambda _=False, r=role, k=kind: self._choose_model(r, k))
            reset = QPushButton("Use bundled")
            reset.clicked.connect(lambda _=False, r=role: self._set_model(r, ""))
            row.addWidget(edit, 1)
            row.addWidget(browse)
            row.addWidget(reset)
            form.addRow(label, row)
            self.model_edits[role] = edit
        self.page_size = QComboBox()
        self.page_size.addItems(["A4", "Letter"])
        self.page_size.setCurrentText(self.settings.page_size)
        form.addRow("PDF page size", self.page_size)
        v.addLayout(form)
        self.settings_msg = QLabel("")
        self.settings_msg.setWordWrap(True)
        v.addWidget(self.settings_msg)
        save = QPushButton("Save settings")
        save.clicked.connect(self.save_settings)
        v.addWidget(save, 0, Qt.AlignLeft)
        wipe = QPushButton("Delete all data…")
        wipe.clicked.connect(self.delete_all_data)
        v.addWidget(wipe, 0, Qt.AlignLeft)
        v.addStretch()
        self.stack.addWidget(page)
        self._fill_devices()

    def _build_menus(self) -> None:
        m = self.menuBar().addMenu("&File")
        m.addAction(QAction("&New round", self, shortcut=QKeySequence("Ctrl+N"), triggered=self.new_round))
        m.addAction(QAction("Rehearse from &audio…", self, triggered=self.choose_recording))
        m.addAction(QAction("Rehearse from &case file…", self, shortcut=QKeySequence("Ctrl+O"), triggered=self.choose_case))
        m.addAction(QAction("&Export scorecard PDF…", self, shortcut=QKeySequence("Ctrl+P"), triggered=self.export_pdf))
        m.addSeparator()
        m.addAction(QAction("&Quit", self, shortcut=QKeySequence.Quit, triggered=self.close))
        r = self.menuBar().addMenu("&Round")
        self.act_end = QAction("&End round", self, shortcut=QKeySequence("Ctrl+E"), triggered=lambda: self.end_round())
        r.addAction(self.act_end)
        view = self.menuBar().addMenu("&View")
        view.addAction(QAction("&History", self, shortcut=QKeySequence("Ctrl+H"), triggered=lambda: self.show_page("History")))
        view.addAction(QAction("Round &card", self, shortcut=QKeySequence("F1"), triggered=lambda: self.show_page("Round card")))
        view.addAction(QAction("&Settings", self, triggered=lambda: self.show_page("Settings")))
        view.addAction(QAction("&Replay", self, triggered=lambda: self.open_replay(getattr(self, "current_session", ""), 0.0)))
        view.addAction(QAction("C&ompare attempts", self, triggered=lambda: self.show_page("Compare")))

    # -- helpers ---------------------------------------------------------------------------------
    def show_page(self, name: str) -> None:
        """Switch to a page by its title (see ``PAGES``)."""
        if name == "History":
            self.refresh_history()
        if name == "Compare":
            self.compare.reload()
        self.nav.setCurrentRow(PAGES.index(name))

    def _fill_devices(self) -> None:
        from voiceround.audio.devices import input_devices, output_devices
        ins, _ = input_devices()
        outs, _ = output_devices()
        for combo, devs, current in ((getattr(self, "in_dev", None), ins, self.settings.input_device),
                                     (getattr(self, "out_dev", None), outs, self.settings.output_device),
                                     (getattr(self, "set_in", None), ins, self.settings.input_device),
                                     (getattr(self, "set_out", None), outs, self.settings.output_device)):
            if combo is None:
                continue
            combo.clear()
            combo.addItem("System default", None)
            for d in devs:
                combo.addItem(d["name"], d["name"])
            idx = combo.findData(current)
            combo.setCurrentIndex(max(idx, 0))

    def _check_microphone(self) -> None:
        from voiceround.audio.devices import input_devices
        ins, problem = input_devices()
        if problem or not ins:
            self.mic_problem = problem or "no input device was found"
            self.mic_label.setText(f"<b>No working microphone:</b> {html.escape(self.mic_problem)}. "
                                   "You can still rehearse: type your answers, or use File → Rehearse from audio.")
            self.mic_label.setStyleSheet("color:#a40")
        else:
            self.mic_problem = None
            self.mic_label.setText(f"Microphone ready ({len(ins)} input device{'s' if len(ins) > 1 else ''}).")

    def _busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- models ----------------------------------------------------------------------------------
    def load_models(self) -> None:
        """Load the engines on a background thread; progress and errors arrive via the bridge."""
        if self._loader and self._loader.is_alive():
            return
        self.model_status.setText("Loading models…")
        self.model_progress.setValue(0)
        emit = self.bridge.event.emit
        old, self.engines = self.engines, None

        def work():
            from voiceround.core.errors import VoiceRoundError
            from voiceround.session.runner import Engines
            if old is not None:  # models changed in Settings: free the old ones first
                old.close()
            count = [0]

            def progress(line: str):
                if line.startswith("loaded"):
                    count[0] += 1
                emit("model_progress", (count[0], line))
            try:
                self._loaded = Engines.load(use_llm=True, progress=progress)
                emit("models_loaded", self._loaded)
            except VoiceRoundError as exc:
                emit("model_error", str(exc))
            except Exception as exc:
                emit("model_error", f"unexpected error while loading models: {exc!r}")
        self._loader = threading.Thread(target=work, name="vr-model-loader", daemon=True)
        self._loader.start()

    # -- rounds ----------------------------------------------------------------------------------
    def new_round(self) -> None:
        """Ctrl+N: the briefing page with its 2-minute countdown."""
        if self._busy():
            self.show_page("Live round")
            return
        self._brief_left = BRIEFING_S
        self.brief_clock.setText(clock(BRIEFING_S))
        self._brief_timer.start(1000)
        self._check_microphone()
        self.show_page("Briefing")

    def _tick_briefing(self) -> None:
        self._brief_left -= 1
        self.brief_clock.setText(clock(max(self._brief_left, 0)))
        if self._brief_left <= 0:
            self._brief_timer.stop()
            self.brief_clock.setText("Time's up: start when you're ready.")

    def _skip_briefing(self) -> None:
        self._brief_timer.stop()
        self.brief_clock.setText("Countdown skipped.")

    def start_live(self) -> None:
        """Start with the microphone, or offer the fallbacks when there is none."""
        if self.mic_problem:
            QMessageBox.information(self, "VoiceRound", f"No working microphone: {self.mic_problem}.\n\n"
                                    "Type your answers instead (Ctrl+Enter sends), or use File → Rehearse from audio.")
            self.start_round("typed")
            return
        self.start_round("mic")

    def choose_recording(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Rehearse from a recording", "", "Audio (*.wav *.flac *.ogg *.opus *.mp3)")
        if path:
            self.start_round("recording", path)

    def choose_case(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Rehearse from a case file", "", "Case files (*.toml)")
        if path:
            self.start_round("case", path)

    def start_round(self, mode: str, path: str | None = None) -> bool:
        """Start a round on the session thread. ``mode``: "mic", "typed", "recording" (``path`` an
        audio file played as the microphone, in real time) or "case" (``path`` a case TOML, as fast
        as the CPU allows). Returns False if models aren't loaded or a round is running."""
        if self._busy():
            return False
        if self.engines is None:
            QMessageBox.information(self, "VoiceRound", "The models are still loading; the round can start once they are ready.")
            return False
        from voiceround.core.errors import VoiceRoundError
        from voiceround.session.feeds import TypedFeed, recording_feed
        from voiceround.session.runner import SessionRunner, SimulatedFeed
        from voiceround.storage import Store
        self._brief_timer.stop()
        sink = None
        realtime = mode in ("mic", "typed", "recording")
        try:
            if mode == "mic":
                from voiceround.audio.devices import MicSource, SpeakerSink
                from voiceround.session.feeds import StreamFeed
                self.settings.input_device = self.in_dev.currentData()
                self.settings.output_device = self.out_dev.currentData()
                self.settings.save()
                self.mic = MicSource(self.settings.input_device)
                self.feed = StreamFeed(self.mic.frames(), self.mic)
                try:
                    sink = SpeakerSink(self.settings.output_device)
                except VoiceRoundError:
                    sink = None
            elif mode == "typed":
                self.feed = TypedFeed()
            elif mode == "recording":
                self.feed = recording_feed(path, realtime=True)
            else:
                from voiceround.session.cases import check_audio, load_case
                case = load_case(path)
                check_audio(case)
                self.feed = SimulatedFeed(case)
            store = Store()
        except VoiceRoundError as exc:
            QMessageBox.warning(self, "VoiceRound", str(exc))
            return False
        self.typed_frame.setVisible(mode == "typed")
        self.transcript.clear()
        self.partial.clear()
        self.countdown.setText(clock(self.rnd.duration_s))
        self.end_btn.setEnabled(True)
        self.scoring_bar.hide()
        self._set_state("listening")
        emit = self.bridge.event.emit
        # Live rounds use the LLM only when the user configured a bigger model (latency; see README).
        use_llm = not realtime or bool(self.settings.llm_model)
        self.runner = SessionRunner(self.rnd, self.engines, self.feed, store, source=mode if not path else f"{mode}:{path}",
                                    realtime=realtime, on_event=lambda ev: emit("session", ev), sink=sink, use_llm=use_llm)

        def work():
            try:
                res = self.runner.run()
                emit("result", res)
            except VoiceRoundError as exc:
                emit("round_error", str(exc))
            except Exception as exc:
                emit("round_error", f"unexpected error: {exc!r}")
            finally:
                store.close()
                if sink is not None:
                    sink.close()
                if mode == "mic":
                    self.mic.close()
        self._thread = threading.Thread(target=work, name="vr-session", daemon=True)
        self._thread.start()
        log.info("round started (%s)", mode)
        self.show_page("Live round")
        if mode == "typed":
            self.typed_box.setFocus()
        return True

    def send_typed(self) -> None:
        """Ctrl+Enter: send the typed answer."""
        from voiceround.session.feeds import TypedFeed
        text = self.typed_box.toPlainText().strip()
        if text and isinstance(self.feed, TypedFeed) and self._busy():
            self.feed.submit(text)
            self.typed_box.clear()

    def end_round(self, confirm: bool = True) -> None:
        """Ctrl+E: end the round early (asks first). The interviewer closes and the round is scored."""
        if not self._busy():
            return
        if confirm and QMessageBox.question(self, "End round", "End the round now? It will be scored on what you said so far.") \
                != QMessageBox.Yes:
            return
        self.runner.stop()
        if hasattr(self.feed, "close"):
            self.feed.close()

    def _round_over(self) -> None:
        self.scoring_bar.hide()
        self.end_btn.setEnabled(False)
        self._set_state("done")

    def _set_state(self, state: str) -> None:
        self.state = state
        self.state_label.setText(STATE_TEXT[state])

    # -- events from worker threads ---------------------------------------------------------------
    def _on_event(self, kind: str, payload) -> None:
        if kind == "model_progress":
            n, line = payload
            self.model_progress.setValue(n)
            self.model_status.setText(f"Models: {line}")
        elif kind == "models_loaded":
            self.engines = payload
            log.info("models loaded (%s)", ", ".join(f"{k} {v:.2f} s" for k, v in payload.load_times().items()))
            self.model_progress.setValue(4)
            self.model_status.setText("Models loaded.")
            self.start_btn.setEnabled(True)
            self.type_btn.setEnabled(True)
        elif kind == "model_error":
            log.error("model error: %s", payload)
            self.model_status.setText("Model error: " + payload.splitlines()[0])
            QMessageBox.critical(self, "VoiceRound: model problem", payload)
        elif kind == "session":
            self._on_session_event(payload)
        elif kind == "result":
            self._round_over()
            log.info("round scored: session %s, %s, total %.1f", payload.session_id, payload.status, payload.scorecard["total"])
            self.last_card = payload.scorecard
            self.current_session = payload.session_id
            self.scorecard.show_card(payload.scorecard, f"Session {payload.session_id} · {clock(payload.timings['session_s'])}",
                                     self.rnd, payload.session_id)
            self.show_page("Scorecard")
        elif kind == "history":
            self._fill_history(payload)
        elif kind == "unfinished":
            self.recover(payload)
        elif kind == "round_error":
            log.error("round error: %s", payload)
            self._round_over()
            QMessageBox.critical(self, "VoiceRound", payload + "\n\nEverything said so far is kept in the session.")

    def _on_session_event(self, ev) -> None:
        left = max(0.0, self.rnd.duration_s - ev.t_s)
        self.countdown.setText(clock(left))
        if ev.kind == "level":
            self.level.setValue(int(max(-60, min(0, ev.data["dbfs"]))))
        elif ev.kind == "partial":
            self.partial.setText(f"You (speaking): {ev.data['text']}")
        elif ev.kind == "speech_start":
            self._set_state("speaking")
        elif ev.kind == "endpoint":
            self._set_state("thinking")
        elif ev.kind == "tts_ready":
            self._set_state("interviewer")
        elif ev.kind == "turn":
            log.info("turn %s [%s]: %d words", ev.data["speaker"], clock(ev.data["start_s"]), len(ev.data["text"].split()))
            who = "Interviewer" if ev.data["speaker"] == "interviewer" else "You"
            color = "#1a4d8f" if who == "Interviewer" else "#222"
            self.transcript.append(f"<p><b style='color:{color}'>{who}</b> <span style='color:#777'>[{clock(ev.data['start_s'])}]</span> "
                                   f"{html.escape(ev.data['text'])}</p>")
            if who == "You":
                self.partial.clear()
            else:
                self._set_state("listening")
        elif ev.kind == "device_lost":
            from voiceround.session.feeds import TypedFeed
            self.feed = TypedFeed()
            self.runner.replace_feed(self.feed)
            self.typed_frame.show()
            self.typed_box.setFocus()
            self._set_state("listening")
            QMessageBox.warning(self, "VoiceRound", f"The microphone stopped ({ev.data.get('reason')}). The round is paused: "
                                "type your answer below (Ctrl+Enter sends) to go on. Nothing said so far is lost.")
        elif ev.kind == "round_end":
            log.info("round over (%s), scoring", ev.data.get("status"))
            self._set_state("scoring")
            self.scoring_bar.show()

    # -- history ---------------------------------------------------------------------------------
    def refresh_history(self) -> None:
        """Reload the sessions table and the chart of totals over time (storage read on a thread)."""
        self._read_sessions("history", lambda st: st.sessions())

    def _read_sessions(self, kind: str, read) -> None:
        """Run ``read(store)`` on a thread and send its result (if any) through the bridge as ``kind``."""
        emit = self.bridge.event.emit

        def work():
            from voiceround.storage import Store
            try:
                st = Store()
                rows = read(st)
                st.close()
                if rows or kind == "history":
                    emit(kind, rows)
            except Exception as exc:
                emit("round_error", f"can't read the sessions: {exc}")
        self._readers = [t for t in self._readers if t.is_alive()]
        t = threading.Thread(target=work, name="vr-db-read", daemon=True)
        self._readers.append(t)
        t.start()

    def _fill_history(self, rows: list[dict]) -> None:
        self.history_rows = rows
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            vals = [r["started_at"].replace("T", " ")[:16], r["round_id"], clock(r["duration_s"] or 0),
                    f"{r['total']:.1f}" if r["total"] is not None else "–", "unfinished" if r["unfinished"] else r["status"], r["id"]]
            for j, val in enumerate(vals):
                self.table.setItem(i, j, QTableWidgetItem(val))
        self.table.resizeColumnsToContents()
        chart = QChart()
        chart.setTitle("Total over time")
        series, dots = QLineSeries(), QScatterSeries()
        dots.setMarkerSize(9)
        pts = sorted(((QDateTime.fromString(r["started_at"][:19], "yyyy-MM-ddTHH:mm:ss"), r["total"]) for r in rows
                      if r["total"] is not None), key=lambda p: p[0].toMSecsSinceEpoch())
        for dt, total in pts:
            series.append(dt.toMSecsSinceEpoch(), total)
            dots.append(dt.toMSecsSinceEpoch(), total)
        chart.addSeries(series)
        chart.addSeries(dots)
        x = QDateTimeAxis()
        x.setFormat("MMM d HH:mm")
        y = QValueAxis()
        y.setRange(0, 100)
        y.setTitleText("total")
        chart.addAxis(x, Qt.AlignBottom)
        chart.addAxis(y, Qt.AlignLeft)
        for srs in (series, dots):
            srs.attachAxis(x)
            srs.attachAxis(y)
        if pts:
            x.setRange(pts[0][0].addSecs(-60), pts[-1][0].addSecs(60))
        chart.legend().hide()
        self.chart_view.setChart(chart)

    def _open_history_row(self, row: int, _col: int) -> None:
        sid = self.history_rows[row]["id"]
        from voiceround.storage import Store
        st = Store()
        card = st.scorecard(sid)
        st.close()
        self.current_session = sid
        self.scorecard.show_card(card, f"Session {sid}", self.rnd, sid)
        self.show_page("Scorecard")

    # -- recovery --------------------------------------------------------------------------------
    def check_unfinished(self) -> None:
        """On start: sessions a crash or kill left unfinished (read on a thread)."""
        self._read_sessions("unfinished", lambda st: st.unfinished())

    def recover(self, rows: list[dict]) -> None:
        """Offer each unfinished session: finish scoring it (kept as "recovered") or discard it."""
        from voiceround.scoring import score
        from voiceround.storage import Store
        for r in rows:
            box = QMessageBox(self)
            box.setWindowTitle("Recover an interrupted round")
            box.setText(f"The round started {r['started_at'][:16].replace('T', ' ')} was interrupted after {r['turns']} turns "
                        f"({clock(r['duration_s'] or 0)}). Everything up to then was saved.")
            keep = box.addButton("Finish scoring it", QMessageBox.AcceptRole)
            drop = box.addButton("Discard it", QMessageBox.DestructiveRole)
            box.addButton("Later", QMessageBox.RejectRole)
            box.exec()
            st = Store()
            if box.clickedButton() is keep:
                tr = st.transcript(r["id"])
                card = score(tr, self.rnd)
                st.save_score(r["id"], card)
                st.finish(r["id"], tr.end_s, status="recovered")
                self.current_session = r["id"]
                self.scorecard.show_card(card, f"Session {r['id']} (recovered)", self.rnd, r["id"])
                self.show_page("Scorecard")
            elif box.clickedButton() is drop:
                st.delete_session(r["id"])
            st.close()

    def delete_selected_session(self) -> None:
        """History → Delete session: its rows and its audio, after confirmation."""
        row = self.table.currentRow()
        if row < 0:
            return
        sid = self.history_rows[row]["id"]
        if QMessageBox.question(self, "Delete session", f"Delete session {sid} and its recording? This can't be undone.") != QMessageBox.Yes:
            return
        from voiceround.storage import Store
        st = Store()
        st.delete_session(sid)
        st.close()
        self.refresh_history()

    def delete_all_data(self) -> None:
        """Settings → Delete all data: every session and recording, after confirmation."""
        if self._busy():
            QMessageBox.information(self, "VoiceRound", "End the round first.")
            return
        if QMessageBox.question(self, "Delete all data", "Delete every session and recording? This can't be undone.") != QMessageBox.Yes:
            return
        from voiceround.storage import Store
        st = Store()
        n = st.delete_all()
        st.close()
        self.settings_msg.setText(f"Deleted {n} sessions and their recordings.")
        self.refresh_history()

    # -- replay and export ---------------------------------------------------------------------
    def open_replay(self, session_id: str, seconds: float = 0.0) -> None:
        """Open Replay on ``session_id`` at ``seconds`` (an evidence link, or View → Replay)."""
        if not session_id:
            QMessageBox.information(self, "VoiceRound", "Open a session first (History, double-click).")
            return
        self.replay.load(session_id)
        self.replay.seek(seconds)
        self.show_page("Replay")

    def export_pdf(self) -> None:
        """File → Export scorecard PDF… for the session on screen (rendered on the GUI thread:
        QTextDocument is a GUI object; a scorecard renders in well under a second)."""
        sid = getattr(self, "current_session", "")
        if not sid:
            QMessageBox.information(self, "VoiceRound", "Open a scorecard first (finish a round, or double-click a session in History).")
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export scorecard PDF", f"voiceround-{sid}.pdf", "PDF (*.pdf)")
        if path:
            self.write_pdf(sid, path)

    def write_pdf(self, sid: str, path: str) -> None:
        from voiceround.core.errors import VoiceRoundError
        from voiceround.report.html import scorecard_document
        from voiceround.storage import Store
        from voiceround.ui.pdf import write_pdf
        try:
            st = Store()
            row, card, tr = st.session(sid), st.scorecard(sid), st.transcript(sid)
            st.close()
            write_pdf(scorecard_document(card, row, self.rnd, tr), path, self.settings.page_size)
            self.statusBar().showMessage(f"Exported {path}", 5000)
        except VoiceRoundError as exc:
            QMessageBox.warning(self, "VoiceRound", str(exc))

    # -- settings --------------------------------------------------------------------------------
    def _choose_model(self, role: str, kind: str) -> None:
        if kind == "dir":
            path = QFileDialog.getExistingDirectory(self, "Choose a Whisper model folder")
        else:
            path, _ = QFileDialog.getOpenFileName(self, "Choose a model file", "", "Models (*.gguf *.onnx)")
        if path:
            self._set_model(role, path)

    def _set_model(self, role: str, path: str) -> bool:
        """Validate a chosen model file (cheap checks: exists, size, format); show why if not."""
        from voiceround.core.errors import VoiceRoundError
        from voiceround.engines.models import resolve, verify
        try:
            if path:
                verify(resolve(role, path))
        except VoiceRoundError as exc:
            self.settings_msg.setText(f"<span style='color:#a40'>{html.escape(str(exc))}</span>")
            return False
        self.model_edits[role].setText(path)
        self.settings_msg.setText(f"{role.upper()} model: {'bundled' if not path else path} — save to use it.")
        return True

    def save_settings(self) -> None:
        """Store the settings; reload models if a model changed."""
        changed = False
        for role, edit in self.model_edits.items():
            value = edit.text().strip() or None
            if value != getattr(self.settings, f"{role}_model"):
                if value and not self._set_model(role, value):
                    return
                setattr(self.settings, f"{role}_model", value)
                changed = True
        self.settings.input_device = self.set_in.currentData()
        self.settings.output_device = self.set_out.currentData()
        self.settings.page_size = self.page_size.currentText()
        self.settings.save()
        self._fill_devices()
        self.settings_msg.setText("Settings saved.")
        if changed and not self._busy():
            self.settings.apply_models()
            self.start_btn.setEnabled(False)
            self.type_btn.setEnabled(False)
            self.load_models()

    # -- closing ---------------------------------------------------------------------------------
    def request_close(self) -> None:
        """A close request from outside the window (SIGTERM, SIGINT, logout): close without asking.
        A running round is stopped; what was said so far is kept (stored turn by turn)."""
        self._closing = True
        self.close()

    def closeEvent(self, event) -> None:
        """Closing mid-round asks first; the partial session is kept (stored turn by turn)."""
        if self._busy() and not self._closing:
            if QMessageBox.question(self, "Quit", "A round is running. Quit anyway? What you said so far is kept.") != QMessageBox.Yes:
                event.ignore()
                return
        log.info("closing")
        event.accept()

    def shutdown(self, timeout_s: float = 20.0) -> None:
        """Stop everything this window started, in order, before Qt and Python tear down:

        1. the round: the runner is asked to stop, the candidate feed and the PortAudio streams
           (microphone, speaker) are closed, and the session thread is joined;
        2. the model loader and storage reader threads are joined;
        3. the replay player is stopped;
        4. the models are released on their own worker threads, and those threads are joined.

        Each join waits at most ``timeout_s`` seconds. Safe to call twice. Called by :func:`main`
        after the event loop returns.
        """
        if self._shut:
            return
        self._shut = True
        self._brief_timer.stop()
        if self.runner is not None:
            self.runner.stop()
        feed_close = getattr(self.feed, "close", None)
        if feed_close is not None:
            feed_close()
        mic = getattr(self, "mic", None)
        if mic is not None:
            mic.close()
        for t in [self._thread, self._loader, *self._readers]:
            if t is not None and t.is_alive():
                t.join(timeout_s)
                if t.is_alive():
                    log.warning("thread %s did not stop within %.0f s", t.name, timeout_s)
        self.replay.player.stop()
        for engines in {id(e): e for e in (self.engines, self._loaded) if e is not None}.values():
            engines.close()
        self.engines = self._loaded = None


def _log_to_stderr() -> None:
    """App status lines (window shown, models loaded, round start/end, shutdown) on stderr."""
    if not log.handlers:
        h = logging.StreamHandler(sys.stderr)
        h.setFormatter(logging.Formatter("voiceround: %(message)s"))
        log.addHandler(h)
        log.setLevel(logging.INFO)
        log.propagate = False


def _close_on_signals(win: MainWindow) -> QTimer:
    """SIGTERM and SIGINT (Ctrl+C in the terminal) become a close request for ``win``.

    Python runs signal handlers only between bytecodes, and Qt's event loop runs in C++; a 200 ms
    timer gives the interpreter a turn so a signal is handled within about 0.2 s."""
    def handler(signum, _frame):
        log.info("signal %s: closing", signal.Signals(signum).name)
        QTimer.singleShot(0, win.request_close)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, handler)
    tick = QTimer(win)
    tick.timeout.connect(lambda: None)
    tick.start(200)
    return tick


def main(rnd: Round | None = None) -> int:
    """Start the app on ``rnd`` (default: the default round) and run it until the window closes.

    The window shows before the models load (they load on a thread). Returns the exit code: 0
    after a normal close, 3 when the database can't be opened (a dialog says why). After the event
    loop ends, :meth:`MainWindow.shutdown` stops the audio streams, joins the worker threads and
    releases the models, and the window and the QApplication are deleted, all before Python's own
    teardown (so no C extension frees its objects during interpreter finalization).
    """
    t0 = time.perf_counter()
    _log_to_stderr()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("VoiceRound")
    from voiceround.core.errors import VoiceRoundError
    from voiceround.storage import Store
    try:  # a locked or damaged database: say so and stop, never touch the file
        Store().close()
    except VoiceRoundError as exc:
        log.error("%s", exc)
        QMessageBox.critical(None, "VoiceRound can't start", str(exc))
        return 3
    win = MainWindow(rnd or load_round())
    win.show()
    log.info("window shown (%s) in %.2f s", win.rnd.id, time.perf_counter() - t0)
    ticker = _close_on_signals(win)
    script = os.environ.get("VOICEROUND_UI_SCRIPT")
    if script:
        from voiceround.ui.driver import UIScript
        try:
            win._script = UIScript(win, script)
        except (OSError, ValueError) as exc:
            log.error("can't read the UI script VOICEROUND_UI_SCRIPT=%s: %s", script, exc)
            win.request_close()
            win.shutdown()
            return 2
        win._script.start()
    code = app.exec()
    ticker.stop()
    win.shutdown()
    win.deleteLater()
    del win
    app.processEvents()
    left = [t.name for t in threading.enumerate() if t.name.startswith("vr-") and t.is_alive()]
    if left:
        log.warning("threads still running at exit: %s", ", ".join(left))
    log.info("shut down cleanly (exit %d)", code)
    return code
