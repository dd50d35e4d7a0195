#!/usr/bin/env bash
# Start miniupnpd (IGD, nftables backend) inside network namespaces created here. Idempotent.
# usage: start-upnp.sh
#
#   netns camwarden-upnp-wan [wanpeer 11.79.1.1/24] <-veth-> [wan0 11.79.1.2/24] netns camwarden-upnp-rtr
#   netns camwarden-upnp-rtr [lan0 10.79.1.1/24]    <-veth-> [eth0 10.79.1.100/24] netns camwarden-upnp-lan
#
# The three namespaces form a closed island: no veth reaches the host namespace or a real
# interface, nothing is bridged, routed or NATed out. miniupnpd 2.3.1 refuses to map ports
# when its WAN address is private or reserved, so the dead-end WAN veth carries a public-
# looking block; no packet can leave the island towards it. Clients (and camwarden's
# integration test) run in camwarden-upnp-lan: ip netns exec camwarden-upnp-lan upnpc -l
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need ip nft miniupnpd
R=camwarden-upnp-rtr; L=camwarden-upnp-lan; W=camwarden-upnp-wan
D="$(inst_dir upnp 10.79.1.1 5000)"
pid_alive "$D/server.pid" && { log "upnp already running"; exit 0; }
has_ns() { ip netns list | awk '{print $1}' | grep -qx "$1"; }
for ns in "$R" "$L" "$W"; do has_ns "$ns" || ip netns add "$ns"; ip -n "$ns" link set lo up; done
if ! ip -n "$R" link show lan0 >/dev/null 2>&1; then
  ip link add cwup-lan0 type veth peer name cwup-lanc
  ip link set cwup-lan0 netns "$R" name lan0; ip link set cwup-lanc netns "$L" name eth0
fi
if ! ip -n "$R" link show wan0 >/dev/null 2>&1; then
  ip link add cwup-wan0 type veth peer name cwup-wanp
  ip link set cwup-wan0 netns "$R" name wan0; ip link set cwup-wanp netns "$W" name wanpeer
fi
ip -n "$R" addr replace 10.79.1.1/24 dev lan0; ip -n "$R" link set lan0 up
ip -n "$R" addr replace 11.79.1.2/24 dev wan0; ip -n "$R" link set wan0 up
ip -n "$L" addr replace 10.79.1.100/24 dev eth0; ip -n "$L" link set eth0 up
ip -n "$W" addr replace 11.79.1.1/24 dev wanpeer; ip -n "$W" link set wanpeer up
ip -n "$R" route replace default via 11.79.1.1 dev wan0
ip -n "$L" route replace default via 10.79.1.1 dev eth0   # SSDP multicast needs a route
ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1
# The nftables skeleton miniupnpd-nftables 2.3.1 expects, inside the router namespace only.
ip netns exec "$R" nft list table inet filter >/dev/null 2>&1 || ip netns exec "$R" nft -f - <<'NFT'
table inet filter {
  chain forward { type filter hook forward priority 0; policy drop; ct state established,related accept; jump miniupnpd; }
  chain miniupnpd { }
  chain prerouting { type nat hook prerouting priority -100; policy accept; jump prerouting_miniupnpd; }
  chain postrouting { type nat hook postrouting priority 100; policy accept; jump postrouting_miniupnpd; }
  chain prerouting_miniupnpd { }
  chain postrouting_miniupnpd { }
}
NFT
cat >"$D/miniupnpd.conf" <<CONF
ext_ifname=wan0
listening_ip=lan0
http_port=5000
enable_natpmp=yes
enable_upnp=yes
secure_mode=yes
system_uptime=yes
notify_interval=30
lease_file=$D/upnp.leases
uuid=3d3cec3a-8cf0-11e0-98ee-000000000079
serial=CWIGD0079
model_number=1
friendly_name=camwarden test IGD (miniupnpd)
manufacturer_name=camwarden-peers
model_name=miniupnpd-netns
presentation_url=http://10.79.1.1/
allow 1-65535 10.79.1.0/24 1-65535
deny 0-65535 0.0.0.0/0 0-65535
CONF
: >"$D/upnp.leases"
start_bg "$D/server.pid" "$D/server.log" ip netns exec "$R" miniupnpd -d -f "$D/miniupnpd.conf" -P "$D/miniupnpd.pid.internal" || true
wait_tcp 10.79.1.1 5000 10 "$D/server.pid" "$L" || fail_start "$D" "upnp" "miniupnpd did not answer on 10.79.1.1:5000 (from $L) within 10 s"
wait_udp_bound 0.0.0.0 1900 10 "$D/server.pid" "$R" || fail_start "$D" "upnp" "miniupnpd did not bind udp/1900 within 10 s"
log "upnp up: miniupnpd in $R, http://10.79.1.1:5000/rootDesc.xml; clients: ip netns exec $L ..."
