#!/usr/bin/env bash
# Three network namespaces and two links, for the test that LAN discovery sends only on the
# interface of the scanned network (test/integration/lan_iface_test.go). Idempotent. Nothing is
# added to the host namespace: every veth end is created inside its namespace.
# usage: start-lan2-netns.sh
#
#   camwarden-lan2-cam    cw2-cam   10.81.1.2-10.81.1.20/24   lab discovery responders (the scanned network)
#   camwarden-lan2-other  cw2-oth   10.81.2.2-10.81.2.20/24   lab discovery responders (NOT scanned)
#   camwarden-lan2-scan   cw2s-cam  10.81.1.100/24  <-> cw2-cam
#                         cw2s-oth  10.81.2.100/24  <-> cw2-oth, default route via 10.81.2.1 (onlink)
# camwarden runs in camwarden-lan2-scan. Its default route leaves by the unscanned link, so a
# socket that lets the kernel choose sends multicast there; the test counts the packets that
# reach cw2-oth and wants none. IPv6 is off on every veth (no router solicitations or MLD to
# count), the responders' namespaces route 224.0.0.0/4 on their veth, the scanner's has no
# multicast route of its own.
set -euo pipefail
H="$(cd "$(dirname "$0")" && pwd)"
. "$H/lib.sh"
need ip sysctl
S=camwarden-lan2-scan; C=camwarden-lan2-cam; O=camwarden-lan2-other
for ns in "$S" "$C" "$O"; do
  ip netns list | awk '{print $1}' | grep -qx "$ns" || ip netns add "$ns"
  ip -n "$ns" link set lo up
done
pair() { # pair NS_A IF_A NS_B IF_B
  ip -n "$1" link show "$2" >/dev/null 2>&1 && return 0
  ip -n "$3" link del "$4" 2>/dev/null || true
  ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
}
pair "$C" cw2-cam "$S" cw2s-cam
pair "$O" cw2-oth "$S" cw2s-oth
for spec in "$C cw2-cam" "$O cw2-oth" "$S cw2s-cam" "$S cw2s-oth"; do
  read -r ns ifc <<<"$spec"
  ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$ifc.disable_ipv6=1"
done
for i in $(seq 2 20); do
  ip -n "$C" addr replace "10.81.1.$i/24" dev cw2-cam
  ip -n "$O" addr replace "10.81.2.$i/24" dev cw2-oth
done
ip -n "$S" addr replace 10.81.1.100/24 dev cw2s-cam
ip -n "$S" addr replace 10.81.2.100/24 dev cw2s-oth
for spec in "$C cw2-cam" "$O cw2-oth" "$S cw2s-cam" "$S cw2s-oth"; do
  read -r ns ifc <<<"$spec"
  ip -n "$ns" link set "$ifc" up
done
ip -n "$C" route replace 224.0.0.0/4 dev cw2-cam
ip -n "$O" route replace 224.0.0.0/4 dev cw2-oth
ip -n "$S" route replace default via 10.81.2.1 dev cw2s-oth onlink
ip -n "$S" -br link show cw2s-cam | grep -q ',UP' && ip -n "$S" -br link show cw2s-oth | grep -q ',UP' ||
  die "veths of $S are not up"
log "lan2 netns up: $S (10.81.1.100 on cw2s-cam, 10.81.2.100 on cw2s-oth, default via cw2s-oth) <-> $C / $O"
