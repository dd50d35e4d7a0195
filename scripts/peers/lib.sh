# shellcheck shell=bash
# Helpers shared by camwarden's peer scripts. Source me; do not execute.
#
# Safety rule enforced here: in the host network namespace a peer may bind only to
# 127.79.0.0/24 (camwarden's in-process lab owns 127.77.0.x). Any other address is accepted
# only when we run inside a camwarden-* network namespace that these scripts created.

PEERS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PEERS_RUN="${PEERS_RUN:-/tmp/camwarden-peers}"
PEERS_PREFIX="127.79.0"
mkdir -p "$PEERS_RUN"

die() { echo "camwarden-peers: ERROR: $*" >&2; exit 1; }
log() { echo "camwarden-peers: $*" >&2; }

# current_netns prints the name of the named netns this shell runs in ("" in the host's).
current_netns() { ip netns identify $$ 2>/dev/null || true; }

# check_addr ADDR: refuse anything but a dotted quad in 127.79.0.0/24, unless we are
# inside one of our own camwarden-* namespaces.
check_addr() {
  local a="$1" o ns
  [[ "$a" =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] || die "bad IPv4 address '$a'"
  for o in "${BASH_REMATCH[@]:1}"; do ((10#$o <= 255)) || die "bad octet in '$a'"; done
  [[ "$a" == "$PEERS_PREFIX".* ]] && return 0
  ns="$(current_netns)"
  [[ "$ns" == camwarden-* ]] && return 0
  die "address '$a' is outside $PEERS_PREFIX.0/24 and we are not inside a camwarden-* netns (refusing)"
}

# pid_alive PIDFILE: true if the pid in PIDFILE runs and is not a zombie.
pid_alive() {
  [[ -s "$1" ]] || return 1
  local p; p="$(cat "$1" 2>/dev/null)"; [[ "$p" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$p" 2>/dev/null || return 1
  [[ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" != Z ]]
}

# stop_pidfile PIDFILE NAME: TERM, wait up to 5 s (polling), KILL, remove the file.
stop_pidfile() {
  local f="$1" name="$2" p deadline
  if ! pid_alive "$f"; then rm -f "$f"; return 0; fi
  p="$(cat "$f")"
  kill -TERM "$p" 2>/dev/null || true
  deadline=$((SECONDS + 5))
  while pid_alive "$f" && ((SECONDS < deadline)); do sleep 0.1; done
  if pid_alive "$f"; then kill -KILL "$p" 2>/dev/null || true; log "$name: killed pid $p"; else log "$name: stopped pid $p"; fi
  rm -f "$f"
}

# tcp_answers ADDR PORT [NETNS]: one connect attempt.
tcp_answers() {
  local pre=(); [[ -n "${3:-}" ]] && pre=(ip netns exec "$3")
  "${pre[@]}" timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# wait_tcp ADDR PORT TIMEOUT_S PIDFILE [NETNS]: poll until ADDR:PORT accepts, giving up at
# the deadline or as soon as the server process dies.
wait_tcp() {
  local a="$1" p="$2" t="$3" pf="$4" ns="${5:-}" deadline=$((SECONDS + $3))
  while ((SECONDS < deadline)); do
    pid_alive "$pf" || return 1
    tcp_answers "$a" "$p" "$ns" && return 0
    sleep 0.1
  done
  return 1
}

# wait_udp_bound ADDR PORT TIMEOUT_S PIDFILE [NETNS]: poll until a UDP socket is bound there.
wait_udp_bound() {
  local a="$1" p="$2" pf="$4" ns="${5:-}" deadline=$((SECONDS + $3)) pre=()
  [[ -n "$ns" ]] && pre=(ip netns exec "$ns")
  while ((SECONDS < deadline)); do
    pid_alive "$pf" || return 1
    # a socket bound to a device shows as ADDR%DEV:PORT
    "${pre[@]}" ss -Hlnu "( sport = :$p )" 2>/dev/null | grep -qE -- "[[:space:]]${a//./\\.}(%[^:]+)?:$p[[:space:]]" && return 0
    sleep 0.1
  done
  return 1
}

# need CMD...: fail early with a hint.
need() {
  local c
  for c in "$@"; do command -v "$c" >/dev/null 2>&1 || die "missing '$c' (run scripts/peers/install.sh)"; done
}

# inst_dir NAME ADDR PORT: create and print the state directory of one instance.
inst_dir() { local d="$PEERS_RUN/$1-$2-$3"; mkdir -p "$d"; chmod 755 "$PEERS_RUN" "$d"; echo "$d"; }

# start_bg PIDFILE LOGFILE CMD...: start CMD detached; returns 3 if it already runs.
start_bg() {
  local pf="$1" lf="$2"; shift 2
  if pid_alive "$pf"; then return 3; fi
  setsid nohup "$@" >"$lf" 2>&1 </dev/null &
  echo $! >"$pf"
}

# fail_start DIR NAME MSG: print the instance logs, stop it, and die.
fail_start() {
  local d="$1" name="$2" f
  for f in "$d"/*.log; do [[ -s "$f" ]] && { echo "---- $f" >&2; tail -n 40 "$f" >&2; }; done
  stop_pidfile "$d/server.pid" "$name"
  die "$name: $3"
}

# stop_kind NAME: stop every instance of one kind of peer.
stop_kind() {
  local d pf
  for d in "$PEERS_RUN/$1-"*; do
    [[ -d "$d" ]] || continue
    for pf in "$d"/*.pid; do [[ -e "$pf" ]] && stop_pidfile "$pf" "$(basename "$d")/$(basename "$pf" .pid)"; done
  done
  return 0
}
