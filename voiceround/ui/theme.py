"""The app's own theme: Qt's Fusion style with a light or dark colour scheme, and every colour the
app draws itself (speaker names, timestamps, warnings, state banners, charts) taken from here, so
nothing is hard-coded against a white background.

Colours are chosen for contrast ≥ 4.5:1 (WCAG 2.1 AA, success criterion 1.4.3) against the window
background of their scheme; :func:`contrast` computes the ratio and the tests check every pair.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

SCHEMES = ("system", "light", "dark")

# role -> (light, dark). Backgrounds of the two Fusion schemes: #efefef (light) and #323232 (dark).
COLORS = {
    "text": ("#1b1b1b", "#f0f0f0"),
    "muted": ("#4d4d4d", "#c4c4c4"),        # weights, timestamps, secondary lines
    "interviewer": ("#154a8a", "#8cc4ff"),  # the interviewer's name in transcripts
    "candidate": ("#1b1b1b", "#f0f0f0"),
    "accent": ("#1f5fa8", "#7fb8ff"),
    "good": ("#1d6b2a", "#7ed68c"),          # evidence that counts for a tier (✓)
    "bad": ("#a3300b", "#ff9b7a"),           # evidence against, traps, errors (✗)
    "warn": ("#8a4b00", "#ffc266"),
    "on_accent": ("#ffffff", "#ffffff"),     # icons on the primary button
}
# The live page's state banner: (background, text) per state, light and dark alike (white or black
# text on a saturated background reads the same in both schemes).
BANNERS = {
    "idle": ("#5f6368", "#ffffff"),
    "interviewer": ("#1f5fa8", "#ffffff"),
    "listening": ("#1d7a34", "#ffffff"),
    "speaking": ("#1d7a34", "#ffffff"),
    "typing": ("#1d7a34", "#ffffff"),
    "thinking": ("#9a5b00", "#ffffff"),
    "paused": ("#5f6368", "#ffffff"),
    "scoring": ("#6a3fa0", "#ffffff"),
    "done": ("#5f6368", "#ffffff"),
}
PHASE_COLORS = {  # story phases in charts: distinct in hue and lightness
    "argument": "#c0504d", "decision": "#8064a2", "commitment": "#4f81bd", "outcome": "#5a9a2f", "reflection": "#e07b1a"}
# Series colours for charts with several lines (Okabe & Ito 2008, a palette readable with colour-blindness).
SERIES = ("#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#8c6d00", "#666666")

_scheme = "light"


def apply(app, scheme: str = "system") -> str:
    """Use Fusion with ``scheme`` ("system", "light" or "dark") on ``app`` (a QApplication). Returns
    the scheme in effect ("light" or "dark"). Raises ValueError for an unknown scheme."""
    global _scheme
    if scheme not in SCHEMES:
        raise ValueError(f"theme must be one of {', '.join(SCHEMES)}, got {scheme!r}")
    app.setStyle("Fusion")
    # The palette below is complete, so the desktop's scheme is only read ("system"), never set: setting
    # it makes Qt re-send the platform palette later, over this one (seen on a fresh QApplication).
    dark = scheme == "dark" or (scheme == "system" and app.styleHints().colorScheme() == Qt.ColorScheme.Dark)
    _scheme = "dark" if dark else "light"
    app.setPalette(_palette(dark))
    font = app.font()
    if font.pointSizeF() < BASE_POINT_SIZE:  # Qt's default 9 pt reads small on a laptop
        font.setPointSizeF(BASE_POINT_SIZE)
        app.setFont(font)
    app.setStyleSheet(stylesheet())
    return _scheme


BASE_POINT_SIZE = 10.5


def stylesheet() -> str:
    """The app's style sheet for the scheme in effect: the one primary button per page (objectName
    ``primary``), the side navigation, and group headers."""
    accent = "#1f5fa8" if not is_dark() else "#2a6fc0"
    return f"""
QPushButton#primary {{ background: {accent}; color: #ffffff; font-weight: bold; padding: 6px 16px;
                       border: 1px solid {accent}; border-radius: 4px; }}
