"""A scripted user for the desktop app: drives the real window the way a person would (buttons,
menu actions, the typed-answer box, confirmation dialogs), for tests and demos that start the app
as a subprocess (``make run``, ``voiceround``) and can't reach its objects.

Enabled only by the environment variable ``VOICEROUND_UI_SCRIPT``, which names a JSON file holding
a list of steps, run in order on the GUI thread (polled every 50 ms)::

    {"wait": "models"}                     until the models are loaded
    {"wait": "turns", "speaker": "interviewer", "count": 2}
                                           until that many turns of that speaker are on screen
    {"wait": "result"}                     until a round has been scored
    {"wait": "idle"}                       until no round is running
    {"click": "type_btn"}                  click a button of the window (attribute name)
    {"action": "End round"}                trigger a menu action by its text (no "&")
    {"choose": "round_pick", "text": "Customer Obsession"}
                                           pick an item of a combo box of the window (attribute name)
    {"type": "my answer"}                  type into the answer box and send it (Ctrl+Enter)
    {"recording": "/path/answer.wav"}      File → Rehearse from audio… with this file
    {"dialog": "Yes"}                      press this button on the open dialog (waits for one)
    {"sleep": 1.5}                         wait this many seconds
    {"close": true}                        close the window (the same as its close button)

Each wait has ``"timeout_s"`` (default 180; 30 for ``dialog``). Every step and every dialog's text is logged on
stderr (``voiceround: script: …``). A step that fails or times out is logged and the app exits
with status 4 after the normal shutdown.
"""
from __future__ import annotations

import json
import logging
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox, QPushButton

log = logging.getLogger("voiceround.app")
EXIT_SCRIPT_FAILED = 4
DEFAULT_TIMEOUT_S = 180.0
DIALOG_TIMEOUT_S = 30.0  # a "dialog" step waits this long for a dialog to appear


