#!/usr/bin/env bash
# Makes sure PostgreSQL, Redis and NATS (JetStream) answer on their local ports, starting the ones
# that are down. On a machine without them it says exactly what to install (or use docker compose).
set -uo pipefail

PG_HOST=${PGHOST:-127.0.0.1}; PG_PORT=${PGPORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}; NATS_PORT=${NATS_PORT:-4222}

say() { printf '[infra] %s\n' "$*"; }
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && exec 3>&- 3<&-; }
wait_port() { for _ in $(seq 1 50); do port_open "$1" "$2" && return 0; sleep 0.2; done; return 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }

ensure_postgres() {
  if port_open "$PG_HOST" "$PG_PORT"; then say "PostgreSQL up on $PG_HOST:$PG_PORT"; return 0; fi
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    say "starting PostgreSQL"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
  wait_port "$PG_HOST" "$PG_PORT" && { say "PostgreSQL up"; return 0; }
  say "PostgreSQL is not running and could not be started."
  say "  Debian/Ubuntu: apt-get install -y postgresql && pg_ctlcluster --skip-systemctl-redirect 15 main start"
  say "  or: docker compose up -d postgres"
  return 1
}

ensure_redis() {
  if port_open 127.0.0.1 "$REDIS_PORT"; then say "Redis up on 127.0.0.1:$REDIS_PORT"; return 0; fi
  if command -v redis-server >/dev/null; then
    say "starting Redis"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  fi
  wait_port 127.0.0.1 "$REDIS_PORT" && { say "Redis up"; return 0; }
  say "Redis is not running and could not be started. Install: apt-get install -y redis-server (or docker compose up -d redis)"
  return 1
}

ensure_nats() {
  if port_open 127.0.0.1 "$NATS_PORT"; then say "NATS up on 127.0.0.1:$NATS_PORT"; return 0; fi
  local bin; bin=$(command -v nats-server || echo /usr/sbin/nats-server)
  if [ -x "$bin" ]; then
    say "starting NATS with JetStream"
    mkdir -p /var/lib/nats-server 2>/dev/null || true
    start-stop-daemon --start --oknodo --background --exec "$bin" -- -a 127.0.0.1 -p "$NATS_PORT" -js \
      -sd /var/lib/nats-server -l /var/log/nats-server.log || true
  fi
  wait_port 127.0.0.1 "$NATS_PORT" && { say "NATS up"; return 0; }
  say "NATS is not running and could not be started. Install: apt-get install -y nats-server (run with -js), or docker compose up -d nats"
  return 1
}

ensure_databases() {
  # The `test` database is where the test suite works; `root` is what `npm start` uses by default.
  command -v psql >/dev/null || return 0
  for db in root test; do
    psql -h "$PG_HOST" -p "$PG_PORT" -U "${PGUSER:-root}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" 2>/dev/null | grep -q 1 ||
      psql -h "$PG_HOST" -p "$PG_PORT" -U "${PGUSER:-root}" -d postgres -c "CREATE DATABASE \"$db\"" >/dev/null 2>&1 || true
  done
}

ok=0
ensure_postgres || ok=1
ensure_redis || ok=1
ensure_nats || ok=1
[ $ok = 0 ] && ensure_databases
exit $ok
