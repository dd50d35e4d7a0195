#!/usr/bin/env bash
# Start nginx as a web peer, idempotently.
# usage: start-nginx.sh ADDR [PORT=80] [MODE=basic|all200]
#   basic  : Basic auth (realm "Protected") on every path, "/" included, like the many
#            routers and cheap cameras that challenge at once
#   all200 : answers 200 to every path and method, with or without credentials (a device
#            that says yes to everything; checks must not mistake it for a login)
# env: HTTP_USER=admin HTTP_PASS=12345
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ADDR="${1:?usage: start-nginx.sh ADDR [PORT] [MODE]}"; PORT="${2:-80}"; MODE="${3:-basic}"
check_addr "$ADDR"; need nginx openssl
D="$(inst_dir nginx "$ADDR" "$PORT")"
pid_alive "$D/server.pid" && { log "nginx $ADDR:$PORT already running"; exit 0; }
R="$D/docroot"; mkdir -p "$R" "$D/tmp"
printf '<!DOCTYPE html>\n<html><head><title>Web Client</title></head><body>login</body></html>\n' >"$R/index.html"
chmod -R a+rX "$R"
printf '%s:%s\n' "${HTTP_USER:-admin}" "$(openssl passwd -apr1 "${HTTP_PASS:-12345}")" >"$D/htpasswd"
chmod 644 "$D/htpasswd"
case "$MODE" in
  basic) LOC='location / { auth_basic "Protected"; auth_basic_user_file '"$D"'/htpasswd; }' ;;
  all200) LOC='location / { default_type text/html; return 200 "<html><body>OK</body></html>\n"; }' ;;
  *) die "unknown nginx mode '$MODE'" ;;
esac
cat >"$D/nginx.conf" <<CONF
worker_processes 1;
pid $D/nginx.pid.internal;
error_log $D/error.log warn;
events { worker_connections 512; }
http {
  access_log $D/access.log;
  client_body_temp_path $D/tmp/body; proxy_temp_path $D/tmp/proxy; fastcgi_temp_path $D/tmp/fcgi;
  uwsgi_temp_path $D/tmp/uwsgi; scgi_temp_path $D/tmp/scgi;
  default_type application/octet-stream;
  server {
    listen $ADDR:$PORT;
    root $R;
    $LOC
  }
}
CONF
nginx -t -q -e "$D/error.log" -c "$D/nginx.conf" >"$D/server.log" 2>&1 || fail_start "$D" "nginx $ADDR:$PORT" "config test failed"
start_bg "$D/server.pid" "$D/server.log" nginx -e "$D/error.log" -c "$D/nginx.conf" -g 'daemon off;' || true
wait_tcp "$ADDR" "$PORT" 10 "$D/server.pid" || fail_start "$D" "nginx $ADDR:$PORT" "did not answer within 10 s"
log "nginx up: http://$ADDR:$PORT/ mode=$MODE"
