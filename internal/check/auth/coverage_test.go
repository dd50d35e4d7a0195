package auth

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/password"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

// fakeWeb is a web server that protects everything but "/" with Basic
// (account admin / pass), counts refused logins, locks after lockAfter
// refusals (Hikvision's lockStatus body) when set, and calls onLogin on
// every request that carries credentials.
type fakeWeb struct {
	pass      string
	lockAfter int
	onLogin   func()
	mu        sync.Mutex
	refused   int
	seen      []string // passwords tried, for the per-device test only
}

func (f *fakeWeb) serve(t *testing.T) probe.Target {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			w.Write([]byte("<html><title>Network Camera</title></html>"))
			return
		}
		u, p, has := r.BasicAuth()
		f.mu.Lock()
		defer f.mu.Unlock()
		if has {
			f.seen = append(f.seen, p)
			if f.onLogin != nil {
				f.onLogin()
			}
		}
		if has && u == "admin" && p == f.pass && (f.lockAfter == 0 || f.refused < f.lockAfter) {
			w.Write([]byte("<DeviceInfo><model>DS-2CD2042WD-I</model></DeviceInfo>"))
			return
		}
		if has {
			f.refused++
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="DS-2CD2042WD-I"`)
		w.WriteHeader(http.StatusUnauthorized)
		if f.lockAfter > 0 && f.refused >= f.lockAfter {
			w.Write([]byte("<userCheck><statusValue>401</statusValue><lockStatus>lock</lockStatus><unlockTime>1800</unlockTime></userCheck>"))
		}
	}))
	t.Cleanup(srv.Close)
	return probetest.URLTarget(t, srv.URL)
}

// TestCoverage checks the AUTH-COVERAGE finding on one protected web
// port: exactly one per device, the port in the list its outcome names,
// complete only when nothing planned was cut short, and the reason of an
// untried port (budget, lockout, interruption).
func TestCoverage(t *testing.T) {
	cat, err := creds.Default()
	if err != nil {
		t.Fatal(err)
	}
	grade := func(pw string) string { return password.Grade(pw, cat).String() }
	const strong = "Vx7!mRq2pLw9-Kt"
	tests := []struct {
		name, vendor, pass, credentials string
		lockAfter                       int
		interrupt                       bool
		list                            string // the list the port must be in
		complete                        bool
		reason                          string // part of the reason, when untried
		maxRefused                      int
	}{
		{name: "factory default works", vendor: "Hikvision", pass: "12345", list: finding.CoverageAccepted, complete: true, maxRefused: 1},
		{name: "vendor defaults all refused", vendor: "Hikvision", pass: strong, list: finding.CoverageVendorRefused, complete: true, maxRefused: 3},
		// The prevalence list at depth default fits the device budget of an
		// unknown vendor (6 failures, 3 per account): all of it is tried.
		{name: "unknown vendor, generic pairs refused", pass: strong, list: finding.CoverageGenericRefused, complete: true, maxRefused: 6},
		{name: "lockout signal", vendor: "Hikvision", pass: strong, lockAfter: 1, list: finding.CoverageUntried, reason: "lockout", maxRefused: 2},
		{name: "interrupted", vendor: "Hikvision", pass: strong, interrupt: true, list: finding.CoverageUntried, reason: "interrupted", maxRefused: 1},
		{name: "administrator's strong credential", vendor: "Hikvision", pass: strong, credentials: "admin:" + strong + "\n",
			list: finding.CoverageAdminStrong, complete: true, maxRefused: 0},
		{name: "another device's credential is not tried", vendor: "Hikvision", pass: strong, credentials: "127.0.0.2 admin:" + strong + "\n",
			list: finding.CoverageVendorRefused, complete: true, maxRefused: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			fw := &fakeWeb{pass: tc.pass, lockAfter: tc.lockAfter}
			if tc.interrupt {
				fw.onLogin = cancel
			}
			tg := fw.serve(t)
			opts := Options{Catalogue: cat, Grade: grade}
			if tc.credentials != "" {
				opts.Credentials = strings.NewReader(tc.credentials)
			}
			c, err := New(opts)
			if err != nil {
				t.Fatal(err)
			}
			// The trace of the HTTP probe, which saw deviceInfo ask for a
			// password: the login route of a device of unknown vendor.
			trace := []probe.TraceEntry{{Dir: "send", Data: "GET /ISAPI/System/deviceInfo HTTP/1.1"}, {Dir: "recv", Data: "HTTP/1.1 401 Unauthorized"}}
			d := device.Device{Address: tg.Addr, Identity: map[string]device.Attribute{probe.AttrVendor: {Value: tc.vendor}},
				Services: []probe.Service{{Port: tg.Port, Transport: "tcp", Protocol: "http", Status: probe.StatusIdentified, Trace: trace}}}
			got := c.Check(ctx, &check.Env{Dialer: &net.Dialer{Timeout: time.Second}, Now: time.Now}, &d)
			var cov []finding.Finding
			for _, f := range got {
				if f.ID == finding.IDAuthCoverage {
					cov = append(cov, f)
				}
			}
			if len(cov) != 1 {
				t.Fatalf("%d coverage findings, want 1: %+v", len(cov), got)
			}
			ev, port := cov[0].Evidence, fmt.Sprintf("http/%d", tg.Port)
			if ev[tc.list] != port || ev[finding.CoverageSurfaces] != port {
				t.Errorf("%s = %q, surfaces %q; want %s in both (evidence %v)", tc.list, ev[tc.list], ev[finding.CoverageSurfaces], port, ev)
			}
			for _, other := range []string{finding.CoverageOpen, finding.CoverageAccepted, finding.CoverageAdminStrong,
				finding.CoverageVendorRefused, finding.CoverageGenericRefused, finding.CoverageUntried} {
				if other != tc.list && ev[other] != "" {
					t.Errorf("port also in %s: %v", other, ev)
				}
			}
			if want := fmt.Sprint(tc.complete); ev[finding.CoverageComplete] != want {
				t.Errorf("complete = %q, want %s (evidence %v)", ev[finding.CoverageComplete], want, ev)
			}
			if tc.reason != "" && !strings.Contains(ev[finding.CoverageReason], port+": ") || !strings.Contains(ev[finding.CoverageReason], tc.reason) {
				t.Errorf("reason %q, want %q for %s", ev[finding.CoverageReason], tc.reason, port)
			}
			if (tc.list == finding.CoverageVendorRefused && ev[finding.CoverageVendor] != tc.vendor) ||
				(tc.vendor == "" || tc.list == finding.CoverageAdminStrong) && ev[finding.CoverageVendor] != "" {
				t.Errorf("vendor key %q for list %s", ev[finding.CoverageVendor], tc.list)
			}
			fw.mu.Lock()
			defer fw.mu.Unlock()
			if fw.refused > tc.maxRefused {
				t.Errorf("%d refused logins, want at most %d", fw.refused, tc.maxRefused)
			}
			for _, p := range fw.seen {
				if strings.HasPrefix(tc.credentials, "127.0.0.2") && p == strong {
					t.Error("another device's credential was tried here")
				}
			}
			for k, v := range ev {
				if strings.Contains(v, strong) || strings.Contains(v, "12345") {
					t.Errorf("coverage %s carries a password", k)
				}
			}
		})
	}
}
