"""Pure text analysis of a transcript: sentences, quantitative claims and their baselines,
"I"/"we" action attribution, opinion, abstraction, customer and filler cues, story-phase tagging,
words per minute.

Everything here is deterministic and works on the candidate's words only. Cue lexicons are
general English for behavioral interviews; round-specific cues (story slots) come from the round
file and are passed in.
"""
from __future__ import annotations

from voiceround.analysis.actions import Action, find_actions  # noqa: F401
from voiceround.analysis.claims import ATTRIBUTION, HYPOTHETICAL, PROPOSAL, TEAM_CREDIT, Claim, find_claims  # noqa: F401
from voiceround.analysis.consistency import BASELINE_CORRECTION, FOLD, HOLD, abstraction_drift, baseline_conflicts, pushback_response  # noqa: F401
from voiceround.analysis.cues import (  # noqa: F401
    ABSTRACTION,
    COMMIT_EXPLICIT,
    COUNTERFACTUAL,
    CUSTOMER,
    DONT_KNOW,
    ESCALATE,
    FILLERS,
    LOST,
    OPINION,
    PASSIVE_AGGRESSIVE,
    RECALIBRATE,
    REFLECT_GENERIC,
    STAKEHOLDER,
    SYSTEM_FRICTION,
    TRADEOFF,
    USER_FRICTION,
    WON,
    YIELD,
    cue_spans,
    customer_friction,
)
from voiceround.analysis.delivery import Delivery, delivery  # noqa: F401
from voiceround.analysis.phases import slot_coverage, tag_phases, tag_slots  # noqa: F401
from voiceround.analysis.sentences import Sentence, split_sentences, split_text, strip_fillers, words  # noqa: F401
