"""Storage: sqlite-utils database (WAL, migrations) for sessions, turns, events and scores, plus
session audio files. Each turn is committed when it ends, so a killed round keeps every
completed turn and shows up as unfinished.
"""
from voiceround.storage.store import (  # noqa: F401  (the package API)
    m001_initial,
    Store,
    m002_scorecard_history,
    BUNDLE_FORMAT,
    BUNDLE_VERSION,
    rescore,
    export_bundle,
    import_bundle,
)
