"""The desktop app window: pages (:mod:`voiceround.ui.pages`), history and export
(:mod:`voiceround.ui.history`), the scorecard (:mod:`voiceround.ui.scorecard`); started by
:func:`voiceround.ui.launch.main`.

Threads (docs/ARCHITECTURE.md): the GUI thread only renders. Models load on a loader thread; a
round runs on one session thread (the same :class:`~voiceround.session.runner.SessionRunner` as
``rehearse``); every result crosses back through the single queued signal :attr:`Bridge.event`.
"""
from __future__ import annotations

import logging
import os
import threading

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QWidget,
)

from voiceround.core.settings import Settings
from voiceround.report import clock
from voiceround.rounds import Round
from voiceround.session.controller import SessionController
from voiceround.ui.history import HistoryMixin
from voiceround.ui.live import LiveRoundMixin
from voiceround.ui.pages import PagesMixin
from voiceround.ui.scorecard import ScorecardView, card_html
from voiceround.ui.soundcheck import SoundCheckMixin
from voiceround.ui.theme import app_icon, icon

PAGES = ("Round card", "Briefing", "Live round", "Scorecard", "Replay", "Compare", "History", "Settings")
# The side navigation: pages grouped by what the user is doing, each with its icon (Material Design
# Icons through qtawesome) and its shortcut (Ctrl+1 … Ctrl+8, in PAGES order).
NAV_GROUPS = (("Practise", ("Round card", "Briefing", "Live round")),
              ("Review", ("Scorecard", "Replay", "Compare", "History")),
              ("", ("Settings",)))
PAGE_ICONS = {"Round card": "mdi6.card-text-outline", "Briefing": "mdi6.clipboard-check-outline",
              "Live round": "mdi6.microphone", "Scorecard": "mdi6.chart-box-outline", "Replay": "mdi6.play-circle-outline",
              "Compare": "mdi6.compare-horizontal", "History": "mdi6.history", "Settings": "mdi6.cog-outline"}
log = logging.getLogger("voiceround.app")


class Bridge(QObject):
    """The one signal that carries worker-thread results to the GUI thread: ``(kind, payload)``."""

    event = Signal(str, object)


