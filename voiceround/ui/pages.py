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
from voiceround.ui import theme
from voiceround.ui.theme import icon
from voiceround.ui.scorecard import card_html, title_label

log = logging.getLogger("voiceround.app")

BRIEFING_S = 120  # seed: "Pre-interview checklist (2 minutes before you start)"
# The live page's banner: what is happening and whose turn it is (colours: voiceround.ui.theme.BANNERS).
STATE_TEXT = {"idle": "Not started: open the Briefing (Ctrl+N)", "listening": "Your turn: answer now",
              "typing": "Your turn: type your answer", "speaking": "You're speaking", "thinking": "Thinking…",
              "interviewer": "Interviewer speaking", "paused": "Paused: press Alt+P or Ctrl+Shift+P to resume",
              "scoring": "Scoring your answer…", "done": "Round over"}


class AnswerBox(QPlainTextEdit):
    """The typed answer's box. An Alt+letter is a window shortcut, never a letter of the answer (a
    new user's Alt+P in a typed round, where Pause is greyed out, typed a "p" into the answer)."""

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.modifiers() & Qt.AltModifier and event.text().strip():
            event.ignore()
            return
        super().keyPressEvent(event)


def section_label(text: str) -> QLabel:
    """A bold section heading inside a page."""
    lab = QLabel(text)
    f = lab.font()
    f.setBold(True)
    f.setPointSize(f.pointSize() + 2)
    lab.setFont(f)
    return lab


