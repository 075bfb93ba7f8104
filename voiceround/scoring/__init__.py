"""The pure, deterministic scorer: transcript + round → scorecard. The code lives in :mod:`voiceround.scoring.scorer`."""
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
