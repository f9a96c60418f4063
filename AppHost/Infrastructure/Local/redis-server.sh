#!/usr/bin/env bash
# Runs the Debian redis-server as an Aspire executable resource when no container runtime exists.
# The configuration (with the generated password) goes to a private file rather than the command line,
# where any local user could read it with ps.
#
# Environment (set by the AppHost): REDIS_DATA_DIR, REDIS_PORT, REDIS_PASSWORD.
set -euo pipefail

: "${REDIS_DATA_DIR:?}" "${REDIS_PORT:?}" "${REDIS_PASSWORD:?}"

command -v redis-server >/dev/null || { echo "redis-server not found (run ./scripts/setup)" >&2; exit 1; }

mkdir -p "$REDIS_DATA_DIR"
chmod 700 "$REDIS_DATA_DIR"
conf="$REDIS_DATA_DIR/redis.conf"
umask 077
cat >"$conf" <<CONF
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
dir $REDIS_DATA_DIR
daemonize no
pidfile $REDIS_DATA_DIR/redis.pid
appendonly yes
appendfsync everysec
save ""
requirepass $REDIS_PASSWORD
CONF

# exec: redis-server receives the orchestrator's SIGTERM itself and shuts down cleanly.
exec redis-server "$conf"
