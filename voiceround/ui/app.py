"""The desktop app window: pages (:mod:`voiceround.ui.pages`), history and export
(:mod:`voiceround.ui.history`), the scorecard (:mod:`voiceround.ui.scorecard`); started by
:func:`voiceround.ui.launch.main`.

Threads (docs/ARCHITECTURE.md): the GUI thread only renders. Models load on a loader thread; a
round runs on one session thread (the same :class:`~voiceround.session.runner.SessionRunner` as
``rehearse``); every result crosses back through the single queued signal :attr:`Bridge.event`.
"""
from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QMainWindow, QMessageBox, QProgressBar, QStackedWidget, QWidget

from voiceround.core.settings import Settings
from voiceround.report import clock
from voiceround.rounds import Round
from voiceround.session.controller import SessionController
from voiceround.ui.history import HistoryMixin
from voiceround.ui.live import LiveRoundMixin
from voiceround.ui.pages import PagesMixin
from voiceround.ui.scorecard import ScorecardView
from voiceround.ui.soundcheck import SoundCheckMixin

PAGES = ("Round card", "Briefing", "Live round", "Scorecard", "Replay", "Compare", "History", "Settings")
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
        self.setWindowTitle(f"VoiceRound — {rnd.title}")
        self.resize(1280, 800)
        self.bridge = Bridge()
        self.bridge.event.connect(self._on_event, Qt.QueuedConnection)
        self.engines = None
        self.feed = None
        self.control = SessionController(rnd)
        self._loader: threading.Thread | None = None
        self._loaded = None  # the loader's Engines, kept here too so shutdown can release them
        self._tasks: list[threading.Thread] = []
        self._closing = False  # a close request that must not ask (SIGTERM, shutdown)
        self._shut = False
        self.state = "idle"
        self.last_card: dict | None = None
        self.mic_problem: str | None = None

        self.nav = QListWidget()
        self.nav.addItems(PAGES)
        self.nav.setFixedWidth(150)
        self.stack = QStackedWidget()
        self.nav.currentRowChanged.connect(self._on_nav)
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

    # -- helpers ---------------------------------------------------------------------------------
    def show_page(self, name: str) -> None:
        """Switch to a page by its title (see ``PAGES``)."""
        if self.nav.currentRow() == PAGES.index(name):
            self._on_nav(PAGES.index(name))  # already there: refresh its data
        self.nav.setCurrentRow(PAGES.index(name))

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
            self.model_status.setText("Models loaded.")
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
            self.scorecard.show_card(payload.scorecard, f"Session {payload.session_id} · {clock(payload.timings['session_s'])}",
                                     self.rnd, payload.session_id)
            self.show_page("Scorecard")
        elif kind == "task":
            callback, value = payload
            callback(value)
        elif kind == "round_error":
            log.error("round error: %s", payload)
            self._round_over()
            QMessageBox.critical(self, "VoiceRound", payload + "\n\nEverything said so far is kept in the session.")

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
