package lab

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// unauthenticatedView gathers everything a device says without credentials
// over the probes' requests.
func unauthenticatedView(t *testing.T, d DeviceSpec) string {
	t.Helper()
	var sb strings.Builder
	for _, s := range d.Services {
		addr := net.JoinHostPort(d.Address, fmt.Sprint(s.Port))
		switch s.Protocol {
		case "http":
			for _, p := range []struct{ m, path, body string }{
				{"GET", "/", ""}, {"GET", "/ISAPI/System/deviceInfo", ""},
				{"GET", "/cgi-bin/magicBox.cgi?action=getSystemInfo", ""},
				{"GET", "/cgi-bin/magicBox.cgi?action=getSoftwareVersion", ""},
				{"POST", "/axis-cgi/basicdeviceinfo.cgi", `{"apiVersion":"1.0","method":"getAllUnrestrictedProperties"}`},
				{"POST", "/api.cgi?cmd=GetDevInfo", `[{"cmd":"GetDevInfo","action":0,"param":{}}]`},
				{"GET", "/rootDesc.xml", ""}, {"GET", "/rootdesc1.xml", ""},
			} {
				r := httpDo(t, p.m, "http://"+addr+p.path, p.body)
				fmt.Fprintf(&sb, "%v %v %s\n", r.status, r.header, r.body)
			}
		case "onvif":
			sb.WriteString(httpDo(t, "POST", "http://"+addr+"/onvif/device_service", soapRequest("GetDeviceInformation")).body)
		case "rtsp":
			sb.WriteString(exchange(t, "tcp", addr, "DESCRIBE rtsp://"+addr+"/ RTSP/1.0\r\nCSeq: 2\r\n\r\n", "\r\n\r\n"))
		case "telnet":
			sb.WriteString(exchange(t, "tcp", addr, "", "ogin: "))
		case "ssh", "ftp":
			sb.WriteString(exchange(t, "tcp", addr, "", "\r\n"))
		case "snmp":
			sb.WriteString(exchange(t, "udp", addr, string(snmpGetSysDescr), ""))
		case "upnp":
			sb.WriteString(exchange(t, "udp", addr, msearchAll, ""))
		}
	}
	return sb.String()
}

// TestFirmwareVisibility: every device exposes its firmware without
// credentials the way its vendor does, except the ones planted
// "unreadable", which show no version anywhere but do show their model
// (unless identity.hidden hides it too), and the identity.after_login
// ones, which show what that key lists only after a login; a manifest
// build date is visible too.
func TestFirmwareVisibility(t *testing.T) {
	l := startLab(t, "127.78.4", Options{})
	for _, d := range l.Manifest().Devices {
		t.Run(d.Name, func(t *testing.T) {
			view := unauthenticatedView(t, d)
			has := strings.Contains(view, d.Firmware)
			if after := strings.Split(d.Planted["identity.after_login"], ","); slices.Contains(after, "firmware") {
				if has || (slices.Contains(after, "model") && strings.Contains(view, d.Model)) {
					t.Errorf("%v visible without credentials, but identity.after_login=%q", after, d.Planted["identity.after_login"])
				}
				return
			}
			if d.Planted["firmware"] == "unreadable" {
				if has {
					t.Errorf("firmware %q visible on an unreadable device", d.Firmware)
				}
				hidden := strings.Split(d.Planted["identity.hidden"], ",")
				if strings.Contains(view, d.Model) == slices.Contains(hidden, "model") {
					t.Errorf("model %q visible=%v, but identity.hidden=%q", d.Model, !slices.Contains(hidden, "model"), d.Planted["identity.hidden"])
				}
				return
			}
			if !has {
				t.Errorf("firmware %q not visible without credentials", d.Firmware)
			}
			if d.BuildDate != "" && !strings.Contains(view, d.BuildDate) {
				t.Errorf("build date %q not visible without credentials", d.BuildDate)
			}
		})
	}
}

// digestAuthorization answers a challenge as a client would (RFC 7616,
// qop=auth when offered).
func digestAuthorization(challenge, method, uri, user, pass string) string {
	p := parseAuthParams(strings.TrimPrefix(challenge, "Digest "))
	h := func(s string) string { b := md5.Sum([]byte(s)); return hex.EncodeToString(b[:]) }
	ha1, ha2 := h(user+":"+p["realm"]+":"+pass), h(method+":"+uri)
	if p["qop"] == "auth" {
		resp := h(ha1 + ":" + p["nonce"] + ":00000001:0a4f113b:auth:" + ha2)
		return fmt.Sprintf(`Digest username="%s", realm="%s", nonce="%s", uri="%s", qop=auth, nc=00000001, cnonce="0a4f113b", response="%s"`, user, p["realm"], p["nonce"], uri, resp)
	}
	return fmt.Sprintf(`Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s"`, user, p["realm"], p["nonce"], uri, h(ha1+":"+p["nonce"]+":"+ha2))
}

