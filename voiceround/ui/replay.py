"""Replay (the session audio with its transcript) and Compare attempts.

Replay plays the session's one-timeline WAV with Qt Multimedia (play/pause, seek bar, 1×/1.5×/2×),
draws the recording as a waveform strip (turns shaded by speaker, interruptions and barge-ins
marked, the play position drawn; a click seeks), lists the turns with the speaker's name in its
colour, highlights the turn being heard and seeks when a turn is clicked. Keys while the page has
focus: Space plays/pauses, Left/Right seek 5 s, Up/Down go to the previous/next turn. Unfinished
sessions replay as far as they were recorded.

Compare shows two scored sessions of the same round side by side and every dimension's tier over
all attempts.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCharts import QCategoryAxis, QChart, QChartView, QLineSeries
from PySide6.QtCore import QEvent, QLineF, QPointF, QRect, QRectF, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QCursor, QKeySequence, QPainter, QPalette, QPen, QPolygonF, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSlider,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from voiceround.report import clock
from voiceround.ui import media, theme
from voiceround.ui.scorecard import title_label

WAVE_BINS = 2400  # envelope bins read per session (about two per pixel of a full-width strip)
SEEK_STEP_S = 5.0  # Left/Right
SHORT_RECORDING_S = 1.0  # a finished session's recording this much shorter than its turns is said to be cut short
SPEAKERS = {"interviewer": "Interviewer", "candidate": "You"}
MARK_NAMES = {"interruption": "interruption", "barge_in": "barge-in"}
MARK_ROLES = {"interruption": "bad", "barge_in": "warn"}  # theme colour roles of the markers
TURN_ROLE = Qt.UserRole + 1  # a turn item's (speaker, start_s, text) for the delegate


def started_label(iso: str) -> str:
    """A stored ``started_at`` (ISO 8601, UTC) as local ``YYYY-MM-DD HH:MM``; the text as given when unparsable."""
    import datetime as dt
    try:
        t = dt.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso or "")[:16].replace("T", " ")
    if t.tzinfo is not None:
        t = t.astimezone()
    return t.strftime("%Y-%m-%d %H:%M")


# -- the waveform --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Envelope:
    """The min/max envelope of a recording.

    ``mins``, ``maxs``: float32 arrays of shape ``(bins,)``, sample values in −1…1; bin ``i`` covers
    samples ``[i * samples_per_bin, (i + 1) * samples_per_bin)`` (the last bin may be shorter).
    ``rate``: samples per second; ``duration_s``: seconds of audio (frames / rate).
    """

    mins: np.ndarray
    maxs: np.ndarray
    samples_per_bin: int
    rate: int
    duration_s: float

    def __len__(self) -> int:
        return len(self.mins)


def read_envelope(path: str | Path | None, bins: int = WAVE_BINS) -> tuple[Envelope | None, str]:
    """Read the audio file at ``path`` with soundfile, block by block, and reduce it to at most
    ``bins`` min/max pairs (numpy): ``(envelope, "")``. Multi-channel audio is averaged to mono.
    Files with fewer than ``bins`` samples get one bin per sample.

    Never raises for a bad file: a missing path, a missing, unreadable or empty file gives
    ``(None, note)`` with a short note for the user."""
    if not path:
        return None, "No recording was saved for this session."
    p = Path(path)
    if not p.is_file():
        return None, f"The recording {p.name} is missing, so there is no waveform and nothing to play."
    try:
        import soundfile as sf
        with sf.SoundFile(str(p)) as f:
            frames, rate = f.frames, f.samplerate
            if frames <= 0:
                return None, "The recording is empty."
            spb = max(1, math.ceil(frames / max(1, bins)))
            mins, maxs = [], []
            for block in f.blocks(blocksize=spb * 512, dtype="float32", always_2d=True):
                mono = block.mean(axis=1) if block.shape[1] > 1 else block[:, 0]
                full = len(mono) // spb
                if full:
                    m = mono[: full * spb].reshape(full, spb)
                    mins.append(m.min(axis=1))
                    maxs.append(m.max(axis=1))
                if len(mono) > full * spb:  # the last, shorter bin
                    rest = mono[full * spb:]
                    mins.append(rest.min(keepdims=True))
                    maxs.append(rest.max(keepdims=True))
    except Exception as exc:  # soundfile raises LibsndfileError / RuntimeError / OSError
        return None, f"The recording {p.name} can't be read ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})."
    if not mins:
        return None, "The recording is empty."
    return Envelope(np.concatenate(mins).astype(np.float32), np.concatenate(maxs).astype(np.float32), spb, int(rate),
                    frames / float(rate)), ""


class WaveformView(QWidget):
    """A strip with the session recording's min/max envelope over the session timeline
    (0…``duration_s`` seconds, left to right): turns shaded and the envelope coloured by speaker,
    interruptions and barge-ins marked (their tooltip names them), the play position drawn.
    A click or drag emits :attr:`seek_requested` with the seconds under the pointer."""

    seek_requested = Signal(float)
    TOP, BOTTOM = 12, 18  # px above the wave (markers) and below it (time labels)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.envelope: Envelope | None = None
        self.note = ""
        self.duration_s = 0.0
        self.position_s = 0.0
        self.turns: list[tuple[str, float, float]] = []  # (speaker, start_s, end_s)
        self.marks: list[tuple[str, float, str]] = []  # (kind, t_s, detail)
        self._columns: tuple[int, np.ndarray, np.ndarray] | None = None
        self._lines: tuple[tuple, dict] | None = None
        self.setMinimumHeight(110)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setMouseTracking(True)
        self.setAccessibleName("Session waveform")
        self.setAccessibleDescription("The recording over time, shaded by speaker, with interruptions and barge-ins marked. "
                                      "Click to seek; Left and Right arrows seek 5 seconds.")
        self.setToolTip("Click to seek (Left/Right: 5 s back/forward, Space: play/pause)")

    def sizeHint(self) -> QSize:
        return QSize(800, 120)

    def set_data(self, envelope: Envelope | None, note: str, duration_s: float,
                 turns: list[tuple[str, float, float]], marks: list[tuple[str, float, str]]) -> None:
        """What to draw: the envelope (or None and a ``note``), the timeline length in seconds, the
        turns ``(speaker, start_s, end_s)`` and the marks ``(kind, t_s, detail)``."""
        self.envelope, self.note, self.duration_s = envelope, note, max(0.0, float(duration_s))
        self.turns, self.marks = list(turns), list(marks)
        self._columns = self._lines = None
        self.position_s = 0.0
        self.update()

    def set_position(self, seconds: float) -> None:
        """Draw the play position at ``seconds``."""
        if abs(seconds - self.position_s) > 1e-3:
            self.position_s = seconds
            self.update()

    # geometry
    def _wave_rect(self) -> QRect:
        return self.rect().adjusted(1, self.TOP, -1, -self.BOTTOM)

    def x_of(self, seconds: float) -> float:
        """The x pixel of ``seconds`` on the timeline."""
        r = self._wave_rect()
        if self.duration_s <= 0:
            return float(r.left())
        return r.left() + r.width() * min(max(seconds / self.duration_s, 0.0), 1.0)

    def seconds_at(self, x: float) -> float:
        """The seconds on the timeline under the x pixel ``x`` (clamped to 0…``duration_s``)."""
        r = self._wave_rect()
        if r.width() <= 0:
            return 0.0
        return min(max((x - r.left()) / r.width(), 0.0), 1.0) * self.duration_s

    def _column_envelope(self, width: int) -> tuple[np.ndarray, np.ndarray]:
        """The envelope re-binned to ``width`` pixel columns over the timeline (NaN where there is no audio)."""
        if self._columns and self._columns[0] == width:
            return self._columns[1], self._columns[2]
        env = self.envelope
        lo = np.full(width, np.nan, np.float32)
        hi = np.full(width, np.nan, np.float32)
        if env is not None and len(env) and self.duration_s > 0 and width > 0:
            bin_s = env.samples_per_bin / env.rate
            centers = (np.arange(len(env)) + 0.5) * bin_s
            cols = np.minimum((centers / self.duration_s * width).astype(np.int64), width - 1)
            lo_v = np.full(width, np.inf, np.float32)
            hi_v = np.full(width, -np.inf, np.float32)
            np.minimum.at(lo_v, cols, env.mins)
            np.maximum.at(hi_v, cols, env.maxs)
            have = np.isfinite(lo_v)
            if have.any():  # more columns than bins: a column takes the values of the one before it
                pos = np.arange(width)
                idx = np.maximum.accumulate(np.where(have, pos, 0))
                ok = (pos <= np.flatnonzero(have)[-1]) & np.isfinite(lo_v[idx])
                lo[ok], hi[ok] = lo_v[idx][ok], hi_v[idx][ok]
        self._columns = (width, lo, hi)
        return lo, hi

    def _wave_lines(self, r: QRect) -> dict[str | None, list[QLineF]]:
        """The envelope as one vertical line per pixel column of ``r``, grouped by the speaker
        heard there (None outside turns); cached per size."""
        key = (r.width(), r.height(), r.left(), r.top())
        if self._lines is not None and self._lines[0] == key:
            return self._lines[1]
        lo, hi = self._column_envelope(r.width())
        t = (np.arange(r.width()) + 0.5) / max(1, r.width()) * self.duration_s
        who = np.full(r.width(), -1)
        for k, (_speaker, start, end) in enumerate(self.turns):
            who[(t >= start) & (t <= end)] = k  # the later turn wins where they overlap (a barge-in)
        mid, half = r.center().y(), r.height() / 2 - 2
        lines: dict[str | None, list[QLineF]] = {}
        for i in np.flatnonzero(~np.isnan(lo)):
            x = r.left() + i + 0.5
            y0, y1 = mid - float(hi[i]) * half, mid - float(lo[i]) * half
            if y1 - y0 < 1:
                y0, y1 = mid - 0.5, mid + 0.5
            speaker = self.turns[who[i]][0] if who[i] >= 0 else None
            lines.setdefault(speaker, []).append(QLineF(x, y0, x, y1))
        self._lines = (key, lines)
        return lines

    # painting
    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        pal = self.palette()
        r = self._wave_rect()
        p.fillRect(self.rect(), pal.color(QPalette.Window))
        p.fillRect(r, pal.color(QPalette.Base))
        speaker_colors = {s: QColor(theme.color(s)) for s in SPEAKERS}
        muted = QColor(theme.color("muted"))
        for speaker, start, end in self.turns:  # shading
            c = QColor(speaker_colors.get(speaker, muted))
            c.setAlpha(46 if speaker == "interviewer" else 30)
            x0, x1 = self.x_of(start), self.x_of(end)
            p.fillRect(QRectF(x0, r.top(), max(1.0, x1 - x0), r.height()), c)
        if self.envelope is not None:
            for who, segs in self._wave_lines(r).items():
                p.setPen(QPen(speaker_colors.get(who, muted), 1))
                p.drawLines(segs)
        else:
            p.setPen(muted)
            p.drawText(r.adjusted(8, 0, -8, 0), Qt.AlignCenter | Qt.TextWordWrap, self.note or "No waveform")
        for kind, t, _detail in self.marks:  # markers: a dashed line under a triangle (interruption) or a diamond (barge-in)
            c = QColor(theme.color(MARK_ROLES.get(kind, "warn")))
            x = self.x_of(t)
            p.setPen(QPen(c, 1.5, Qt.DashLine))
            p.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()))
            p.setPen(Qt.NoPen)
            p.setBrush(c)
            if kind == "barge_in":
                shape = [QPointF(x, 0), QPointF(x + 5, self.TOP / 2), QPointF(x, self.TOP), QPointF(x - 5, self.TOP / 2)]
            else:
                shape = [QPointF(x - 5, 1), QPointF(x + 5, 1), QPointF(x, self.TOP - 1)]
            p.drawPolygon(QPolygonF(shape))
        if self.duration_s > 0:  # play position: an accent line with a halo in the background colour, a knob below
            accent = QColor(theme.color("accent"))
            x = self.x_of(self.position_s)
            p.setPen(QPen(pal.color(QPalette.Base), 5))
            p.drawLine(QPointF(x, r.top() + 1), QPointF(x, r.bottom() - 1))
            p.setPen(QPen(accent, 2))
            p.drawLine(QPointF(x, r.top() - 2), QPointF(x, r.bottom() + 2))
            p.setPen(Qt.NoPen)
            p.setBrush(accent)
            p.drawEllipse(QPointF(x, r.bottom() + 1), 4, 4)
        p.setPen(muted)  # time labels
        f = p.font()
        f.setPointSizeF(max(6.0, f.pointSizeF() * 0.85))
        p.setFont(f)
        step = self._label_step(r.width())
        t = 0.0
        while step and t <= self.duration_s + 1e-6:
            x = self.x_of(t)
            p.drawLine(QPointF(x, r.bottom()), QPointF(x, r.bottom() + 3))
            label = clock(t)
            w = p.fontMetrics().horizontalAdvance(label)
            p.drawText(QPointF(min(max(x - w / 2, r.left()), r.right() - w), self.height() - 3), label)
            t += step
        p.setBrush(Qt.NoBrush)
        p.setPen(QPen(pal.color(QPalette.Highlight) if self.hasFocus() else pal.color(QPalette.Mid), 2 if self.hasFocus() else 1))
        p.drawRect(r.adjusted(0, 0, -1, -1))
        p.end()

    def _label_step(self, width: int) -> float:
        if self.duration_s <= 0 or width <= 0:
            return 0.0
        for step in (5, 10, 15, 30, 60, 120, 300, 600, 1200):
            if self.duration_s / step * 60 <= width:  # labels at least 60 px apart
                return float(step)
        return 1800.0

    # interaction
    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.LeftButton and self.duration_s > 0:
            self.seek_requested.emit(self.seconds_at(event.position().x()))
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if event.buttons() & Qt.LeftButton and self.duration_s > 0:
            self.seek_requested.emit(self.seconds_at(event.position().x()))
        super().mouseMoveEvent(event)

    def mark_at(self, x: float) -> tuple[str, float, str] | None:
        """The mark within 5 px of the x pixel ``x``, or None."""
        best = min(self.marks, key=lambda m: abs(self.x_of(m[1]) - x), default=None)
        return best if best is not None and abs(self.x_of(best[1]) - x) <= 5 else None

    def event(self, event) -> bool:
        if event.type() == QEvent.ToolTip:
            m = self.mark_at(event.position().x() if hasattr(event, "position") else event.pos().x())
            if m is not None:
                kind, t, detail = m
                QToolTip.showText(event.globalPos(), f"{MARK_NAMES.get(kind, kind).capitalize()} at {clock(t)}" + (f" ({detail})" if detail else ""), self)
                return True
        return super().event(event)


# -- the turn list -------------------------------------------------------------------------------
class TurnDelegate(QStyledItemDelegate):
    """Draws a turn item as "timestamp  Speaker: text", the speaker's name bold in its colour
    (:func:`voiceround.ui.theme.color` ``interviewer`` / ``candidate``), the time muted, wrapped to
    the list's width. The item's :data:`TURN_ROLE` holds ``(speaker, start_s, text)``."""

    def _doc(self, index, width: int, selected: bool, pal: QPalette) -> QTextDocument:
        speaker, start, text = index.data(TURN_ROLE)
        if selected:
            who_c = time_c = pal.color(QPalette.HighlightedText).name()
        else:
            who_c, time_c = theme.color(speaker if speaker in SPEAKERS else "text"), theme.color("muted")
        doc = QTextDocument()
        doc.setDocumentMargin(4)
        doc.setDefaultFont(self.parent().font() if self.parent() else QApplication.font())
        doc.setHtml(f"<span style='color:{time_c}'>{clock(start)}</span>&nbsp;&nbsp;"
                    f"<b style='color:{who_c}'>{html.escape(SPEAKERS.get(speaker, speaker))}:</b> {html.escape(text)}")
        doc.setTextWidth(max(50, width))
        return doc

    def _width(self, option) -> int:
        view = self.parent()
        if isinstance(view, QListView):
            return view.viewport().width() - 2 * view.spacing()
        return option.rect.width()

    def paint(self, painter, option, index) -> None:
        if index.data(TURN_ROLE) is None:
            return super().paint(painter, option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        selected = bool(opt.state & QStyle.State_Selected)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.CE_ItemViewItem, opt, painter, opt.widget)  # background, selection, focus
        doc = self._doc(index, opt.rect.width(), selected, opt.palette)
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, opt.rect.width(), opt.rect.height()))
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette.setColor(QPalette.Text, opt.palette.color(QPalette.HighlightedText if selected else QPalette.Text))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        if index.data(TURN_ROLE) is None:
            return super().sizeHint(option, index)
        w = self._width(option)
        doc = self._doc(index, w, False, option.palette)
        return QSize(w, math.ceil(doc.size().height()))


# -- Replay --------------------------------------------------------------------------------------
class ReplayPage(QWidget):
    """Replay one stored session: :meth:`read` it off the GUI thread, :meth:`show` it, :meth:`seek`
    to seconds. Before a session is opened it shows how to open one and a button that emits
    :attr:`open_history_requested`."""

    MARK_KINDS = ("interruption", "barge_in")
    open_history_requested = Signal()

    def __init__(self):
        super().__init__()
        self.player, self.audio_out = media.new_player(self)  # made by Qt: a Python-made player froze the app (media.py)
        self.player.positionChanged.connect(self._on_position)
        self.player.durationChanged.connect(lambda ms: self.slider.setRange(0, max(ms, int(self.duration_s * 1000))))
        self.player.playbackStateChanged.connect(self._on_state)
        self.player.mediaStatusChanged.connect(self._on_media_status)
        self.player.errorOccurred.connect(self._on_player_error)
        self.session_id = ""
        self.turn_times: list[tuple[float, float]] = []
        self.duration_s = 0.0
        self.position_s = 0.0
        self.recorded_s = 0.0  # how much of the session the recording holds (seconds)
        self._pending_ms: int | None = None  # a seek asked before the media was loaded
        self._focus_on_show = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)
        # empty state
        empty = QWidget()
        ev = QVBoxLayout(empty)
        ev.addWidget(title_label("Replay"))
        self.empty_label = QLabel("No session is open. Open one from History (double-click it), or click an evidence "
                                  "quote on a scorecard, to hear it here with its transcript.")
        self.empty_label.setWordWrap(True)
        ev.addWidget(self.empty_label)
        self.history_btn = QPushButton("Open History")
        self.history_btn.setToolTip("Pick a session to replay (Ctrl+H)")
        self.history_btn.clicked.connect(self.open_history_requested.emit)
        ev.addWidget(self.history_btn, 0, Qt.AlignLeft)
        ev.addStretch()
        self.pages.addWidget(empty)
        # a session
        body = QWidget()
        v = QVBoxLayout(body)
        self.title = QLabel("Replay")
        f = self.title.font()
        f.setPointSize(f.pointSize() + 3)
        f.setBold(True)
        self.title.setFont(f)
        self.title.setWordWrap(True)
        v.addWidget(self.title)
        row = QHBoxLayout()
        self.play_btn = QPushButton("Play")
        self.play_btn.setAccessibleName("Play or pause")
        self.play_btn.setToolTip("Play or pause the recording (Space)")
        self.play_btn.clicked.connect(self.toggle)
        self.speed = QComboBox()
        self.speed.addItems(["1×", "1.5×", "2×"])
        self.speed.setAccessibleName("Playback speed")
        self.speed.setToolTip("Playback speed")
        self.speed.currentTextChanged.connect(lambda t: self.player.setPlaybackRate(float(t.rstrip("×"))))
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setAccessibleName("Playback position")
        self.slider.setToolTip("Playback position (Left/Right: 5 s back/forward)")
        self.slider.setSingleStep(int(SEEK_STEP_S * 1000))
        self.slider.setPageStep(30_000)
        self.slider.sliderMoved.connect(lambda ms: self.seek(ms / 1000.0))
        self.slider.actionTriggered.connect(self._on_slider_action)
        self.time_label = QLabel("0:00 / 0:00")
        row.addWidget(self.play_btn)
        row.addWidget(self.speed)
        row.addWidget(self.slider, 1)
        row.addWidget(self.time_label)
        v.addLayout(row)
        self.waveform = WaveformView()
        self.waveform.seek_requested.connect(self.seek)
        v.addWidget(self.waveform)
        self.wave_note = QLabel("")
        self.wave_note.setWordWrap(True)
        self.wave_note.hide()
        v.addWidget(self.wave_note)
        self.legend = QLabel("")
        self.legend.setWordWrap(True)
        v.addWidget(self.legend)
        self.marks = QLabel("")
        self.marks.setWordWrap(True)
        v.addWidget(self.marks)
        self.turns = QListWidget()
        self.turns.setWordWrap(True)
        self.turns.setResizeMode(QListView.Adjust)
        self.turns.setVerticalScrollMode(QListView.ScrollPerPixel)
        self.turns.setItemDelegate(TurnDelegate(self.turns))
        self.turns.setAccessibleName("Transcript turns")
        self.turns.setToolTip("Click a turn to hear it (Up/Down: previous/next turn)")
        self.turns.itemClicked.connect(lambda item: self.seek(item.data(Qt.UserRole)))
        v.addWidget(self.turns, 1)
        keys = QLabel("Keys: Space play/pause · Left/Right 5 s back/forward · Up/Down previous/next turn · click the waveform to seek")
        keys.setWordWrap(True)
        self.keys_label = keys
        v.addWidget(keys)
        self.pages.addWidget(body)
        for key, fn in (("Space", self.toggle), ("Left", lambda: self.skip(-SEEK_STEP_S)), ("Right", lambda: self.skip(SEEK_STEP_S)),
                        ("Up", lambda: self.step_turn(-1)), ("Down", lambda: self.step_turn(1))):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.WidgetWithChildrenShortcut)
            sc.activated.connect(fn)
        self._restyle()

    def _restyle(self) -> None:
        """Colours of the page's own labels from the theme (called when a session is shown)."""
        muted, warn = theme.color("muted"), theme.color("warn")
        self.keys_label.setStyleSheet(f"color:{muted}")
        self.marks.setStyleSheet(f"color:{warn}")
        self.wave_note.setStyleSheet(f"color:{warn}")
        sw = "&#9632;"
        self.legend.setText(
            f"<span style='color:{theme.color('interviewer')}'>{sw} Interviewer</span> &nbsp; "
            f"<span style='color:{theme.color('candidate')}'>{sw} You</span> &nbsp; "
            f"<span style='color:{theme.color('bad')}'>&#9660; interruption</span> &nbsp; "
            f"<span style='color:{theme.color('warn')}'>&#9670; barge-in</span> &nbsp; "
            f"<span style='color:{theme.color('accent')}'>| play position</span>")

    @staticmethod
    def read(store, session_id: str) -> tuple[dict, object, list[dict], tuple[Envelope | None, str]]:
        """What Replay shows of ``session_id``: ``(session row, transcript, events, (envelope, note))``,
        the envelope (:func:`read_envelope`, :data:`WAVE_BINS` bins) of the session WAV at
        ``row["audio_path"]`` or None with a note when it is missing or unreadable. Runs off the GUI
        thread (through :meth:`voiceround.session.controller.SessionController.read`)."""
        row = store.session(session_id)
        return row, store.transcript(session_id), store.events(session_id), read_envelope(row.get("audio_path"))

    def show(self, session_id: str, data: tuple) -> None:
        """Show a session read by :meth:`read`: its turns, marks, waveform and audio (GUI thread)."""
        row, tr, events = data[:3]
        envelope, note = data[3] if len(data) > 3 else (None, "")
        self.player.stop()
        self.session_id = session_id
        self._pending_ms = None
        self._restyle()
        self.turns.clear()
        self.turn_times = []
        for t in tr.turns:
            who = SPEAKERS.get(t.speaker, t.speaker)
            item = QListWidgetItem(f"{clock(t.start_s)} {who}: {t.text}")  # the accessible text
            item.setData(Qt.UserRole, float(t.start_s))
            item.setData(TURN_ROLE, (t.speaker, float(t.start_s), t.text))
            self.turns.addItem(item)
            self.turn_times.append((t.start_s, t.end_s))
        self.duration_s = max([t.end_s for t in tr.turns] + [row.get("duration_s") or 0.0, envelope.duration_s if envelope else 0.0])
        marks = [(ev["kind"], float(ev["t_s"]), str((ev.get("data") or {}).get("reason", "") or ""))
                 for ev in events if ev["kind"] in self.MARK_KINDS]
        self.marks.setText(("Marked: " + ", ".join(f"{MARK_NAMES[k]} at {clock(t)}" for k, t, _ in marks)) if marks else "")
        self.marks.setVisible(bool(marks))
        # a recording cut short (a damaged or truncated file) of a finished session: said, not left to a
        # silent stop (a new user's test: a WAV cut to 3 s of a 2:57 session played nothing after 0:03)
        self.recorded_s = envelope.duration_s if envelope else 0.0
        if envelope and not note and not row["unfinished"] and self.recorded_s < self.duration_s - SHORT_RECORDING_S:
            note = (f"The recording stops at {clock(self.recorded_s)} of {clock(self.duration_s)} (cut short or damaged): "
                    "after that the turns are shown without sound.")
        self.waveform.set_data(envelope, note, self.duration_s, [(t.speaker, t.start_s, t.end_s) for t in tr.turns], marks)
        self.wave_note.setText(note)
        self.wave_note.setVisible(bool(note))
        status = " (unfinished: replays as far as it was recorded)" if row["unfinished"] else ""
        self.title.setText(f"Replay · {started_label(row.get('started_at') or '')} · {clock(self.duration_s)}{status}")
        self.title.setToolTip(f"Session {session_id}")
        self.slider.setRange(0, int(self.duration_s * 1000))
        self.time_label.setText(f"0:00 / {clock(self.duration_s)}")
        self.play_btn.setText("Play")
        has_audio = envelope is not None
        self.play_btn.setEnabled(has_audio)
        self.player.setSource(QUrl.fromLocalFile(row["audio_path"]) if has_audio else QUrl())
        self.pages.setCurrentIndex(1)
        self._focus_on_show = True
        if self.isVisible():
            self._take_focus()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._focus_on_show:
            QTimer.singleShot(0, self._take_focus)
            QTimer.singleShot(0, self._center_current)  # laid out only now

    def _center_current(self) -> None:
        item = self.turns.currentItem()
        if item is not None:
            self.turns.scrollToItem(item, QListView.PositionAtCenter)

    def _take_focus(self) -> None:
        """A session was opened: focus the waveform, so the page's keys work at once."""
        self._focus_on_show = False
        if self.session_id and not self.isAncestorOf(QApplication.focusWidget()):
            self.waveform.setFocus(Qt.OtherFocusReason)

    def is_playing(self) -> bool:
        """True while the player plays (or is about to, once the file is loaded)."""
        from PySide6.QtMultimedia import QMediaPlayer
        return self.player.playbackState() == QMediaPlayer.PlayingState

    def toggle(self) -> None:
        """Play or pause (Space)."""
        if not self.session_id or not self.play_btn.isEnabled():
            return
        if self.is_playing():
            self.player.pause()
        elif self.recorded_s < self.duration_s - SHORT_RECORDING_S and self.position_s >= self.recorded_s - 0.05:
            pass  # past the end of a recording cut short: nothing to play (the note says where it stops)
        else:
            self.player.play()
        self._on_state()

    def skip(self, seconds: float) -> None:
        """Seek ``seconds`` from the current position (Left: −5 s, Right: +5 s)."""
        if self.session_id:
            self.seek(self.position_s + seconds)

    def step_turn(self, delta: int) -> None:
        """Go to the start of the turn ``delta`` turns from the current one (Up: −1, Down: +1)."""
        if not self.turn_times:
            return
        i = self.current_turn()
        j = 0 if i < 0 else min(max(i + delta, 0), len(self.turn_times) - 1)
        self.seek(self.turn_times[j][0])

    def seek(self, seconds: float) -> None:
        """Move playback to ``seconds`` (clamped to the session) and highlight the turn there."""
        seconds = min(max(float(seconds), 0.0), self.duration_s) if self.duration_s > 0 else max(float(seconds), 0.0)
        ms = int(round(seconds * 1000))
        from PySide6.QtMultimedia import QMediaPlayer
        if self.player.mediaStatus() in (QMediaPlayer.NoMedia, QMediaPlayer.LoadingMedia) and not self.player.source().isEmpty():
            self._pending_ms = ms  # applied when the file is loaded
        self.player.setPosition(ms)
        self._on_position(ms)

    def current_turn(self) -> int:
        """Index of the turn at the current position (the last one started), or -1."""
        idx = -1
        for i, (start, _end) in enumerate(self.turn_times):
            if start <= self.position_s + 1e-6:
                idx = i
        return idx

    def _on_slider_action(self, _action) -> None:
        if not self.slider.isSliderDown():  # keys and clicks on the groove (a drag is sliderMoved)
            QTimer.singleShot(0, lambda: self.seek(self.slider.value() / 1000.0))

    def _on_state(self, *_args) -> None:
        self.play_btn.setText("Pause" if self.is_playing() else "Play")

    def _on_media_status(self, status) -> None:
        from PySide6.QtMultimedia import QMediaPlayer
        if status == QMediaPlayer.LoadedMedia and self._pending_ms is not None:
            ms, self._pending_ms = self._pending_ms, None
            self.player.setPosition(ms)

    def _on_player_error(self, _error, message: str) -> None:
        if message:
            self.wave_note.setText(f"The recording can't be played: {message}")
            self.wave_note.show()

    def _on_position(self, ms: int) -> None:
        self.position_s = ms / 1000.0
        if not self.slider.isSliderDown():
            self.slider.blockSignals(True)
            self.slider.setValue(ms)
            self.slider.blockSignals(False)
        self.time_label.setText(f"{clock(self.position_s)} / {clock(self.duration_s)}")
        self.waveform.set_position(self.position_s)
        i = self.current_turn()
        if i >= 0 and self.turns.currentRow() != i:
            self.turns.setCurrentRow(i)
            item = self.turns.item(i)
            if not self.turns.viewport().rect().contains(self.turns.visualItemRect(item)):
                self.turns.scrollToItem(item, QListView.PositionAtCenter)  # with the turns around it


