#!/usr/bin/env bash
# Start lighttpd as a Hikvision-like web UI: Server "App-webs/", Digest auth (qop=auth) on
# /ISAPI/ and /cgi-bin/, open "/" and /doc/page/login.asp. Idempotent.
# usage: start-lighttpd.sh ADDR [PORT=80]
# env:   HTTP_USER=admin HTTP_PASS=12345 HTTP_SERVER_TAG=App-webs/
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ADDR="${1:?usage: start-lighttpd.sh ADDR [PORT]}"; PORT="${2:-80}"
check_addr "$ADDR"; need lighttpd
D="$(inst_dir lighttpd "$ADDR" "$PORT")"
pid_alive "$D/server.pid" && { log "lighttpd $ADDR:$PORT already running"; exit 0; }
R="$D/docroot"
mkdir -p "$R/ISAPI/System" "$R/cgi-bin" "$R/doc/page"
# Page shapes follow the Hikvision web UI (title, login page path); written by us.
printf '<!DOCTYPE html>\n<html><head><title>Network Camera</title></head><body><a href="/doc/page/login.asp">Login</a></body></html>\n' >"$R/index.html"
printf '<!DOCTYPE html>\n<html><head><title>Login</title></head><body></body></html>\n' >"$R/doc/page/login.asp"
# Served only after Digest login. Element set of the documented ISAPI deviceInfo (seen in
# shared/data/hikvision_next, no licence: facts only); the values are ours.
cat >"$R/ISAPI/System/deviceInfo" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<DeviceInfo version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">
<deviceName>IP CAMERA</deviceName>
<deviceID>00000000-0000-0000-0000-000000000079</deviceID>
<model>DS-2CD2042WD-I</model>
<serialNumber>DS-2CD2042WD-I20170101AAWR000000079</serialNumber>
<macAddress>02:00:00:79:00:01</macAddress>
<firmwareVersion>V5.4.5</firmwareVersion>
<firmwareReleasedDate>build 170124</firmwareReleasedDate>
<deviceType>IPCamera</deviceType>
</DeviceInfo>
XML
# Bytes of the Amcrest IP4M-1041B getSystemInfo sample (koush/scrypted, MIT; via shared/data).
printf 'appAutoStart=true\r\ndeviceType=IP4M-1041B\r\nhardwareVersion=1.00\r\nprocessor=SSC327DE\r\nserialNumber=12345\r\nupdateSerial=IPC-AW46WN-S2\r\n' >"$R/cgi-bin/magicBox.cgi"
chmod -R a+rX "$R"
printf '%s:%s\n' "${HTTP_USER:-admin}" "${HTTP_PASS:-12345}" >"$D/users.plain"
chgrp www-data "$D/users.plain"; chmod 640 "$D/users.plain"
touch "$D/error.log" "$D/access.log"; chown www-data:www-data "$D/error.log" "$D/access.log"
cat >"$D/lighttpd.conf" <<CONF
server.modules = ( "mod_auth", "mod_authn_file", "mod_accesslog" )
server.bind = "$ADDR"
server.port = $PORT
server.document-root = "$R"
server.errorlog = "$D/error.log"
accesslog.filename = "$D/access.log"
server.username = "www-data"
server.groupname = "www-data"
server.tag = "${HTTP_SERVER_TAG:-App-webs/}"
index-file.names = ( "index.html" )
mimetype.assign = ( ".html" => "text/html", ".asp" => "text/html", ".cgi" => "text/plain",
                    "deviceInfo" => "application/xml" )
auth.backend = "plain"
auth.backend.plain.userfile = "$D/users.plain"
auth.require = (
  "/ISAPI/"   => ( "method" => "digest", "realm" => "DS-2CD2042WD-I", "require" => "valid-user" ),
  "/cgi-bin/" => ( "method" => "digest", "realm" => "Login to 12345", "require" => "valid-user" ),
)
CONF
lighttpd -tt -f "$D/lighttpd.conf" >"$D/server.log" 2>&1 || fail_start "$D" "lighttpd $ADDR:$PORT" "config test failed"
start_bg "$D/server.pid" "$D/server.log" lighttpd -D -f "$D/lighttpd.conf" || true
wait_tcp "$ADDR" "$PORT" 10 "$D/server.pid" || fail_start "$D" "lighttpd $ADDR:$PORT" "did not answer within 10 s"
log "lighttpd up: http://$ADDR:$PORT/ISAPI/System/deviceInfo (Digest ${HTTP_USER:-admin})"