class MainWindow(PagesMixin, SoundCheckMixin, LiveRoundMixin, HistoryMixin, QMainWindow):
    """The app window. ``rnd``: the round; ``autoload``: load models at start (tests may defer)."""

    def __init__(self, rnd: Round, autoload: bool = True):
        super().__init__()
        self.rnd = rnd
        self.settings = Settings.load()
        self.settings.apply_models()
        from PySide6.QtWidgets import QApplication

        from voiceround.ui import theme
        env = os.environ.get("VOICEROUND_THEME", "")  # light | dark | system: overrides Settings (screenshots, tests)
        if env and env not in theme.SCHEMES:
            log.warning("VOICEROUND_THEME=%s is not one of %s: using Settings", env, ", ".join(theme.SCHEMES))
        theme.apply(QApplication.instance(), env if env in theme.SCHEMES else self.settings.theme)
        self.setWindowTitle(f"VoiceRound — {rnd.title}")
        self._fit_to_screen(1280, 800)
        self.bridge = Bridge()
        self.bridge.event.connect(self._on_event, Qt.QueuedConnection)
        self.engines = None
        self.feed = None
        self.control = SessionController(rnd)
        self._loader: threading.Thread | None = None
        self._loaded = None  # the loader's Engines, kept here too so shutdown can release them
        self._tasks: list[threading.Thread] = []
        self._correcting = False  # a correction read, dialog or re-score under way (correct_answer)
        self._closing = False  # a close request that must not ask (SIGTERM, shutdown)
        self._shut = False
        self.state = "idle"
        self.last_card: dict | None = None
        self.mic_problem: str | None = None

        self.setWindowIcon(app_icon())
        self.nav = QListWidget()
        self.nav.setAccessibleName("Pages")
        self.nav.setObjectName("nav")
        self.nav.setSpacing(3)
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setFixedWidth(180)
        self._build_nav()
        self.stack = QStackedWidget()
        self.nav.currentRowChanged.connect(self._on_nav_row)
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
        self.scorecard.correct_requested.connect(self.correct_answer)
        self.scorecard.practise_requested.connect(lambda did: self.practise(did) if did else self.new_round())
        self.stack.addWidget(self.scorecard)
        from voiceround.ui.replay import ComparePage, ReplayPage
        self.replay = ReplayPage()
        self.replay.open_history_requested.connect(lambda: self.show_page("History"))
        self.stack.addWidget(self.replay)
        self.compare = ComparePage(self.rnd)
        self.stack.addWidget(self.compare)
        self._build_history()
        self._build_settings()
        self._build_menus()
        self.model_status = QLabel("Models: not loaded")
        self.model_progress = QProgressBar()
        self.model_progress.setRange(0, 4)
        self.model_progress.setTextVisible(False)  # its text is the label beside it
        self.model_progress.setAccessibleName("model loading progress")
        self.model_progress.setMaximumWidth(180)
        self.statusBar().addWidget(self.model_status, 1)
        self.statusBar().addPermanentWidget(self.model_progress)
        self.show_page("Round card")
        self._check_microphone()
        from voiceround.ui.a11y import name_controls
        name_controls(self)
        if autoload:
            self.load_models()
            QTimer.singleShot(0, self.check_unfinished)
            QTimer.singleShot(0, self.show_latest_card)

    # -- helpers ---------------------------------------------------------------------------------
    def _fit_to_screen(self, width: int, height: int) -> None:
        """Open at ``width`` × ``height`` pixels, or the screen's available area when it is smaller
        (a 1024×640 laptop screen cut off the clock and End round)."""
        from PySide6.QtGui import QGuiApplication
        screen = QGuiApplication.primaryScreen()
        avail = screen.availableGeometry() if screen is not None else None
        if avail is not None and avail.width() > 0 and avail.height() > 0:
            width, height = min(width, avail.width()), min(height, avail.height())
        self.setMinimumSize(min(900, width), min(560, height))
        self.resize(width, height)

    def _build_nav(self) -> None:
        """The grouped side list: a header row per group (not selectable), then its pages."""
        from voiceround.ui import theme
        self._nav_rows: dict[str, int] = {}
        for group, names in NAV_GROUPS:
            if group:
                head = QListWidgetItem(group.upper())
                head.setFlags(Qt.NoItemFlags)
                f = head.font()
                f.setBold(True)
                f.setPointSizeF(f.pointSizeF() * 0.85)
                head.setFont(f)
                head.setForeground(QColor(theme.color("muted")))
                self.nav.addItem(head)
            for name in names:
                item = QListWidgetItem(icon(PAGE_ICONS[name]), name)
                item.setData(Qt.UserRole, PAGES.index(name))
                item.setToolTip(f"{name}  (Ctrl+{PAGES.index(name) + 1})")
                self._nav_rows[name] = self.nav.count()
                self.nav.addItem(item)

    def show_page(self, name: str) -> None:
        """Switch to a page by its title (see ``PAGES``)."""
        if self.stack.count() > PAGES.index(name) and self.nav.currentRow() == self._nav_rows[name]:
            self._on_nav(PAGES.index(name))  # already there: refresh its data
        self.nav.setCurrentRow(self._nav_rows[name])

    def _on_nav_row(self, row: int) -> None:
        item = self.nav.item(row)
        if item is not None and item.data(Qt.UserRole) is not None and self.stack.count() == len(PAGES):
            self._on_nav(int(item.data(Qt.UserRole)))

    def _on_nav(self, row: int) -> None:
        """A page was chosen (side list, menu or shortcut): pages that show stored data re-read it,
        off the GUI thread."""
        self.stack.setCurrentIndex(row)
        if PAGES[row] == "History":
            self.refresh_history()
        elif PAGES[row] == "Compare":
            rid = self.rnd.id
            self.run_task("compare", lambda: self.control.read(lambda st: self.compare.read(st, rid)), self.compare.show)

    def _busy(self) -> bool:
        return self.control.busy

    def run_task(self, name: str, fn, on_result, on_error=None) -> None:
        """Run ``fn()`` on a ``vr-task-<name>`` thread (storage reads, scoring, deletes): never on the
        GUI thread. ``on_result(value)``, or ``on_error(message)`` (default: a warning dialog), then
        runs on the GUI thread."""
        emit = self.bridge.event.emit

        def work():
            try:
                emit("task", (on_result, fn()))
            except Exception as exc:  # shown to the user; the data on disk is unchanged
                emit("task", (on_error or self._task_failed, f"{name}: {exc}"))
        self._tasks = [t for t in self._tasks if t.is_alive()]
        t = threading.Thread(target=work, name=f"vr-task-{name}", daemon=True)
        self._tasks.append(t)
        t.start()

    def _task_failed(self, message: str) -> None:
        log.error("%s", message)
        QMessageBox.warning(self, "VoiceRound", message)

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
            from voiceround.session.engines import Engines
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
            self.model_status.setText("Models loaded: ready to start a round.")
            QTimer.singleShot(4000, self._hide_model_progress)
            self.start_btn.setEnabled(True)
            self.type_btn.setEnabled(True)
            self.check_btn.setEnabled(self.mic_problem is None)
        elif kind == "model_error":
            log.error("model error: %s", payload)
            self.model_status.setText("Model error: " + payload.splitlines()[0])
            QMessageBox.critical(self, "VoiceRound: model problem", payload)
        elif kind == "session":
            self._on_session_event(payload)
        elif kind == "result":
            self._round_over()
            log.info("round scored: session %s, %s, total %.1f", payload.session_id, payload.status, payload.scorecard["total"])
            if payload.timings.get("echo_db") is not None:
                log.info("echo %.1f dB, AEC removed %.1f dB", payload.timings["echo_db"], payload.timings["aec_erle_db"])
            self.last_card = payload.scorecard
            self.current_session = payload.session_id
            base = getattr(self, "_drill_base", None)
            if base is not None:  # a drill is over: the next round is the full round again
                self._drill_base = None
                self.set_round(base)
            self.present_card(payload.scorecard, f"This round · {clock(payload.timings['session_s'])}",
                              self.rnd, payload.session_id, payload.transcript)
        elif kind == "task":
            callback, value = payload
            callback(value)
        elif kind == "round_error":
            log.error("round error: %s", payload)
            self._round_over()
            QMessageBox.critical(self, "VoiceRound", payload + "\n\nEverything said so far is kept in the session.")

    def show_latest_card(self) -> None:
        """At start: the newest scored session's scorecard waits on the Scorecard page (read on a
        thread; the page shown doesn't change), so the last result isn't lost on a restart."""
        def read(st):
            for row in st.sessions():
                card = st.scorecard(row["id"]) if row["total"] is not None else None
                if card is not None:
                    return row, card, st.transcript(row["id"])
            return None

        def show(found):
            from voiceround.ui.history import session_header
            if found is None or self.scorecard.session_id:
                return  # nothing stored yet, or a round finished meanwhile
            row, card, tr = found
            self.current_session = row["id"]
            self.scorecard.show_card(card, "Your last round · " + session_header(row), self.session_round(card.get("round")), row["id"], tr)
        self.run_task("latest", lambda: self.control.read(read), show, on_error=lambda msg: log.warning("%s", msg))

    def present_card(self, card: dict | None, header: str, rnd, session_id: str, transcript=None) -> None:
        """Open the Scorecard page on ``card``: the page first, the card laid out on the next turn of
        the event loop, so neither step holds the GUI thread long (a scorecard's labels take ~50 ms)."""
        self.show_page("Scorecard")
        QTimer.singleShot(0, lambda: self.scorecard.show_card(card, header, rnd, session_id, transcript))

    def apply_theme(self) -> None:
        """Settings → Appearance changed: the new scheme now (palette, icons, the round card, the
        banner); the transcript on screen keeps its colours until the next round."""
        from PySide6.QtWidgets import QApplication

        from voiceround.ui import theme
        theme.apply(QApplication.instance(), self.settings.theme)
        self.nav.clear()
        self._build_nav()
        self.card.setHtml(card_html(self.rnd))
        self._set_banner(self.state if self.state in theme.BANNERS else "idle")
        self.nav.setCurrentRow(self._nav_rows["Settings"])

    def correct_answer(self, session_id: str) -> None:
        """Scorecard → Correct a misheard answer…: pick an answer, fix its words, save; the session
        is re-scored (the old scorecard and the STT's text are kept) and shown again."""
        from voiceround.ui.scorecard import CorrectionDialog
        # One correction at a time, from the click to the re-scored card: each request reads the session
        # on a task thread first, so presses queued meanwhile (Space on the focused button, a double
        # click) had each opened a dialog of its own, stacked (a new user saw four).
        if not session_id or self._busy() or self._correcting:
            return
        self._correcting = True

        def done():
            self._correcting = False

        def failed(message: str) -> None:
            done()
            self._task_failed(message)

        def ask(data):
            row, tr = data
            answers = [(i, t.start_s, t.text) for i, t in enumerate(tr.turns, start=1) if t.speaker == "candidate"]
            if not answers:
                done()
                QMessageBox.information(self, "VoiceRound", "This session has no answers to correct.")
                return
            dlg = CorrectionDialog(self, answers)
            if dlg.exec() != CorrectionDialog.Accepted:
                done()
                return
            idx, text = dlg.choice()
            rnd = self.session_round(row.get("round_id"))

            def show(result):
                done()
                card, tr2 = result
                log.info("turn %d corrected; session %s re-scored: %.1f", idx, session_id, card["total"])
                self.present_card(card, "Re-scored after your correction", rnd, session_id, tr2)
                self.statusBar().showMessage("Correction saved; the scorecard was re-scored (the previous one is kept).", 6000)
            self.run_task("correct", lambda: (self.control.correct(session_id, idx, text, rnd),
                                              self.control.read(lambda st: st.transcript(session_id))), show, failed)
        self.run_task("read", lambda: self.control.read(lambda st: (st.session(session_id), st.transcript(session_id))), ask, failed)

    def practise(self, dimension_id: str) -> None:
        """"Practise this again": a short drill on one rubric dimension (:func:`voiceround.rounds.drill_round`):
        its own opening question, five minutes, then its own scorecard."""
        from voiceround.rounds import drill_round
        if self._busy():
            QMessageBox.information(self, "VoiceRound", "Finish the current round first.")
            return
        try:
            drill = drill_round(self.rnd, dimension_id)
        except KeyError as exc:
            QMessageBox.warning(self, "VoiceRound", f"No drill for {exc}.")
            return
        self._drill_base = self.rnd
        self.set_round(drill)
        log.info("drill on %s", dimension_id)
        self.new_round()

    def _hide_model_progress(self) -> None:
        """Once the models are loaded, the status bar stops saying so (it said it for 4 s)."""
        if self.engines is not None:
            self.model_progress.hide()
            self.model_status.setText("")

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
        self.control.stop(say_closing=False)  # quitting: no closing line, the round ends now
        feed_close = getattr(self.feed, "close", None)
        if feed_close is not None:
            feed_close()
        mic = getattr(self, "mic", None)
        if mic is not None:
            mic.close()
        self.control.join(timeout_s)
        for t in [self._loader, *self._tasks]:
            if t is not None and t.is_alive():
                t.join(timeout_s)
                if t.is_alive():
                    log.warning("thread %s did not stop within %.0f s", t.name, timeout_s)
        self.replay.player.stop()
        for engines in (self.engines, self._loaded):  # often the same object; closing twice is safe
            if engines is not None:
                engines.close()
        self.engines = self._loaded = None
