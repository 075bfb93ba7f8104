"""Starting and stopping the desktop app: :func:`main` (what ``voiceround``, ``voiceround gui``,
``python -m voiceround`` and ``make run`` call), status lines on stderr, and SIGTERM/SIGINT as a
close request."""
from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from voiceround.rounds import Round, load_round
from voiceround.ui.app import MainWindow

log = logging.getLogger("voiceround.app")


def _log_to_stderr() -> None:
    """App status lines (window shown, models loaded, round start/end, shutdown) on stderr."""
    if not log.handlers:
        h = logging.StreamHandler(sys.stderr)
        h.setFormatter(logging.Formatter("voiceround: %(message)s"))
        log.addHandler(h)
        log.setLevel(logging.INFO)
        log.propagate = False


def _close_on_signals(win: MainWindow) -> QTimer:
    """SIGTERM, SIGINT (Ctrl+C in the terminal) and SIGHUP (the terminal closed) become a close
    request for ``win``.

    Python runs signal handlers only between bytecodes, and Qt's event loop runs in C++; a 200 ms
    timer gives the interpreter a turn so a signal is handled within about 0.2 s."""
    def handler(signum, _frame):
        log.info("signal %s: closing", signal.Signals(signum).name)
        QTimer.singleShot(0, win.request_close)
    for sig in (signal.SIGTERM, signal.SIGINT, getattr(signal, "SIGHUP", signal.SIGTERM)):
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
