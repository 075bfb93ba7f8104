"""Replay's media player, made by Qt rather than by Python, so Qt's media thread never waits for Python.

Why: a ``QMediaPlayer`` or ``QAudioOutput`` constructed from Python is a PySide subclass that answers
each of Qt's virtual calls by looking for a Python override, which takes the GIL. Qt's FFmpeg media
backend destroys its renderer objects on its own thread after a pause, stop or seek; their destructors
disconnect from the player and its audio output, and the lookup then waits for the GIL while holding a
Qt connection lock. If the GUI thread holds the GIL and waits for that lock (``player.stop()`` itself,
or any Python slot that connects or lays out a widget), the app freezes. Seen in the suite (a Replay
test's ``player.stop()`` after Space paused playback hung until the 600 s timeout, 2026-12-04) and
reproduced alone: play, pause a few milliseconds later, stop: frozen within 20 rounds.

How: the player and its audio output are made by a QML component (``MediaPlayer``/``AudioOutput`` are
Qt's own ``QMediaPlayer``/``QAudioOutput``), so Python holds plain wrappers with no overrides and
Qt's thread never asks for the GIL (600 of 600 such rounds). Python's calls, signals and slots are as
before. Where the QtMultimedia QML module is missing, the player is made from Python as before, with a
warning in the log.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QUrl
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

log = logging.getLogger(__name__)

_QML = b"import QtMultimedia\nMediaPlayer { audioOutput: AudioOutput {} }\n"
_component = None  # (engine, component): made once, kept for the app's life (the players' QML context lives in the engine)


def new_player(parent: QObject) -> tuple[QMediaPlayer, QAudioOutput]:
    """A ``QMediaPlayer`` with its ``QAudioOutput`` set, owned by ``parent`` (deleted with it), both
    made by Qt (see the module's docstring). Needs a ``QGuiApplication``. Never raises for a missing
    QML module: the player is then made from Python."""
    global _component
    try:
        if _component is None:
            from PySide6.QtQml import QQmlComponent, QQmlEngine
            engine = QQmlEngine()
            component = QQmlComponent(engine)
            component.setData(_QML, QUrl())
            if component.isError():
                raise RuntimeError("; ".join(e.toString() for e in component.errors()))
            _component = (engine, component)
        player = _component[1].create()
        if not isinstance(player, QMediaPlayer) or player.audioOutput() is None:
            raise RuntimeError(f"the QML component made {type(player).__name__}")
    except (ImportError, RuntimeError) as e:
        log.warning("replay: Qt's QML media player is not available (%s); using one made from Python", e)
        player = QMediaPlayer(parent)
        player.setAudioOutput(QAudioOutput(parent))
        return player, player.audioOutput()
    player.setParent(parent)
    player.audioOutput().setParent(player)
    return player, player.audioOutput()
