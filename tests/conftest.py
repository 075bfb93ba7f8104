"""Shared fixtures. Real models, real audio from ../shared (CI has it beside the clone)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("VOICEROUND_SHARED", ROOT.parent / "shared"))
CASES = SHARED / "cases"
REALSPEECH = SHARED / "realspeech"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def pytest_configure(config):
    if not CASES.exists():
        raise pytest.UsageError(f"shared test data not found at {SHARED} (set VOICEROUND_SHARED)")


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    """Every test gets its own empty data and config dir."""
    d = tmp_path / "data"
    monkeypatch.setenv("VOICEROUND_DATA_DIR", str(d))
    monkeypatch.setenv("VOICEROUND_CONFIG_DIR", str(tmp_path / "config"))
    return d


@pytest.fixture(scope="session")
def rnd():
    from voiceround.rounds import load_round
    return load_round()


@pytest.fixture(scope="session")
def engines():
    """The real default engines, loaded once (LLM included)."""
    from voiceround.session.runner import Engines
    e = Engines.load(use_llm=True)
    yield e
    e.close()


def case_path(case_id: str) -> Path:
    return CASES / f"{case_id}.toml"
