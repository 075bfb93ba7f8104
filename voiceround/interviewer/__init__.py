"""The Bar Raiser interviewer: a pure planner (no clock, no I/O).

Given the transcript so far, the elapsed session time and the round, :func:`next_action` returns
what the interviewer says next: an intent (from the round file's probes) and its wording, filled
from the round's templates with the candidate's own words. What was already asked is read back
from the interviewer turns' ``meta`` (``intent``, ``claim``, ``slot``), so the planner keeps no
hidden state and the same transcript always gives the same action.

Order of decisions (seed, "How the AI behaves", and DESIGN.md "The interviewer"):
wrap-up when time is up → claim probes on the latest answer (number without baseline, headline
metric without slice, "we" where the candidate's own action is unclear, opinion without evidence,
abstraction) → move to the commitment phase if the argument has eaten the clock → story slots
not yet covered → one pushback → reflection → wrap-up.
"""
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
