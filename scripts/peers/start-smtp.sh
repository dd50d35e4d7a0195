#!/usr/bin/env bash
# Start the SMTP sink of the alert tests (scripts/peers/smtpsink: github.com/emersion/go-smtp,
# STARTTLS with its own certificate, AUTH PLAIN required, every message kept as DIR/<n>.eml,
# nothing relayed). Built with the project's Go toolchain, idempotently.
# usage: start-smtp.sh [ADDR=127.79.0.25] [PORT=2525]
# env:   SMTP_USER=alerts SMTP_PASS=camwarden-smtp-sink
# prints the instance directory: cert.pem (trust it), password, mail/ (the messages)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ADDR="${1:-$PEERS_PREFIX.25}"; PORT="${2:-2525}"
check_addr "$ADDR"; need go
D="$(inst_dir smtp "$ADDR" "$PORT")"
if pid_alive "$D/server.pid"; then log "smtp $ADDR:$PORT already running"; echo "$D"; exit 0; fi
ROOT="$(cd "$PEERS_DIR/../.." && pwd)"
(cd "$ROOT" && go build -o "$D/smtpsink" ./scripts/peers/smtpsink) || die "smtp: go build failed"
printf '%s\n' "${SMTP_PASS:-camwarden-smtp-sink}" >"$D/password"; chmod 644 "$D/password"
mkdir -p "$D/mail"
start_bg "$D/server.pid" "$D/server.log" "$D/smtpsink" -addr "$ADDR:$PORT" -dir "$D/mail" \
  -user "${SMTP_USER:-alerts}" -password-file "$D/password" || true
wait_tcp "$ADDR" "$PORT" 15 "$D/server.pid" || fail_start "$D" "smtp $ADDR:$PORT" "did not answer within 15 s"
log "smtp sink up: smtp://$ADDR:$PORT (STARTTLS, AUTH PLAIN ${SMTP_USER:-alerts}), messages in $D/mail"
echo "$D"
