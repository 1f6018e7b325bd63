#!/usr/bin/env bash
# The whole suite: on embedded SQLite, then on a throwaway PostgreSQL cluster that is always stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
# The suite runs in local mode (koshiki.project.pytest_settings forces it too); production is the default.
export KOSHIKI_ENV=local
status=0

echo "== Lint and format (ruff), layers (import-linter) and types (mypy: strict for the Django-free core, django-stubs for the apps)"
.venv/bin/ruff check src tests benchmarks || status=1
.venv/bin/ruff format --check src tests benchmarks || status=1
.venv/bin/lint-imports --no-cache || status=1
.venv/bin/mypy src/koshiki/guidelines src/koshiki/checks || status=1
.venv/bin/mypy --strict src/koshiki/connectors || status=1
# Every Django app (services, core, audit, notify, web ...) with django-stubs; the plugin loads the settings
# (KOSHIKI_ENV=local above), migrations excluded in pyproject.
.venv/bin/mypy src/koshiki || status=1

echo "== Local AT Protocol network (Bluesky connector tests), one for both passes"
bskydir=$(mktemp -d /tmp/koshiki-bsky.XXXXXX); pgdir=""
trap 'scripts/bsky-network.sh stop "$bskydir"; [ -z "$pgdir" ] || scripts/pg-test-cluster.sh stop "$pgdir"' EXIT
KOSHIKI_BSKY_PDS_URL=$(scripts/bsky-network.sh start "$bskydir")
export KOSHIKI_BSKY_PDS_URL
# The outbound guard admits public https servers only; the local PDS (http://127.0.0.1:…) is the one exception.
KOSHIKI_OUTBOUND_ALLOW=$($PY -c 'import sys; from koshiki.connectors.outbound import origin_of; print(origin_of(sys.argv[1]))' "$KOSHIKI_BSKY_PDS_URL")
export KOSHIKI_OUTBOUND_ALLOW

echo "== Test suite on SQLite"
KOSHIKI_VAR_DIR="$PWD/var/test-sqlite" $PY -m pytest "$@" || status=1

echo "== Test suite on PostgreSQL"
pgdir=$(mktemp -d /tmp/koshiki-pg.XXXXXX)
url=$(scripts/pg-test-cluster.sh start "$pgdir" "${KOSHIKI_PG_PORT:-54329}")
KOSHIKI_VAR_DIR="$PWD/var/test-pg" DATABASE_URL="$url" $PY -m pytest "$@" || status=1

exit $status
