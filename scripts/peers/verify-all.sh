#!/usr/bin/env bash
# Check every peer of start-all.sh with real clients (curl, peercheck.py's raw RTSP/telnet/
# SSDP exchanges, sshpass+ssh, snmpget). Prints PASS/FAIL lines and "N passed, M failed";
# exit status 0 only if everything passed.
# usage: verify-all.sh
set -uo pipefail
H="$(cd "$(dirname "$0")" && pwd)"
. "$H/lib.sh"
P="$PEERS_PREFIX"; pass=0; fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; [[ -n "${2:-}" ]] && sed 's/^/     | /' <<<"$2"; fail=$((fail + 1)); }
# expect DESC WANT_RC CMD...: run CMD, compare its exit status and keep its output for FAIL.
expect() {
  local d="$1" want="$2" out rc; shift 2
  out="$("$@" 2>&1)"; rc=$?
  [[ $rc == "$want" ]] && ok "$d" || bad "$d (exit $rc, want $want)" "$out"
}
# has DESC PATTERN CMD...: CMD must succeed and print a line matching PATTERN.
has() {
  local d="$1" pat="$2" out rc; shift 2
  out="$("$@" 2>&1)"; rc=$?
  [[ $rc == 0 ]] && grep -qE -- "$pat" <<<"$out" && ok "$d" || bad "$d" "$out"
}
code() { curl -s -o /dev/null -m 5 -w '%{http_code}' "$@"; }
hdrs() { curl -s -o /dev/null -m 5 -D - "$@"; }
PC="$H/peercheck.py"
# HTTP
has "lighttpd $P.1 Server App-webs/ + Digest challenge on /ISAPI" 'WWW-Authenticate: Digest realm="DS-2CD2042WD-I".*qop="auth"' \
  bash -c "curl -s -o /dev/null -m 5 -D - http://$P.1/ISAPI/System/deviceInfo | tr -d '\r' | grep -i '^Server: App-webs/' >/dev/null && curl -s -o /dev/null -m 5 -D - http://$P.1/ISAPI/System/deviceInfo"
has "lighttpd $P.1 Digest admin:12345 -> deviceInfo XML" '<model>DS-2CD2042WD-I</model>' curl -sf -m 5 --digest -u admin:12345 "http://$P.1/ISAPI/System/deviceInfo"
has "lighttpd $P.1 Digest /cgi-bin/magicBox.cgi" 'deviceType=IP4M-1041B' curl -sf -m 5 --digest -u admin:12345 "http://$P.1/cgi-bin/magicBox.cgi?action=getSystemInfo"
[[ $(code "http://$P.1/cgi-bin/magicBox.cgi") == 401 && $(code --digest -u admin:wrong "http://$P.1/ISAPI/System/deviceInfo") == 401 ]] &&
  ok "lighttpd $P.1 anonymous / wrong password -> 401" || bad "lighttpd $P.1 anonymous / wrong password -> 401"
has "nginx $P.2 Basic realm on /" 'WWW-Authenticate: Basic realm="Protected"' hdrs "http://$P.2/"
[[ $(code -u admin:12345 "http://$P.2/") == 200 && $(code -u admin:wrong "http://$P.2/") == 401 && $(code "http://$P.2/ISAPI/System/deviceInfo") == 401 ]] &&
  ok "nginx $P.2 admin:12345 accepted, wrong refused" || bad "nginx $P.2 credentials"
[[ $(code "http://$P.10/ISAPI/System/deviceInfo") == 200 && $(code -u x:y -X POST "http://$P.10/anything/at/all") == 200 ]] &&
  ok "nginx $P.10 answers 200 to everything" || bad "nginx $P.10 answers 200 to everything"
# RTSP
has "rtsp $P.3 401 with Basic and Digest" 'Basic realm="IP Camera\(12345\)"' "$PC" rtsp "rtsp://$P.3:554/Streaming/Channels/101" --user admin --password 12345 --scheme digest
expect "rtsp $P.3 Basic admin:12345 -> 200 + SDP" 0 "$PC" rtsp "rtsp://$P.3:554/Streaming/Channels/101" --user admin --password 12345 --scheme basic
expect "rtsp $P.3 wrong password -> 401" 10 "$PC" rtsp "rtsp://$P.3:554/Streaming/Channels/101" --user admin --password wrong --scheme basic
has "rtsp $P.4 Digest only, admin:12345 -> 200" 'SDP: m=video' "$PC" rtsp "rtsp://$P.4:554/live" --user admin --password 12345 --scheme digest
expect "rtsp $P.4 offers no Basic" 1 bash -c "\"$PC\" rtsp rtsp://$P.4:554/live | grep -q 'Basic'"
has "rtsp $P.5 open: DESCRIBE / -> 200 + SDP" 'SDP: m=video 0 RTP/AVP 96' "$PC" rtsp "rtsp://$P.5:554/"
# telnet / ssh / ftp / snmp
has "telnet $P.6 'IPCAM login:' + admin:12345" 'shell prompt reached' "$PC" telnet "$P.6" 23 admin 12345
expect "telnet $P.6 wrong password refused" 10 "$PC" telnet "$P.6" 23 admin wrong
SO=(-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o PreferredAuthentications=password
    -o PubkeyAuthentication=no -o ConnectTimeout=5 -o LogLevel=ERROR -o NumberOfPasswordPrompts=1)
