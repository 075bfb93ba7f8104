"""The Bar Raiser interviewer: the pure planner and its wording checks. The code lives in :mod:`voiceround.interviewer.planner`."""
from voiceround.interviewer.planner import (  # noqa: F401  (the package API)
    WRAP_UP_MARGIN_S,
    MAX_INTERVIEWER_TURNS,
    QUOTE_WORDS,
    PRE_PUSHBACK,
    POST_PUSHBACK,
    Action,
    short_quote,
    opening,
    ClaimNeed,
    claim_needs,
    PROBE_WINDOW,
    next_action,
)
