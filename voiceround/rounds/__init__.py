"""Round definitions: TOML data files, their loader and validation. The code lives in :mod:`voiceround.rounds.loader`."""
from voiceround.rounds.loader import (  # noqa: F401  (the package API)
    RoundFileError,
    ROUNDS_DIR,
    DEFAULT_ROUND,
    REQUIRED_PROBES,
    Criterion,
    Dimension,
    Rubric,
    Trap,
    Slot,
    Probe,
    Round,
    load_round,
)
