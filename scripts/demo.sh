#!/usr/bin/env bash
# The demo: migrate the embedded SQLite database, load demo data, run the worker and the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
K=.venv/bin/koshiki
export KOSHIKI_VAR_DIR="${KOSHIKI_VAR_DIR:-$PWD/var}"
# Local mode: keys generated under var/ (0600), plain HTTP. Production is the default otherwise.
export KOSHIKI_ENV="${KOSHIKI_ENV:-local}"
# With a local AT Protocol network (KOSHIKI_BSKY_PDS_URL from scripts/bsky-network.sh), admit exactly
# its PDS through the outbound guard; otherwise only public https servers can be channels.
if [ -n "${KOSHIKI_BSKY_PDS_URL:-}" ]; then
  KOSHIKI_OUTBOUND_ALLOW=$(.venv/bin/python -c 'import sys; from koshiki.connectors.outbound import origin_of; print(origin_of(sys.argv[1]))' "$KOSHIKI_BSKY_PDS_URL")
  export KOSHIKI_OUTBOUND_ALLOW
fi
$K manage migrate --noinput >/dev/null
$K manage load_demo
# The worker ensures the recurring jobs (the sweeper) itself at every start.
$K manage worker --interval 1 >"$KOSHIKI_VAR_DIR/worker.log" 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo
echo "Worker running (log: $KOSHIKI_VAR_DIR/worker.log)."
echo "Koshiki: http://127.0.0.1:${PORT:-8000}/  (Ctrl-C stops both)"
# --insecure: serve static files without DEBUG (demo only; production serves them from STATIC_ROOT).
$K manage runserver --noreload --insecure "127.0.0.1:${PORT:-8000}"
