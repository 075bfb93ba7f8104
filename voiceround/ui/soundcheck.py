"""The sound check on the Briefing page (Ctrl+K): plays a phrase, measures how much of it comes
back into the microphone and the microphone's level, shows the verdict and keeps it in Settings
(:mod:`voiceround.audio.soundcheck`). Mixed into :class:`voiceround.ui.app.MainWindow`."""
from __future__ import annotations

import html
import logging
import threading

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout

from voiceround.ui import theme
from voiceround.ui.theme import icon

log = logging.getLogger("voiceround.app")

LISTENING_TEXT = {"auto": "Decided by the sound check", "headphones": "Headphones",
                  "speakers": "Speakers (echo cancelled; you can interrupt)",
                  "half_duplex": "Speakers, half-duplex (speak up to interrupt)"}
VERDICT_TEXT = {"headphones": "Headphones (or little echo): full duplex.",
                "speakers": "Speakers: echo cancelled, full duplex.",
                "half_duplex": "Speakers with echo: the round runs half-duplex."}


class SoundCheckMixin:
    """Widgets: ``check_btn``, ``check_level`` (dBFS meter), ``check_label`` on Briefing;
    ``listening_pick`` on Settings."""

    def _build_sound_check(self, layout: QVBoxLayout) -> None:
        """Add the sound-check row and its result under the Briefing checklist."""
        row = QHBoxLayout()
        self.check_btn = QPushButton(icon("mdi6.headphones"), "Sound check  (Ctrl+K)")
        self.check_btn.setToolTip("10 seconds: the interviewer's voice plays, then say one sentence (needs a microphone)")
        self.check_btn.setEnabled(False)
        self.check_btn.clicked.connect(self.sound_check)
        QShortcut(QKeySequence("Ctrl+K"), self, activated=self.sound_check)
        self.check_level = QProgressBar()
        self.check_level.setRange(-60, 0)
        self.check_level.setValue(-60)
        self.check_level.setTextVisible(False)
        self.check_level.setAccessibleName("microphone level during the sound check")
        self.check_level.setMaximumWidth(220)
        self.check_level_label = QLabel("")
        self.playback_btn = QPushButton(icon("mdi6.play"), "Play back my sentence")
        self.playback_btn.setToolTip("Hear what the microphone recorded during the sound check (kept in memory only)")
        self.playback_btn.setEnabled(False)
        self.playback_btn.clicked.connect(self.play_back_sentence)
        row.addWidget(self.check_btn)
        row.addWidget(QLabel("Microphone"))
        row.addWidget(self.check_level)
        row.addWidget(self.check_level_label)
        row.addWidget(self.playback_btn)
        row.addStretch()
        layout.addLayout(row)
        self.check_label = QLabel(self._sound_check_summary())
        self.check_label.setWordWrap(True)
        layout.addWidget(self.check_label)

    def _build_listening_setting(self, form) -> None:
        """The Settings row that keeps the headphones/speakers choice."""
        self.listening_pick = QComboBox()
        for key, text in LISTENING_TEXT.items():
            self.listening_pick.addItem(text, key)
        self.listening_pick.setCurrentIndex(max(0, self.listening_pick.findData(self.settings.listening)))
        form.addRow("You listen on", self.listening_pick)

    def _sound_check_summary(self) -> str:
        sc = self.settings.sound_check
        if getattr(self, "mic_problem", None):
            return "The sound check needs a microphone."
        if not sc:
            return ("No sound check yet. Run one (Ctrl+K) to find out whether you can interrupt the interviewer on "
                    "your speakers; headphones are the safe choice.")
        return "<b>Last sound check:</b> " + html.escape(VERDICT_TEXT.get(sc.get("verdict"), "")) + " " + \
            " ".join(html.escape(a) for a in sc.get("advice", []))

    def sound_check(self) -> None:
        """Ctrl+K: run the sound check on a background thread (models loaded, no round running),
        on the microphone and speaker picked on the Briefing page."""
        if self.engines is None or self._busy() or not self.check_btn.isEnabled():
            return
        if hasattr(self, "in_dev"):  # the devices picked here are the ones the round uses
            self.settings.input_device = self.in_dev.currentData()
            self.settings.output_device = self.out_dev.currentData()
        self.check_btn.setEnabled(False)
        self.start_btn.setEnabled(False)
        self._brief_resume = self._brief_timer.isActive()
        self._brief_timer.stop()  # the countdown waits for the check
        self.check_label.setText("Sound check: stay quiet while the interviewer's voice plays…")
        emit = self.bridge.event.emit
        tts = self.engines.tts
        dev_in, dev_out = self.settings.input_device, self.settings.output_device

        def level(dbfs: float) -> None:
            emit("task", (self._check_level_reading, dbfs))

        def phase(name: str) -> None:
            text = "Sound check: stay quiet while the interviewer's voice plays…" if name == "playing" \
                else "Now say one sentence about your last project…"
            emit("task", (self.check_label.setText, text))

        def work():
            from voiceround.audio.soundcheck import run_sound_check
            try:
                emit("task", (self._sound_check_done, run_sound_check(tts, dev_in, dev_out, on_level=level, on_phase=phase)))
            except Exception as exc:  # a device problem: shown, nothing stored
                emit("task", (self._sound_check_failed, str(exc)))
        threading.Thread(target=work, name="vr-sound-check", daemon=True).start()

    def _check_level_reading(self, dbfs: float) -> None:
        self.check_level.setValue(int(max(-60, min(0, dbfs))))
        self.check_level_label.setText(f"{dbfs:.0f} dBFS")

    def play_back_sentence(self) -> None:
        """Play the sentence recorded by the last sound check on the chosen speaker (a thread)."""
        audio = getattr(self, "_check_recording", None)
        if audio is None or self._busy():
            return
        dev_out = self.settings.output_device
        emit = self.bridge.event.emit
        self.playback_btn.setEnabled(False)

        def work():
            from voiceround.audio.devices import SpeakerSink
            try:
                sink = SpeakerSink(dev_out)
                try:
                    sink.play(audio)
                    sink.drain()
                finally:
                    sink.close()
                emit("task", (lambda _: self.playback_btn.setEnabled(True), None))
            except Exception as exc:  # a device problem: said, nothing lost
                emit("task", (self._sound_check_failed, f"playback: {exc}"))
        threading.Thread(target=work, name="vr-playback", daemon=True).start()

    def _sound_check_done(self, result) -> None:
        self._check_recording = result.recording
        self.playback_btn.setEnabled(result.recording is not None)
        self.settings.remember_sound_check(result.to_dict())
        self.settings.save()
        log.info("sound check: %s (echo %s dB, removed %s dB, speech %.1f dBFS)", result.verdict, result.echo_db,
                 result.erle_db, result.speech_dbfs)
        self.check_label.setText(self._sound_check_summary())
        self.check_level.setValue(-60)
        self.check_level_label.setText(f"your voice {result.speech_dbfs:.0f} dBFS, room {result.noise_dbfs:.0f} dBFS")
        self._sound_check_idle()

    def _sound_check_failed(self, message: str) -> None:
        log.error("sound check failed: %s", message)
        self.check_label.setText(f"<span style='color:{theme.color('bad')}'><b>Sound check failed:</b> {html.escape(message)}</span>")
        self._sound_check_idle()

    def _sound_check_idle(self) -> None:
        ready = self.engines is not None and not self._busy()
        self.check_btn.setEnabled(ready and self.mic_problem is None)
        self.start_btn.setEnabled(ready)
        if getattr(self, "_brief_resume", False) and self._brief_left > 0:
            self._brief_timer.start(1000)  # the countdown goes on
