"""History, recovery, deletion, replay and PDF export handlers of the window. Mixed into
:class:`voiceround.ui.app.MainWindow`; storage reads run on a ``vr-db-read`` thread."""
from __future__ import annotations

import threading

from PySide6.QtCharts import QChart, QDateTimeAxis, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QTableWidgetItem

from voiceround.report import clock


class HistoryMixin:
    """Sessions table and chart, unfinished-session recovery, delete, Replay and PDF export."""

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
