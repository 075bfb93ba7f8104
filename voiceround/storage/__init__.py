"""Storage: sessions, turns, events, scores and session audio. The code lives in :mod:`voiceround.storage.store`."""
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
