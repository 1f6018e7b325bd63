# Koshiki: `make demo` runs the app with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
PY := .venv/bin/python
STAMP := .venv/.installed

.PHONY: demo test install messages lint format schema eval train compare-learners bench bench-scale clean screenshots

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || python3.11 -m venv .venv || python3 -m venv .venv
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

messages: install
	scripts/ensure-system-packages.sh gettext
	cd src/koshiki && KOSHIKI_ENV=local KOSHIKI_VAR_DIR=$(CURDIR)/var ../../.venv/bin/koshiki manage compilemessages --ignore '.venv' >/dev/null

demo: messages
	scripts/demo.sh

test: messages
	scripts/ensure-system-packages.sh postgresql chromium nodejs
	scripts/run-tests.sh

lint: install
	.venv/bin/ruff check src tests benchmarks
	.venv/bin/ruff format --check src tests benchmarks
	.venv/bin/lint-imports --no-cache
	KOSHIKI_ENV=local .venv/bin/mypy src/koshiki/guidelines src/koshiki/checks
	KOSHIKI_ENV=local .venv/bin/mypy --strict src/koshiki/connectors
	KOSHIKI_ENV=local .venv/bin/mypy src/koshiki

# Rewrite the code in the house style (line limit 110, pyproject [tool.ruff]); `make test` checks it.
format: install
	.venv/bin/ruff format src tests benchmarks
	.venv/bin/ruff check --fix src tests benchmarks

# Regenerate docs/profile.schema.json from the pydantic models.
schema: install
	$(PY) -m koshiki.guidelines.export_schema docs/profile.schema.json

# Accuracy of koshiki.checks on the labelled corpus (per-category precision/recall, false alarms).
eval: install
	$(PY) benchmarks/eval_checks.py
	$(PY) -m koshiki.checks.learned eval --corpus tests/checks/corpus

# Speed of koshiki.checks against presidio + GiNZA (the baseline gets its own virtualenv).
bench: install
	benchmarks/setup-baseline.sh
	$(PY) benchmarks/bench_checks.py
	$(PY) benchmarks/bench_registry.py
	$(PY) benchmarks/bench_publish.py

clean:
	rm -rf .venv .venv-bench var

# National-scale benchmark (issue #12, docs/SCALING.md): a throwaway PostgreSQL, a generated dataset,
# each main page for the largest and the smallest body, audit verify, the worker. Not part of `make test`.
# Options: make bench-scale ARGS="--full" (or --bodies 300 --runs 20 --keep --json ...).
bench-scale: install
	scripts/ensure-system-packages.sh postgresql
	$(PY) benchmarks/bench_scale.py $(ARGS)

# Refresh docs/screenshots/*.png from the browser tests that take them (a plain test run only writes var/screenshots).
screenshots: messages
	scripts/ensure-system-packages.sh chromium nodejs
	KOSHIKI_ENV=local KOSHIKI_DOC_SCREENSHOTS=1 KOSHIKI_VAR_DIR=$(CURDIR)/var/screens $(PY) -m pytest -q -p no:cacheprovider \
	  -m "browser and not bluesky" tests/browser/test_calendar_browser.py tests/browser/test_overview_browser.py \
	  tests/browser/test_phone_width_browser.py tests/browser/test_preview_templates_browser.py \
	  tests/browser/test_notifications_browser.py

# Rebuild the learned tier's model (src/koshiki/checks/data/learned_posts.model) from the writers' corpora;
# fixed seeds and a deterministic solver: tests/checks/test_learned_training.py checks the shipped file.
train: install
	$(PY) -m koshiki.checks.learned train --corpus tests/checks/corpus

# Learners and features compared for the learned tier (docs/CHECKER.md): leave-one-writer-out, ~10 minutes.
compare-learners: install
	$(PY) benchmarks/compare_learners.py