QPushButton#primary:hover {{ background: #174c88; }}
QPushButton#primary:disabled {{ background: {"#5a6b80" if is_dark() else "#a9b8ca"}; color: {"#d0d0d0" if is_dark() else "#ffffff"};
                                border-color: transparent; }}
QListWidget#nav {{ border: none; padding-top: 6px; }}
"""


# Palette roles: (light, dark) colours of each (Fusion's own greys, the app's text and link colours).
PALETTE = {
    "Window": ("#efefef", "#323232"), "WindowText": (COLORS["text"][0], COLORS["text"][1]),
    "Base": ("#ffffff", "#262626"), "AlternateBase": ("#f5f5f5", "#2d2d2d"),
    "Text": (COLORS["text"][0], COLORS["text"][1]), "Button": ("#e6e6e6", "#3c3c3c"),
    "ButtonText": (COLORS["text"][0], COLORS["text"][1]), "ToolTipBase": ("#ffffdc", "#3c3c3c"),
    "ToolTipText": (COLORS["text"][0], COLORS["text"][1]), "PlaceholderText": ("#6b6b6b", "#a0a0a0"),
    "Highlight": ("#2a6fc0", "#2a6fc0"), "HighlightedText": ("#ffffff", "#ffffff"),
    "Link": (COLORS["accent"][0], COLORS["accent"][1]), "LinkVisited": ("#6a3fa0", "#c9a3ff"),
}
DISABLED_TEXT = "#8a8a8a"


def _palette(dark: bool) -> QPalette:
    """A complete palette for the scheme (:data:`PALETTE`; disabled text grey in both)."""
    p = QPalette()
    for role, colours in PALETTE.items():
        p.setColor(getattr(QPalette, role), QColor(colours[1] if dark else colours[0]))
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        p.setColor(QPalette.Disabled, role, QColor(DISABLED_TEXT))
    return p


def is_dark() -> bool:
    """True when the dark scheme is in effect (after :func:`apply`; light before)."""
    return _scheme == "dark"


def color(role: str) -> str:
    """The ``#rrggbb`` colour of ``role`` (a key of ``COLORS``) in the scheme in effect. Raises KeyError."""
    light, dark = COLORS[role]
    return dark if is_dark() else light


def chart_theme():
    """The QChart theme that matches the scheme (charts have their own backgrounds)."""
    from PySide6.QtCharts import QChart
    return QChart.ChartThemeDark if is_dark() else QChart.ChartThemeLight


def luminance(hex_color: str) -> float:
    """Relative luminance of ``#rrggbb`` (WCAG 2.1 definition), 0 (black) to 1 (white)."""
    c = QColor(hex_color)

    def ch(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours, 1 to 21."""
    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def window_background() -> str:
    """The window background of the scheme in effect, ``#rrggbb``."""
    app = QGuiApplication.instance()
    if app is not None:
        return app.palette().color(QPalette.Window).name()
    return "#323232" if is_dark() else "#efefef"


def icon(name: str, role: str = "text"):
    """A bundled icon (qtawesome's Material Design Icons font, e.g. ``"mdi6.microphone"``; no file,
    no network) in the scheme's ``role`` colour (:func:`color`)."""
    import qtawesome as qta
    return qta.icon(name, color=color(role))


def app_icon():
    """The window icon: ``assets/voiceround.svg`` (next to the package in a source checkout, or in
    the frozen app's folder); the microphone glyph when the file is missing."""
    import sys
    from pathlib import Path

    from PySide6.QtGui import QIcon
    bases = [Path(sys._MEIPASS)] if getattr(sys, "frozen", False) and hasattr(sys, "_MEIPASS") else []
    bases.append(Path(__file__).resolve().parents[2])
    for base in bases:
        if (base / "assets" / "voiceround.svg").is_file():
            return QIcon(str(base / "assets" / "voiceround.svg"))
    return icon("mdi6.microphone", "accent")
