#!/usr/bin/env bash
# Stop every PostgreSQL instance start-postgres.sh started (pg_ctl fast shutdown, then the
# generic TERM/KILL of lib.sh if it hangs).
# usage: stop-postgres.sh [--purge]   --purge also deletes the clusters' data
set -uo pipefail
. "$(dirname "$0")/lib.sh"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
for d in "$PEERS_RUN"/postgres-*; do
  [[ -d "$d" ]] || continue
  if pid_alive "$d/server.pid" && [[ -x "$BIN/pg_ctl" ]]; then
    runuser -u postgres -- "$BIN/pg_ctl" -D "$d/data" stop -m fast -w -t 20 >/dev/null 2>&1 &&
      log "$(basename "$d"): stopped"
  fi
  stop_pidfile "$d/server.pid" "$(basename "$d")"
  if [[ "${1:-}" == --purge ]]; then rm -rf "$d" && log "purged $d"; fi
done
exit 0
