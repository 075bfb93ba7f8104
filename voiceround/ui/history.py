"""History, recovery, deletion, replay and PDF export handlers of the window. Mixed into
:class:`voiceround.ui.app.MainWindow`; storage work runs through ``run_task`` (never on the GUI thread)."""
from __future__ import annotations

import logging

from PySide6.QtCharts import QChart, QDateTimeAxis, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QTableWidgetItem

from voiceround.report import clock

log = logging.getLogger("voiceround.app")


class HistoryMixin:
    """Sessions table and chart, unfinished-session recovery, delete, Replay and PDF export."""

    # -- history ---------------------------------------------------------------------------------
    def refresh_history(self) -> None:
        """Reload the sessions table and the chart of totals over time (storage read on a thread)."""
        self.run_task("history", lambda: self.control.read(lambda st: st.sessions()), self._fill_history)

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
        """Double-click in History: that session's scorecard (read on a thread)."""
        sid = self.history_rows[row]["id"]

        def show(card):
            self.current_session = sid
            self.scorecard.show_card(card, f"Session {sid}", self.session_round(card.get("round")), sid)
            self.show_page("Scorecard")
        self.run_task("open", lambda: self.control.read(lambda st: st.scorecard(sid)), show)

    # -- recovery --------------------------------------------------------------------------------
    def check_unfinished(self) -> None:
        """On start: sessions a crash or kill left unfinished (read on a thread)."""
        self.run_task("unfinished", self.control.unfinished, lambda rows: rows and self.recover(rows))

    def recover(self, rows: list[dict]) -> None:
        """Offer each unfinished session: finish scoring it (kept as "recovered") or discard it."""
        for r in rows:
            box = QMessageBox(self)
            box.setWindowTitle("Recover an interrupted round")
            box.setText(f"The round started {r['started_at'][:16].replace('T', ' ')} was interrupted after {r['turns']} turns "
                        f"({clock(r['duration_s'] or 0)}). Everything up to then was saved.")
            keep = box.addButton("Finish scoring it", QMessageBox.AcceptRole)
            drop = box.addButton("Discard it", QMessageBox.DestructiveRole)
            box.addButton("Later", QMessageBox.RejectRole)
            box.exec()
            sid = r["id"]
            if box.clickedButton() is keep:
                def show(card, sid=sid):
                    self.current_session = sid
                    self.scorecard.show_card(card, f"Session {sid} (recovered)", self.session_round(card.get("round")), sid)
                    self.show_page("Scorecard")
                rnd = self.session_round(r.get("round_id"))
                self.run_task("recover", lambda sid=sid, rnd=rnd: self.control.recover(sid, rnd), show)
            elif box.clickedButton() is drop:
                self.run_task("discard", lambda sid=sid: self.control.delete(sid), lambda _: None)

    def delete_selected_session(self) -> None:
        """History → Delete session: its rows and its audio, after confirmation."""
        row = self.table.currentRow()
        if row < 0:
            return
        sid = self.history_rows[row]["id"]
        if QMessageBox.question(self, "Delete session", f"Delete session {sid} and its recording? This can't be undone.") != QMessageBox.Yes:
            return
        self.run_task("delete", lambda: self.control.delete(sid), lambda _: self.refresh_history())

    def delete_all_data(self) -> None:
        """Settings → Delete all data: every session and recording, after confirmation."""
        if self._busy():
            QMessageBox.information(self, "VoiceRound", "End the round first.")
            return
        if QMessageBox.question(self, "Delete all data", "Delete every session and recording? This can't be undone.") != QMessageBox.Yes:
            return

        def deleted(n):
            self.settings_msg.setText(f"Deleted {n} sessions and their recordings.")
            self.refresh_history()
        self.run_task("delete-all", self.control.delete_all, deleted)

    # -- replay and export ---------------------------------------------------------------------
    def open_replay(self, session_id: str, seconds: float = 0.0) -> None:
        """Open Replay on ``session_id`` at ``seconds`` (an evidence link, or View → Replay)."""
        if not session_id:
            QMessageBox.information(self, "VoiceRound", "Open a session first (History, double-click).")
            return
        def show(data):
            self.replay.show(session_id, data)
            self.replay.seek(seconds)
            self.show_page("Replay")
        self.run_task("replay", lambda: self.control.read(lambda st: self.replay.read(st, session_id)), show)

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
        """Export ``sid``'s scorecard to ``path``: the session is read on a thread, the PDF is laid out
        and written on the GUI thread (QTextDocument is a GUI object; well under a second)."""
        def render(data):
            from voiceround.core.errors import VoiceRoundError
            from voiceround.report.html import scorecard_document
            from voiceround.ui.pdf import write_pdf
            row, card, tr = data
            try:
                write_pdf(scorecard_document(card, row, self.session_round(row.get("round_id")), tr), path, self.settings.page_size)
                self.statusBar().showMessage(f"Exported {path}", 5000)
                log.info("exported %s", path)
            except (VoiceRoundError, OSError) as exc:
                self._task_failed(f"export: {exc}")
        self.run_task("export", lambda: self.control.read(lambda st: (st.session(sid), st.scorecard(sid), st.transcript(sid))), render)

