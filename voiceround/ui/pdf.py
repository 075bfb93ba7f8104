"""PDF export with Qt's own renderer (QTextDocument + QPdfWriter); runs headless with the
offscreen platform. The text in the PDF is real text (selectable and searchable: no ligature
glyphs, so a search for "conflict" finds "Conflict"), what comes before the document's first
forced page break (the scorecard's summary) stays on page 1, and no heading is left alone at the
foot of a page."""
from __future__ import annotations

import os
from pathlib import Path

from voiceround.core.errors import StorageError
from voiceround.storage import write_bytes_atomically

SHRINK = 0.93      # a summary that runs past page 1 is set this much smaller, ...
MAX_SHRINKS = 4    # ... at most this many times (to about 75 %)


def write_pdf(html_text: str, out: str | Path, page_size: str = "A4") -> Path:
    """Render ``html_text`` to ``out`` on A4 or Letter pages (laid out by :func:`paginate`).
    Creates a QApplication (offscreen when there is no display) if none exists. Raises
    :class:`StorageError` if the file can't be written or its folder doesn't exist."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QIODevice, QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter
    from PySide6.QtWidgets import QApplication
    # A QApplication (not just QGuiApplication), so widgets can still be made in this process.
    _app = QApplication.instance() or QApplication([])  # noqa: F841 - keeps Qt alive while rendering
    out = Path(out)  # a folder that doesn't exist is refused by write_bytes_atomically, as for a bundle
    # Rendered in memory, then written by Python beside the target and moved over it: Qt's writer
    # reports no write error, so on a full disk it had left a cut-off PDF and said "wrote" (a new
    # user's test). Now a failed write raises, and an earlier file of that name is left as it was.
    buf = QBuffer()
    buf.open(QIODevice.WriteOnly)
    writer = QPdfWriter(buf)
    size = QPageSize(QPageSize.Letter if page_size.lower() == "letter" else QPageSize.A4)
    writer.setPageLayout(QPageLayout(size, QPageLayout.Portrait, QMarginsF(15, 15, 15, 15), QPageLayout.Millimeter))
    writer.setResolution(300)
    writer.setTitle("VoiceRound scorecard")
    writer.setCreator("VoiceRound")
    doc = paginate(html_text, writer.pageLayout().paintRect(QPageLayout.Point).size())  # the whole printable width
    doc.print_(writer)
    del writer
    data = bytes(buf.data())
    buf.close()
    if not data.startswith(b"%PDF"):
        raise StorageError(f"the PDF {out} could not be rendered")
    write_bytes_atomically(out, data, hint="pick a folder you can write to, e.g. your home or Documents folder, and a disk with space")
    return out


def no_ligatures(font):
    """``font`` with the OpenType features ``liga`` and ``clig`` off. With them on, "fl" and "fi"
    are drawn as one ligature glyph (U+FB02, U+FB01) that PDF text extraction and search read
    back as "ﬂ", so "Conflict" can't be found by searching for it."""
    from PySide6.QtGui import QFont
    font = QFont(font)
    for tag in ("liga", "clig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


def paginate(html_text: str, page_size, max_tries: int = 80):
    """A QTextDocument of ``html_text`` laid out on pages of ``page_size`` (points), with no
    ligatures (:func:`no_ligatures`), the part before the first forced page break on page 1 (set
    smaller, by :data:`SHRINK`, while it runs over) and every heading (``<h1>``-``<h6>``) on the
    page of the text that follows it (a page break before a heading that would be left at the foot
    of a page).

    Qt's rich text honours ``page-break-before``/``-after`` but not ``page-break-inside: avoid``
    or "keep with next", so this is done on the laid-out document. Each try builds a fresh
    document with the decisions so far and lays it out once: editing a document after it has been
    laid out leaves a partial re-layout that can drop or repeat lines when printed."""
    breaks: list[int] = []
    shrinks = 0
    for _ in range(max_tries):
        doc = _build(html_text, page_size, breaks, SHRINK ** shrinks)
        first = _first_forced_break(doc)
        if first is not None and shrinks < MAX_SHRINKS and _line_pages(doc, first)[0] > 1:
            shrinks += 1
            continue
        orphan = _first_orphan(doc)
        if orphan is None:
            return doc
        while True:  # headings in a row ("Traps" then a trap's name) move together
            prev = orphan.previous()
            while prev.isValid() and not prev.text().strip():
                prev = prev.previous()
            if not (prev.isValid() and prev.blockFormat().headingLevel() > 0):
                break
            orphan = prev
        if orphan.blockNumber() in breaks:  # already at the top of a page: nothing more to do
            return doc
        breaks.append(orphan.blockNumber())
    return doc


def _build(html_text: str, page_size, breaks: list[int], scale: float):
    from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument, QTextFormat
    doc = QTextDocument()
    doc.setDefaultFont(no_ligatures(doc.defaultFont()))
    doc.setHtml(html_text)
    first = _first_forced_break(doc)
    if scale != 1.0 and first is not None:  # every font before the first forced break, smaller
        block = doc.begin()
        while block.isValid() and block != first:
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                size = frag.charFormat().font().pointSizeF()
                if size > 0:
                    cur = QTextCursor(doc)
                    cur.setPosition(frag.position())
                    cur.setPosition(frag.position() + frag.length(), QTextCursor.KeepAnchor)
                    fmt = QTextCharFormat()
                    fmt.setFontPointSize(size * scale)
                    cur.mergeCharFormat(fmt)
                it += 1
            block = block.next()
    for number in breaks:
        block = doc.findBlockByNumber(number)
        fmt = block.blockFormat()
        fmt.setPageBreakPolicy(QTextFormat.PageBreak_AlwaysBefore)
        QTextCursor(block).setBlockFormat(fmt)
    doc.setPageSize(page_size)  # the first layout happens after every edit
    return doc


def _first_forced_break(doc):
    from PySide6.QtGui import QTextFormat
    block = doc.begin()
    while block.isValid():
        if block.position() > 0 and block.blockFormat().pageBreakPolicy() & QTextFormat.PageBreak_AlwaysBefore:
            return block
        block = block.next()
    return None


def _line_pages(doc, block) -> tuple[int, int]:
    """The pages (0-based) of a block's first and last line in a paginated document (page height
    from ``doc.pageSize()``). Block layouts are placed relative to their frame (a table cell, say);
    ``blockBoundingRect`` puts the layout's position in document coordinates, and line positions
    are relative to it (a line pushed past the foot of a page has a larger ``y``, not a larger
    position). A line is on the page where it ends."""
    layout = block.layout()
    height = doc.pageSize().height()
    top = doc.documentLayout().blockBoundingRect(block).top()
    if layout.lineCount() == 0:
        return int(top // height), int(top // height)
    first, last = layout.lineAt(0), layout.lineAt(layout.lineCount() - 1)
    return int((top + first.y() + first.height() - 0.5) // height), int((top + last.y() + last.height() - 0.5) // height)


# A paragraph of this many lines or fewer is kept on one page (moved whole to the next when it
# would be split): a new user's PDF ended with a page holding one line of the last transcript turn.
KEEP_LINES = 8


def _first_orphan(doc):
    """The first heading whose next non-empty block starts on a later page, or the first paragraph
    of at most :data:`KEEP_LINES` lines (outside a table) split across two pages, or None."""
    from PySide6.QtGui import QTextCursor
    block = doc.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() > 0 and block.text().strip():
            nxt = block.next()
            while nxt.isValid() and not nxt.text().strip():
                nxt = nxt.next()
            if nxt.isValid() and _line_pages(doc, block)[1] < _line_pages(doc, nxt)[0]:
                return block
        elif block.text().strip() and QTextCursor(block).currentTable() is None:
            first, last = _line_pages(doc, block)  # lays the block out: its line count is known after
            if first < last and block.layout().lineCount() <= KEEP_LINES:
                return block
        block = block.next()
    return None
