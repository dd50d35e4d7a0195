#!/usr/bin/env bash
# Start busybox telnetd with a real "login:" prompt in a throw-away chroot, inside a private
# mount + UTS namespace (hostname IPCAM), so test users never touch the host's /etc. Idempotent.
# usage: start-telnet.sh ADDR [PORT=23]
# env:   TELNET_USERS="admin:12345 root:xc3511"   (xc3511: a default listed by Mirai)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ADDR="${1:?usage: start-telnet.sh ADDR [PORT]}"; PORT="${2:-23}"
check_addr "$ADDR"; need unshare chroot openssl
BB=/bin/busybox
"$BB" --list 2>/dev/null | grep -qx telnetd || die "$BB has no telnetd: install busybox-static (scripts/peers/install.sh)"
D="$(inst_dir telnet "$ADDR" "$PORT")"
pid_alive "$D/server.pid" && { log "telnet $ADDR:$PORT already running"; exit 0; }
J="$D/root"
mkdir -p "$J"/{bin,etc,dev/pts,tmp,root,home,proc}
cp -f "$BB" "$J/bin/busybox"
for a in sh login ls cat id echo uname; do ln -sf busybox "$J/bin/$a"; done
chmod 1777 "$J/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$J/etc/passwd"
printf 'root:x:0:\nusers:x:100:\n' >"$J/etc/group"
: >"$J/etc/shadow"; uid=1000
for up in ${TELNET_USERS:-admin:12345 root:xc3511}; do
  u="${up%%:*}"; h="$(openssl passwd -1 "${up#*:}")"  # MD5-crypt, as on many cameras
  if [[ "$u" != root ]]; then
    mkdir -p "$J/home/$u"; chown "$uid:100" "$J/home/$u"
    printf '%s:x:%d:100::/home/%s:/bin/sh\n' "$u" "$uid" "$u" >>"$J/etc/passwd"; uid=$((uid + 1))
  fi
  printf '%s:%s:19000:0:99999:7:::\n' "$u" "$h" >>"$J/etc/shadow"
done
grep -q '^root:' "$J/etc/shadow" || printf 'root:*:19000:0:99999:7:::\n' >>"$J/etc/shadow"
chmod 600 "$J/etc/shadow"
for n in null zero tty urandom; do : >"$J/dev/$n"; done
ln -sfn pts/ptmx "$J/dev/ptmx"
# unshare (no --fork) execs sh, which execs chroot, which execs telnetd: the pid is kept.
start_bg "$D/server.pid" "$D/server.log" unshare --mount --uts --propagation private -- /bin/sh -c '
  set -e; J="$1"; hostname IPCAM
  for n in null zero tty urandom; do mount --bind "/dev/$n" "$J/dev/$n"; done
  mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$J/dev/pts"
  mount -t proc proc "$J/proc"
  exec chroot "$J" /bin/busybox telnetd -F -b "$2:$3" -l /bin/login
' telnet-peer "$J" "$ADDR" "$PORT" || true
wait_tcp "$ADDR" "$PORT" 10 "$D/server.pid" || fail_start "$D" "telnet $ADDR:$PORT" "did not answer within 10 s"
log "telnet up: $ADDR:$PORT users ${TELNET_USERS:-admin:12345 root:xc3511}"
