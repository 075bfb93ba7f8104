"""The live round: briefing countdown, starting a round (microphone, typed answers, a recording, a
case file) on the session thread, typed answers, End round, and the live page's reaction to each
round event. Mixed into :class:`voiceround.ui.app.MainWindow`."""
from __future__ import annotations

import html
import logging

from PySide6.QtWidgets import QFileDialog, QMessageBox

from voiceround.report import clock
from voiceround.ui import theme
from voiceround.ui.pages import BRIEFING_S, STATE_TEXT
from voiceround.ui.theme import icon

log = logging.getLogger("voiceround.app")


class LiveRoundMixin:
    """Round control and live-page updates of :class:`~voiceround.ui.app.MainWindow`."""

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
            # asked, not announced: closing the dialog (or quitting the app meanwhile) starts nothing
            if QMessageBox.question(self, "VoiceRound", f"No working microphone: {self.mic_problem}.\n\n"
                                    "Type your answers instead (Ctrl+Enter sends)? Or use File → Rehearse from audio.") == QMessageBox.Yes:
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
        from voiceround.rounds import RoundFileError, load_round
        from voiceround.session.feeds import SimulatedFeed, TypedFeed, recording_feed
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
                import tomllib
                from pathlib import Path

                from voiceround.rounds import DEFAULT_ROUND
                from voiceround.session.cases import check_audio, load_case
                try:  # a case on the current round reuses it (loading a round file takes ~0.1 s on this thread)
                    wanted = tomllib.loads(Path(path).read_text(encoding="utf-8")).get("round", DEFAULT_ROUND)
                except (OSError, ValueError):
                    wanted = None  # load_case says what is wrong with the file
                case = load_case(path, self.rnd if wanted == self.rnd.id else None)
                check_audio(case)
                if case.round != self.rnd.id:  # a case answers its own round's questions
                    self.set_round(load_round(case.round))
                    self.round_pick.setCurrentIndex(max(0, self.round_pick.findText(self.rnd.title)))
                self.feed = SimulatedFeed(case)
        except (VoiceRoundError, RoundFileError) as exc:
            QMessageBox.warning(self, "VoiceRound", str(exc))
            return False
        self.typed_frame.setVisible(mode == "typed")
        for w in (self.mic_caption, self.level, self.level_label):  # no microphone level to show when typing
            w.setVisible(mode != "typed")
        self.round_mode = mode
        self.check_btn.setEnabled(False)
        self.duplex_label.hide()
        self.transcript.clear()
        self.partial.clear()
        self.countdown.setText(clock(self.rnd.duration_s))
        self.end_btn.setEnabled(True)
        self.pause_btn.setEnabled(mode == "mic")  # a recording or a case file plays on; typed answers wait anyway
        self.repeat_btn.setEnabled(mode in ("mic", "recording"))
        self.scoring_bar.hide()
        self.scoring_label.hide()
        self._done_note = ""
        self._set_state("thinking")  # the opening question is being prepared
        emit = self.bridge.event.emit
        # Live rounds use the LLM only when the user configured a bigger model (latency; see README).
        use_llm = not realtime or bool(self.settings.llm_model)
        # speakers whose echo the sound check found uncancelled (or chosen in Settings): half-duplex from the start
        meta = {"duplex": "half" if self.settings.half_duplex else "full", "listening": self.settings.listening} \
            if mode == "mic" else None
        mic = self.mic if mode == "mic" else None

        def cleanup():  # on the session thread, after the round: close the audio devices
            if sink is not None:
                sink.close()
            if mic is not None:
                mic.close()

        def done(result, error):
            if error is None:
                emit("result", result)
            else:
                emit("round_error", error)
        self.control.start(self.engines, self.feed, source=mode if not path else f"{mode}:{path}", realtime=realtime,
                           use_llm=use_llm, sink=sink, meta=meta, on_event=lambda ev: emit("session", ev), on_done=done, cleanup=cleanup)
        log.info("round started (%s, %s)", mode, self.rnd.id)
        self.show_page("Live round")
        if mode == "typed":
            self.typed_box.setFocus()
        return True

    def send_typed(self) -> None:
        """Ctrl+Enter: send the typed answer."""
        from voiceround.session.feeds import TypedFeed
        text = self.typed_box.toPlainText().strip()
        if not text and isinstance(self.feed, TypedFeed) and self._busy():
            self.statusBar().showMessage("Nothing to send yet: type your answer, then Ctrl+Enter.", 5000)
            self.typed_box.setFocus()
            return
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
        self.control.stop()
        if hasattr(self.feed, "close"):
            self.feed.close()

    def pause_round(self, on: bool) -> None:
        """Alt+P (the Pause button, checkable): pause or resume a live round. The clock stops and
        the microphone isn't recorded while paused (:meth:`SessionRunner.pause`)."""
        runner = self.control.runner if self._busy() else None
        if runner is None:
            self.pause_btn.setChecked(False) if on else None
            return
        runner.pause(on)
        self.pause_btn.setText("&Resume" if on else "&Pause")
        self.pause_btn.setIcon(icon("mdi6.play" if on else "mdi6.pause"))
        if on:
            self._set_state("paused")
        elif self.state == "paused":
            self._set_state("listening")
        log.info("round %s", "paused" if on else "resumed")

    def repeat_question(self) -> None:
        """Alt+R: hear the last question again (played once the candidate has the floor and hasn't
        started answering; :meth:`SessionRunner.repeat_question`)."""
        if self._busy() and self.repeat_btn.isEnabled() and self.control.runner is not None:
            self.control.runner.repeat_question()
            self.statusBar().showMessage("The question will be played again.", 4000)

    def _round_over(self) -> None:
        self.check_btn.setEnabled(self.engines is not None and self.mic_problem is None)
        self.scoring_bar.hide()
        self.scoring_label.hide()
        self.end_btn.setEnabled(False)
        self.pause_btn.blockSignals(True)
        self.pause_btn.setChecked(False)
        self.pause_btn.setText("&Pause")
        self.pause_btn.blockSignals(False)
        self.pause_btn.setEnabled(False)
        self.repeat_btn.setEnabled(False)
        self._set_state("done")

    def _set_state(self, state: str) -> None:
        if state == "listening" and getattr(self, "round_mode", "") == "typed" and self._busy():
            state = "typing"
        if self.pause_btn.isChecked() and state in ("listening", "speaking", "typing"):
            state = "paused"  # the banner says paused until the candidate resumes
        self.state = state
        note = getattr(self, "_done_note", "") if state == "done" else ""
        self.state_label.setText(STATE_TEXT[state] + (f": {note}" if note else ""))
        self.state_label.setWordWrap(True)
        self._set_banner(state)

    def _set_banner(self, state: str) -> None:
        """Colour the state banner (:data:`voiceround.ui.theme.BANNERS`)."""
        bg, fg = theme.BANNERS.get(state, theme.BANNERS["idle"])
        self.state_label.setStyleSheet(f"QLabel#state_banner {{ background:{bg}; color:{fg}; border-radius:8px; padding:4px 16px; }}")

    def _show_level(self, dbfs: float) -> None:
        """The microphone meter and its reading beside it, with a warning when too quiet or clipping."""
        self.level.setValue(int(max(-60, min(0, dbfs))))
        if dbfs > -3:
            note, role = "clipping: lower the input level", "bad"
        elif self.state == "speaking" and dbfs < -45:
            note, role = "quiet: move closer", "warn"
        else:
            note, role = "", "muted"
        self.level_label.setText(f"<span style='color:{theme.color(role)}'>{dbfs:.0f} dBFS{' · ' + note if note else ''}</span>")

    def _on_session_event(self, event) -> None:
        """Reflect one round event (:mod:`voiceround.core.events`) on the live page."""
        from voiceround.core import events as ev
        left = max(0.0, self.rnd.duration_s - event.t_s)
        self.countdown.setText(clock(left))
        if isinstance(event, ev.MicLevel):
            self._show_level(event.dbfs)
        elif isinstance(event, ev.Paused):
            log.info("session clock %s at %s", "stopped" if event.paused else "running again", clock(event.t_s))
            self.transcript.append(f"<p style='color:{theme.color('muted')}'>[{clock(event.t_s)}] "
                                   f"{'Paused' if event.paused else 'Resumed'}</p>")
        elif isinstance(event, ev.QuestionRepeated):
            log.info("question repeated at %s", clock(event.t_s))
            self._set_state("interviewer")
        elif isinstance(event, ev.PartialText):
            self.partial.setText(f"You (speaking): {event.text}")
        elif isinstance(event, ev.SpeechStarted):
            self._set_state("speaking")
        elif isinstance(event, ev.EndpointReached):
            self._set_state("thinking")
        elif isinstance(event, ev.TtsReady):
            self._set_state("interviewer")
        elif isinstance(event, ev.TurnAdded):
            log.info("turn %s [%s]: %d words", event.speaker, clock(event.start_s), len(event.text.split()))
            who = "Interviewer" if event.speaker == "interviewer" else "You"
            color = theme.color("interviewer" if who == "Interviewer" else "candidate")
            self.transcript.append(f"<p><b style='color:{color}'>{who}</b> <span style='color:{theme.color('muted')}'>[{clock(event.start_s)}]</span> "
                                   f"{html.escape(event.text)}</p>")
            if who == "You":
                self.partial.clear()
            else:
                self._set_state("listening")
        elif isinstance(event, ev.DeviceLost):
            from voiceround.session.feeds import TypedFeed
            self.feed = TypedFeed()
            self.control.runner.replace_feed(self.feed)
            self.typed_frame.show()
            self.typed_box.setFocus()
            self._set_state("listening")
            QMessageBox.warning(self, "VoiceRound", f"The microphone stopped ({event.reason}). The round is paused: "
                                "type your answer below (Ctrl+Enter sends) to go on. Nothing said so far is lost.")
        elif isinstance(event, ev.DuplexChanged):
            log.info("duplex: %s (%s; echo %s dB, removed %s dB)", "half" if event.half else "full", event.reason,
                     event.echo_db, event.erle_db)
            self.duplex_label.setVisible(event.half)
            self.duplex_label.setText("<b>Half-duplex:</b> your microphone hears the interviewer's voice, so to interrupt, "
                                      "speak up for half a second. Headphones make the round natural again.")
        elif isinstance(event, ev.RoundEnded):
            log.info("round over (%s), scoring", event.status)
            if event.status == "ended_early":
                self._done_note = "you ended it early; the scorecard reads what was said"
            elif event.t_s < self.rnd.duration_s - 150:  # before the wrap-up's last two minutes and a bit
                self._done_note = f"the interviewer closed at {clock(event.t_s)}: your story was covered (see the scorecard)"
            else:
                self._done_note = ""
            self._set_state("scoring")
            self.scoring_bar.show()
            self.scoring_label.show()
            self.pause_btn.setEnabled(False)
            self.repeat_btn.setEnabled(False)
