#!/usr/bin/env bash
# Start a camera-like RTSP peer (gst-rtsp-server via python3-gi), idempotently.
# usage: start-rtsp.sh ADDR [PORT=554] [AUTH=both|digest|basic|none]
# env:   RTSP_USER=admin RTSP_PASS=12345 RTSP_REALM="IP Camera(12345)"
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ADDR="${1:?usage: start-rtsp.sh ADDR [PORT] [AUTH]}"; PORT="${2:-554}"; AUTH="${3:-both}"
check_addr "$ADDR"
/usr/bin/python3 -c 'import gi; gi.require_version("GstRtspServer","1.0")' 2>/dev/null ||
  die "python3-gi / gir1.2-gst-rtsp-server-1.0 missing (run scripts/peers/install.sh)"
D="$(inst_dir rtsp "$ADDR" "$PORT")"
rc=0
start_bg "$D/server.pid" "$D/server.log" /usr/bin/python3 "$PEERS_DIR/rtsp_server.py" --addr "$ADDR" \
  --port "$PORT" --auth "$AUTH" --user "${RTSP_USER:-admin}" --password "${RTSP_PASS:-12345}" \
  --realm "${RTSP_REALM:-IP Camera(12345)}" || rc=$?
[[ $rc == 3 ]] && { log "rtsp $ADDR:$PORT already running"; exit 0; }
wait_tcp "$ADDR" "$PORT" 15 "$D/server.pid" || fail_start "$D" "rtsp $ADDR:$PORT" "did not answer within 15 s"
log "rtsp up: rtsp://$ADDR:$PORT/Streaming/Channels/101 auth=$AUTH"
