#!/usr/bin/env bash
# Creates .venv-bench, the separate virtualenv of the presidio+GiNZA baseline, from
# benchmarks/requirements-baseline.lock. Idempotent: does nothing while .venv-bench/.installed is
# newer than the lock; otherwise (re)creates the venv and installs the exact pins.
# Everything comes from the package registry through pip; the GiNZA model ships inside the
# ja-ginza wheel, so no model is fetched from any hub.
set -euo pipefail

cd "$(dirname "$0")/.."
VENV=.venv-bench
LOCK=benchmarks/requirements-baseline.lock
STAMP=$VENV/.installed

if [[ -f $STAMP && $STAMP -nt $LOCK && -x $VENV/bin/python ]]; then
    exit 0
fi

PYTHON=$(command -v python3.11 || command -v python3)
# --clear: a changed lock starts from an empty venv, so pins dropped from it do not linger.
"$PYTHON" -m venv --clear "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --only-binary=:all: -r "$LOCK"
touch "$STAMP"
