# The README's two commands, `make run` and `make test`, do the whole set-up on a machine with
# only Python >= 3.11, git and make:
#   1. uv: found on PATH or in the user's bin directory, else installed there from PyPI;
#   2. .venv: created (again) from uv.lock whenever the lock or pyproject.toml changes;
#   3. the store: built from data/sample/ when it does not exist yet.
# Variables: PORT (default $STREAMLIT_SERVER_PORT, else 8501), DB (default $ANALYTICS_DB, else
# data/analytics.duckdb), PYTHON (the interpreter that installs uv), PYTEST_ARGS.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
# A failed store build must not leave a half-built store that later runs take as done.
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
SYNCED := $(VENV)/.synced
DB ?= $(or $(ANALYTICS_DB),data/analytics.duckdb)
SAMPLE := data/sample
PORT ?= $(or $(STREAMLIT_SERVER_PORT),8501)
PYTEST_ARGS ?=

# Where `pip install --user` puts commands (~/.local/bin on Linux).
USER_BIN := $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_path("scripts", "posix_user"))' 2>/dev/null || echo $(HOME)/.local/bin)
# Prints the path of uv, or nothing.
FIND_UV = { command -v uv || ls "$(USER_BIN)/uv" "$$HOME/.local/bin/uv" 2>/dev/null || true; } | head -n 1

.PHONY: help run test e2e bench lint venv store

help:
	@echo "make run    set up, build the store from $(SAMPLE)/ if needed, serve the dashboard at http://localhost:$(PORT)"
	@echo "make test   set up, then run the test suite (all but tests marked slow)"
	@echo "make e2e    the browser tests (marked e2e)"
	@echo "make bench  the benchmarks: extraction, Dask, store (and bench-resolve); each also alone"
	@echo "make lint   ruff over the code and tests"

run: venv store
	exec $(VENV)/bin/analytics serve --db $(DB) --port $(PORT) -- --server.headless true --browser.gatherUsageStats false

test: venv store
	$(VENV)/bin/python -m pytest -m "not slow" $(PYTEST_ARGS)

e2e: venv store
	$(VENV)/bin/python -m pytest -m e2e $(PYTEST_ARGS)

# Benchmarks: scripts that print a table and save JSON under bench/results/ (not timed tests).
# `make bench` runs them all (about an hour and a half on two cores, most of it the writer
# building the store of a million events); each also runs alone.
.PHONY: bench-extraction bench-dask bench-store bench-resolve
bench: bench-extraction bench-dask bench-store bench-resolve

bench-extraction: venv
	$(VENV)/bin/python bench/extraction.py

bench-dask: venv
	$(VENV)/bin/python bench/dask.py

bench-store: venv
	$(VENV)/bin/python bench/store.py

bench-resolve: venv
	$(VENV)/bin/python bench/resolve.py

lint: venv
	$(VENV)/bin/ruff check src tests app.py app_pages

venv: $(SYNCED)
# A store written by an older version (another schema) is rebuilt from the articles it holds,
# with a message; a current one is left as it is.
store: $(DB)
	@if [ -f $(DB) ]; then $(VENV)/bin/analytics ingest --rebuild --if-outdated --db $(DB); fi

$(SYNCED): pyproject.toml uv.lock
	@uv="$$($(FIND_UV))"; \
	if [ -z "$$uv" ]; then \
	  echo "uv not found: installing it from PyPI into $(USER_BIN)"; \
	  $(INSTALL_UV); \
	  uv="$$($(FIND_UV))"; \
	fi; \
	echo "$$uv sync --frozen"; \
	"$$uv" sync --frozen
	@touch $@

$(DB): | $(SYNCED)
ifneq ($(wildcard $(SAMPLE)),)
	@mkdir -p $(dir $@)
	$(VENV)/bin/analytics ingest $(SAMPLE) --db $@
else
	@echo "note: $(SAMPLE)/ is missing, so the dashboard starts empty; add articles with" \
	      "$(VENV)/bin/analytics ingest FILE... --db $@" >&2
endif

# pip when the interpreter has it (with --break-system-packages only where the system Python is
# marked externally managed, as on Debian); otherwise, since Debian's python3 comes without pip,
# the wheel straight from PyPI, checked against PyPI's sha256, its uv binary unpacked into
# USER_BIN.
INSTALL_UV = \
	if $(PYTHON) -m pip --version >/dev/null 2>&1; then \
	  log=$$(mktemp); \
	  if ! $(PYTHON) -m pip install --user --quiet uv 2>"$$log"; then \
	    if grep -q externally-managed "$$log"; then \
	      $(PYTHON) -m pip install --user --quiet --break-system-packages uv; \
	    else cat "$$log" >&2; rm -f "$$log"; exit 1; fi; \
	  fi; \
	  rm -f "$$log"; \
	else \
	  $(PYTHON) -c "$$UV_FROM_PYPI" "$(USER_BIN)"; \
	fi

define UV_FROM_PYPI
import hashlib, io, json, os, platform, sys, urllib.parse, urllib.request, zipfile
machine = platform.machine().lower().replace("amd64", "x86_64").replace("arm64", "aarch64")
libc = "manylinux" if platform.libc_ver()[0] == "glibc" else "musllinux"
index = "https://pypi.org/pypi/uv/json"
with urllib.request.urlopen(index, timeout=60) as r:
    files = json.load(r)["urls"]
wheels = [f for f in files if f["filename"].endswith(".whl") and libc in f["filename"]
          and f["filename"].endswith(machine + ".whl")]
if not wheels:
    sys.exit(f"no uv wheel on PyPI for {libc} {machine}: install uv by hand (https://docs.astral.sh/uv/)")
# A mirror may give the file's address relative to the index.
with urllib.request.urlopen(urllib.parse.urljoin(index, wheels[0]["url"]), timeout=300) as r:
    data = r.read()
if hashlib.sha256(data).hexdigest() != wheels[0]["digests"]["sha256"]:
    sys.exit("the uv wheel downloaded from PyPI does not match its sha256: try again")
os.makedirs(sys.argv[1], exist_ok=True)
with zipfile.ZipFile(io.BytesIO(data)) as wheel:
    member = next(n for n in wheel.namelist() if n.endswith(".data/scripts/uv"))
    target = os.path.join(sys.argv[1], "uv")
    with open(target, "wb") as out:
        out.write(wheel.read(member))
os.chmod(target, 0o755)
endef
export UV_FROM_PYPI
