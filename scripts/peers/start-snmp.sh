#!/usr/bin/env bash
# Start net-snmp snmpd (v1/v2c, read community "public") on udp ADDR:PORT. Idempotent.
# -I -smux is essential: without it snmpd also listens on 0.0.0.0:199/tcp.
# usage: start-snmp.sh ADDR [PORT=161]
# env:   SNMP_RO=public SNMP_DESCR="..."
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ADDR="${1:?usage: start-snmp.sh ADDR [PORT]}"; PORT="${2:-161}"
check_addr "$ADDR"; need snmpd
D="$(inst_dir snmp "$ADDR" "$PORT")"
pid_alive "$D/server.pid" && { log "snmp $ADDR:$PORT already running"; exit 0; }
mkdir -p "$D/persist"
# sysObjectID under Hikvision's enterprise number 39165 (a documented fact); text is ours.
cat >"$D/snmpd.conf" <<CONF
agentAddress udp:$ADDR:$PORT
rocommunity ${SNMP_RO:-public} default
sysDescr ${SNMP_DESCR:-Hikvision IP Camera DS-2CD2042WD-I (camwarden test peer, net-snmp)}
sysObjectID .1.3.6.1.4.1.39165.1.1
sysLocation camwarden-peers
sysContact peers@localhost
sysName ipcam-peer
sysServices 72
CONF
start_bg "$D/server.pid" "$D/server.log" env SNMP_PERSISTENT_DIR="$D/persist" MIBS= \
  snmpd -f -C -I -smux -c "$D/snmpd.conf" -Lf "$D/snmpd.log" -p "$D/snmpd.pid.internal" || true
wait_udp_bound "$ADDR" "$PORT" 10 "$D/server.pid" || fail_start "$D" "snmp $ADDR:$PORT" "did not bind udp within 10 s"
log "snmp up: snmpget -v2c -c ${SNMP_RO:-public} $ADDR:$PORT 1.3.6.1.2.1.1.1.0"
