#!/usr/bin/env bash
# Start OpenSSH sshd with password-only auth for weak test users, in a chroot with its own
# /etc (passwd, shadow, host keys) and the host's /usr bind-mounted read-only, inside a
# private mount + UTS namespace. Idempotent.
# usage: start-ssh.sh ADDR [PORT=22]
# env:   SSH_USERS="admin:12345 root:xc3511"
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ADDR="${1:?usage: start-ssh.sh ADDR [PORT]}"; PORT="${2:-22}"
check_addr "$ADDR"; need unshare chroot openssl ssh-keygen
[[ -x /usr/sbin/sshd ]] || die "openssh-server missing (run scripts/peers/install.sh)"
D="$(inst_dir ssh "$ADDR" "$PORT")"
pid_alive "$D/server.pid" && { log "ssh $ADDR:$PORT already running"; exit 0; }
J="$D/root"
mkdir -p "$J"/{usr,etc/ssh,dev/pts,tmp,root,home,run/sshd,proc}
for l in bin sbin lib lib64; do ln -sfn "usr/$l" "$J/$l"; done
chmod 1777 "$J/tmp"; chmod 755 "$J/run/sshd"; chmod 700 "$J/root"
printf 'root:x:0:0:root:/root:/bin/sh\nsshd:x:104:65534::/run/sshd:/usr/sbin/nologin\n' >"$J/etc/passwd"
printf 'root:x:0:\nusers:x:100:\nnogroup:x:65534:\ntty:x:5:\n' >"$J/etc/group"
printf 'sshd:*:19000:0:99999:7:::\n' >"$J/etc/shadow"; uid=1000
for up in ${SSH_USERS:-admin:12345 root:xc3511}; do
  u="${up%%:*}"; h="$(openssl passwd -6 "${up#*:}")"
  if [[ "$u" != root ]]; then
    mkdir -p "$J/home/$u"; chown "$uid:100" "$J/home/$u"
    printf '%s:x:%d:100::/home/%s:/bin/sh\n' "$u" "$uid" "$u" >>"$J/etc/passwd"; uid=$((uid + 1))
  fi
  printf '%s:%s:19000:0:99999:7:::\n' "$u" "$h" >>"$J/etc/shadow"
done
grep -q '^root:' "$J/etc/shadow" || printf 'root:*:19000:0:99999:7:::\n' >>"$J/etc/shadow"
chmod 640 "$J/etc/shadow"
printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files\n' >"$J/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n' >"$J/etc/hosts"
[[ -s "$J/etc/ssh/ssh_host_ed25519_key" ]] || ssh-keygen -q -t ed25519 -N '' -f "$J/etc/ssh/ssh_host_ed25519_key"
cat >"$J/etc/ssh/sshd_config" <<CONF
ListenAddress $ADDR:$PORT
HostKey /etc/ssh/ssh_host_ed25519_key
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication no
PermitRootLogin yes
MaxStartups 100:30:200
LoginGraceTime 30
UseDNS no
PidFile none
CONF
for n in null zero tty urandom; do : >"$J/dev/$n"; done
ln -sfn pts/ptmx "$J/dev/ptmx"
start_bg "$D/server.pid" "$D/server.log" unshare --mount --uts --propagation private -- /bin/sh -c '
  set -e; J="$1"; hostname IPCAM
  mount --bind /usr "$J/usr"; mount -o remount,bind,ro "$J/usr"
  for n in null zero tty urandom; do mount --bind "/dev/$n" "$J/dev/$n"; done
  mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts "$J/dev/pts"
  mount -t proc proc "$J/proc"
  exec chroot "$J" /usr/sbin/sshd -D -e -f /etc/ssh/sshd_config
' ssh-peer "$J" || true
wait_tcp "$ADDR" "$PORT" 10 "$D/server.pid" || fail_start "$D" "ssh $ADDR:$PORT" "did not answer within 10 s"
log "ssh up: ssh -p $PORT admin@$ADDR (users ${SSH_USERS:-admin:12345 root:xc3511})"
