"""The window's pages and menus as widgets (round card, briefing, live round, history, settings),
the device pickers and the Settings handlers. Mixed into :class:`voiceround.ui.app.MainWindow`:
the widgets become its attributes (``start_btn``, ``type_btn``, ``transcript``, ``table``…)."""
from __future__ import annotations

import html
import logging

from PySide6.QtCharts import QChartView
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from voiceround.report import clock
from voiceround.rounds import RoundFileError, bundled_rounds, load_round
from voiceround.ui.scorecard import card_html, title_label

log = logging.getLogger("voiceround.app")

BRIEFING_S = 120  # seed: "Pre-interview checklist (2 minutes before you start)"
STATE_TEXT = {"idle": "Not started", "listening": "● Listening", "speaking": "● You are speaking", "thinking": "… Thinking",
              "interviewer": "▶ Interviewer speaking", "scoring": "Scoring…", "done": "Round over"}


class PagesMixin:
    """Builds the pages and menus of :class:`~voiceround.ui.app.MainWindow`; handles Settings."""

    # -- pages ----------------------------------------------------------------------------------
    def _build_rounds(self) -> None:
        page = QWidget()
        v = QVBoxLayout(page)
        pick = QHBoxLayout()
        label = QLabel("&Round:")
        self.round_pick = QComboBox()
        label.setBuddy(self.round_pick)
        self.round_pick.setToolTip("The round to rehearse (Ctrl+R). `voiceround rounds` lists the same ones.")
        paths = bundled_rounds()
        if self.rnd.path.resolve() not in {p.resolve() for p in paths}:
            paths.append(self.rnd.path)  # a round file given with --round
        for path in paths:
            try:
                title = self.rnd.title if path.resolve() == self.rnd.path.resolve() else load_round(path).title
            except RoundFileError:
                continue
            self.round_pick.addItem(title, str(path))
            if path.resolve() == self.rnd.path.resolve():
                self.round_pick.setCurrentIndex(self.round_pick.count() - 1)
        self.round_pick.currentIndexChanged.connect(self._pick_round)
        pick.addWidget(label)
        pick.addWidget(self.round_pick, 1)
        v.addLayout(pick)
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
        v.addWidget(title_label("Pre-interview checklist"))
        self.brief_text = QLabel(self._briefing_html())
        self.brief_text.setWordWrap(True)
        v.addWidget(self.brief_text)
        self.brief_clock = title_label(clock(BRIEFING_S))
        v.addWidget(self.brief_clock)
        self.mic_label = QLabel("")
        self.mic_label.setWordWrap(True)
        v.addWidget(self.mic_label)
        self._build_sound_check(v)
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

    def _briefing_html(self) -> str:
        items = "".join(f"<li style='margin-bottom:8px'><b>{html.escape(i['title'])}.</b> {html.escape(i['text'])}</li>"
                        for i in self.rnd.card.get("checklist", []))
        return (f"<ul style='font-size:15px'>{items}</ul><p>The round lasts {self.rnd.card['duration_min']} minutes. "
                "The interviewer asks for one specific story and will interrupt to probe numbers, baselines and "
                "what you personally did. It will not praise you.</p>")

    def _pick_round(self, index: int) -> None:
        """The round picker changed: load that round file and show it (refused while a round runs)."""
        path = self.round_pick.itemData(index)
        if not path or path == str(self.rnd.path):
            return
        if self._busy():
            QMessageBox.information(self, "Round in progress", "Finish or stop the current round before picking another.")
            self.round_pick.blockSignals(True)
            self.round_pick.setCurrentIndex(self.round_pick.findData(str(self.rnd.path)))
            self.round_pick.blockSignals(False)
            return
        try:
            from voiceround.scoring import check_round
            rnd = load_round(path)
            check_round(rnd)
        except RoundFileError as exc:
            QMessageBox.warning(self, "Can't open this round", str(exc))
            return
        self.set_round(rnd)

    def _focus_round_pick(self) -> None:
        self.show_page("Round card")
        self.round_pick.setFocus()
        self.round_pick.showPopup()

    def set_round(self, rnd) -> None:
        """Make ``rnd`` the round the next session runs on: its card, checklist, timer and window title."""
        self.rnd = rnd
        self.control.rnd = rnd
        self.compare.rnd = rnd
        self.card.setHtml(card_html(rnd))
        self.brief_text.setText(self._briefing_html())
        self.countdown.setText(clock(rnd.duration_s))
        self.setWindowTitle(f"VoiceRound — {rnd.title}")
        log.info("round picked: %s", rnd.id)

    def session_round(self, round_id: str | None):
        """The round a stored session was run on (its scorecard's dimensions and traps); the current
        round when that one can't be loaded."""
        if not round_id or round_id == self.rnd.id:
            return self.rnd
        try:
            return load_round(round_id)
        except RoundFileError:
            return self.rnd

    def _build_live(self) -> None:
        page = QWidget()
        v = QVBoxLayout(page)
        top = QHBoxLayout()
        self.countdown = title_label(clock(self.rnd.duration_s))
        self.state_label = QLabel(STATE_TEXT["idle"])
        f = self.state_label.font()
        f.setPointSize(f.pointSize() + 3)
        self.state_label.setFont(f)
        self.level = QProgressBar()
        self.level.setRange(-60, 0)
        self.level.setValue(-60)
        self.level.setFormat("mic level")
        self.duplex_label = QLabel("")
        self.duplex_label.setWordWrap(True)
        self.duplex_label.hide()
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
        v.addWidget(self.duplex_label)
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
        v.addWidget(title_label("History"))
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
        v.addWidget(title_label("Settings"))
        form = QFormLayout()
        self.set_in = QComboBox()
        self.set_out = QComboBox()
        form.addRow("Microphone", self.set_in)
        form.addRow("Speaker", self.set_out)
        self._build_listening_setting(form)
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
        r.addAction(QAction("&Pick round…", self, shortcut=QKeySequence("Ctrl+R"), triggered=self._focus_round_pick))
        view = self.menuBar().addMenu("&View")
        view.addAction(QAction("&History", self, shortcut=QKeySequence("Ctrl+H"), triggered=lambda: self.show_page("History")))
        view.addAction(QAction("Round &card", self, shortcut=QKeySequence("F1"), triggered=lambda: self.show_page("Round card")))
        view.addAction(QAction("&Settings", self, triggered=lambda: self.show_page("Settings")))
        view.addAction(QAction("&Replay", self, triggered=lambda: self.open_replay(getattr(self, "current_session", ""), 0.0)))
        view.addAction(QAction("C&ompare attempts", self, triggered=lambda: self.show_page("Compare")))

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
            if hasattr(self, "check_label"):
                self.check_label.setText(self._sound_check_summary())
        else:
            self.mic_problem = None
            self.mic_label.setText(f"Microphone ready ({len(ins)} input device{'s' if len(ins) > 1 else ''}).")

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
        self.settings.listening = self.listening_pick.currentData()
        self.settings.save()
        self._fill_devices()
        self.settings_msg.setText("Settings saved.")
        if changed and not self._busy():
            self.settings.apply_models()
            self.start_btn.setEnabled(False)
            self.type_btn.setEnabled(False)
            self.check_btn.setEnabled(False)
            self.load_models()
