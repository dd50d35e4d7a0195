package auth

import (
	"context"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
)

// storeDevice is a device whose login surfaces check account stores:
// stores maps a protocol to its store (user -> password); surfaces of one
// store share it, as a camera's web, RTSP and ONVIF share its accounts.
// It counts what each protocol was sent.
type storeDevice struct {
	stores map[string]map[string]string
	sent   map[string]int // per protocol
	failed map[string]int // per user name
	// after, when set, runs after every attempt (to cancel the check).
	after func()
}

type storeMethod struct {
	dev   *storeDevice
	proto string
}

func (m storeMethod) Name() string     { return "store " + m.proto }
func (m storeMethod) Protocol() string { return m.proto }
func (m storeMethod) NoCredential(context.Context, probe.Dialer, probe.Target) (login.Outcome, error) {
	return login.Outcome{Result: login.Failure}, nil
}

func (m storeMethod) Try(_ context.Context, _ probe.Dialer, _ probe.Target, c login.Credential) (login.Outcome, error) {
	m.dev.sent[m.proto]++
	if m.dev.after != nil {
		defer m.dev.after()
	}
	if pw, ok := m.dev.stores[m.proto][c.Username]; ok && pw == c.Password {
		return login.Outcome{Result: login.Success, Route: "login"}, nil
	}
	m.dev.failed[c.Username]++
	return login.Outcome{Result: login.Failure, Route: "login"}, nil
}

// runDomains runs the check's guessing (as Check does, after the
// no-credential checks) on one surface per protocol of dev.
func runDomains(ctx context.Context, t *testing.T, vendor string, dev *storeDevice, protos ...string) finding.Finding {
	t.Helper()
	cat, err := creds.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Options{Depth: creds.DepthDefault, Catalogue: cat})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	d := &device.Device{Address: netip.MustParseAddr("127.0.0.1"),
		Identity: map[string]device.Attribute{probe.AttrVendor: {Value: vendor}}}
	r := &run{c: c, d: d, budget: engine.NewBudget(c.policy(vendor), clock), log: slog.New(slog.DiscardHandler)}
	var targets []target
	for _, p := range protos {
		port := map[string]uint16{"http": 80, "rtsp": 554, "onvif": 8000, "telnet": 23, "ssh": 22}[p]
		targets = append(targets, target{method: storeMethod{dev, p}, proto: p, twin: p != "telnet" && p != "ssh",
			t: probe.Target{Addr: d.Address, Port: port, Transport: "tcp"}})
	}
	for _, tg := range targets {
		r.cover(key(tg)).surface = true
	}
	c.guess(ctx, &check.Env{Now: clock}, targets, r)
	return r.coverage(ctx)
}

func newStoreDevice(stores map[string]map[string]string) *storeDevice {
	return &storeDevice{stores: stores, sent: map[string]int{}, failed: map[string]int{}}
}

