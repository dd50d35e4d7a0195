#!/usr/bin/env bash
# Two network namespaces joined by one veth pair, for camwarden's LAN discovery test
# (test/integration/lan_netns_test.go). Idempotent. Nothing is added to the host namespace:
# the veth ends are created directly inside the namespaces.
# usage: start-lan-netns.sh
#
#   camwarden-lan-a  cwlan-a  10.80.0.2-10.80.0.20/24   lab discovery responders (lab.StartDiscovery)
#   camwarden-lan-b  cwlan-b  10.80.0.100/24            camwarden (lan.Discover, scan --lan-discovery)
# Both ends carry a multicast route (224.0.0.0/4 dev cwlan-*), so the discovery multicast of
# camwarden-lan-b reaches camwarden-lan-a and goes nowhere else. No default route (the scan's
# --gateway auto then has no router to ask).
set -euo pipefail
H="$(cd "$(dirname "$0")" && pwd)"
. "$H/lib.sh"
need ip
A=camwarden-lan-a; B=camwarden-lan-b
for ns in "$A" "$B"; do
  ip netns list | awk '{print $1}' | grep -qx "$ns" || ip netns add "$ns"
  ip -n "$ns" link set lo up
done
if ! ip -n "$A" link show cwlan-a >/dev/null 2>&1; then
  ip -n "$B" link del cwlan-b 2>/dev/null || true
  ip link add cwlan-a netns "$A" type veth peer name cwlan-b netns "$B"
fi
for i in $(seq 2 20); do ip -n "$A" addr replace "10.80.0.$i/24" dev cwlan-a; done
ip -n "$B" addr replace 10.80.0.100/24 dev cwlan-b
ip -n "$A" link set cwlan-a up
ip -n "$B" link set cwlan-b up
ip -n "$A" route replace 224.0.0.0/4 dev cwlan-a
ip -n "$B" route replace 224.0.0.0/4 dev cwlan-b
ip -n "$A" -br link show cwlan-a | grep -q ',UP' && ip -n "$B" -br link show cwlan-b | grep -q ',UP' ||
  die "veth cwlan-a/cwlan-b is not up"
log "lan netns up: $A (10.80.0.2-20 on cwlan-a) <-> $B (10.80.0.100 on cwlan-b), multicast routed on the veth only"
