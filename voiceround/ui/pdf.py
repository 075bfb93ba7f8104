"""PDF export with Qt's own renderer (QTextDocument + QPdfWriter); runs headless with the
offscreen platform. The text in the PDF is real text (selectable)."""
from __future__ import annotations

import os
from pathlib import Path

from voiceround.core.errors import StorageError


def write_pdf(html_text: str, out: str | Path, page_size: str = "A4") -> Path:
    """Render ``html_text`` to ``out`` on A4 or Letter pages. Creates a QApplication (offscreen
    when there is no display) if none exists. Raises :class:`StorageError` if the file can't be written."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
    from PySide6.QtWidgets import QApplication
    # A QApplication (not just QGuiApplication), so widgets can still be made in this process.
    _app = QApplication.instance() or QApplication([])  # noqa: F841 - keeps Qt alive while rendering
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "ab"):
            pass
        os.chmod(out, 0o600)  # owner-only, like the data folder (the PDF holds the transcript)
    except OSError as exc:
        raise StorageError(f"cannot write {out}: {exc.strerror or exc}") from exc
    writer = QPdfWriter(str(out))
    size = QPageSize(QPageSize.Letter if page_size.lower() == "letter" else QPageSize.A4)
    writer.setPageLayout(QPageLayout(size, QPageLayout.Portrait, QMarginsF(15, 15, 15, 15), QPageLayout.Millimeter))
    writer.setResolution(300)
    writer.setTitle("VoiceRound scorecard")
    writer.setCreator("VoiceRound")
    doc = QTextDocument()
    doc.setHtml(html_text)
    doc.setPageSize(writer.pageLayout().paintRect(QPageLayout.Point).size())  # lay out on the whole printable width
    doc.print_(writer)
    del writer
    if not out.exists() or out.stat().st_size == 0:
        raise StorageError(f"the PDF {out} could not be written (disk full?)")
    return out
