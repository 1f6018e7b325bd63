#!/usr/bin/env bash
# A throwaway local AT Protocol network (PLC, PDS, Bluesky AppView, Ozone from @atproto/dev-env) on
# 127.0.0.1 for the Bluesky connector tests: start prints the PDS URL, stop removes everything.
# Usage: scripts/bsky-network.sh start DIR | stop DIR
# Environment: KOSHIKI_BSKY_PG_PORT (54331), KOSHIKI_BSKY_{PLC,PDS,APPVIEW,OZONE}_PORT (2582, 2583,
# 2584, 2587), KOSHIKI_BSKY_START_TIMEOUT (90 s).
set -euo pipefail

action=${1:-}; dir=${2:-}
[ -n "$action" ] && [ -n "$dir" ] || { echo "usage: $0 start DIR | stop DIR" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
bsky="$root/bsky"
mkdir -p "$(dirname "$dir")"; dir="$(cd "$(dirname "$dir")" && pwd)/$(basename "$dir")"

ensure_node_modules() {
  command -v node >/dev/null && command -v npm >/dev/null \
    || { echo "Node.js is not installed (scripts/ensure-system-packages.sh nodejs)" >&2; exit 1; }
  # One install at a time (two test runs may start together); reinstall when the lock file changed.
  exec 9<"$bsky/package-lock.json"   # npm ci never rewrites it: a lock that leaves no file behind
  flock 9
  if [ ! -f "$bsky/node_modules/.package-lock.json" ] \
     || [ "$bsky/package-lock.json" -nt "$bsky/node_modules/.package-lock.json" ]; then
    echo "Installing @atproto/dev-env (npm ci in bsky/, about 2 minutes the first time)" >&2
    (cd "$bsky" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
  flock -u 9
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running() { [ -f "$dir/network.pid" ] && kill -0 "$(cat "$dir/network.pid")" 2>/dev/null; }

stop_network() {
  local pid
  if [ -f "$dir/network.pid" ]; then
    pid=$(cat "$dir/network.pid")
    if kill -TERM "$pid" 2>/dev/null; then
      for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/network.pid"
  fi
  "$root/scripts/pg-test-cluster.sh" stop "$dir/pg"
}

case "$action" in
  start)
    if running && [ -s "$dir/ready.json" ]; then
      sed -E 's/.*"pds":"([^"]+)".*/\1/' "$dir/ready.json"   # already running here
      exit 0
    fi
    [ -d "$dir" ] && stop_network   # leftovers of a run that did not stop
    for name in PLC:2582 PDS:2583 APPVIEW:2584 OZONE:2587; do
      var="KOSHIKI_BSKY_${name%%:*}_PORT"; port=${!var:-${name#*:}}
      if port_in_use "$port"; then
        echo "port $port ($var) is in use: another network running? stop it or set $var" >&2; exit 1
      fi
    done
    ensure_node_modules
    rm -rf "$dir"; mkdir -p "$dir/tmp"
    pg_url=$("$root/scripts/pg-test-cluster.sh" start "$dir/pg" "${KOSHIKI_BSKY_PG_PORT:-54331}")
    trap 'stop_network; rm -rf "$dir"' ERR
    # setsid: its own session, so a Ctrl-C of the caller leaves the orderly shutdown to "stop".
    # The PDS leaves SQLite and blob directories in TMPDIR: keep them under DIR.
    cd "$bsky"
    TMPDIR="$dir/tmp" DB_POSTGRES_URL="${pg_url%/*}/postgres" DB_POSTGRES_SCHEMA="koshiki_$(date +%s%N | tr 0-9 a-j)" \
      setsid node --require ./listen-localhost.cjs network.mjs </dev/null >"$dir/network.log" 2>&1 &
    pid=$!
    echo "$pid" >"$dir/network.pid"
    deadline=$((SECONDS + ${KOSHIKI_BSKY_START_TIMEOUT:-90}))
    until grep -q '^{"pds":' "$dir/network.log" 2>/dev/null; do
      if ! kill -0 "$pid" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
        echo "the AT Protocol network did not start; last lines of $dir/network.log:" >&2
        tail -n 30 "$dir/network.log" >&2 || true
        false
      fi
      sleep 0.2
    done
    trap - ERR
    grep -m 1 '^{"pds":' "$dir/network.log" >"$dir/ready.json"
    sed -E 's/.*"pds":"([^"]+)".*/\1/' "$dir/ready.json"
    ;;
  stop)
    stop_network
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start DIR | stop DIR" >&2; exit 2 ;;
esac
