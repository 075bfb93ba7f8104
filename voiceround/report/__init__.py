"""Scorecard rendering (pure): plain text for the terminal. HTML/PDF come in the report issue."""
from voiceround.report.text import (  # noqa: F401  (the package API)
    clock,
    work_on_next,
    scorecard_text,
)
