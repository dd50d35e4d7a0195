package http

import (
	"bufio"
	"errors"
	"io"
	"log"
	"net"
	nethttp "net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

// route is one canned answer of a fake device.
type route struct {
	status int
	header map[string]string
	body   []byte
}

// fakeDevice serves canned answers keyed by "METHOD path?query"; anything
// else is a 404 like a camera web server gives.
func fakeDevice(routes map[string]route) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		key := r.Method + " " + r.URL.RequestURI()
		rt, ok := routes[key]
		if !ok {
			nethttp.NotFound(w, r)
			return
		}
		for k, v := range rt.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(rt.status)
		_, _ = w.Write(rt.body)
	})
}

func claimValue(s *probe.Service, attr string) string {
	for _, c := range s.Claims {
		if c.Attr == attr {
			return c.Value
		}
	}
	return ""
}

func TestProbeDevices(t *testing.T) {
	html := map[string]string{"Content-Type": "text/html"}
	tests := []struct {
		name    string
		routes  map[string]route
		fields  map[string]string
		claims  map[string]string
		noField []string
	}{
		{
			name: "nginx basic 401 then open ISAPI (DS-2CD2042WD-I)",
			routes: map[string]route{
				"GET /": {401, map[string]string{"Server": "nginx/1.22.1", "WWW-Authenticate": `Basic realm="Protected"`},
					probetest.Fixture(t, "nginx-1.22-basic-401.html")},
				"GET /ISAPI/System/deviceInfo": {200, nil, probetest.Fixture(t, "hikvision-ds2cd2042wdi-isapi-deviceinfo.xml")},
			},
			fields: map[string]string{probe.FieldHTTPStatus: "401", probe.FieldHTTPServer: "nginx/1.22.1",
				probe.FieldHTTPTitle: "401 Authorization Required", probe.FieldHTTPAuthScheme: "Basic",
				probe.FieldHTTPRealm: "Protected", probe.FieldHTTPAPI: "isapi"},
			claims: map[string]string{probe.AttrModel: "DS-2CD2042WD-I", probe.AttrFirmware: "V5.4.5",
				probe.AttrBuildDate: "build 170124", probe.AttrType: "camera", probe.AttrVendor: "Hikvision",
				probe.AttrMAC: "02:00:00:00:00:01"},
		},
		{
			name: "hikvision digest realm, login page markers, ISAPI DS-2CD2386G2-IU",
			routes: map[string]route{
				"GET /": {200, map[string]string{"Server": "App-webs/", "Set-Cookie": "_goaheadwebSessionId=x; path=/",
					"Content-Type": "text/html"},
					[]byte(`<html><head><title> Hik &amp; Vision </title></head><script>location="doc/page/login.asp?_"</script></html>`)},
				"GET /ISAPI/System/deviceInfo": {200, nil, probetest.Fixture(t, "hikvision-ds2cd2386g2iu-isapi-deviceinfo.xml")},
			},
			fields: map[string]string{probe.FieldHTTPTitle: "Hik & Vision", probe.FieldHTTPServer: "App-webs/",
				probe.FieldHTTPCookies: "_goaheadwebSessionId", probe.FieldHTTPBodyHints: "doc/page/login.asp"},
			claims: map[string]string{probe.AttrModel: "DS-2CD2386G2-IU", probe.AttrFirmware: "V5.7.18",
				probe.AttrVendor: "hikvision", probe.AttrSerial: "DS-2CD2386G2-IU00000000AAWRJ00000000"},
		},
		{
			name: "realm of a 401 off the root page, the login page behind a script redirect",
			routes: map[string]route{
				"GET /": {200, map[string]string{"Server": "webserver", "Content-Type": "text/html"},
					[]byte(`<html><head></head><script>window.location.href = "doc/page/login.asp?_" + (new Date()).getTime();</script></html>`)},
				"GET /doc/page/login.asp?_": {200, html, []byte(`<html><head><title>Login</title><script src="../../script/lib/jquery.js"></script></head></html>`)},
				"GET /ISAPI/System/deviceInfo": {401, map[string]string{"Server": "App-webs/",
					"WWW-Authenticate": `Digest realm="IP Camera(L4906)", nonce="6b07a5bd", qop="auth"`}, nil},
			},
			fields: map[string]string{probe.FieldHTTPStatus: "200", probe.FieldHTTPServer: "webserver\nApp-webs/",
				probe.FieldHTTPTitle: "Login", probe.FieldHTTPLocation: "/doc/page/login.asp?_",
				probe.FieldHTTPRealm:     "IP Camera(L4906)",
				probe.FieldHTTPWWWAuth:   `Digest realm="IP Camera(L4906)", nonce="6b07a5bd", qop="auth"`,
				probe.FieldHTTPBodyHints: "doc/page/login.asp"},
			noField: []string{probe.FieldHTTPAuthScheme, probe.FieldHTTPAPI},
		},
		{
			name: "amcrest magicBox",
			routes: map[string]route{
				"GET /": {200, html, []byte("<title>WEB SERVICE</title>")},
				"GET /cgi-bin/magicBox.cgi?action=getSystemInfo":      {200, nil, probetest.Fixture(t, "amcrest-ip4m1041b-getsysteminfo.txt")},
				"GET /cgi-bin/magicBox.cgi?action=getSoftwareVersion": {200, nil, []byte("version=2.800.0000000.25.R, Build Date: 2019-07-31\r\n")},
			},
			fields: map[string]string{probe.FieldHTTPAPI: "dahua-cgi"},
			claims: map[string]string{probe.AttrModel: "IP4M-1041B", probe.AttrFirmware: "2.800.0000000.25.R",
				probe.AttrBuildDate: "2019-07-31", probe.AttrHardware: "1.00", probe.AttrVendor: "Dahua"},
		},
		{
			name: "lorex NVR numeric deviceType",
			routes: map[string]route{
				"GET /": {200, html, []byte("<title>WEB SERVICE</title>")},
				"GET /cgi-bin/magicBox.cgi?action=getSystemInfo":      {200, nil, probetest.Fixture(t, "lorex-nvr4108hs-getsysteminfo.txt")},
				"GET /cgi-bin/magicBox.cgi?action=getSoftwareVersion": {200, nil, probetest.Fixture(t, "dahua-nvr-getsoftwareversion.txt")},
			},
			claims: map[string]string{probe.AttrModel: "DHI-NVR4108HS-8P-4KS2", probe.AttrFirmware: "2.800.0000016.0.R",
				probe.AttrBuildDate: "2020-06-05", probe.AttrSerial: "ND0219110NNNNN"},
		},
		{
			name: "axis basicdeviceinfo",
			routes: map[string]route{
				"GET /":                              {302, map[string]string{"Location": "/camera/index.html"}, nil},
				"GET /camera/index.html":             {200, html, []byte("<html><title>AXIS</title></html>")},
				"POST /axis-cgi/basicdeviceinfo.cgi": {200, nil, probetest.Fixture(t, "axis-m1065lw-basicdeviceinfo.json")},
			},
			fields: map[string]string{probe.FieldHTTPLocation: "/camera/index.html", probe.FieldHTTPTitle: "AXIS",
				probe.FieldHTTPStatus: "200", probe.FieldHTTPAPI: "vapix"},
			claims: map[string]string{probe.AttrVendor: "AXIS", probe.AttrModel: "M1065-LW", probe.AttrFirmware: "9.80.1",
				probe.AttrSerial: "ACCC12345678", probe.AttrType: "camera"},
		},
		{
			name: "reolink open GetDevInfo",
			routes: map[string]route{
				"GET /":                        {200, html, []byte("<title>Reolink</title>")},
				"POST /api.cgi?cmd=GetDevInfo": {200, nil, probetest.Fixture(t, "reolink-rlc411ws-getdevinfo.json")},
			},
			fields: map[string]string{probe.FieldHTTPAPI: "reolink-api"},
			claims: map[string]string{probe.AttrModel: "RLC-411WS", probe.AttrFirmware: "v2.0.0.1389_18081408",
				probe.AttrHardware: "IPC_3816M", probe.AttrType: "camera"},
		},
		{
			name: "reolink login required",
			routes: map[string]route{
				"GET /":                        {200, html, []byte("<title>Reolink</title>")},
				"POST /api.cgi?cmd=GetDevInfo": {200, nil, probetest.Fixture(t, "reolink-any-getdevinfo-login.json")},
			},
			fields: map[string]string{probe.FieldHTTPAPI: "reolink-api"},
		},
		{
			name: "plain web server, no vendor API, cross-host redirect kept",
			routes: map[string]route{
				"GET /": {301, map[string]string{"Location": "http://router.invalid/login"}, nil},
			},
			fields:  map[string]string{probe.FieldHTTPStatus: "301", probe.FieldHTTPLocation: "http://router.invalid/login"},
			noField: []string{probe.FieldHTTPAPI, probe.FieldHTTPFaviconMD5, probe.FieldTLSSubject},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(fakeDevice(tc.routes))
			defer srv.Close()
			p := &Probe{}
			s, err := p.Probe(t.Context(), &net.Dialer{}, probetest.URLTarget(t, srv.URL))
			if err != nil {
				t.Fatalf("probe: %v", err)
			}
			if s.Status != probe.StatusIdentified || s.Protocol != "http" {
				t.Fatalf("status %s protocol %s, want identified http", s.Status, s.Protocol)
			}
			for k, want := range tc.fields {
				if got := s.Fields[k]; got != want {
					t.Errorf("field %s = %q, want %q", k, got, want)
				}
			}
			for a, want := range tc.claims {
				if got := claimValue(s, a); got != want {
					t.Errorf("claim %s = %q, want %q", a, got, want)
				}
			}
			for _, k := range tc.noField {
				if v, ok := s.Fields[k]; ok {
					t.Errorf("field %s = %q, want none", k, v)
				}
			}
			if len(s.Trace) < 2 || s.Trace[0].Data != "GET / HTTP/1.1" {
				t.Errorf("trace %v", s.Trace)
			}
		})
	}
}

