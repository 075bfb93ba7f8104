"""Round definitions: TOML data files, their loader and validation. The code lives in
:mod:`voiceround.rounds.loader` (reading, validating) and :mod:`voiceround.rounds.model` (what a round holds)."""
from voiceround.rounds.drill import drill_question, drill_round  # noqa: F401
from voiceround.rounds.loader import DEFAULT_ROUND, REQUIRED_PROBES, ROUNDS_DIR, bundled_rounds, load_round  # noqa: F401
from voiceround.rounds.model import (  # noqa: F401  (the package API)
    Condition,
    ConditionalCap,
    Criterion,
    Dimension,
    Lexicons,
    Probe,
    Round,
    RoundFileError,
    Rubric,
    Slot,
    Trap,
    cue_rx,
)
