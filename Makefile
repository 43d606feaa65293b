# kmbook — two commands do everything (see README.md):
#   make book   build the book to _build/html, executing every chapter
#   make test   unit tests + doctests, notebook-pair check, strict nbval of every chapter
#   make test-fast  the developer's inner loop: unit tests + doctests, no notebooks, no slow tier
#   make lint   ruff (pycodestyle errors, pyflakes, import order)
# Both create ./.venv (Python 3.11) and install the pinned requirements on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.kmbook-installed

# Keep every cache inside the workspace so runs never depend on a home directory.
CACHE := $(CURDIR)/_build/cache
export MPLCONFIGDIR        := $(CACHE)/matplotlib
export NUMBA_CACHE_DIR     := $(CACHE)/numba
export IPYTHONDIR          := $(CACHE)/ipython
export JUPYTER_CONFIG_DIR  := $(CACHE)/jupyter/config
export JUPYTER_RUNTIME_DIR := $(CACHE)/jupyter/runtime
export XDG_CACHE_HOME      := $(CACHE)/xdg
export KMBOOK_PROGRESS     := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1
export PIP_DISABLE_PIP_VERSION_CHECK  := 1

# Paired chapters: every MyST notebook under book/ (its .ipynb twin holds the outputs).
CHAPTERS := $(shell grep -rl --include='*.md' 'format_name: myst' book 2>/dev/null | sort)
NB ?= $(CHAPTERS)

.PHONY: book test test-fast lint venv book-stored notebooks bench clean help

help:
	@sed -n '1,6p' Makefile

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || { \
	  echo "error: kmbook needs Python 3.11 (the pins are for 3.11); got '$(PYTHON)'. Run 'make PYTHON=/path/to/python3.11 ...'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@mkdir -p $(CACHE)
	touch $@

venv: $(STAMP)

# The reader's build: executes every chapter (results cached in _build/.jupyter_cache).
book: $(STAMP)
	$(BIN)/jupyter-book build -W --keep-going --all .
	@echo "Book written to _build/html/index.html"

# CI's build: renders the outputs stored in the .ipynb files, which `make test` has
# just re-executed and compared strictly (nbval); no notebook is executed twice.
book-stored: $(STAMP)
	KMBOOK_BOOK_EXECUTE=off $(BIN)/jupyter-book build -W --keep-going --all .

test: $(STAMP)
	$(BIN)/python -m pytest

# Unit tests and doctests without nbval and without the statistical `slow` tier.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -o addopts="" -p no:nbval -p no:cacheprovider --doctest-modules -m "not slow" tests kmbook

lint: $(STAMP)
	$(BIN)/ruff check kmbook tests scripts benchmarks

# Developers: refresh the .ipynb inputs from their .md and re-execute them
# (all chapters, or NB=book/landscape/kmeans_problem.md for one).
notebooks: $(STAMP)
	@for md in $(NB); do \
	  nb="$${md%.md}.ipynb"; \
	  echo "== $$md"; \
	  $(BIN)/jupytext --quiet --to ipynb --update "$$md" || exit 1; \
	  $(BIN)/jupyter nbconvert --log-level=WARN --to notebook --execute --inplace \
	      --ExecutePreprocessor.record_timing=False --ExecutePreprocessor.timeout=600 "$$nb" || exit 1; \
	done

# Speed against the peers, measured in the same run (results in benchmarks/results/).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_lloyd.py
	$(BIN)/python benchmarks/bench_minibatch.py
	$(BIN)/python benchmarks/bench_sdp.py

clean:
	rm -rf _build
