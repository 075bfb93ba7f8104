"""Scorecard rendering (pure). :mod:`voiceround.report.view` is the presentation model (one
headline score, quotes for and against, what to work on next) that every report reads: terminal
text in :mod:`voiceround.report.text`, printable HTML (rendered to PDF by ``voiceround.ui.pdf``) in
:mod:`voiceround.report.html`, and the Qt scorecard view."""
from voiceround.report.text import (  # noqa: F401  (the package API)
    bundled_round,
    clock,
    round_use,
    scorecard_text,
    status_text,
    work_on_next,
)
