#!/usr/bin/env bash
# `npm start`: install if needed, check/start PostgreSQL, Redis and NATS, build, then run all five
# services (one process each, prefixed logs) until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/dev/ensure-install.sh
bash tools/dev/infra.sh
node tools/dev/build.mjs
exec node tools/dev/run-all.mjs "$@"
