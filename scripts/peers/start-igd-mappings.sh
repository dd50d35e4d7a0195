#!/usr/bin/env bash
# Prepare the UPnP island (start-upnp.sh) for camwarden's IGD test. Idempotent.
# usage: start-igd-mappings.sh
#
# In camwarden-upnp-lan it adds the internal hosts 10.79.1.101-.103 (extra addresses on eth0)
# and, through the real miniupnpd with upnpc, the port mappings listed below. miniupnpd runs
# with secure_mode=yes (a client may map only to itself), so each upnpc call leaves from the
# mapping's internal address: a /32 route to the router with that preferred source.
# It also adds nft counters (our own table "camwarden_igd", inside the namespaces only):
#   lan ns output: to_gateway (10.79.1.1, must grow) and to_external (11.79.1.2, must stay 0)
#   rtr ns prerouting (before miniupnpd's DNAT): to_external
# Nothing here touches the host namespace. No multicast: upnpc gets the description URL (-u).
set -euo pipefail
H="$(cd "$(dirname "$0")" && pwd)"
. "$H/lib.sh"
need ip nft upnpc
R=camwarden-upnp-rtr; L=camwarden-upnp-lan
ROUTER=10.79.1.1; EXTERNAL=11.79.1.2; DESC="http://$ROUTER:5000/rootDesc.xml"
"$H/start-upnp.sh"
for a in 10.79.1.101 10.79.1.102 10.79.1.103; do
  ip -n "$L" addr replace "$a/24" dev eth0
done
# internal-address internal-port external-port protocol description
MAPPINGS=(
  "10.79.1.100 80 18080 TCP camwarden-cam-web"
  "10.79.1.101 554 10554 TCP camwarden-cam-rtsp"
  "10.79.1.101 23 10023 TCP camwarden-cam-telnet"
  "10.79.1.102 8000 18000 TCP camwarden-nvr-sdk"
  "10.79.1.102 37777 37777 UDP camwarden-nvr-udp"
  "10.79.1.103 8080 18081 TCP camwarden-unscanned"
)
restore() { ip -n "$L" route del "$ROUTER/32" 2>/dev/null || true; }
trap restore EXIT
for m in "${MAPPINGS[@]}"; do
  read -r ip iport eport proto desc <<<"$m"
  ip -n "$L" route replace "$ROUTER/32" dev eth0 src "$ip"
  out="$(ip netns exec "$L" upnpc -u "$DESC" -e "$desc" -a "$ip" "$iport" "$eport" "$proto" 86400 2>&1)" ||
    die "upnpc -a $m failed: $out"
  grep -q "is redirected to internal $ip:$iport" <<<"$out" || die "upnpc did not confirm $m: $out"
done
restore
ip netns exec "$L" nft list table inet camwarden_igd >/dev/null 2>&1 || ip netns exec "$L" nft -f - <<NFT
table inet camwarden_igd {
  counter to_gateway { }
  counter to_external { }
  chain output { type filter hook output priority 0; policy accept;
    ip daddr $ROUTER counter name to_gateway
    ip daddr $EXTERNAL counter name to_external
  }
}
NFT
ip netns exec "$R" nft list table inet camwarden_igd >/dev/null 2>&1 || ip netns exec "$R" nft -f - <<NFT
table inet camwarden_igd {
  counter to_external { }
  chain prerouting { type filter hook prerouting priority -300; policy accept;
    ip daddr $EXTERNAL counter name to_external
  }
}
NFT
n="$(ip netns exec "$L" upnpc -u "$DESC" -l 2>/dev/null | grep -c camwarden- || true)"
((n >= ${#MAPPINGS[@]})) || die "miniupnpd lists $n camwarden mappings, want ${#MAPPINGS[@]}"
log "igd mappings up: ${#MAPPINGS[@]} mappings in miniupnpd ($R), counters in table inet camwarden_igd"