has "ssh $P.7 banner OpenSSH" '^SSH-2\.0-OpenSSH_' bash -c "exec 3<>/dev/tcp/$P.7/22; timeout 3 head -n1 <&3"
has "ssh $P.7 admin:12345 login" '^IPCAM$' sshpass -p 12345 ssh "${SO[@]}" -p 22 "admin@$P.7" hostname
expect "ssh $P.7 wrong password refused (ssh exit 255)" 255 sshpass -p wrong ssh "${SO[@]}" -p 22 "admin@$P.7" true
has "ftp $P.8 220 vsFTPd banner" '^220 \(vsFTPd 3\.' bash -c "exec 3<>/dev/tcp/$P.8/21; timeout 3 head -n1 <&3"
has "ftp $P.8 anonymous list" 'README\.txt' curl -sS -m 5 "ftp://$P.8/pub/"
has "snmp $P.9 sysDescr (public)" 'Hikvision IP Camera' snmpget -v2c -c public -t 2 -r 1 "$P.9" 1.3.6.1.2.1.1.1.0
expect "snmp $P.9 wrong community ignored" 1 snmpget -v2c -c wrong -t 1 -r 0 "$P.9" 1.3.6.1.2.1.1.1.0
# UPnP, from inside the client namespace
has "upnp SSDP M-SEARCH from camwarden-upnp-lan" 'LOCATION http://10\.79\.1\.1:5000/' ip netns exec camwarden-upnp-lan "$PC" ssdp 10.79.1.1
has "upnp description from camwarden-upnp-lan" 'urn:schemas-upnp-org:device:InternetGatewayDevice' \
  ip netns exec camwarden-upnp-lan curl -sS -m 5 http://10.79.1.1:5000/rootDesc.xml
# PostgreSQL for the fleet (River queue + store), over TCP with the camwarden role
has "postgres $P.20:5432 camwarden login" '^camwarden$' env PGPASSWORD="${PG_PASSWORD:-camwarden}" \
  psql -h "$P.20" -p 5432 -U camwarden -d camwarden -qAtc 'SELECT current_user'
# SMTP sink for the alert e-mail (start-smtp.sh): curl as the client, STARTTLS + AUTH PLAIN
SD="$PEERS_RUN/smtp-$P.25-2525"
printf 'Subject: camwarden verify-all\r\n\r\npeer check\r\n' >"$SD/verify.eml" 2>/dev/null
expect "smtp $P.25:2525 STARTTLS + AUTH PLAIN alerts -> accepted" 0 curl -sS -m 10 --ssl-reqd --cacert "$SD/cert.pem" \
  --user "alerts:$(cat "$SD/password" 2>/dev/null)" --mail-from verify@camwarden.test --mail-rcpt owner@camwarden.test \
  --upload-file "$SD/verify.eml" "smtp://$P.25:2525"
expect "smtp $P.25:2525 without AUTH refused (curl 55)" 55 curl -sS -m 10 --ssl-reqd --cacert "$SD/cert.pem" \
  --mail-from verify@camwarden.test --mail-rcpt owner@camwarden.test --upload-file "$SD/verify.eml" "smtp://$P.25:2525"
# LAN discovery namespaces (start-lan-netns.sh): veth up on both sides, multicast routed on it
has "lan netns camwarden-lan-a/b veth + multicast route" '224\.0\.0\.0/4 dev cwlan-b' \
  bash -c "ip -n camwarden-lan-a -br addr show cwlan-a | grep -q '10\.80\.0\.2/24' && ip -n camwarden-lan-b route show 224.0.0.0/4"
# Two-link LAN namespaces (start-lan2-netns.sh): the scanner's default route leaves by the unscanned link
has "lan2 netns camwarden-lan2-scan two links, default via cw2s-oth" 'default via 10\.81\.2\.1 dev cw2s-oth' \
  bash -c "ip -n camwarden-lan2-scan -br addr show cw2s-cam | grep -q '10\.81\.1\.100/24' && ip -n camwarden-lan2-other -br addr show cw2-oth | grep -q '10\.81\.2\.2/24' && ip -n camwarden-lan2-scan route show default"
echo "$pass passed, $fail failed"
[[ $fail == 0 ]]
