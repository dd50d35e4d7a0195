#!/usr/bin/env bash
# Start vsftpd standalone, anonymous read-only, on one address. Idempotent.
# usage: start-ftp.sh ADDR [PORT=21]      (passive ports 30210-30219 on ADDR for port 21)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ADDR="${1:?usage: start-ftp.sh ADDR [PORT]}"; PORT="${2:-21}"
check_addr "$ADDR"; need vsftpd
id ftp >/dev/null 2>&1 || die "user 'ftp' missing (the vsftpd package creates it)"
D="$(inst_dir ftp "$ADDR" "$PORT")"
pid_alive "$D/server.pid" && { log "ftp $ADDR:$PORT already running"; exit 0; }
R="$D/anon"; E="$D/empty"
mkdir -p "$R/pub" "$E"; chown root:root "$R" "$E"; chmod 555 "$R" "$E"
printf 'camwarden test peer: anonymous FTP\n' >"$R/pub/README.txt"; chmod 444 "$R/pub/README.txt"
o=$((30000 + (PORT % 2000) * 10))
cat >"$D/vsftpd.conf" <<CONF
listen=YES
listen_ipv6=NO
listen_address=$ADDR
listen_port=$PORT
background=NO
anonymous_enable=YES
anon_root=$R
anon_upload_enable=NO
anon_mkdir_write_enable=NO
write_enable=NO
local_enable=NO
ftp_username=ftp
secure_chroot_dir=$E
pasv_enable=YES
pasv_address=$ADDR
pasv_min_port=$o
pasv_max_port=$((o + 9))
connect_from_port_20=NO
xferlog_enable=YES
vsftpd_log_file=$D/vsftpd.log
seccomp_sandbox=NO
max_clients=200
max_per_ip=100
CONF
chmod 600 "$D/vsftpd.conf"
start_bg "$D/server.pid" "$D/server.log" vsftpd "$D/vsftpd.conf" || true
wait_tcp "$ADDR" "$PORT" 10 "$D/server.pid" || fail_start "$D" "ftp $ADDR:$PORT" "did not answer within 10 s"
log "ftp up: ftp://anonymous@$ADDR:$PORT/pub/"
