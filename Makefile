# bulletin — typeset the monthly bulletin. `make help` lists the targets.
# Every target sets the machine up first (scripts/bootstrap.sh): no manual step.

MONTH ?=
ROOT ?= .
OUT ?= $(ROOT)/out
VENV ?= .venv
PYTHON ?= python3
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one a core; 0 runs every test in this process.
TEST_WORKERS ?= auto
ARCHIVE_ARGS ?=
SEND_ARGS ?=
DRAFTS ?=
BENCH_ARGS ?=
DOCX ?=
LANGUAGE ?=

BIN := $(VENV)/bin
export VENV PYTHON

.PHONY: help issue watch check test lint golden setup setup-test need-month

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "  Variables: MONTH=YYYY-MM (issue), ROOT=. OUT=ROOT/out"

setup: ## Create .venv and install bulletin (and missing system libraries)
	@scripts/bootstrap.sh run

setup-test:
	@scripts/bootstrap.sh test

need-month:
	@if [ -z "$(MONTH)" ]; then echo "usage: make $(or $(firstword $(MAKECMDGOALS)),issue) MONTH=YYYY-MM   (for example: make $(or $(firstword $(MAKECMDGOALS)),issue) MONTH=2021-05)" >&2; exit 2; fi

issue: need-month setup ## Build the bulletin of MONTH: make issue MONTH=2021-05
	@$(BIN)/bulletin build $(MONTH) --root $(ROOT) --out $(OUT)

watch: need-month setup ## Rebuild MONTH's email edition on every change: make watch MONTH=2021-05
	@$(BIN)/bulletin watch $(MONTH) --root $(ROOT) --out $(OUT)

check: need-month setup ## Preflight MONTH before printing: make check MONTH=2021-05
	@$(BIN)/bulletin check $(MONTH) --root $(ROOT)

.PHONY: new
new: need-month setup ## Start the issue of MONTH (folder, manifest, translations): make new MONTH=2021-07
	@$(BIN)/bulletin new $(MONTH) --root $(ROOT)

.PHONY: import
import: need-month setup ## Add a Word story to MONTH: make import MONTH=2021-07 DOCX=story.docx
	@if [ -z "$(DOCX)" ]; then echo "usage: make import MONTH=YYYY-MM DOCX=story.docx" >&2; exit 2; fi
	@$(BIN)/bulletin import $(MONTH) "$(DOCX)" --root $(ROOT)

.PHONY: translate
translate: need-month setup ## Write or update MONTH's translation: make translate MONTH=2021-07 LANGUAGE=ru
	@if [ -z "$(LANGUAGE)" ]; then echo "usage: make translate MONTH=YYYY-MM LANGUAGE=ru" >&2; exit 2; fi
	@$(BIN)/bulletin translate $(MONTH) --language $(LANGUAGE) --root $(ROOT)

.PHONY: send
send: issue ## Build MONTH, then email it to the partners (SEND_ARGS=--dry-run, --test ADDRESS, --group NAME, --resend)
	@$(BIN)/bulletin send $(MONTH) --root $(ROOT) --out $(OUT) $(SEND_ARGS)

.PHONY: preview
preview: need-month setup ## Pictures of MONTH in OUT/MONTH/preview: every page, a contact sheet, social images
	@$(BIN)/bulletin preview $(MONTH) --root $(ROOT) --out $(OUT)

.PHONY: archive
archive: setup ## Build the site of the published issues in OUT/site (DRAFTS=1: a preview with drafts; ARCHIVE_ARGS=--republish)
	@$(BIN)/bulletin archive --root $(ROOT) --out $(OUT) $(if $(DRAFTS),--drafts) $(ARCHIVE_ARGS)

.PHONY: lock
lock: ## Refresh requirements*.lock from pyproject.toml (UPGRADE=1: newest versions), then install
	@scripts/lock.sh && scripts/bootstrap.sh test

.PHONY: bench
bench: setup ## Measure build speed and write OUT/bench.json (BENCH_ARGS=--quick: fewer runs)
	@$(BIN)/python benchmarks/bench.py --out $(OUT)/bench.json $(BENCH_ARGS)

test: setup-test ## Run every test, one process a core (TEST_WORKERS=0: in one process)
	@$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

golden: setup-test ## Write tests/golden/ again from this code (then review the diff)
	@$(BIN)/pytest tests/test_golden.py --update-golden -q -p no:cacheprovider

lint: setup-test ## Check style (ruff) and types (mypy --strict)
	@$(BIN)/ruff check src tests scripts benchmarks && $(BIN)/ruff format --check src tests scripts benchmarks && $(BIN)/mypy
