"""Shared fixtures. Real models, real audio from ../shared (CI has it beside the clone)."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("VOICEROUND_SHARED", ROOT.parent / "shared"))
CASES = SHARED / "cases"
REALSPEECH = SHARED / "realspeech"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# One BLAS thread per process: the suite runs two test processes (and their subprocesses) on two
# cores, and OpenBLAS's own threads, spinning while they wait, slowed the sentence encoder tenfold
# when several processes each had two (a run took 12 minutes to reach a third of its tests).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
# Sentence vectors kept between the suite's processes and runs (the corpus is scored by several
# tests and by `voiceround eval` subprocesses): voiceround/engines/encoder.py, CACHE_ENV.
os.environ.setdefault("VOICEROUND_ENCODER_CACHE", str(ROOT / ".pytest_cache" / "encoder-vectors.sqlite"))
(ROOT / ".pytest_cache").mkdir(exist_ok=True)


def need_pulse_rig() -> None:
    """Skip the test when the PulseAudio rig can't run here (fail in CI, which must have it)."""
    from tests import pulse_rig
    missing = pulse_rig.available()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"the live-audio rig is required in CI: {missing}")
        pytest.skip(missing)


@pytest.fixture
def pulse(tmp_path):
    """A private PulseAudio daemon with a virtual speaker and microphone (:mod:`tests.pulse_rig`)."""
    from tests import pulse_rig
    need_pulse_rig()
    rig = pulse_rig.PulseRig(tmp_path / "pulse").start()
    yield rig
    rig.stop()


def pytest_configure(config):
    if not CASES.exists() and os.environ.get("CI"):
        raise pytest.UsageError(f"shared test data not found at {SHARED} (set VOICEROUND_SHARED)")


# The xdist groups that take longest, started first (longest first: the corpus's sentence vectors and
# its scoring, about 3.5 minutes cold; the three e2e rehearsals, 2), so neither is left to run alone
# at the end of `make test`'s first stage (it was: 7.1 min against 6.2).
FIRST_GROUPS = ("corpus", "e2e")


def _group(item) -> str | None:
    mark = item.get_closest_marker("xdist_group")
    return (mark.args[0] if mark.args else mark.kwargs.get("name")) if mark is not None else None


def pytest_collection_modifyitems(config, items):
    """The longest xdist groups first (:data:`FIRST_GROUPS`). Without ../shared (outside CI), tests
    from modules that read it are skipped with the reason; the rest (pure code, storage, the models)
    still run."""
    rank = {g: i for i, g in enumerate(FIRST_GROUPS)}
    items.sort(key=lambda item: rank.get(_group(item), len(rank)))  # stable: collection order otherwise
    if CASES.exists():
        return
    skip = pytest.mark.skip(reason=f"shared test data not found at {SHARED} (set VOICEROUND_SHARED)")
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and any(hasattr(module, name) for name in ("CASES", "REALSPEECH", "SHARED", "case_path")):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    """Every test gets its own empty data and config dir."""
    d = tmp_path / "data"
    monkeypatch.setenv("VOICEROUND_DATA_DIR", str(d))
    monkeypatch.setenv("VOICEROUND_CONFIG_DIR", str(tmp_path / "config"))
    return d


def _vr_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name.startswith("vr-") and t.is_alive()}


@pytest.fixture(autouse=True)
def no_thread_left_behind(request):
    """Fail a test when a ``vr-*`` thread it started is still running 5 s after it ends (the
    app's session, loader, reader, engine and LLM-wait threads are all named ``vr-…``). Threads of
    session-scoped fixtures (the shared engines) already exist before the test and are not counted."""
    before = _vr_threads()
    yield
    deadline = time.monotonic() + 5.0
    while (left := _vr_threads() - before) and time.monotonic() < deadline:
        time.sleep(0.05)
    if left:
        pytest.fail(f"{request.node.name} left threads running: {sorted(t.name for t in left)}", pytrace=False)


@pytest.fixture(autouse=True)
def no_modal_dialog(request, monkeypatch):
    """A warning or error dialog opened by the app fails the test instead of waiting for a click
    that never comes (offscreen, a modal QMessageBox blocked a CI run until its 90 minutes ran out:
    a first-launch storage race showed "database is locked"). The message is in the failure."""
    import sys
    if "PySide6.QtWidgets" not in sys.modules:
        yield
        return
    from PySide6.QtWidgets import QMessageBox
    shown: list[str] = []

    def record(kind):
        def show(*args, **kwargs):
            shown.append(f"{kind}: {args[2] if len(args) > 2 else kwargs.get('text', '')}")
            return QMessageBox.Ok
        return show
    monkeypatch.setattr(QMessageBox, "warning", record("warning"))
    monkeypatch.setattr(QMessageBox, "critical", record("critical"))
    yield
    if shown:
        pytest.fail(f"{request.node.name} opened a dialog: {shown}", pytrace=False)


@pytest.fixture(scope="session", autouse=True)
def sentence_encoder():
    """The scorer reads meaning with the bundled sentence encoder, as the app does (cli.main).
    Loaded before any test, so its worker thread is not a thread a test left behind."""
    from voiceround.engines.encoder import shared_encoder
    from voiceround.scoring import use_encoder
    use_encoder(shared_encoder)
    shared_encoder().load()
    yield shared_encoder()


@pytest.fixture(scope="session")
def rnd():
    from voiceround.rounds import load_round
    return load_round()


@pytest.fixture(scope="session")
def engines():
    """The real default engines, loaded once (LLM included)."""
    from voiceround.session.engines import Engines
    e = Engines.load(use_llm=True)
    yield e
    e.close()


def case_path(case_id: str) -> Path:
    return CASES / f"{case_id}.toml"
