# nzc-report: `make reports` builds every sample report into build/,
# `make test` runs the whole test suite: the fast tier (`make test-fast`,
# every test not marked e2e: no build, no cluster), then the e2e tier
# (`make test-e2e`: real builds, a Dask cluster, Chromium). Each sets
# everything up first (system packages through apt, Python packages into
# .venv) and is quick when that is already done. `make lint` runs ruff and mypy.

PYTHON  ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.nzc-installed
KERNEL  := $(VENV)/share/jupyter/kernels/nzc-report/kernel.json

.PHONY: reports test test-fast test-e2e lint setup system-deps test-deps clean distclean

# The tests on every core (pytest-xdist), a module per worker in its order (its fixtures made once).
# `make test PYTEST_JOBS=` runs them in one process.
PYTEST_JOBS ?= -n auto --dist loadfile
# pytest exits 5 when a selection holds no test (e.g. PYTEST_ARGS="-k name" in one tier): not a failure.
PYTEST  = $(PY) -m pytest $(PYTEST_JOBS) $(PYTEST_ARGS)

reports: setup
	$(PY) build.py build

# test-deps first: on a new machine one apt-get pass installs what the package and the tests need.
test: test-deps test-fast test-e2e

test-fast: setup
	$(PYTEST) -m "not e2e" || test $$? -eq 5

# --no-loadscope-reorder: the modules handed out in the order conftest.py puts them (its LONG_FIRST, the
# longest first), not by their number of tests (xdist's default puts a one-test module of minutes last).
test-e2e: test-deps setup
	$(PYTEST) -m e2e --no-loadscope-reorder || test $$? -eq 5

# Style and types: ruff and mypy as configured in pyproject.toml.
lint: setup
	$(PY) -m ruff check nzc_report tests benchmarks build.py
	$(PY) -m mypy

setup: system-deps $(STAMP) $(KERNEL)

system-deps:
	@sh scripts/ensure-system-deps.sh

# What only the tests need (chromium for the portal's browser tests).
test-deps:
	@sh scripts/ensure-system-deps.sh --test

# Reinstall when the dependency list changes.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "nzc-report needs Python >= 3.11 (found: $$($(PYTHON) --version))." >&2; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@# uv (one wheel from PyPI) resolves, downloads and installs the same packages as pip, in parallel:
	@# about 40 s on a clean 2-core machine with no cache instead of 3-4 min. Where uv cannot be had or
	@# cannot reach its index (it reads no pip.conf), pip installs them as before.
	if $(PY) -m pip install --quiet --only-binary=:all: uv && \
	   $(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) --upgrade-package pip pip -e '.[test]'; then :; \
	else $(PY) -m pip install --quiet --upgrade pip && $(PY) -m pip install --quiet -e '.[test]'; fi
	@# The package's own modules compiled too (the editable install leaves them as source): where
	@# PYTHONDONTWRITEBYTECODE is set, every process (a build, a Dask worker, a kernel template) compiled
	@# what it imports again, about 0.3 s of CPU each.
	$(PY) -m compileall -q nzc_report >/dev/null
	touch $@

# A kernelspec inside the venv, so papermill runs notebooks with the venv's
# Python whatever kernels the user has installed elsewhere.
$(KERNEL): $(STAMP)
	$(PY) -m ipykernel install --sys-prefix --name nzc-report --display-name "Python (nzc-report)" >/dev/null
	@test -f $@

clean:
	rm -rf build

distclean: clean
	rm -rf $(VENV) *.egg-info .pytest_cache .hypothesis
