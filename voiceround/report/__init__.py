"""Scorecard rendering (pure): terminal text here, printable HTML in ``report.html``. The code lives in :mod:`voiceround.report.text`."""
from voiceround.report.text import (  # noqa: F401  (the package API)
    clock,
    round_use,
    scorecard_text,
    work_on_next,
)
