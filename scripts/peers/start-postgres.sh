#!/usr/bin/env bash
# Start PostgreSQL (Debian's postgresql package) for camwarden's fleet: the River job queue
# and the postgres store. Its own cluster under $PEERS_RUN, run as the postgres user,
# listening only on ADDR (no Unix socket outside the instance dir). Idempotent.
# Database "camwarden", role "camwarden" (CREATEDB), password $PG_PASSWORD (scram-sha-256).
# usage: start-postgres.sh [ADDR=127.79.0.20] [PORT=5432]
# prints: postgres://camwarden:PASSWORD@ADDR:PORT/camwarden (the URL for --postgres)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ADDR="${1:-$PEERS_PREFIX.20}"; PORT="${2:-5432}"
check_addr "$ADDR"; need runuser
PG_PASSWORD="${PG_PASSWORD:-camwarden}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
[[ -x "$BIN/postgres" ]] || die "postgresql missing (run scripts/peers/install.sh)"
D="$(inst_dir postgres "$ADDR" "$PORT")"
URL="postgres://camwarden:$PG_PASSWORD@$ADDR:$PORT/camwarden"
if pid_alive "$D/server.pid"; then log "postgres $ADDR:$PORT already running"; echo "$URL"; exit 0; fi
pg() { runuser -u postgres -- "$@"; }
chown postgres:postgres "$D"
if [[ ! -s "$D/data/PG_VERSION" ]]; then
  rm -rf "$D/data"
  printf '%s\n' "$PG_PASSWORD" >"$D/pwfile"; chown postgres "$D/pwfile"; chmod 600 "$D/pwfile"
  pg "$BIN/initdb" -D "$D/data" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
    --pwfile="$D/pwfile" -E UTF8 --locale=C.UTF-8 >"$D/initdb.log" 2>&1 ||
    { cat "$D/initdb.log" >&2; die "initdb failed"; }
  rm -f "$D/pwfile"
  {
    echo "listen_addresses = '$ADDR'"
    echo "port = $PORT"
    echo "unix_socket_directories = '$D'"
    echo "max_connections = 200"
    echo "fsync = on"
    echo "shared_buffers = 64MB"
  } >>"$D/data/postgresql.conf"
  printf 'local all postgres peer\nhost all all 127.0.0.0/8 scram-sha-256\n' >"$D/data/pg_hba.conf"
  chown postgres "$D/data/pg_hba.conf"
fi
start_bg "$D/server.pid" "$D/server.log" runuser -u postgres -- "$BIN/postgres" -D "$D/data" || true
wait_tcp "$ADDR" "$PORT" 20 "$D/server.pid" || fail_start "$D" "postgres $ADDR:$PORT" "did not answer within 20 s"
# the role and database, once (peer auth over the instance's own socket)
psql=(runuser -u postgres -- "$BIN/psql" -h "$D" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qAt)
deadline=$((SECONDS + 20))
until "${psql[@]}" -c 'SELECT 1' >/dev/null 2>&1; do
  ((SECONDS < deadline)) || fail_start "$D" "postgres $ADDR:$PORT" "not accepting queries within 20 s"
  sleep 0.1
done
if [[ "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = 'camwarden'")" != 1 ]]; then
  "${psql[@]}" -c "CREATE ROLE camwarden LOGIN PASSWORD '$PG_PASSWORD'"
fi
# CREATEDB: the fleet integration test gives each run a database of its own
"${psql[@]}" -c "ALTER ROLE camwarden CREATEDB"
if [[ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'camwarden'")" != 1 ]]; then
  "${psql[@]}" -c "CREATE DATABASE camwarden OWNER camwarden"
fi
log "postgres up: $URL"
echo "$URL"