// TestDomains: surfaces of one account domain share refusals (no failed
// login spent twice, the coverage names the surface that refused), a
// working pair is replayed on every surface, a vendor's separate list is
// asked on its own, an interrupted check says so, and an unknown vendor's
// domains keep the catalogue's cap.
func TestDomains(t *testing.T) {
	device := map[string]string{"admin": "Vx7!mRq2pLw9"}
	tests := []struct {
		name   string
		vendor string
		stores map[string]map[string]string
		protos []string
		cancel int // cancel the check after this many attempts; 0: never
		// want: evidence values (a key absent from the finding is "")
		want map[string]string
		// sent: attempts per protocol; maxFailed: per user name
		sent      map[string]int
		maxFailed int
	}{
		{
			name: "refused via the web login", vendor: "Axis",
			stores: map[string]map[string]string{"http": {"root": "S3cure-root!"}, "rtsp": {"root": "S3cure-root!"}, "onvif": {"root": "S3cure-root!"}},
			protos: []string{"http", "rtsp", "onvif"},
			want: map[string]string{finding.CoverageVendorRefused: "http/80,onvif/8000,rtsp/554",
				finding.CoverageRefusedVia: "onvif/8000<-http/80,rtsp/554<-http/80", finding.CoverageComplete: "true", finding.CoverageUntried: ""},
			sent: map[string]int{"http": 3, "rtsp": 0, "onvif": 0}, maxFailed: 3,
		},
		{
			name: "a working default is replayed on every surface", vendor: "Hikvision",
			stores: map[string]map[string]string{"http": {"admin": "12345"}, "rtsp": {"admin": "12345"}, "onvif": {"admin": "12345"}},
			protos: []string{"http", "rtsp", "onvif"},
			want:   map[string]string{finding.CoverageAccepted: "http/80,onvif/8000,rtsp/554", finding.CoverageRefusedVia: ""},
			sent:   map[string]int{"http": 1, "rtsp": 1, "onvif": 1},
		},
		{
			name: "a separate ONVIF user list is asked on its own", vendor: "Hikvision",
			stores: map[string]map[string]string{"http": device, "rtsp": device, "onvif": {"admin": "12345"}},
			protos: []string{"http", "rtsp", "onvif"},
			want: map[string]string{finding.CoverageVendorRefused: "http/80,rtsp/554", finding.CoverageAccepted: "onvif/8000",
				finding.CoverageRefusedVia: "rtsp/554<-http/80"},
			// http: the two Hikvision defaults, then one generic admin
			// pair within the budget (admin's third failure)
			sent: map[string]int{"http": 3, "rtsp": 0, "onvif": 1}, maxFailed: 3,
		},
		{
			name: "separate list refused: every surface passes", vendor: "Dahua",
			stores: map[string]map[string]string{"http": device, "rtsp": device, "onvif": device},
			protos: []string{"http", "rtsp", "onvif"},
			want: map[string]string{finding.CoverageVendorRefused: "http/80,onvif/8000,rtsp/554", finding.CoverageRefusedVia: "rtsp/554<-http/80",
				finding.CoverageComplete: "true"},
			sent: map[string]int{"http": 5, "rtsp": 0, "onvif": 3}, maxFailed: 3,
		},
		{
			name: "interrupted after the first attempt", vendor: "Axis",
			stores: map[string]map[string]string{"http": {"root": "S3cure-root!"}, "rtsp": {"root": "S3cure-root!"}},
			protos: []string{"http", "rtsp"}, cancel: 1,
			want: map[string]string{finding.CoverageComplete: "false", finding.CoverageUntried: "http/80,rtsp/554",
				finding.CoverageVendorRefused: ""},
			sent: map[string]int{"http": 1, "rtsp": 0}, maxFailed: 1,
		},
		{
			name: "unknown vendor: each domain keeps the catalogue's cap", vendor: "",
			stores: map[string]map[string]string{"http": device, "rtsp": device, "telnet": {"root": "Vx7!mRq2pLw9"}},
			protos: []string{"http", "rtsp", "telnet"},
			want: map[string]string{finding.CoverageGenericRefused: "http/80,rtsp/554,telnet/23", finding.CoverageRefusedVia: "rtsp/554<-http/80",
				finding.CoverageVendorRefused: "", finding.CoverageComplete: "true"},
			sent: map[string]int{"http": 3, "rtsp": 0, "telnet": 3}, maxFailed: 3,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dev := newStoreDevice(tc.stores)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			if tc.cancel > 0 {
				n := 0
				dev.after = func() {
					if n++; n == tc.cancel {
						cancel()
					}
				}
			}
			cov := runDomains(ctx, t, tc.vendor, dev, tc.protos...)
			for k, v := range tc.want {
				if got := cov.Evidence[k]; got != v {
					t.Errorf("%s = %q, want %q (evidence %v)", k, got, v, cov.Evidence)
				}
			}
			for p, n := range tc.sent {
				if dev.sent[p] != n {
					t.Errorf("%s: %d attempts sent, want %d (all %v)", p, dev.sent[p], n, dev.sent)
				}
			}
			for u, n := range dev.failed {
				if n > tc.maxFailed {
					t.Errorf("account %q failed %d times, want at most %d", u, n, tc.maxFailed)
				}
			}
			if tc.cancel > 0 && !strings.Contains(cov.Evidence[finding.CoverageReason], "interrupted") {
				t.Errorf("reason %q does not say interrupted", cov.Evidence[finding.CoverageReason])
			}
		})
	}
}

// TestServesNothing: a web port is no login surface only when the probe
// found nothing on it; a page whose login cannot be checked stays a
// surface left untried.
func TestServesNothing(t *testing.T) {
	tests := []struct {
		name   string
		fields map[string]string
		want   bool
	}{
		{"UPnP description server", map[string]string{probe.FieldHTTPStatus: "404", probe.FieldHTTPServer: "Linux/2.6.35, UPnP/1.0, Portable SDK for UPnP devices/1.6.18"}, true},
		{"ONVIF-only port", map[string]string{probe.FieldHTTPStatus: "404"}, true},
		{"form login page", map[string]string{probe.FieldHTTPStatus: "200", probe.FieldHTTPTitle: "AirStation"}, false},
		{"redirect to a login page", map[string]string{probe.FieldHTTPStatus: "302", probe.FieldHTTPLocation: "/login.htm"}, false},
		{"404 root but a vendor API", map[string]string{probe.FieldHTTPStatus: "404", probe.FieldHTTPAPI: "isapi"}, false},
		{"404 root but a challenge elsewhere", map[string]string{probe.FieldHTTPStatus: "404", probe.FieldHTTPWWWAuth: `Digest realm="x"`}, false},
		{"forbidden", map[string]string{probe.FieldHTTPStatus: "403"}, false},
		{"nothing read", map[string]string{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := servesNothing(probe.Service{Fields: tc.fields}); got != tc.want {
				t.Errorf("servesNothing = %v, want %v", got, tc.want)
			}
		})
	}
}
