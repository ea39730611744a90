# Two entry points, both idempotent on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BUILD_STAMP := $(VENV)/.installed-build

.PHONY: run test lint venv clean exe exe-onedir exe-onefile clean-exe

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(PY) -m app

lint: $(STAMP)
	$(PY) -m ruff check app tests bench build resources/export
	$(PY) -m ruff format --check app tests bench build resources/export
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# The standalone executable (README "Standalone executable"): PyInstaller builds into
# build/pyinstaller/ and dist/, then build/smoke_test.py runs the result.
$(BUILD_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,build]'
	touch $(BUILD_STAMP)

exe: $(BUILD_STAMP)
	$(PY) build/build_exe.py
	$(PY) build/smoke_test.py --onedir --onefile

exe-onedir: $(BUILD_STAMP)
	$(PY) build/build_exe.py --onedir
	$(PY) build/smoke_test.py --onedir

exe-onefile: $(BUILD_STAMP)
	$(PY) build/build_exe.py --onefile
	$(PY) build/smoke_test.py --onefile

clean-exe:
	rm -rf build/pyinstaller dist
