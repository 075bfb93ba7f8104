"""Replay (the session audio with its transcript) and Compare attempts.

Replay plays the session's one-timeline WAV with Qt Multimedia (play/pause, seek bar, 1×/1.5×/2×),
highlights the turn being heard, seeks when a turn is clicked, and marks interruptions and
barge-ins on the timeline. Unfinished sessions replay as far as they were recorded.
"""
from __future__ import annotations

import html

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from voiceround.report import clock


class ReplayPage(QWidget):
    """Replay one stored session. :meth:`load` a session id, :meth:`seek` to seconds."""

    MARK_KINDS = ("interruption", "barge_in")

    def __init__(self):
        super().__init__()
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
        self.player = QMediaPlayer(self)
        self.audio_out = QAudioOutput(self)
        self.player.setAudioOutput(self.audio_out)
        self.player.positionChanged.connect(self._on_position)
        self.player.durationChanged.connect(lambda ms: self.slider.setRange(0, max(ms, int(self.duration_s * 1000))))
        v = QVBoxLayout(self)
        self.title = QLabel("Replay: open a session from History or click an evidence quote.")
        f = self.title.font()
        f.setPointSize(f.pointSize() + 3)
        f.setBold(True)
        self.title.setFont(f)
        v.addWidget(self.title)
        row = QHBoxLayout()
        self.play_btn = QPushButton("Play")
        self.play_btn.clicked.connect(self.toggle)
        self.speed = QComboBox()
        self.speed.addItems(["1×", "1.5×", "2×"])
        self.speed.currentTextChanged.connect(lambda t: self.player.setPlaybackRate(float(t.rstrip("×"))))
        self.slider = QSlider(Qt.Horizontal)
        self.slider.sliderMoved.connect(lambda ms: self.seek(ms / 1000.0))
        self.time_label = QLabel("0:00 / 0:00")
        row.addWidget(self.play_btn)
        row.addWidget(self.speed)
        row.addWidget(self.slider, 1)
        row.addWidget(self.time_label)
        v.addLayout(row)
        self.marks = QLabel("")
        self.marks.setStyleSheet("color:#a40")
        v.addWidget(self.marks)
        self.turns = QListWidget()
        self.turns.setWordWrap(True)
        self.turns.itemClicked.connect(lambda item: self.seek(item.data(Qt.UserRole)))
        v.addWidget(self.turns, 1)
        self.session_id = ""
        self.turn_times: list[tuple[float, float]] = []
        self.duration_s = 0.0
        self.position_s = 0.0

    @staticmethod
    def read(store, session_id: str) -> tuple[dict, object, list[dict]]:
        """What Replay shows of ``session_id``: ``(session row, transcript, events)``. Runs off the GUI
        thread (through :meth:`voiceround.session.controller.SessionController.read`)."""
        return store.session(session_id), store.transcript(session_id), store.events(session_id)

    def show(self, session_id: str, data: tuple[dict, object, list[dict]]) -> None:
        """Show a session read by :meth:`read`: its turns, marks and audio (GUI thread)."""
        row, tr, events = data
        self.session_id = session_id
        self.turns.clear()
        self.turn_times = []
        for t in tr.turns:
            who = "Interviewer" if t.speaker == "interviewer" else "You"
            item = QListWidgetItem(f"[{clock(t.start_s)}] {who}: {t.text}")
            item.setData(Qt.UserRole, float(t.start_s))
            self.turns.addItem(item)
            self.turn_times.append((t.start_s, t.end_s))
        self.duration_s = max([t.end_s for t in tr.turns] + [row.get("duration_s") or 0.0])
        marks = [f"{ev['kind'].replace('_', '-')} at {clock(ev['t_s'])}" for ev in events if ev["kind"] in self.MARK_KINDS]
        self.marks.setText(("Marked: " + ", ".join(marks)) if marks else "")
        status = " (unfinished: replays as far as it was recorded)" if row["unfinished"] else ""
        self.title.setText(f"Replay · session {html.escape(session_id)} · {clock(self.duration_s)}{status}")
        self.slider.setRange(0, int(self.duration_s * 1000))
        if row.get("audio_path"):
            self.player.setSource(QUrl.fromLocalFile(row["audio_path"]))

    def toggle(self) -> None:
        """Play or pause."""
        from PySide6.QtMultimedia import QMediaPlayer
        if self.player.playbackState() == QMediaPlayer.PlayingState:
            self.player.pause()
            self.play_btn.setText("Play")
        else:
            self.player.play()
            self.play_btn.setText("Pause")

    def seek(self, seconds: float) -> None:
        """Move playback to ``seconds`` and highlight the turn there."""
        self.player.setPosition(int(seconds * 1000))
        self._on_position(int(seconds * 1000))

    def current_turn(self) -> int:
        """Index of the turn at the current position (the last one started), or -1."""
        idx = -1
        for i, (start, _end) in enumerate(self.turn_times):
            if start <= self.position_s + 1e-6:
                idx = i
        return idx

    def _on_position(self, ms: int) -> None:
        self.position_s = ms / 1000.0
        if not self.slider.isSliderDown():
            self.slider.setValue(ms)
        self.time_label.setText(f"{clock(self.position_s)} / {clock(self.duration_s)}")
        i = self.current_turn()
        if i >= 0 and self.turns.currentRow() != i:
            self.turns.setCurrentRow(i)
            self.turns.scrollToItem(self.turns.item(i))


