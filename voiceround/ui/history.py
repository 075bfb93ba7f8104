"""History, recovery, deletion, replay and PDF export handlers of the window. Mixed into
:class:`voiceround.ui.app.MainWindow`; storage work runs through ``run_task`` (never on the GUI thread)."""
from __future__ import annotations

import logging
import os

from PySide6.QtCharts import QChart, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QCursor, QPen
from PySide6.QtWidgets import QFileDialog, QHeaderView, QMessageBox, QTableWidgetItem, QToolTip

from voiceround.report import clock, status_text
from voiceround.ui.replay import started_label

log = logging.getLogger("voiceround.app")


def session_header(row: dict) -> str:
    """The line above a stored session's scorecard: when it was held and how long it ran, e.g.
    "Round of 30 Nov 2026, 19:18 · 4:28" (local time; the id is not something people read)."""
    from PySide6.QtCore import QDateTime, QTimeZone
    started = QDateTime.fromString((row.get("started_at") or "")[:19], "yyyy-MM-ddTHH:mm:ss")  # stored in UTC
    if started.isValid():
        started.setTimeZone(QTimeZone.utc())
    when = started.toLocalTime().toString("d MMM yyyy, HH:mm") if started.isValid() else "an earlier session"
    return f"Round of {when} · {clock(row.get('duration_s') or 0)}"


