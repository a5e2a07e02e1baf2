#!/usr/bin/env bash
# Installs npm dependencies when node_modules is missing or older than the lockfile.
# (`npm ci` trips over other platforms' optional binaries here, so it is `npm install`.)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] installing dependencies (npm install)"
  npm install --no-audit --no-fund --loglevel=error
fi