class UIScript:
    """Runs the steps of a JSON script file against ``win`` (a :class:`~voiceround.ui.app.MainWindow`).

    Raises ``OSError``/``ValueError`` when the file can't be read or isn't a JSON list."""

    def __init__(self, win, path: str):
        with open(path, encoding="utf-8") as f:
            steps = json.load(f)
        if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
            raise ValueError(f"{path}: a UI script is a JSON list of steps (objects)")
        self.win, self.steps, self.i = win, steps, 0
        self._since = time.monotonic()
        self._busy = False
        self._seen_dialogs: set[int] = set()
        self.timer = QTimer(win)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        """Start polling (every 50 ms)."""
        self.timer.start(50)

    # -- one tick -----------------------------------------------------------------------------------
    def _tick(self) -> None:
        self._log_dialog()
        if self._busy:  # re-entered from a dialog's own event loop: only a "dialog" step may go on
            if self.i < len(self.steps) and "dialog" in self.steps[self.i]:
                self._run_step()
            return
        self._busy = True
        try:
            self._run_step()
        finally:
            self._busy = False

    def _run_step(self) -> None:
        if self.i >= len(self.steps):
            self.timer.stop()
            log.info("script: done")
            return
        step = self.steps[self.i]
        try:
            done = self._do(step)
        except Exception as exc:  # a broken step ends the run, loudly
            self._fail(f"step {self.i + 1} {json.dumps(step)} failed: {exc!r}")
            return
        if done:
            log.info("script: step %d done: %s", self.i + 1, json.dumps(step))
            self.i += 1
            self._since = time.monotonic()
        elif time.monotonic() - self._since > float(step.get("timeout_s", DIALOG_TIMEOUT_S if "dialog" in step else DEFAULT_TIMEOUT_S)):
            self._fail(f"step {self.i + 1} {json.dumps(step)} timed out")

    def _fail(self, why: str) -> None:
        self.timer.stop()
        log.error("script: %s", why)
        modal = QApplication.activeModalWidget()
        if modal is not None:
            modal.close()
        QApplication.exit(EXIT_SCRIPT_FAILED)

    def _log_dialog(self) -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QMessageBox) and id(modal) not in self._seen_dialogs:
            self._seen_dialogs.add(id(modal))
            log.info("script: dialog %r: %s", modal.windowTitle(), modal.text().replace("\n", " "))

    # -- the steps ----------------------------------------------------------------------------------
    def _do(self, step: dict) -> bool:
        """Do ``step``; True when it is complete (a wait returns False until its condition holds)."""
        w = self.win
        if "wait" in step:
            what = step["wait"]
            if what == "models":
                return w.engines is not None
            if what == "result":
                return w.last_card is not None and not w._busy()
            if what == "idle":
                return not w._busy()
            if what == "turns":
                label = "Interviewer" if step.get("speaker", "interviewer") == "interviewer" else "You"
                lines = [ln for ln in w.transcript.toPlainText().splitlines() if ln.startswith(label + " [")]
                return len(lines) >= int(step.get("count", 1))
            if what == "sound_check":  # the sound check finished (a verdict or a failure is shown)
                return w.check_btn.isEnabled() and ("Last sound check" in w.check_label.text() or "failed" in w.check_label.text())
            raise ValueError(f"unknown wait {what!r}; waits: models, result, idle, turns, sound_check")
        if "click" in step:
            button = getattr(w, step["click"], None)
            if not isinstance(button, QPushButton):
                names = sorted(k for k, v in vars(w).items() if isinstance(v, QPushButton))
                raise ValueError(f"no button {step['click']!r}; buttons: {', '.join(names)}")
            if not button.isEnabled():
                return False  # e.g. Start before the models are loaded: wait for it
            QTimer.singleShot(0, button.click)  # a dialog it opens must not block this tick
            return True
        if "action" in step:
            actions = {a.text().replace("&", ""): a for m in w.menuBar().actions() for a in m.menu().actions() if a.text()}
            if step["action"] not in actions:
                raise ValueError(f"no menu action {step['action']!r}; actions: {', '.join(sorted(actions))}")
            QTimer.singleShot(0, actions[step["action"]].trigger)
            return True
        if "choose" in step:  # {"choose": "round_pick", "text": "Customer Obsession"}: pick a combo-box item
            combo = getattr(w, step["choose"], None)
            if not isinstance(combo, QComboBox):
                names = sorted(k for k, v in vars(w).items() if isinstance(v, QComboBox))
                raise ValueError(f"no combo box {step['choose']!r}; combo boxes: {', '.join(names)}")
            i = combo.findText(step["text"])
            if i < 0:
                raise ValueError(f"{step['choose']} has no item {step['text']!r}; items: "
                                 f"{', '.join(combo.itemText(k) for k in range(combo.count()))}")
            combo.setCurrentIndex(i)
            return True
        if "type" in step:
            w.typed_box.setPlainText(step["type"])
            w.send_typed()
            return not w.typed_box.toPlainText()
        if "recording" in step:
            return w.start_round("recording", step["recording"])
        if "dialog" in step:
            modal = QApplication.activeModalWidget()
            if not isinstance(modal, QMessageBox):
                return False
            for b in modal.buttons():
                if b.text().replace("&", "") == step["dialog"]:
                    QTimer.singleShot(0, b.click)
                    return True
            raise ValueError(f"the dialog has no button {step['dialog']!r}; its buttons: "
                             f"{', '.join(repr(b.text().replace('&', '')) for b in modal.buttons())}")
        if "screenshot" in step:  # {"screenshot": "out.png"}: the window as it looks now
            w.grab().save(str(step["screenshot"]))
            return True
        if "sleep" in step:
            return time.monotonic() - self._since >= float(step["sleep"])
        if "close" in step:
            QTimer.singleShot(0, w.close)
            return True
        raise ValueError(f"unknown step {step!r}; steps: wait, click, action, choose, type, recording, dialog, screenshot, sleep, close")