func TestProbeFavicon(t *testing.T) {
	icon := []byte("\x00\x00\x01\x00\x01\x00\x10\x10" + strings.Repeat("\x7f", 120))
	srv := httptest.NewServer(fakeDevice(map[string]route{
		"GET /":            {200, nil, []byte("<title>x</title>")},
		"GET /favicon.ico": {200, map[string]string{"Content-Type": "image/x-icon"}, icon},
	}))
	defer srv.Close()
	s, err := (&Probe{}).Probe(t.Context(), &net.Dialer{}, probetest.URLTarget(t, srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Fields[probe.FieldHTTPFaviconMD5], FaviconMD5(icon); got != want || len(got) != 32 {
		t.Errorf("md5 %q want %q", got, want)
	}
	if got, want := s.Fields[probe.FieldHTTPFaviconMMH3], FaviconMMH3(icon); got != want || got == "" {
		t.Errorf("mmh3 %q want %q", got, want)
	}
}

func TestProbeTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(fakeDevice(map[string]route{
		"GET /": {200, map[string]string{"Server": "webs"}, []byte("<title>secure</title>")},
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	// Not a TLS-first port: the plain request gets Go's "HTTP request to
	// an HTTPS server" 400 and the probe must switch to TLS.
	s, err := (&Probe{}).Probe(t.Context(), &net.Dialer{}, probetest.URLTarget(t, srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if s.Protocol != "https" || !s.TLS || s.Fields[probe.FieldHTTPTitle] != "secure" {
		t.Fatalf("got %s tls=%v fields %v", s.Protocol, s.TLS, s.Fields)
	}
	cert := srv.Certificate()
	want := map[string]string{
		probe.FieldTLSSubject:    cert.Subject.String(),
		probe.FieldTLSIssuer:     cert.Issuer.String(),
		probe.FieldTLSSelfSigned: "true",
		probe.FieldTLSNotAfter:   cert.NotAfter.UTC().Format(time.RFC3339),
	}
	for k, v := range want {
		if s.Fields[k] != v {
			t.Errorf("%s = %q, want %q", k, s.Fields[k], v)
		}
	}
}

// readRequest consumes the request head so the client sees our reply.
func readRequest(c net.Conn) {
	br := bufio.NewReader(c)
	for {
		line, err := br.ReadString('\n')
		if err != nil || line == "\r\n" {
			return
		}
	}
}

func TestProbeHostilePeers(t *testing.T) {
	tests := []struct {
		name    string
		serve   func(net.Conn)
		status  probe.Status
		noMatch bool
		fields  map[string]string
	}{
		{
			name: "10 MB header", status: probe.StatusTooLarge,
			serve: func(c net.Conn) {
				readRequest(c)
				_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\n"))
				pad := []byte("X-Pad: " + strings.Repeat("a", 1000) + "\r\n")
				for i := 0; i < 10<<10; i++ {
					if _, err := c.Write(pad); err != nil {
						return
					}
				}
			},
		},
		{
			name: "endless fast body", status: probe.StatusTooLarge,
			fields: map[string]string{probe.FieldHTTPServer: "endless", probe.FieldHTTPTitle: "Endless"},
			serve: func(c net.Conn) {
				readRequest(c)
				_, _ = c.Write([]byte("HTTP/1.0 200 OK\r\nServer: endless\r\n\r\n<html><title>Endless</title>"))
				chunk := []byte(strings.Repeat("<p>x</p>", 512))
				for {
					if _, err := c.Write(chunk); err != nil {
						return
					}
				}
			},
		},
		{
			name: "endless slow body", status: probe.StatusTimeout,
			fields: map[string]string{probe.FieldHTTPStatus: "200", probe.FieldHTTPServer: "slow"},
			serve: func(c net.Conn) {
				readRequest(c)
				_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nServer: slow\r\nContent-Length: 100000\r\n\r\n<title>slow"))
				tick := time.NewTicker(20 * time.Millisecond)
				defer tick.Stop()
				for range tick.C {
					if _, err := c.Write([]byte("x")); err != nil {
						return
					}
				}
			},
		},
		{
			name: "silent peer", status: probe.StatusTimeout,
			serve: func(c net.Conn) { _, _ = c.Read(make([]byte, 1<<16)); _, _ = c.Read(make([]byte, 1)) },
		},
		{
			name: "ssh banner is not http", noMatch: true,
			serve: func(c net.Conn) { _, _ = c.Write([]byte("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n")) },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tgt := probetest.Serve(t, tc.serve)
			start := time.Now()
			s, err := (&Probe{RequestTimeout: 400 * time.Millisecond}).Probe(t.Context(), &net.Dialer{}, tgt)
			if el := time.Since(start); el > 3*time.Second {
				t.Errorf("took %v", el)
			}
			if tc.noMatch {
				if !errors.Is(err, probe.ErrNoMatch) || s != nil {
					t.Fatalf("want ErrNoMatch, got %v %+v", err, s)
				}
				return
			}
			if err == nil || s == nil || s.Status != tc.status {
				t.Fatalf("want status %s and an error, got %+v, %v", tc.status, s, err)
			}
			for k, v := range tc.fields {
				if s.Fields[k] != v {
					t.Errorf("%s = %q want %q", k, s.Fields[k], v)
				}
			}
		})
	}
}

func TestMurmur3KnownAnswers(t *testing.T) {
	tests := []struct {
		in   string
		seed uint32
		want int32
	}{
		{"", 0, 0},
		{"foo", 0, -156908512}, // mmh3 README
		{"foo", 42, -1322301282},
		{"hello", 0, 613153351},
		{"The quick brown fox jumps over the lazy dog", 0, 0x2e4ff723},
	}
	for _, tc := range tests {
		t.Run(tc.in+"/"+strconv.Itoa(int(tc.seed)), func(t *testing.T) {
			if got := int32(Murmur3([]byte(tc.in), tc.seed)); got != tc.want {
				t.Errorf("got %d want %d", got, tc.want)
			}
		})
	}
}

func TestFaviconMMH3LineWrapping(t *testing.T) {
	icon := []byte(strings.Repeat("\x01\x02\x03", 34)) // 102 bytes -> 136 base64 chars
	const b64 = "AQIDAQIDAQIDAQIDAQIDAQIDAQIDAQIDAQIDAQIDAQIDAQIDAQIDAQIDAQIDAQIDAQIDAQIDAQID"
	wrapped := b64 + "\n" + strings.Repeat("AQID", 15) + "\n"
	want := strconv.Itoa(int(int32(Murmur3([]byte(wrapped), 0))))
	if got := FaviconMMH3(icon); got != want {
		t.Errorf("got %s want %s", got, want)
	}
}

func TestParseChallenge(t *testing.T) {
	tests := []struct{ in, scheme, realm string }{
		{`Digest realm="DS-2CD2042WD-I", charset="UTF-8", algorithm=MD5, nonce="6b07a5bd:09", qop="auth"`, "Digest", "DS-2CD2042WD-I"},
		{`Basic realm="AXIS_ACCC8E000001", charset="UTF-8"`, "Basic", "AXIS_ACCC8E000001"},
		{`Digest qop="auth", realm="Login to TESTSERIAL000001"`, "Digest", "Login to TESTSERIAL000001"},
		{`Basic realm=DCS-930L`, "Basic", "DCS-930L"},
		{`Negotiate`, "Negotiate", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			c := ParseChallenge(tc.in)
			if c.Scheme != tc.scheme || c.Realm != tc.realm {
				t.Errorf("got %+v", c)
			}
		})
	}
}
