#!/usr/bin/env bash
# Start every camwarden test peer, idempotently (see README.md for the address map).
# usage: start-all.sh          exit status 0 only if every peer came up
set -uo pipefail
H="$(cd "$(dirname "$0")" && pwd)"
. "$H/lib.sh"
P="$PEERS_PREFIX"; failed=()
run() { "$@" || failed+=("$(basename "$1") ${*:2}"); }
run "$H/start-lighttpd.sh" "$P.1" 80
run "$H/start-nginx.sh" "$P.2" 80 basic
run "$H/start-rtsp.sh" "$P.3" 554 both
run "$H/start-rtsp.sh" "$P.4" 554 digest
run "$H/start-rtsp.sh" "$P.5" 554 none
run "$H/start-telnet.sh" "$P.6" 23
run "$H/start-ssh.sh" "$P.7" 22
run "$H/start-ftp.sh" "$P.8" 21
run "$H/start-snmp.sh" "$P.9" 161
run "$H/start-nginx.sh" "$P.10" 80 all200
run "$H/start-upnp.sh"
run "$H/start-igd-mappings.sh"
run "$H/start-lan-netns.sh"
run "$H/start-lan2-netns.sh"
run "$H/start-postgres.sh" "$P.20" 5432 >/dev/null
run "$H/start-smtp.sh" "$P.25" 2525 >/dev/null
if ((${#failed[@]})); then
  printf 'camwarden-peers: FAILED to start: %s\n' "${failed[@]}" >&2
  exit 1
fi
log "all peers up (state in $PEERS_RUN)"
