"""The Bar Raiser interviewer: the pure planner and its wording checks. The code lives in :mod:`voiceround.interviewer.planner`."""
from voiceround.interviewer.planner import (  # noqa: F401  (the package API)
    MAX_INTERVIEWER_TURNS,
    PROBE_WINDOW,
    QUOTE_WORDS,
    Action,
    ClaimNeed,
    claim_needs,
    closing_reply,
    next_action,
    opening,
    short_quote,
)
