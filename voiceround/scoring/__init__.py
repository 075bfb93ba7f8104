"""Pure, deterministic scorer: transcript + round → scorecard.

Pipeline: candidate sentences → named features, each with evidence spans
(:func:`compute_features`) → one tier per rubric dimension (1 + the number of the dimension's
round-file criteria met, at most 4) → trap detection, where a flagged trap caps tiers as the round
file says → weighted totals on 0-100 (each dimension contributes ``weight × (tier − 1) / 3``).

Scoring is strictly transcript-based (seed: "How is scoring done?"). Only the candidate's words
are read, and only as data: nothing the candidate says can change how it is scored. The scorer
never sees case labels or case topics.
"""
from voiceround.scoring.scorer import (  # noqa: F401  (the package API)
    MAX_EVIDENCE,
    OWN_PART,
    QUOTE_CHARS,
    Feature,
    compute_features,
    detect_traps,
    score,
    FEATURES,
    check_round,
    to_json,
)
