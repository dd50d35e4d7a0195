#!/usr/bin/python3
"""camwarden test peer: a camera-like RTSP server on GStreamer's gst-rtsp-server.

Run with Debian's /usr/bin/python3 (python3-gi lives there).

  rtsp_server.py --addr 127.79.0.3 --port 554 --auth both|digest|basic|none

Authenticated modes answer an anonymous DESCRIBE on a known mount with 401 and the
challenges; an unknown mount gets 404. --open-mounts are served without credentials,
and with --auth none every mount is open (an "open camera").
"""
import argparse
import ctypes
import os
import signal
import subprocess
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

# H.264 320x240 at 10 fps: cheap on 2 cores, built only when a client asks for it.
LAUNCH = ("( videotestsrc is-live=true pattern=smpte ! video/x-raw,width=320,height=240,framerate=10/1 "
          "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=10 bitrate=256 "
          "! rtph264pay name=pay0 pt=96 config-interval=1 )")
CAMERA_MOUNTS = "/Streaming/Channels/101,/Streaming/Channels/102,/cam/realmonitor,/live.sdp,/h264,/live,/stream1"


def allowed(addr):
    """Bind only to 127.79.0.x in the host namespace, anything inside a camwarden-* netns."""
    if addr.startswith("127.79.0."):
        return True
    r = subprocess.run(["ip", "netns", "identify", str(os.getpid())], capture_output=True, text=True)
    return r.stdout.strip().startswith("camwarden-")


def set_methods(auth, mode):
    """BASIC|DIGEST is a C bitmask but a GI enum, so 'both' goes through ctypes."""
    if mode == "basic":
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.BASIC)
        return
    if mode == "digest":
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
        return
    lib = ctypes.CDLL("libgstrtspserver-1.0.so.0")
    lib.gst_rtsp_auth_set_supported_methods.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.gst_rtsp_auth_get_supported_methods.argtypes = [ctypes.c_void_p]
    ptr = hash(auth)  # PyGObject hashes a GObject by its address
    lib.gst_rtsp_auth_set_supported_methods(ptr, 3)
    if lib.gst_rtsp_auth_get_supported_methods(ptr) != 3:
        sys.exit("rtsp_server: could not enable basic+digest")


def make_auth(a):
    auth = GstRtspServer.RTSPAuth()
    auth.set_realm(a.realm)
    set_methods(auth, a.auth)
    tok = GstRtspServer.RTSPToken()
    tok.set_string("media.factory.role", "user")
    if a.auth in ("basic", "both"):
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(a.user, a.password), tok)
    if a.auth in ("digest", "both"):
        auth.add_digest(a.user, a.password, tok)
    anon = GstRtspServer.RTSPToken()
    anon.set_string("media.factory.role", "anonymous")
    auth.set_default_token(anon)
    return auth


def permissions(is_open):
    # Anonymous may "access" every factory (denying it yields 404) but "construct" only
    # open ones: the denied construct is what produces 401 + WWW-Authenticate.
    perms = GstRtspServer.RTSPPermissions()
    for role in ("user", "anonymous"):
        perms.add_permission_for_role(role, "media.factory.access", True)
    perms.add_permission_for_role("user", "media.factory.construct", True)
    perms.add_permission_for_role("anonymous", "media.factory.construct", is_open)
    return perms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--addr", required=True)
    ap.add_argument("--port", default="554")
    ap.add_argument("--auth", choices=["none", "basic", "digest", "both"], default="both")
    ap.add_argument("--user", default="admin")
    ap.add_argument("--password", default="12345")
    ap.add_argument("--realm", default="IP Camera(12345)")
    ap.add_argument("--mounts", default=CAMERA_MOUNTS)
    ap.add_argument("--open-mounts", default="/public")
    a = ap.parse_args()
    if not allowed(a.addr):
        sys.exit("rtsp_server: refusing address %s outside 127.79.0.x / a camwarden netns" % a.addr)

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address(a.addr)
    server.set_service(str(a.port))
    server.set_backlog(128)  # gst's default of 5 drops SYNs under a scan
    auth = None if a.auth == "none" else make_auth(a)
    if auth is not None:
        server.set_auth(auth)
    # A unicast pool on ADDR keeps RTP/RTCP sockets off the wildcard address.
    pool = GstRtspServer.RTSPAddressPool()
    if not pool.add_range(a.addr, a.addr, 20000, 29999, 0):
        sys.exit("rtsp_server: could not add the unicast address pool")
    open_mounts = [m for m in a.open_mounts.split(",") if m]
    mounts = server.get_mount_points()
    paths = [m for m in a.mounts.split(",") if m] + open_mounts
    if auth is None:
        paths.append("/")  # an open camera also streams its root URL
    for m in paths:
        f = GstRtspServer.RTSPMediaFactory()
        f.set_address_pool(pool)
        f.set_launch(LAUNCH)
        f.set_shared(True)
        if auth is not None:
            f.set_permissions(permissions(m in open_mounts))
        mounts.add_factory(m, f)
    if server.attach(None) == 0:
        sys.exit("rtsp_server: could not bind %s:%s" % (a.addr, a.port))
    print("rtsp_server: rtsp://%s:%s auth=%s realm=%r" % (a.addr, a.port, a.auth, a.realm), flush=True)
    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
    loop.run()


if __name__ == "__main__":
    main()
