#!/usr/bin/env bash
# Runs camwarden's comparison benchmarks and prints their tables:
#   (a) BenchmarkLab          the simulated lab, camwarden vs nmap -sT -sV
#   (b) BenchmarkSilentRange  a dropped /22 with 8 delayed live hosts, vs nmap -sT -T4
#   (c) BenchmarkSweep12      127.0.0.0/12 on one closed port, vs a minimal Go dial loop
#   (d) BenchmarkRTSPDiscovery fake cameras from real captures (one streaming on a route only
#                             Cameradar/rtspbrute list), vs nmap --script rtsp-url-brute
# usage: bench/run.sh [BENCH_REGEXP]      (default: all)
# Needs root, nmap, iptables, gcc and libnetfilter-queue-dev. Every iptables
# rule the benchmarks add carries the comment "camwarden-bench"; the trap
# below removes any such rule left behind, even when the run is killed.
set -euo pipefail
cd "$(dirname "$0")/.."
cleanup() {
  for t in filter mangle; do
    { iptables -t "$t" -S 2>/dev/null | grep -- '--comment camwarden-bench' || true; } | sed 's/^-A /-D /' |
      while read -r rule; do eval "iptables -t $t $rule" || true; done
  done
}
trap cleanup EXIT INT TERM
for tool in nmap iptables gcc; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install -y nmap iptables gcc libnetfilter-queue-dev)" >&2; exit 1; }
done
go test -run '^$' -bench "${1:-.}" -benchtime=1x -timeout 60m ./bench