# -- Compare -------------------------------------------------------------------------------------
def chart_backgrounds(chart: QChart) -> list[str]:
    """The ``#rrggbb`` colours of ``chart``'s background (its gradient's stops, or its one colour)."""
    brush = chart.backgroundBrush()
    grad = brush.gradient()
    return [c.name() for _, c in grad.stops()] if grad is not None and grad.stops() else [brush.color().name()]


def series_colors(chart: QChart, n: int) -> list[str]:
    """``n`` line colours from :data:`voiceround.ui.theme.SERIES` for ``chart`` (its theme already
    set): those with a contrast of at least 3:1 against every colour of its background (WCAG 2.1,
    1.4.11 non-text contrast) first, in palette order, then the rest; distinct while ``n`` ≤ 8."""
    bgs = chart_backgrounds(chart)
    ok = [c for c in theme.SERIES if min(theme.contrast(c, bg) for bg in bgs) >= 3.0]
    order = ok + [c for c in theme.SERIES if c not in ok]
    return [order[i % len(order)] for i in range(n)]


def attempt_axis(n: int, max_labels: int = 12) -> QCategoryAxis:
    """An x axis over attempts 1…``n`` labelled with whole numbers ("1", "2", …) placed on the
    values; above ``max_labels`` attempts every k-th attempt is labelled (always the first and last)."""
    axis = QCategoryAxis()
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPositionOnValue)
    step = max(1, math.ceil(n / max_labels))
    shown = [i for i in range(1, n + 1) if (i - 1) % step == 0]
    if shown[-1] != n:
        if n - shown[-1] < step / 2 and len(shown) > 1:
            shown.pop()
        shown.append(n)
    axis.setStartValue(0.7)
    for i in shown:
        axis.append(str(i), i)
    axis.setRange(0.7, n + 0.3)
    axis.setTitleText("attempt (oldest first)")
    return axis


