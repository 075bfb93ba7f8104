"""Storage: sessions, turns, events, scores and session audio. The code lives in :mod:`voiceround.storage.store`."""
from voiceround.storage.store import (  # noqa: F401  (the package API)
    BUNDLE_FORMAT,
    BUNDLE_VERSION,
    Store,
    check_export_target,
    export_bundle,
    import_bundle,
    m001_initial,
    m002_scorecard_history,
    rescore,
    write_bytes_atomically,
)
