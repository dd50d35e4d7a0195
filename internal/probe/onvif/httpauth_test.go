package onvif

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/camwarden/camwarden/internal/login/digest"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

// captured401 reads a captured HTTP 401 (status line, headers, body).
func captured401(t *testing.T, file string) *nethttp.Response {
	t.Helper()
	r, err := nethttp.ReadResponse(bufio.NewReader(bytes.NewReader(probetest.Fixture(t, file))), nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// digestDevice guards its device service with HTTP Digest the way the
// captured device does (its 401 headers and body), answers 200 with the
// GetDeviceInformation fixture to admin/12345, and 404 on other paths
// unless guardAll. checks counts the Authorization headers it verified.
type digestDevice struct {
	challenge, contentType string
	body                   []byte
	guardAll               bool
	answer                 []byte
	checks                 atomic.Int32
}

func (f *digestDevice) ServeHTTP(w nethttp.ResponseWriter, r *nethttp.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	if r.URL.Path != DevicePath && !f.guardAll {
		nethttp.NotFound(w, r)
		return
	}
	if authz := r.Header.Get("Authorization"); authz != "" {
		f.checks.Add(1)
		c, _ := digest.Parse(f.challenge)
		p, err := digest.Params(strings.TrimPrefix(authz, "Digest "))
		if err == nil && c != nil {
			want, _ := c.Authorization(digest.Request{Method: r.Method, URI: p["uri"], Username: "admin", Password: "12345", CNonce: p["cnonce"]})
			if strings.Contains(want, `response="`+p["response"]+`"`) {
				w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
				_, _ = w.Write(f.answer)
				return
			}
		}
	}
	w.Header().Set("WWW-Authenticate", f.challenge)
	if f.contentType != "" {
		w.Header().Set("Content-Type", f.contentType)
	}
	w.WriteHeader(nethttp.StatusUnauthorized)
	_, _ = w.Write(f.body)
}

func dahuaDevice(t *testing.T) *digestDevice {
	r := captured401(t, "dahua-ipc-onvif-http-401.txt")
	return &digestDevice{challenge: r.Header.Get("WWW-Authenticate"), contentType: r.Header.Get("Content-Type"),
		answer: probetest.Fixture(t, "gsoap-mockup-getdeviceinformation.xml")}
}

// hikvisionDevice answers with the captured HTML 401 page (headers not
// captured: a Digest challenge like the firmware's, text/html).
func hikvisionDevice(t *testing.T, guardAll bool) *digestDevice {
	return &digestDevice{challenge: `Digest qop="auth", realm="DS-2DF7286-A", nonce="4e4455304e6a67354e6a59364f5467354d6a67344e44553d", stale="FALSE"`,
		contentType: "text/html", body: probetest.Fixture(t, "hikvision-ds-2df7286-onvif-401-body.html"), guardAll: guardAll,
		answer: probetest.Fixture(t, "gsoap-mockup-getdeviceinformation.xml")}
}

// TestProbeHTTPAuthDeviceService: a device service that answers HTTP 401
// before any SOAP is ONVIF when the 401 is its own (SOAP-typed, or not
// given on a random path), and not when the web server guards every path.
func TestProbeHTTPAuthDeviceService(t *testing.T) {
	tests := []struct {
		name      string
		dev       *digestDevice
		noMatch   bool
		realm     string
		sentPaths int
	}{
		{name: "dahua soap-typed 401", dev: dahuaDevice(t), realm: "Login to 0ccf58c7410332c7caa363406561b351", sentPaths: 1},
		{name: "hikvision html 401, 404 elsewhere", dev: hikvisionDevice(t, false), realm: "DS-2DF7286-A", sentPaths: 2},
		{name: "web server guarding every path", dev: hikvisionDevice(t, true), noMatch: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.dev)
			defer srv.Close()
			s, err := (&Probe{}).Probe(t.Context(), &net.Dialer{}, probetest.URLTarget(t, srv.URL))
			if tc.noMatch {
				if !errors.Is(err, probe.ErrNoMatch) || s != nil {
					t.Fatalf("want ErrNoMatch, got %+v %v", s, err)
				}
				return
			}
			if err != nil || s == nil || s.Status != probe.StatusIdentified {
				t.Fatalf("got %+v %v", s, err)
			}
			for k, v := range map[string]string{probe.FieldONVIFHTTPAuth: "required", probe.FieldONVIFInfoAuth: "required",
				probe.FieldONVIFRealm: tc.realm} {
				if s.Fields[k] != v {
					t.Errorf("%s = %q want %q", k, s.Fields[k], v)
				}
			}
			if !strings.HasPrefix(s.Fields[probe.FieldONVIFWWWAuth], "Digest ") {
				t.Errorf("www-authenticate %q", s.Fields[probe.FieldONVIFWWWAuth])
			}
			sent := 0
			for _, e := range s.Trace {
				if e.Dir == "send" {
					sent++
				}
			}
			if sent != tc.sentPaths {
				t.Errorf("%d requests, want %d: %+v", sent, tc.sentPaths, s.Trace)
			}
			if n := tc.dev.checks.Load(); n != 0 {
				t.Errorf("the probe sent %d Authorization headers", n)
			}
		})
	}
}

// TestCallHTTPDigest: with a token, a device service guarded by HTTP
// Digest gets the same account once more in HTTP Digest: the right
// password answers, a wrong one is one check and a 401.
func TestCallHTTPDigest(t *testing.T) {
	for _, tc := range []struct {
		name, password string
		status         int
	}{{"right password", "12345", 200}, {"wrong password", "nope", 401}} {
		t.Run(tc.name, func(t *testing.T) {
			dev := dahuaDevice(t)
			srv := httptest.NewServer(dev)
			defer srv.Close()
			rep, err := Call(t.Context(), &net.Dialer{}, probetest.URLTarget(t, srv.URL), false, ActionGetDeviceInformation,
				"<tds:GetDeviceInformation/>", &UsernameToken{Username: "admin", Password: tc.password})
			if err != nil || rep.StatusCode != tc.status {
				t.Fatalf("got %+v %v", rep, err)
			}
			if n := dev.checks.Load(); n != 1 {
				t.Errorf("%d password checks, want 1", n)
			}
		})
	}
}

// TestCallNoDigestAfterSOAPFault: a 401 that carries a SOAP fault judged
// the token; it is not asked again with HTTP Digest (no second check).
func TestCallNoDigestAfterSOAPFault(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		n.Add(1)
		w.Header().Set("WWW-Authenticate", `Digest realm="x", nonce="abc", qop="auth"`)
		w.Header().Set("Content-Type", "application/soap+xml")
		w.WriteHeader(nethttp.StatusUnauthorized)
		_, _ = w.Write(probetest.Fixture(t, "onvif-spec-notauthorized-fault.xml"))
	}))
	defer srv.Close()
	rep, err := Call(t.Context(), &net.Dialer{}, probetest.URLTarget(t, srv.URL), false, ActionGetDeviceInformation,
		"<tds:GetDeviceInformation/>", &UsernameToken{Username: "admin", Password: "nope"})
	if err != nil || rep.StatusCode != 401 || n.Load() != 1 {
		t.Fatalf("got %+v %v after %d requests", rep, err, n.Load())
	}
}
