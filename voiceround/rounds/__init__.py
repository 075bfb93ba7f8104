"""Round definitions: data files (TOML) plus their loader and validation.

A round file holds the card text, timer, story slots, probe templates, rubrics (dimensions,
weights, tier anchors, criteria) and traps. Nothing round-specific lives in Python; see
``disagree_and_commit.toml`` for the first round, written from the seed round page.
"""
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
