package auth

import (
	"context"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
)

// runDomains runs the check's guessing at depth default on one surface
// per protocol of dev and returns its coverage.
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
	return guessOn(ctx, c, vendor, dev, protos...).coverage(ctx)
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