class ComparePage(QWidget):
    """Two sessions of the same round side by side (totals, tiers and their change, traps that
    appeared or went away) and a chart of every dimension over all attempts."""

    def __init__(self, rnd):
        super().__init__()
        self.rnd = rnd
        v = QVBoxLayout(self)
        row = QHBoxLayout()
        self.a = QComboBox()
        self.b = QComboBox()
        for label, combo in (("Earlier", self.a), ("Later", self.b)):
            row.addWidget(QLabel(label))
            row.addWidget(combo, 1)
            combo.currentIndexChanged.connect(self.update_table)
        v.addLayout(row)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["", "Earlier", "Later", "Change"])
        self.table.horizontalHeader().setStretchLastSection(True)
        v.addWidget(self.table, 1)
        self.traps = QLabel("")
        self.traps.setWordWrap(True)
        v.addWidget(self.traps)
        self.chart = QChartView()
        self.chart.setRenderHint(QPainter.Antialiasing)
        self.chart.setMinimumHeight(240)
        v.addWidget(self.chart, 1)
        self.cards: dict[str, dict] = {}

    @staticmethod
    def read(store, round_id: str) -> tuple[list[dict], dict[str, dict]]:
        """The scored sessions of ``round_id``, oldest first, and their scorecards. Runs off the GUI thread."""
        rows = [r for r in reversed(store.sessions()) if r["round_id"] == round_id and r["total"] is not None]
        return rows, {r["id"]: store.scorecard(r["id"]) for r in rows}

    def show(self, data: tuple[list[dict], dict[str, dict]]) -> None:
        """Fill the pickers, table and chart from :meth:`read`'s result (GUI thread)."""
        rows, self.cards = data
        for combo in (self.a, self.b):
            combo.blockSignals(True)
            combo.clear()
            for r in rows:
                combo.addItem(f"{r['started_at'][:16].replace('T', ' ')} · {r['total']:.1f}", r["id"])
            combo.blockSignals(False)
        if len(rows) >= 2:
            self.a.setCurrentIndex(len(rows) - 2)
            self.b.setCurrentIndex(len(rows) - 1)
        self.update_table()
        self._chart(rows)

    def update_table(self) -> None:
        a, b = self.cards.get(self.a.currentData()), self.cards.get(self.b.currentData())
        dims = self.rnd.rubrics[self.rnd.primary_rubric].dimensions
        self.table.setRowCount(len(dims) + 1)
        if not a or not b:
            self.traps.setText("Pick two scored sessions of this round.")
            return

        def put(r, name, x, y, fmt):
            delta = y - x
            for c, val in enumerate((name, fmt(x), fmt(y), f"{delta:+.1f}" if isinstance(delta, float) else f"{delta:+d}")):
                self.table.setItem(r, c, QTableWidgetItem(val))
        put(0, "Total", a["total"], b["total"], lambda x: f"{x:.1f}")
        for i, d in enumerate(dims, start=1):
            put(i, d.name, a["dimensions"][d.id]["tier"], b["dimensions"][d.id]["tier"], lambda x: f"tier {x}")
        ta, tb = {t["id"]: t["name"] for t in a["traps"]}, {t["id"]: t["name"] for t in b["traps"]}
        gone = ", ".join(ta[k] for k in ta if k not in tb) or "none"
        new = ", ".join(tb[k] for k in tb if k not in ta) or "none"
        self.traps.setText(f"Traps that went away: {gone}. Traps that appeared: {new}.")

    def _chart(self, rows) -> None:
        chart = QChart()
        chart.setTitle("Every dimension over all attempts")
        x, y = QValueAxis(), QValueAxis()
        x.setTitleText("attempt")
        x.setLabelFormat("%d")
        x.setRange(1, max(2, len(rows)))
        y.setRange(1, 4)
        y.setTickCount(4)
        y.setTitleText("tier")
        chart.addAxis(x, Qt.AlignBottom)
        chart.addAxis(y, Qt.AlignLeft)
        for d in self.rnd.rubrics[self.rnd.primary_rubric].dimensions:
            s = QLineSeries()
            s.setName(d.name)
            for i, r in enumerate(rows, start=1):
                s.append(i, self.cards[r["id"]]["dimensions"][d.id]["tier"])
            chart.addSeries(s)
            s.attachAxis(x)
            s.attachAxis(y)
        self.chart.setChart(chart)
