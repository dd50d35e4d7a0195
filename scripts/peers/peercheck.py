#!/usr/bin/env python3
"""Raw client checks for camwarden's test peers (stdlib only; used by verify-all.sh).

  peercheck.py rtsp URL [--user U --password P] [--scheme basic|digest]
      OPTIONS then DESCRIBE. Without --user: prints the status and every WWW-Authenticate;
      with --user: answers the challenge with the scheme and prints the final status.
      Exit 0 when the last DESCRIBE got 200 (and an SDP body), 10 on 401, 1 otherwise.
  peercheck.py telnet ADDR PORT USER PASS
      Refuses every option (IAC), waits for "login: ", logs in. Exit 0 at a shell prompt,
      10 on "Login incorrect", 1 otherwise.
  peercheck.py ssdp ADDR
      Unicast M-SEARCH ssdp:all to ADDR:1900; prints the answers. Exit 0 if one has LOCATION.

Hosts must be 127.79.0.x, or anything when run inside a camwarden-* network namespace.
"""
import argparse
import base64
import hashlib
import os
import re
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit


def guard(host):
    if host.startswith("127.79.0."):
        return
    ns = subprocess.run(["ip", "netns", "identify", str(os.getpid())],
                        capture_output=True, text=True).stdout.strip()
    if not ns.startswith("camwarden-"):
        sys.exit("peercheck: refusing %s outside 127.79.0.x / a camwarden netns" % host)


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


class RTSP:
    def __init__(self, host, port):
        self.s = socket.create_connection((host, port), timeout=5)
        self.buf, self.cseq = b"", 0

    def request(self, method, url, extra=()):
        self.cseq += 1
        lines = ["%s %s RTSP/1.0" % (method, url), "CSeq: %d" % self.cseq,
                 "User-Agent: camwarden-peercheck", "Accept: application/sdp"] + list(extra)
        self.s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        while b"\r\n\r\n" not in self.buf:
            d = self.s.recv(65536)
            if not d:
                raise SystemExit("peercheck: rtsp connection closed")
            self.buf += d
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        n = int(m.group(1)) if m else 0
        while len(rest) < n:
            d = self.s.recv(65536)
            if not d:
                break
            rest += d
        body, self.buf = rest[:n], rest[n:]
        text = head.decode("latin-1")
        status = int(text.split(" ", 2)[1])
        hdrs = [tuple(x.strip() for x in l.split(":", 1)) for l in text.split("\r\n")[1:] if ":" in l]
        print("%s %s -> %s" % (method, url, text.split("\r\n", 1)[0]))
        return status, hdrs, body.decode("latin-1")


def rtsp(a):
    u = urlsplit(a.url)
    guard(u.hostname)
    port = u.port or 554
    url = "rtsp://%s:%d%s" % (u.hostname, port, u.path or "/")
    c = RTSP(u.hostname, port)
    c.request("OPTIONS", url)
    st, hdrs, body = c.request("DESCRIBE", url)
    chal = [v for k, v in hdrs if k.lower() == "www-authenticate"]
    for v in chal:
        print("WWW-Authenticate: " + v)
    if st == 401 and a.user:
        dig = next((v for v in chal if v.startswith("Digest")), None)
        if a.scheme == "digest":
            if not dig:
                sys.exit("peercheck: no Digest challenge")
            p = dict(re.findall(r'(\w+)="([^"]*)"', dig))
            resp = md5("%s:%s:%s" % (md5("%s:%s:%s" % (a.user, p["realm"], a.password)), p["nonce"],
                                     md5("DESCRIBE:" + url)))
            h = ('Authorization: Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s"'
                 % (a.user, p["realm"], p["nonce"], url, resp))
        else:
            h = "Authorization: Basic " + base64.b64encode(("%s:%s" % (a.user, a.password)).encode()).decode()
        st, hdrs, body = c.request("DESCRIBE", url, [h])
    if st == 200:
        if not body.startswith("v=0"):
            print("200 without an SDP body")
            return 1
        print("SDP: " + " | ".join(l for l in body.splitlines() if l.startswith(("m=", "a=rtpmap"))))
        return 0
    return 10 if st == 401 else 1


def telnet(a):
    guard(a.addr)
    s = socket.create_connection((a.addr, a.port), timeout=10)
    buf, text = b"", ""
    deadline = time.monotonic() + 15
    sent_user = sent_pass = False
    while time.monotonic() < deadline:
        d = s.recv(4096)
        if not d:
            break
        buf += d
        out, i = bytearray(), 0
        while i < len(buf):  # strip IAC commands, refusing every option
            if buf[i] == 255 and i + 2 < len(buf) and buf[i + 1] in (251, 252, 253, 254):
                # WILL/WONT -> DONT, DO/DONT -> WONT
                reply = 254 if buf[i + 1] in (251, 252) else 252
                s.sendall(bytes([255, reply, buf[i + 2]]))
                i += 3
                continue
            out.append(buf[i])
            i += 1
        buf = b""
        text += out.decode("latin-1")
        if not sent_user and text.rstrip().endswith("login:"):
            print("prompt: " + repr(text.strip().splitlines()[-1]))
            s.sendall((a.user + "\r\n").encode()); sent_user = True; text = ""
        elif sent_user and not sent_pass and "Password:" in text:
            s.sendall((a.password + "\r\n").encode()); sent_pass = True; text = ""
        elif sent_pass and "Login incorrect" in text:
            print("login refused")
            return 10
        elif sent_pass and re.search(r"[$#] ", text):
            print("shell prompt reached")
            return 0
    print("no result; last text: %r" % text)
    return 1


def ssdp(a):
    guard(a.addr)
    msg = ('M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\n'
           'ST: ssdp:all\r\nUSER-AGENT: camwarden-peercheck UPnP/1.1\r\n\r\n')
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.5)
    s.sendto(msg.encode(), (a.addr, 1900))
    found, deadline = 0, time.monotonic() + 4
    while time.monotonic() < deadline:
        try:
            d, src = s.recvfrom(8192)
        except socket.timeout:
            continue
        m = re.search(r"(?im)^location:\s*(\S+)", d.decode("latin-1"))
        if m:
            found += 1
            print("from %s: LOCATION %s" % (src[0], m.group(1)))
            deadline = min(deadline, time.monotonic() + 0.5)  # collect the burst, then stop
    return 0 if found else 1


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("rtsp")
    r.add_argument("url")
    r.add_argument("--user")
    r.add_argument("--password", default="")
    r.add_argument("--scheme", choices=["basic", "digest"], default="digest")
    t = sub.add_parser("telnet")
    t.add_argument("addr")
    t.add_argument("port", type=int)
    t.add_argument("user")
    t.add_argument("password")
    u = sub.add_parser("ssdp")
    u.add_argument("addr")
    a = ap.parse_args()
    return {"rtsp": rtsp, "telnet": telnet, "ssdp": ssdp}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
