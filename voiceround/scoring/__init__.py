"""The pure, deterministic scorer: transcript + round → scorecard. The code lives in :mod:`voiceround.scoring.scorer`."""
from voiceround.scoring.scorer import (  # noqa: F401  (the package API)
    FEATURES,
    MAX_EVIDENCE,
    OWN_PART,
    QUOTE_CHARS,
    Feature,
    check_round,
    compute_features,
    detect_traps,
    score,
    to_json,
    use_encoder,
    worded_trap,
)
