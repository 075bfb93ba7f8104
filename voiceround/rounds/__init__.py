"""Round definitions: TOML data files, their loader and validation. The code lives in :mod:`voiceround.rounds.loader`."""
from voiceround.rounds.loader import (  # noqa: F401  (the package API)
    DEFAULT_ROUND,
    REQUIRED_PROBES,
    ROUNDS_DIR,
    Criterion,
    Dimension,
    Probe,
    Round,
    RoundFileError,
    Rubric,
    Slot,
    Trap,
    load_round,
)
