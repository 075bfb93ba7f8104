"""Accessible names for every control of a window, for screen readers (Qt's accessibility bridge
reads ``accessibleName``; WCAG 2.1 success criterion 4.1.2, "Name, Role, Value").

Controls built with an explicit name keep it. The others get one from, in order: their own text
(buttons, without the ``&`` mnemonic and the shortcut hint in brackets), the label a form row or a
buddy puts next to them, their placeholder text, their tooltip.
"""
from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QScrollBar,
    QTextEdit,
    QWidget,
)

def _internal(w: QWidget) -> bool:
    """Parts Qt builds inside a control (a combo box's popup list, a table's headers and corner
    button, a menu bar's overflow button): Qt names them itself."""
    from PySide6.QtWidgets import QHeaderView
    if isinstance(w, (QScrollBar, QHeaderView)) or w.objectName().startswith("qt_"):
        return True
    parent = w.parent()
    while parent is not None:
        if isinstance(parent, QComboBox):
            return True
        parent = parent.parent()
    return False


CONTROLS = (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSlider, QProgressBar, QAbstractItemView)


def clean(text: str) -> str:
    """A control's visible text as a name: no ``&`` mnemonic, no "(Ctrl+E)" hint, single spaces."""
    text = re.sub(r"\s*\((?:Ctrl|Alt|Shift|F\d)[^)]*\)", "", text.replace("&&", "\0").replace("&", "").replace("\0", "&"))
    return " ".join(text.split())


def name_controls(root: QWidget) -> int:
    """Give every control under ``root`` that has no accessible name one (see the module
    docstring). Returns how many were named."""
    labelled: dict[int, str] = {}
    for lab in root.findChildren(QLabel):
        if lab.buddy() is not None:
            labelled[id(lab.buddy())] = clean(lab.text())
    for form in root.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.LabelRole)
            field = form.itemAt(row, QFormLayout.FieldRole)
            if label is None or field is None or not isinstance(label.widget(), QLabel):
                continue
            text = clean(label.widget().text())
            targets = [field.widget()] if field.widget() is not None else \
                [field.layout().itemAt(i).widget() for i in range(field.layout().count())] if field.layout() else []
            for w in targets:
                if w is not None and not isinstance(w, QAbstractButton):
                    labelled.setdefault(id(w), text)
    named = 0
    for w in root.findChildren(QWidget):
        if not isinstance(w, CONTROLS) or _internal(w) or w.accessibleName():
            continue
        name = ""
        if isinstance(w, QAbstractButton):
            name = clean(w.text())
        name = name or labelled.get(id(w), "")
        if not name and isinstance(w, (QLineEdit, QPlainTextEdit, QTextEdit)):
            name = w.placeholderText()
        name = name or clean(w.toolTip())
        if name:
            w.setAccessibleName(name)
            named += 1
    return named


def unnamed_controls(root: QWidget) -> list[str]:
    """Controls under ``root`` still without an accessible name, as "ClassName objectName" (for tests)."""
    return [f"{type(w).__name__} {w.objectName()}" for w in root.findChildren(QWidget)
            if isinstance(w, CONTROLS) and not _internal(w) and not w.accessibleName()]
