#!/usr/bin/env bash
# Install the Debian 12 packages camwarden's real test peers need, once and idempotently.
# Packaged daemons are never started (a temporary policy-rc.d refuses it): our scripts run
# every server themselves on 127.79.0.x or inside camwarden-* namespaces.
# usage: scripts/peers/install.sh        (root; uses apt-get)
set -euo pipefail
[[ $(id -u) == 0 ]] || { echo "install.sh: run as root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
PKGS=(
  # RTSP: gst-rtsp-server through python3-gi (H.264 from videotestsrc + x264enc)
  gir1.2-gst-rtsp-server-1.0 gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0 python3-gi
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly
  # HTTP
  lighttpd nginx-light openssl curl
  # telnet (busybox-static has telnetd + login), ssh, ftp, snmp
  busybox-static openssh-server openssh-client sshpass vsftpd snmpd snmp
  # UPnP IGD inside namespaces
  miniupnpd miniupnpd-nftables miniupnpc nftables
  # the HTML report's browser test (internal/report/browser_test.go) and its Japanese glyphs
  chromium fonts-noto-cjk
  # the fleet: River job queue and the postgres store (scripts/peers/start-postgres.sh)
  postgresql postgresql-client
  # plumbing and the reference scanner
  iproute2 util-linux procps nmap
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} == 0)); then echo "install.sh: all ${#PKGS[@]} packages present"; exit 0; fi
made_policy=0
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
fi
trap '[[ $made_policy == 1 ]] && rm -f /usr/sbin/policy-rc.d' EXIT
echo 'miniupnpd miniupnpd/start_daemon boolean false' | debconf-set-selections 2>/dev/null || true
# Other jobs may hold the dpkg lock: wait for it rather than failing.
APT=(apt-get -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0 -qq)
echo "install.sh: installing ${#missing[@]} packages: ${missing[*]}"
"${APT[@]}" update
"${APT[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null
if [[ "$(ps -p 1 -o comm= 2>/dev/null)" == systemd ]]; then
  for u in lighttpd nginx ssh vsftpd snmpd miniupnpd; do systemctl disable --now "$u" >/dev/null 2>&1 || true; done
fi
echo "install.sh: done"
