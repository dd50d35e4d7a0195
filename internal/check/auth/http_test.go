package auth

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

// webDevice serves the shapes of the HTTP cases with the account
// admin:pass (Basic): "spa" answers 200 to every path but protects
// /ISAPI/ (an open landing page with a protected API); "prefix" protects
// every /ISAPI/ path, existing or not, and 404s the absent ones after the
// login (the lighttpd peer's shape); "all200" answers 200 to anything.
func webDevice(t *testing.T, mode, pass string) (netip.Addr, uint16) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if mode == "all200" || !strings.HasPrefix(r.URL.Path, "/ISAPI/") {
			if mode == "prefix" && r.URL.Path != "/" {
				http.NotFound(w, r)
				return
			}
			w.Write([]byte("<html><title>Network Camera</title></html>"))
			return
		}
		if u, p, ok := r.BasicAuth(); !ok || u != "admin" || p != pass {
			w.Header().Set("WWW-Authenticate", `Basic realm="DS-2CD2042WD-I"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if mode == "prefix" && r.URL.Path != "/ISAPI/System/deviceInfo" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("<DeviceInfo/>"))
	}))
	t.Cleanup(srv.Close)
	tg := probetest.URLTarget(t, srv.URL)
	return tg.Addr, tg.Port
}

func TestHTTPSurfaces(t *testing.T) {
	cat, err := creds.Default()
	if err != nil {
		t.Fatal(err)
	}
	probed := []probe.TraceEntry{{Dir: "send", Data: "GET /ISAPI/System/deviceInfo HTTP/1.1"}, {Dir: "recv", Data: "HTTP/1.1 401 Unauthorized"}}
	// An unknown vendor's device gets the prevalence ranking: give it the
	// admin password the ranking tries first.
	var generic string
	for _, cr := range cat.For("", "", "http", creds.DepthDefault) {
		if cr.Username == "admin" {
			generic = cr.Password
			break
		}
	}
	tests := []struct {
		name, mode, vendor, pass string
		trace                    []probe.TraceEntry
		want                     []string
	}{
		{"unknown vendor answering 200 to anything", "all200", "", generic, nil, []string{"AUTH-COVERAGE", "AUTH-UNVERIFIABLE"}},
		{"open landing page, protected API", "spa", "Hikvision", "12345", nil, []string{"AUTH-CLEARTEXT-HTTP", "AUTH-COVERAGE", "AUTH-DEFAULT-HTTP"}},
		{"route challenged by the probe, unknown vendor", "prefix", "", generic, probed, []string{"AUTH-CLEARTEXT-HTTP", "AUTH-COVERAGE", "AUTH-DEFAULT-HTTP"}},
		{"absent userCheck behind a prefix challenge", "prefix", "Hikvision", "12345", nil, []string{"AUTH-CLEARTEXT-HTTP", "AUTH-COVERAGE", "AUTH-DEFAULT-HTTP"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			addr, port := webDevice(t, tc.mode, tc.pass)
			d := device.Device{Address: addr, Identity: map[string]device.Attribute{probe.AttrVendor: {Value: tc.vendor}},
				Services: []probe.Service{{Port: port, Transport: "tcp", Protocol: "http", Trace: tc.trace}}}
			c, err := New(Options{Catalogue: cat})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, f := range c.Check(t.Context(), &check.Env{Dialer: &net.Dialer{Timeout: time.Second}, Now: time.Now}, &d) {
				ids = append(ids, f.ID)
			}
			slices.Sort(ids)
			if !slices.Equal(ids, tc.want) {
				t.Errorf("findings %v, want %v", ids, tc.want)
			}
		})
	}
}
