#!/usr/bin/env bash
# Stop every camwarden peer (all kinds, all addresses) and delete the camwarden-* namespaces
# (their veths and nftables rules go with them). The host namespace gets no iptables rules.
# usage: stop-all.sh
set -uo pipefail
. "$(dirname "$0")/lib.sh"
for k in rtsp lighttpd nginx telnet ssh ftp snmp upnp smtp; do stop_kind "$k"; done
"$(dirname "$0")/stop-postgres.sh"
for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^camwarden-'); do
  ip netns del "$ns" && log "deleted netns $ns"
done
exit 0
