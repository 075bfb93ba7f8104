# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench doctor dist dist-smoke clean-venv

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m voiceround

test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

# Static checks: pyflakes (F) and bugbear (B) rules, zero findings (see pyproject.toml).
lint: $(STAMP)
	$(VENV)/bin/ruff check voiceround tests tools

bench: $(STAMP)
	$(PY) tools/bench.py --realtime | tee docs/BENCHMARKS.md

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
