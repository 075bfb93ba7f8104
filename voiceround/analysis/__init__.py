"""Pure text analysis of a transcript: sentences, quantitative claims and their baselines,
"I"/"we" action attribution, opinion, abstraction, customer and filler cues, story-phase tagging,
words per minute.

Everything here is deterministic and works on the candidate's words only. Cue lexicons and story
slots are data (the round file and the lexicon files it names) and are passed in.
"""
from __future__ import annotations

from voiceround.analysis.actions import Action, find_actions  # noqa: F401
from voiceround.analysis.claims import ATTRIBUTION, HYPOTHETICAL, NUMBER, OUTCOME_COUNT, PROPOSAL, ROLE_INTRO, TEAM_CREDIT, Claim, find_claims, others_number  # noqa: F401
from voiceround.analysis.consistency import BASELINE_CORRECTION, abstraction_drift, baseline_conflicts, baseline_when_pushed, concrete, live_drift, pushback_response  # noqa: F401
from voiceround.analysis.cues import FILLERS, cue_spans, customer_friction  # noqa: F401
from voiceround.analysis.delivery import Delivery, delivery  # noqa: F401
from voiceround.analysis.quotes import is_fragment, phrase_quote  # noqa: F401
from voiceround.analysis.people import SHORT_SENTENCE_WORDS, named_people  # noqa: F401
from voiceround.analysis.phases import arguing_slots, decision_point, question_phases, slot_coverage, tag_phases, tag_slots  # noqa: F401
from voiceround.analysis.sentences import Sentence, split_sentences, split_text, strip_fillers, words  # noqa: F401
