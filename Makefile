# kmbook — two commands do everything (see README.md):
#   make book   build the book to _build/html, executing every chapter
#   make test   unit tests + doctests, notebook-pair check, strict nbval of every chapter
#   make test-fast  the developer's inner loop: unit tests + doctests, no notebooks, no slow tier
#   make lint   ruff (pycodestyle errors, pyflakes, import order)
# Both create ./.venv (Python 3.11, 3.12 or 3.13) and install the pinned requirements on first use.

# The first of python3, python3.13, python3.12, python3.11 that is a Python 3.11-3.13;
# `make PYTHON=/path/to/python3.12 ...` chooses one (delete .venv to switch).
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell for p in python3 python3.13 python3.12 python3.11; do \
  $$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null && { command -v $$p; break; }; done)
endif
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
	@$(PYTHON) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null || { \
	  echo "error: kmbook needs Python 3.11, 3.12 or 3.13 (the pins hold for these); got '$(PYTHON)'. Run 'make PYTHON=/path/to/python3.12 ...'"; exit 1; }
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
	$(BIN)/ruff check kmbook tests scripts benchmarks browser_tests

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

# Maintainers: re-vendor MathJax 3 into _static/mathjax from the npm package (needs npm).
# The files are committed, so readers and CI never need npm or a network to render math.
MATHJAX_VERSION ?= 3.2.2
.PHONY: mathjax
mathjax:
	rm -rf _build/mathjax && mkdir -p _build/mathjax
	cd _build/mathjax && npm pack --silent mathjax@$(MATHJAX_VERSION) >/dev/null && tar xzf mathjax-$(MATHJAX_VERSION).tgz
	rm -rf _static/mathjax/output _static/mathjax/tex-chtml-full.js
	mkdir -p _static/mathjax/output/chtml/fonts
	cp _build/mathjax/package/es5/tex-chtml-full.js _build/mathjax/package/LICENSE _static/mathjax/
	cp -r _build/mathjax/package/es5/output/chtml/fonts/woff-v2 _static/mathjax/output/chtml/fonts/
	cd _static/mathjax && find . -type f ! -name SHA256SUMS ! -name PROVENANCE.md | sort | xargs sha256sum > SHA256SUMS
	@echo "MathJax $(MATHJAX_VERSION) vendored; update the version and checksum in _static/mathjax/PROVENANCE.md"

# Readers: JupyterLab on the book, with this project's environment (.venv) as the kernel;
# a chapter's .md opens as a notebook (jupytext). Run it top to bottom to reproduce the outputs.
# LAB_ARGS passes options, e.g. make lab LAB_ARGS="--no-browser --port=8899".
LAB_ARGS ?=
.PHONY: lab lab-run test-browser
lab: $(STAMP)
	@$(MAKE) --no-print-directory lab-run

lab-run:
	$(BIN)/jupyter lab --notebook-dir="$(CURDIR)" --LabApp.app_settings_dir="$(CURDIR)/_lab" \
	    $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# The built book in headless Chromium with no network (needs `make book-stored` or `make book`
# first, and Debian's chromium + chromium-driver: apt-get install chromium chromium-driver).
test-browser: $(STAMP)
	$(BIN)/python -m pytest browser_tests
