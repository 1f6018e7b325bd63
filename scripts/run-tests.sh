#!/usr/bin/env bash
# The whole suite: on embedded SQLite, then on a throwaway PostgreSQL cluster that is always stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
status=0

echo "== Lint (ruff) and types (mypy, strict for the Django-free core)"
.venv/bin/ruff check src tests || status=1
.venv/bin/mypy src/koshiki/guidelines src/koshiki/checks || status=1

echo "== Test suite on SQLite"
KOSHIKI_VAR_DIR="$PWD/var/test-sqlite" $PY -m pytest "$@" || status=1

echo "== Test suite on PostgreSQL"
pgdir=$(mktemp -d /tmp/koshiki-pg.XXXXXX)
trap 'scripts/pg-test-cluster.sh stop "$pgdir"' EXIT
url=$(scripts/pg-test-cluster.sh start "$pgdir" "${KOSHIKI_PG_PORT:-54329}")
KOSHIKI_VAR_DIR="$PWD/var/test-pg" DATABASE_URL="$url" $PY -m pytest "$@" || status=1

exit $status