def captioned_clock(row: QHBoxLayout, caption: str, text: str, name: str) -> QLabel:
    """A large right-aligned clock under a small caption, added at the end of ``row``; returns the
    clock label (``name``: its accessible name)."""
    box = QVBoxLayout()
    cap = QLabel(caption)
    cap.setAlignment(Qt.AlignRight)
    clk = title_label(text)
    clk.setAlignment(Qt.AlignRight)
    clk.setAccessibleName(name)
    box.addWidget(cap)
    box.addWidget(clk)
    row.addLayout(box)
    return clk


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
        self.card.setAccessibleName("round card")
        self.card.setHtml(card_html(self.rnd))
        v.addWidget(self.card)
        go = QPushButton(icon("mdi6.clipboard-check-outline", "on_accent"), "Prepare for this round  (Ctrl+N)")
        go.setObjectName("primary")
        go.clicked.connect(self.new_round)
        v.addWidget(go, 0, Qt.AlignRight)
        self.stack.addWidget(page)

    def _build_briefing(self) -> None:
        """The pre-flight page: the checklist with its 2-minute countdown, the devices, the sound
        check (the interviewer's voice, your sentence played back, the headphones verdict), Start."""
        page = QWidget()
        v = QVBoxLayout(page)
        head = QHBoxLayout()
        head.addWidget(title_label("Before you start"), 1)
        self.brief_clock = captioned_clock(head, "Preparation time", clock(BRIEFING_S), "preparation time left")
        v.addLayout(head)
        self.brief_text = QLabel(self._briefing_html())
        self.brief_text.setWordWrap(True)
        v.addWidget(self.brief_text)
        v.addWidget(section_label("1. Microphone and speaker"))
        devs = QHBoxLayout()
        self.in_dev = QComboBox()
        self.in_dev.setAccessibleName("microphone")
        self.out_dev = QComboBox()
        self.out_dev.setAccessibleName("speaker")
        in_label, out_label = QLabel("&Microphone"), QLabel("Spea&ker")
        in_label.setBuddy(self.in_dev)
        out_label.setBuddy(self.out_dev)
        devs.addWidget(in_label)
        devs.addWidget(self.in_dev, 1)
        devs.addWidget(out_label)
        devs.addWidget(self.out_dev, 1)
        v.addLayout(devs)
        self.mic_label = QLabel("")
        self.mic_label.setWordWrap(True)
        v.addWidget(self.mic_label)
        v.addWidget(section_label("2. Sound check: hear the interviewer, then say a sentence"))
        self._build_sound_check(v)
        v.addWidget(section_label("3. Start"))
        row = QHBoxLayout()
        self.start_btn = QPushButton(icon("mdi6.microphone", "on_accent"), "Start round")
        self.start_btn.setObjectName("primary")
        self.start_btn.setDefault(True)
        self.start_btn.setEnabled(False)
        self.start_btn.setToolTip("Answer out loud (enabled once the models are loaded)")
        self.start_btn.clicked.connect(self.start_live)
        self.type_btn = QPushButton(icon("mdi6.keyboard-outline"), "Type my answers instead")
        self.type_btn.setFlat(True)
        self.type_btn.setEnabled(False)
        self.type_btn.clicked.connect(lambda: self.start_round("typed"))
        self.skip_btn = QPushButton("Skip countdown")
        self.skip_btn.setFlat(True)
        self.skip_btn.clicked.connect(self._skip_briefing)
        row.addWidget(self.start_btn)
        row.addWidget(self.type_btn)
        row.addWidget(self.skip_btn)
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
        self.state_label = QLabel(STATE_TEXT["idle"])  # the banner: whose turn it is, at a glance
        self.state_label.setObjectName("state_banner")
        self.state_label.setAccessibleName("round state")
        f = self.state_label.font()
        f.setPointSize(f.pointSize() + 8)
        f.setBold(True)
        self.state_label.setFont(f)
        self.state_label.setMinimumHeight(56)
        self.state_label.setContentsMargins(16, 6, 16, 6)
        top.addWidget(self.state_label, 1)
        self.countdown = captioned_clock(top, "Time left", clock(self.rnd.duration_s), "time left in the round")
        v.addLayout(top)
        meter = QHBoxLayout()
        mic_caption = self.mic_caption = QLabel("Microphone")
        self.level = QProgressBar()
        self.level.setRange(-60, 0)
        self.level.setValue(-60)
        self.level.setTextVisible(False)  # the reading is the label beside it
        self.level.setAccessibleName("microphone level")
        self.level.setToolTip("Microphone level, −60 to 0 dBFS")
        self.level.setMaximumWidth(240)
        self.level_label = QLabel("−60 dBFS")
        self.level_label.setMinimumWidth(200)
        meter.addWidget(mic_caption)
        meter.addWidget(self.level)
        meter.addWidget(self.level_label)
        meter.addStretch()
        v.addLayout(meter)
        self.duplex_label = QLabel("")
        self.duplex_label.setWordWrap(True)
        self.duplex_label.hide()
        v.addWidget(self.duplex_label)
        self.transcript = QTextBrowser()
        self.transcript.setAccessibleName("transcript of the round")
        v.addWidget(self.transcript, 1)
        self.partial = QLabel("")
        self.partial.setStyleSheet(f"color:{theme.color('muted')}; font-style:italic")
        self.partial.setWordWrap(True)
        v.addWidget(self.partial)
        self.typed_box = AnswerBox()
        self.typed_box.setPlaceholderText("Type your answer, then Ctrl+Enter to send")
        self.typed_box.setAccessibleName("your typed answer")
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
        self.scoring_label = QLabel("Scoring your answer…")
        self.scoring_bar = QProgressBar()
        self.scoring_bar.setRange(0, 0)
        self.scoring_bar.setTextVisible(False)
        self.scoring_bar.setAccessibleName("scoring progress")
        self.scoring_bar.setMaximumWidth(240)
        self.scoring_bar.hide()
        self.scoring_label.hide()
        self.repeat_btn = QPushButton(icon("mdi6.replay"), "&Repeat the question")
        self.repeat_btn.setToolTip("Hear the last question again (Alt+R); the clock keeps running")
        self.repeat_btn.setEnabled(False)
        self.repeat_btn.clicked.connect(self.repeat_question)
        self.pause_btn = QPushButton(icon("mdi6.pause"), "&Pause")
        self.pause_btn.setToolTip("Pause the round (Alt+P): the clock stops and the microphone isn't recorded "
                                  "until you resume. Takes effect once the interviewer has finished speaking.")
        self.pause_btn.setCheckable(True)
        self.pause_btn.setEnabled(False)
        self.pause_btn.toggled.connect(self.pause_round)
        self.end_btn = QPushButton(icon("mdi6.stop-circle-outline"), "End round  (Ctrl+E)")
        self.end_btn.setEnabled(False)
        self.end_btn.clicked.connect(lambda: self.end_round())  # clicked(bool) must not fill `confirm`
        bottom.addWidget(self.scoring_label)
        bottom.addWidget(self.scoring_bar, 1)
        bottom.addStretch()
        for b in (self.repeat_btn, self.pause_btn, self.end_btn):
            bottom.addWidget(b)
        v.addLayout(bottom)
        self.stack.addWidget(page)
        self._set_banner("idle")

    def _build_history(self) -> None:
        page = QWidget()
        v = QVBoxLayout(page)
        v.addWidget(title_label("History"))
        self.history_empty = QLabel("No rounds yet.")  # shown instead of the table and chart when empty
        self.history_empty.hide()
        v.addWidget(self.history_empty)
        self.history_start = QPushButton("Start your first round")
        self.history_start.setToolTip("Prepare for the round on the Round card (Ctrl+N)")
        self.history_start.clicked.connect(lambda: self.new_round())
        self.history_start.hide()
        v.addWidget(self.history_start, 0, Qt.AlignLeft)
        self.table = QTableWidget(0, 5)  # the session id is each item's Qt.UserRole data, not a column
        self.table.setHorizontalHeaderLabels(["Date", "Round", "Duration", "Total", "Status"])
        self.table.setAccessibleName("Sessions, newest first")
        self.table.setToolTip("Double-click a session to open its scorecard")
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellDoubleClicked.connect(self._open_history_row)
        v.addWidget(self.table, 1)
        hrow = QHBoxLayout()
        dele = self.history_delete = QPushButton("Delete session…")
        dele.clicked.connect(self.delete_selected_session)
        hrow.addWidget(dele)
        hrow.addStretch()
        v.addLayout(hrow)
        self.chart_view = QChartView()
        self.chart_view.setRenderHint(QPainter.Antialiasing)
        self.chart_view.setMinimumHeight(240)
        self.chart_view.setAccessibleName("Total score over attempts")
        v.addWidget(self.chart_view, 1)
        self.history_spacer = QWidget()  # keeps the empty state at the top
        self.history_spacer.hide()
        v.addWidget(self.history_spacer, 1)
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
        self.theme_pick = QComboBox()
        for key, text in (("system", "Follow the desktop"), ("light", "Light"), ("dark", "Dark")):
            self.theme_pick.addItem(text, key)
        self.theme_pick.setCurrentIndex(max(0, self.theme_pick.findData(self.settings.theme)))
        form.addRow("Appearance", self.theme_pick)
        self.page_size = QComboBox()
        self.page_size.addItems(["A4", "Letter"])
        self.page_size.setCurrentText(self.settings.page_size)
        form.addRow("PDF page size", self.page_size)
        v.addLayout(form)
        self.settings_msg = QLabel("")
        self.settings_msg.setWordWrap(True)
        v.addWidget(self.settings_msg)
        save = QPushButton("Save settings")
        save.setObjectName("primary")
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
        r.addAction(QAction("Repeat the &question", self, shortcut=QKeySequence("Ctrl+Shift+R"), triggered=self.repeat_question))
        # only where the Pause button can be pressed: a typed round, paused from the menu, said "press
        # Alt+P to resume" while its button was greyed out (a new user's test)
        r.addAction(QAction("&Pause or resume", self, shortcut=QKeySequence("Ctrl+Shift+P"),
                            triggered=lambda: self.pause_btn.toggle() if self.pause_btn.isEnabled() else None))
        view = self.menuBar().addMenu("&View")
        from voiceround.ui.app import PAGES
        for n, name in enumerate(PAGES, start=1):  # Ctrl+1 … Ctrl+8, in the side list's order
            if name == "Replay":
                act = QAction(name, self, triggered=lambda: self.open_replay(getattr(self, "current_session", ""), 0.0))
            else:
                act = QAction(name, self, triggered=lambda _=False, p=name: self.show_page(p))
            act.setShortcuts([QKeySequence(f"Ctrl+{n}")] + ([QKeySequence("Ctrl+H")] if name == "History" else [])
                             + ([QKeySequence("F1")] if name == "Round card" else []))
            view.addAction(act)

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
            self.mic_label.setStyleSheet(f"color:{theme.color('bad')}")
            if hasattr(self, "check_label"):
                self.check_label.setText(self._sound_check_summary())
        else:
            self.mic_problem = None
            self.mic_label.setStyleSheet("")
            self.mic_label.setText("Pick the microphone and speaker you will use, then run the sound check: it tells you "
                                   "whether you can interrupt the interviewer on your speakers or need headphones.")

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
            self.settings_msg.setText(f"<span style='color:{theme.color('bad')}'>{html.escape(str(exc))}</span>")
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
        theme_changed = self.theme_pick.currentData() != self.settings.theme
        self.settings.theme = self.theme_pick.currentData()
        self.settings.save()
        if theme_changed:
            self.apply_theme()
        self._fill_devices()
        self.settings_msg.setText("Settings saved.")
        if changed and not self._busy():
            self.settings.apply_models()
            self.start_btn.setEnabled(False)
            self.type_btn.setEnabled(False)
            self.check_btn.setEnabled(False)
            self.load_models()