func TestDigestAndLockout(t *testing.T) {
	l := startLab(t, "127.78.5", Options{})
	hik := l.Manifest().Devices[0] // hikvision-ipc-legacy, admin/12345, 5 fails -> 30 min
	url := "http://" + hik.Address + "/ISAPI/System/deviceInfo"
	get := func(user, pass string) (int, string) {
		r := httpDo(t, "GET", url, "")
		if r.status != http.StatusUnauthorized {
			t.Fatalf("unauthenticated status %d", r.status)
		}
		req, _ := http.NewRequestWithContext(t.Context(), "GET", url, nil)
		req.Header.Set("Authorization", digestAuthorization(r.header.Get("WWW-Authenticate"), "GET", "/ISAPI/System/deviceInfo", user, pass))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		return resp.StatusCode, string(b)
	}
	if st, body := get("admin", "12345"); st != 200 || !strings.Contains(body, "<firmwareVersion>V5.2.0</firmwareVersion>") {
		t.Fatalf("good digest: %d %q", st, body)
	}
	addr := netip.MustParseAddr(hik.Address)
	for i := 1; i <= 5; i++ {
		if st, _ := get("admin", "wrong"); st != http.StatusUnauthorized {
			t.Fatalf("bad password %d: status %d", i, st)
		}
	}
	if got := l.Failures(addr)["http"]; got != 5 {
		t.Errorf("Failures[http] = %d, want 5", got)
	}
	st, body := get("admin", "12345")
	if st != http.StatusUnauthorized || !strings.Contains(body, "<lockStatus>lock</lockStatus>") {
		t.Fatalf("after 5 failures want locked 401, got %d %q", st, body)
	}
	if !regexp.MustCompile(`<unlockTime>1[78]\d\d</unlockTime>`).MatchString(body) {
		t.Errorf("unlockTime not ~1800 s: %q", body)
	}
}

func TestRTSPDigest(t *testing.T) {
	l := startLab(t, "127.78.6", Options{})
	hik := l.Manifest().Devices[0]
	addr := hik.Address + ":554"
	uri := "rtsp://" + addr + "/Streaming/Channels/101"
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(3 * time.Second))
	read := func() string {
		buf := make([]byte, 8192)
		n, _ := c.Read(buf)
		return string(buf[:n])
	}
	fmt.Fprintf(c, "DESCRIBE %s RTSP/1.0\r\nCSeq: 2\r\n\r\n", uri)
	first := read()
	m := regexp.MustCompile(`WWW-Authenticate: (Digest [^\r]+)`).FindStringSubmatch(first)
	if !strings.HasPrefix(first, "RTSP/1.0 401") || m == nil {
		t.Fatalf("want 401 digest, got %q", first)
	}
	fmt.Fprintf(c, "DESCRIBE %s RTSP/1.0\r\nCSeq: 3\r\nAuthorization: %s\r\n\r\n", uri, digestAuthorization(m[1], "DESCRIBE", uri, "admin", "12345"))
	if got := read(); !strings.HasPrefix(got, "RTSP/1.0 200 OK") || !strings.Contains(got, "m=video 0 RTP/AVP 96") ||
		!strings.Contains(got, hik.Address) {
		t.Fatalf("authorised DESCRIBE: %q", got)
	}
}

func TestHostilePeers(t *testing.T) {
	l := startLab(t, "127.78.7", Options{Hostile: true})
	m := l.Manifest()
	if len(m.Hostile) != 5 || len(m.Devices) != len(deviceTable()) {
		t.Fatalf("hostile %d devices %d", len(m.Hostile), len(m.Devices))
	}
	for _, h := range m.Hostile {
		t.Run(h.Name, func(t *testing.T) {
			c, err := net.DialTimeout("tcp", net.JoinHostPort(h.Address, fmt.Sprint(h.Port)), 2*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(2 * time.Second))
			if h.Port == 80 {
				fmt.Fprintf(c, "POST /onvif/device_service HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
			}
			got, err := io.ReadAll(io.LimitReader(c, 11<<20))
			switch h.Name {
			case "endless-telnet-banner":
				if len(got) < 1<<20 {
					t.Errorf("endless banner gave only %d bytes (%v)", len(got), err)
				}
			case "huge-http-header":
				if len(got) < 10<<20 {
					t.Errorf("header %d bytes", len(got))
				}
			case "silent-rtsp":
				if len(got) != 0 {
					t.Errorf("silent peer sent %q", got)
				}
			case "onvif-malformed-xml", "onvif-entity-bomb":
				_, body, _ := strings.Cut(string(got), "\r\n\r\n")
				var v struct{ XMLName xml.Name }
				if xml.Unmarshal([]byte(body), &v) == nil {
					t.Errorf("body parsed cleanly, want an XML error: %q", body)
				}
			}
		})
	}
}

func FuzzReadRTSPRequest(f *testing.F) {
	f.Add("OPTIONS rtsp://127.0.0.1:554/ RTSP/1.0\r\nCSeq: 1\r\n\r\n")
	f.Add("DESCRIBE rtsp://127.0.0.1/Streaming/Channels/101 RTSP/1.0\r\nCSeq: 3\r\nAuthorization: Digest username=\"admin\", realm=\"x\", nonce=\"a:b\", uri=\"/\", response=\"0\"\r\n\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		_, uri, hdr, err := readRTSPRequest(bufioReader(in))
		if err == nil {
			_ = rtspPath(uri)
			_ = parseAuthParams(hdr.Get("Authorization"))
		}
	})
}
