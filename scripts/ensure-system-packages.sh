#!/usr/bin/env bash
# Install the Debian packages Koshiki's tests and demo need, only those missing:
# gettext (msgfmt), PostgreSQL (the production database, tested too), Chromium (browser tests),
# Node.js (the local AT Protocol network of the Bluesky connector tests, scripts/bsky-network.sh).
# Usage: scripts/ensure-system-packages.sh [gettext] [postgresql] [chromium] [nodejs]
set -euo pipefail

need=()
for what in "$@"; do
  case "$what" in
    gettext) command -v msgfmt >/dev/null || need+=(gettext) ;;
    postgresql) ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql) ;;
    chromium) [ -x /usr/bin/chromium ] || need+=(chromium fonts-noto-cjk) ;;
    nodejs) command -v node >/dev/null || need+=(nodejs npm) ;;
    *) echo "unknown package group: $what" >&2; exit 2 ;;
  esac
done
[ ${#need[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "need root to install: ${need[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# policy-rc.d 101: do not start services at install time (the tests start their own cluster).
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