class ComparePage(QWidget):
    """Two sessions of the same round side by side (totals, tiers and their change, traps that
    appeared or went away) and a chart of every dimension's tier (1–4) over all attempts, one
    colour per dimension. With fewer than two scored sessions it says how to get there."""

    def __init__(self, rnd):
        super().__init__()
        self.rnd = rnd
        v = QVBoxLayout(self)
        self.heading = title_label("Compare attempts")
        v.addWidget(self.heading)
        self.empty = QLabel("")
        self.empty.setWordWrap(True)
        v.addWidget(self.empty)
        self.body = QWidget()
        b = QVBoxLayout(self.body)
        b.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.a = QComboBox()
        self.b = QComboBox()
        for label, combo in (("&Earlier", self.a), ("&Later", self.b)):
            lab = QLabel(label)
            lab.setBuddy(combo)
            combo.setAccessibleName(f"{label.strip('&')} session")
            row.addWidget(lab)
            row.addWidget(combo, 1)
            combo.currentIndexChanged.connect(self.update_table)
        b.addLayout(row)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["", "Earlier", "Later", "Change"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        for c in (1, 2, 3):
            self.table.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setAccessibleName("Earlier and later attempt compared")
        b.addWidget(self.table)
        self.traps = QLabel("")
        self.traps.setWordWrap(True)
        b.addWidget(self.traps)
        self.chart = QChartView()
        self.chart.setRenderHint(QPainter.Antialiasing)
        self.chart.setMinimumHeight(280)
        self.chart.setAccessibleName("Every dimension's tier over all attempts")
        b.addWidget(self.chart, 2)
        v.addWidget(self.body, 1)
        self.spacer = QWidget()  # keeps the empty state at the top
        v.addWidget(self.spacer, 1)
        self.cards: dict[str, dict] = {}
        self.rows: list[dict] = []
        self._set_empty(True)

    def _set_empty(self, empty: bool) -> None:
        n = len(self.rows)
        have = "No scored session" if n == 0 else "Only one scored session"
        self.empty.setText(f"{have} of “{html.escape(self.rnd.title)}” so far. Finish two rounds of this round to compare them: "
                           "Round card → Prepare for this round (Ctrl+N).")
        self.empty.setVisible(empty)
        self.spacer.setVisible(empty)
        self.body.setVisible(not empty)

    @staticmethod
    def read(store, round_id: str) -> tuple[list[dict], dict[str, dict]]:
        """The scored sessions of ``round_id``, oldest first, and their scorecards. Runs off the GUI thread."""
        rows = [r for r in reversed(store.sessions()) if r["round_id"] == round_id and r["total"] is not None]
        return rows, {r["id"]: store.scorecard(r["id"]) for r in rows}

    def show(self, data: tuple[list[dict], dict[str, dict]]) -> None:
        """Fill the pickers, table and chart from :meth:`read`'s result (GUI thread)."""
        rows, self.cards = data
        self.rows = [r for r in rows if self.cards.get(r["id"])]
        for combo in (self.a, self.b):
            combo.blockSignals(True)
            combo.clear()
            for n, r in enumerate(self.rows, start=1):
                combo.addItem(f"Attempt {n} · {started_label(r['started_at'])} · {r['total']:.1f}", r["id"])
            combo.blockSignals(False)
        self._set_empty(len(self.rows) < 2)
        if len(self.rows) >= 2:
            self.a.setCurrentIndex(len(self.rows) - 2)
            self.b.setCurrentIndex(len(self.rows) - 1)
        self.update_table()
        self._chart(self.rows)

    def update_table(self) -> None:
        """Fill the table for the two picked sessions: the primary rubric's total, then each dimension's tier."""
        a, b = self.cards.get(self.a.currentData()), self.cards.get(self.b.currentData())
        rubric = self.rnd.rubrics[self.rnd.primary_rubric]
        dims = rubric.dimensions
        self.table.setRowCount(len(dims) + 1)
        if not a or not b:
            self.table.clearContents()
            self.traps.setText("Pick two scored sessions of this round.")
            return

        def put(r, name, x, y, fmt):
            delta = None if x is None or y is None else y - x
            if delta is None:
                change = "–"
            elif not delta:
                change = "0"
            else:
                change = (f"{delta:+.1f}" if isinstance(delta, float) else f"{delta:+d}") + (" ▲" if delta > 0 else " ▼")
            for c, val in enumerate((name, fmt(x), fmt(y), change)):
                item = QTableWidgetItem(val)
                if c:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                if c == 3 and delta:
                    item.setForeground(QColor(theme.color("good" if delta > 0 else "bad")))
                self.table.setItem(r, c, item)

        def tier(card, dim_id):
            return (card.get("dimensions", {}).get(dim_id) or {}).get("tier")
        put(0, f"{rubric.title} total", a["total"], b["total"], lambda x: "–" if x is None else f"{x:.1f}")
        for i, d in enumerate(dims, start=1):
            put(i, d.name, tier(a, d.id), tier(b, d.id), lambda x: "–" if x is None else f"tier {x}")
        self._fit_table()
        ta, tb = {t["id"]: t["name"] for t in a.get("traps", [])}, {t["id"]: t["name"] for t in b.get("traps", [])}
        gone = ", ".join(ta[k] for k in ta if k not in tb) or "none"
        new = ", ".join(tb[k] for k in tb if k not in ta) or "none"
        self.traps.setText(f"Traps that went away: {gone}. Traps that appeared: {new}.")

    def _fit_table(self) -> None:
        """Make the table exactly as tall as its rows (no scroll bar; the chart takes the rest)."""
        self.table.resizeRowsToContents()
        h = self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
        h += sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setFixedHeight(h)

    def _chart(self, rows) -> None:
        """Every dimension's tier over attempts 1…N: one line per dimension in its own colour of
        :data:`voiceround.ui.theme.SERIES` (:func:`series_colors`), with a legend; y labelled tier 1…4."""
        chart = QChart()
        chart.setTheme(theme.chart_theme())  # first: setting a theme later recolours the series
        chart.setTitle("Every dimension over all attempts")
        n = max(2, len(rows))
        x = attempt_axis(n)
        y = QCategoryAxis()
        y.setLabelsPosition(QCategoryAxis.AxisLabelsPositionOnValue)
        y.setStartValue(0.6)
        for t in range(1, 5):
            y.append(f"tier {t}", t)
        y.setRange(0.6, 4.4)
        chart.addAxis(x, Qt.AlignBottom)
        chart.addAxis(y, Qt.AlignLeft)
        dims = self.rnd.rubrics[self.rnd.primary_rubric].dimensions
        # lines on the same tier would hide each other: each is nudged a little up or down
        nudge = {d.id: (i - (len(dims) - 1) / 2) * 0.05 for i, d in enumerate(dims)}
        colors = series_colors(chart, len(dims))
        for i, d in enumerate(dims):
            s = QLineSeries()
            s.setName(d.name)
            for k, r in enumerate(rows, start=1):
                got = (self.cards[r["id"]].get("dimensions", {}).get(d.id) or {}).get("tier")
                if got is not None:
                    s.append(k, got + nudge[d.id])
            chart.addSeries(s)
            s.attachAxis(x)
            s.attachAxis(y)
            pen = QPen(QColor(colors[i]), 2.5)
            s.setPen(pen)
            s.setPointsVisible(True)
            s.setMarkerSize(7)
            s.hovered.connect(lambda point, state, name=d.name: state and QToolTip.showText(
                QCursor.pos(), f"{name}: tier {round(point.y())} (attempt {round(point.x())})"))
        chart.legend().setVisible(True)
        chart.legend().setAlignment(Qt.AlignBottom)
        self.chart.setChart(chart)