class HistoryMixin:
    """Sessions table and chart, unfinished-session recovery, delete, Replay and PDF export."""

    # -- history ---------------------------------------------------------------------------------
    def refresh_history(self) -> None:
        """Reload the sessions table and the chart of totals over attempts (storage read, and the
        titles of the rounds it names, on a thread)."""
        def read():
            rows = self.control.read(lambda st: st.sessions())
            for r in rows:
                self.round_title(r.get("round_id"))  # fills the cache off the GUI thread
            return rows
        self.run_task("history", read, self._fill_history)

    def round_title(self, round_id: str | None) -> str:
        """The title of the round ``round_id`` ("Disagree and Commit Decision"); the id itself when
        that round file can't be loaded. Cached per id."""
        return self._round_info(round_id)[0]

    def _round_info(self, round_id: str | None) -> tuple[str, str | None]:
        """``(round title, primary rubric title or None)`` of ``round_id``, cached; ``(id, None)``
        when the round file can't be loaded."""
        from voiceround.rounds import RoundFileError, load_round
        cache = self.__dict__.setdefault("_round_titles", {})
        key = round_id or ""
        if key not in cache:
            rnd = getattr(self, "rnd", None)
            if rnd is None or rnd.id != key:
                try:
                    rnd = load_round(key) if key else None
                except (RoundFileError, OSError):
                    rnd = None
            cache[key] = (rnd.title, rnd.rubrics[rnd.primary_rubric].title) if rnd is not None else (key or "–", None)
        return cache[key]

    def _fill_history(self, rows: list[dict]) -> None:
        """Show ``rows`` (:meth:`voiceround.storage.Store.sessions`, newest first): the table (the
        session id is each item's ``Qt.UserRole`` data; ``history_rows[i]`` is table row ``i``), the
        chart of totals over attempts, or the empty state when there are none."""
        self.history_rows = rows
        empty = not rows
        for w in (self.history_empty, self.history_start, self.history_spacer):
            w.setVisible(empty)
        for w in (self.table, self.history_delete):
            w.setVisible(not empty)
        self.table.setRowCount(len(rows))
        right = Qt.AlignRight | Qt.AlignVCenter
        for i, r in enumerate(rows):
            cells = [(started_label(r["started_at"]), None), (self.round_title(r["round_id"]), None),
                     (clock(r["duration_s"] or 0), right),
                     (f"{r['total']:.1f}" if r["total"] is not None else "–", right),
                     (status_text(r), None)]
            for j, (val, align) in enumerate(cells):
                item = QTableWidgetItem(val)
                item.setData(Qt.UserRole, r["id"])
                if align is not None:
                    item.setTextAlignment(align)
                if j == 1 and val != r["round_id"]:
                    item.setToolTip(f"{val} ({r['round_id']})")
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)  # the round's title takes the room
        self._history_chart(rows)

    def _history_chart(self, rows: list[dict]) -> None:
        """Totals (0–100) of the scored sessions over attempts 1…N, oldest first: one line with dots
        per round (a legend when there are several), hidden when nothing is scored yet."""
        from voiceround.ui import theme
        from voiceround.ui.replay import attempt_axis, series_colors
        scored = [r for r in reversed(rows) if r["total"] is not None]
        self.chart_view.setVisible(bool(scored))
        if not scored:
            self.chart_view.setChart(QChart())
            return
        chart = QChart()
        chart.setTheme(theme.chart_theme())  # first: a theme set later recolours the series
        rubrics = {self._round_info(r["round_id"])[1] for r in scored}
        rubric = rubrics.pop() if len(rubrics) == 1 else None
        chart.setTitle(f"{rubric} total over time" if rubric else "Total over time")
        x = attempt_axis(len(scored))
        y = QValueAxis()
        y.setRange(0, 105)  # 100 is drawn whole, not clipped at the top
        y.setTickType(QValueAxis.TicksDynamic)
        y.setTickAnchor(0)
        y.setTickInterval(25)
        y.setLabelFormat("%d")
        y.setTitleText("total (0–100)")
        chart.addAxis(x, Qt.AlignBottom)
        chart.addAxis(y, Qt.AlignLeft)
        by_round: dict[str, list[tuple[int, dict]]] = {}
        for n, r in enumerate(scored, start=1):
            by_round.setdefault(r["round_id"], []).append((n, r))
        tips: dict[int, str] = {}
        colors = series_colors(chart, len(by_round))
        for k, (rid, pts) in enumerate(by_round.items()):
            col = QColor(colors[k])
            line, dots = QLineSeries(), QScatterSeries()
            line.setName(self.round_title(rid))
            for n, r in pts:
                line.append(n, r["total"])
                dots.append(n, r["total"])
                tips[n] = f"Attempt {n} · {started_label(r['started_at'])} · {self.round_title(rid)}: {r['total']:.1f}"
            for srs in (line, dots):
                chart.addSeries(srs)
                srs.attachAxis(x)
                srs.attachAxis(y)
            line.setPen(QPen(col, 2.5))
            dots.setColor(col)
            dots.setBorderColor(col)
            dots.setMarkerSize(11)
            dots.hovered.connect(lambda p, state: state and QToolTip.showText(QCursor.pos(), tips.get(round(p.x()), "")))
        legend = chart.legend()
        legend.setVisible(len(by_round) > 1)
        for marker in legend.markers():
            if isinstance(marker.series(), QScatterSeries):
                marker.setVisible(False)  # one legend entry per round: its line
        legend.setAlignment(Qt.AlignBottom)
        self.chart_view.setChart(chart)

    def _open_history_row(self, row: int, _col: int) -> None:
        """Double-click in History: that session's scorecard (read on a thread)."""
        item = self.table.item(row, 0)
        sid = item.data(Qt.UserRole) if item is not None and item.data(Qt.UserRole) else self.history_rows[row]["id"]

        def show(data):
            row, card, tr = data
            self.current_session = sid
            self.present_card(card, session_header(row), self.session_round((card or {}).get("round") or row.get("round_id")), sid, tr)
        self.run_task("open", lambda: self.control.read(lambda st: (st.session(sid), st.scorecard(sid), st.transcript(sid))), show)

    # -- recovery --------------------------------------------------------------------------------
    def check_unfinished(self) -> None:
        """On start: sessions a crash or kill left unfinished, or whose scoring failed (read on a
        thread), each offered by :meth:`recover`."""
        self.run_task("unfinished", self.control.unfinished, lambda rows: rows and self.recover(rows))

    def recover(self, rows: list[dict]) -> None:
        """Offer each session to recover (interrupted, or ended but not scored): finish scoring it
        or discard it."""
        for r in rows:
            box = QMessageBox(self)
            started = r['started_at'][:16].replace('T', ' ')
            if r.get("unscored"):
                box.setWindowTitle("Score a round again")
                box.setText(f"The round started {started} ({r['turns']} turns, {clock(r['duration_s'] or 0)}) was saved, "
                            "but scoring it failed. Everything said was kept.")
            else:
                box.setWindowTitle("Recover an interrupted round")
                box.setText(f"The round started {started} was interrupted after {r['turns']} turns "
                            f"({clock(r['duration_s'] or 0)}). Everything up to then was saved.")
            keep = box.addButton("Finish scoring it", QMessageBox.AcceptRole)
            drop = box.addButton("Discard it", QMessageBox.DestructiveRole)
            box.addButton("Later", QMessageBox.RejectRole)
            box.exec()
            sid = r["id"]
            if box.clickedButton() is keep:
                def show(card, sid=sid, r=r):
                    self.current_session = sid
                    self.present_card(card, session_header(r) + " · recovered", self.session_round(card.get("round")), sid)
                rnd = self.session_round(r.get("round_id"))
                self.run_task("recover", lambda sid=sid, rnd=rnd: self.control.recover(sid, rnd), show)
            elif box.clickedButton() is drop:
                self.run_task("discard", lambda sid=sid: self.control.delete(sid), lambda _: None)

    def delete_selected_session(self) -> None:
        """History → Delete session: its rows and its audio, after confirmation."""
        row = self.table.currentRow()
        if row < 0:
            return
        item = self.table.item(row, 0)
        sid = item.data(Qt.UserRole) if item is not None and item.data(Qt.UserRole) else self.history_rows[row]["id"]
        when = item.text() if item is not None else sid
        if QMessageBox.question(self, "Delete session", f"Delete the session of {when} and its recording? This can't be undone.") != QMessageBox.Yes:
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
        """Open Replay on ``session_id`` at ``seconds`` (an evidence link, or View → Replay). Without
        a session: the Replay page as it is (its empty state says how to open one)."""
        if not session_id:
            self.show_page("Replay")
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
        # the replace prompt is asked below, of the name the PDF is written under (Qt's own named
        # "notes.txt" while the PDF went to notes.txt.pdf: a new user's test)
        path, _ = QFileDialog.getSaveFileName(self, "Export scorecard PDF", f"voiceround-{sid}.pdf", "PDF (*.pdf)",
                                              options=QFileDialog.DontConfirmOverwrite)
        if not path:
            return
        # A name typed without ".pdf" gets it (Qt's own dialog doesn't add it); then a file that is not
        # an earlier export is never replaced: Qt's "already exists" prompt is no guard (a new user's
        # test replaced a text file with the PDF), and the command line refuses the same (`export`).
        from voiceround.core.errors import VoiceRoundError
        from voiceround.storage import check_export_target
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            check_export_target(path, ".pdf", b"%PDF")
        except VoiceRoundError as exc:
            QMessageBox.warning(self, "VoiceRound", str(exc))
            return
        if os.path.exists(path) and QMessageBox.question(
                self, "VoiceRound", f"{os.path.basename(path)} already exists (an earlier export). Replace it?") != QMessageBox.Yes:
            return
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

