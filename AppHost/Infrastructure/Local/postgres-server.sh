#!/usr/bin/env bash
# Runs the Debian PostgreSQL server as an Aspire executable resource when no container runtime exists.
# Initialises the data directory on first use, makes sure the application role and database exist with
# the password Aspire generated, and turns the orchestrator's SIGTERM into a fast shutdown (SIGINT), so
# stopping the AppHost never waits on open client connections.
#
# Environment (set by the AppHost): PGDATA_DIR, PGPORT, APP_DB_NAME, APP_DB_USER, APP_DB_PASSWORD.
set -euo pipefail

: "${PGDATA_DIR:?}" "${PGPORT:?}" "${APP_DB_NAME:?}" "${APP_DB_USER:?}" "${APP_DB_PASSWORD:?}"

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/postgres" ] || { echo "PostgreSQL server binaries not found under /usr/lib/postgresql (run ./scripts/setup)" >&2; exit 1; }

# PostgreSQL refuses to run as root: run it as the 'postgres' system user then.
as_server_user=()
if [ "$(id -u)" -eq 0 ]; then
  as_server_user=(setpriv --reuid=postgres --regid=postgres --init-groups --)
fi

mkdir -p "$PGDATA_DIR"
chmod 700 "$PGDATA_DIR"
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PGDATA_DIR"

if [ ! -s "$PGDATA_DIR/PG_VERSION" ]; then
  echo "Initialising a new PostgreSQL cluster in $PGDATA_DIR"
  # The socket is trusted only for the server's own OS user (and root); TCP always needs a password.
  "${as_server_user[@]}" "$bindir/initdb" -D "$PGDATA_DIR" -U postgres --auth-local=trust \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
fi

"${as_server_user[@]}" "$bindir/postgres" -D "$PGDATA_DIR" -p "$PGPORT" -k "$PGDATA_DIR" \
  -c listen_addresses=127.0.0.1 -c max_connections=200 &
server=$!
trap 'kill -INT "$server" 2>/dev/null || true' TERM INT

until "$bindir/pg_isready" -q -h "$PGDATA_DIR" -p "$PGPORT"; do
  kill -0 "$server" 2>/dev/null || { wait "$server"; exit $?; }
  sleep 0.2
done

# Idempotent provisioning; the password is read from the environment, never from the command line.
PGPASSWORD_VALUE="$APP_DB_PASSWORD" "$bindir/psql" -q -v ON_ERROR_STOP=1 -h "$PGDATA_DIR" -p "$PGPORT" -U postgres -d postgres \
  -v db="$APP_DB_NAME" -v role="$APP_DB_USER" <<'SQL'
\getenv password PGPASSWORD_VALUE
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
echo "PostgreSQL is ready on 127.0.0.1:$PGPORT (database $APP_DB_NAME, role $APP_DB_USER)"

# wait returns early when a trapped signal arrives; keep waiting until the server has really exited.
status=0
while kill -0 "$server" 2>/dev/null; do
  wait "$server" || status=$?
done
exit "$status"
