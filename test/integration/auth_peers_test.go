//go:build integration

package integration

import (
	"context"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/check/auth"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/scope"
)

// authWant is exactly the AUTH-* findings each real peer must produce at
// depth "default" (scripts/peers/README.md has the planted states): any
// other AUTH-* ID is a false positive, any missing one a miss.
// 127.79.0.1 challenges every /ISAPI/ path, existing or not: logins go to
// the route the HTTP probe saw answer 401 (deviceInfo), and a 404 after a
// login only moves the credential to the next challenging route.
// 127.79.0.10 answers 200 to a random path and a random credential.
// The gst-rtsp-server peers (127.79.0.3-4) challenge with the realm
// "IP Camera(12345)", the realm shape of Hikvision's RTSP server (field
// capture hikvision-ipcam_realm-IPCamera-C2189): identified from it, they
// get Hikvision's own default first. 127.79.0.2 shows no vendor: its device
// gets the prevalence ranking (creds.For), whose attempts (admin/admin,
// admin/password, admin/ then root/, root/root, Administrator/admin on
// http+rtsp) do not include Hikvision's admin:12345, the peers' password
// (more vendors list admin/1234 and admin/123456 too); the check must
// then report nothing, within the budget. 127.79.0.7 (OpenSSH, no vendor
// shown) gets at most 3 failed logins for its system accounts: a device of
// unknown vendor may be a Hikvision, which locks the client after 5, so
// each account domain keeps creds.Catalog.UnknownVendorCap (5-2); its
// root:xc3511 (Mirai's most common root pair) is the shell ranking's 3rd
// (after admin/admin and root/vizxv) and is found; its admin:12345 (5th)
// is out of reach.
var authWant = map[string][]string{
	"127.79.0.1":  {"AUTH-DEFAULT-HTTP"},   // lighttpd App-webs/ Digest on /ISAPI, Hikvision admin:12345
	"127.79.0.2":  {"AUTH-CLEARTEXT-HTTP"}, // nginx Basic admin:12345 over plain HTTP
	"127.79.0.3":  {"AUTH-DEFAULT-RTSP"},   // gst-rtsp-server offering Basic and Digest, admin:12345, realm "IP Camera(12345)"
	"127.79.0.4":  {"AUTH-DEFAULT-RTSP"},   // gst-rtsp-server Digest only, admin:12345, realm "IP Camera(12345)"
	"127.79.0.5":  {"AUTH-NONE-RTSP"},      // gst-rtsp-server open mount
	"127.79.0.6":  {"AUTH-DEFAULT-TELNET"}, // busybox telnetd, admin:12345 and root:xc3511
	"127.79.0.7":  {"AUTH-DEFAULT-SSH"},    // OpenSSH, admin:12345 and root:xc3511: see above
	"127.79.0.8":  {"AUTH-NONE-FTP"},       // vsftpd anonymous
	"127.79.0.9":  {"AUTH-DEFAULT-SNMP"},   // net-snmp community "public"
	"127.79.0.10": {"AUTH-UNVERIFIABLE"},   // nginx 200 to everything: never a default
}

// TestAuthPeers runs the whole pipeline on the real peers: scope.Parse ->
// engine.Scan (every probe) -> fingerprint -> the auth check through the
// scope-guarded dialer, and asserts the exact AUTH-* set per peer, the
// saved SDP of the open mount, and the login attempts per device.
func TestAuthPeers(t *testing.T) {
	requirePeers(t, hostPeers)
	targets := []string{"127.79.0.1-127.79.0.10"}
	devices := scan(t, scanConfig{targets: targets, tcpPorts: []uint16{21, 22, 23, 80, 554}})
	// The SNMP agent is scanned on its own, as TestSNMPOnlyScan does: a host
	// with no open TCP port is not swept for UDP in a mixed scan.
	for a, d := range scan(t, scanConfig{targets: []string{"127.79.0.9"}, udpPorts: []uint16{161}}) {
		devices[a] = d
	}

	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	sp, err := scope.Parse(ctx, targets, scope.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := creds.Default()
	if err != nil {
		t.Fatal(err)
	}
	checker, err := auth.New(auth.Options{Depth: creds.DepthDefault, Catalogue: cat})
	if err != nil {
		t.Fatal(err)
	}
	attempts := &attemptLog{attemptStore: &attemptStore{perAddr: map[string]int{}}}
	env := &check.Env{
		Dialer:      scope.GuardDialer{Scope: sp, Base: &net.Dialer{Timeout: 5 * time.Second}},
		Logger:      slog.New(attempts),
		Now:         time.Now,
		ArtifactDir: t.TempDir(),
	}
	var list []device.Device
	for _, d := range devices {
		list = append(list, d)
	}
	start := time.Now()
	findings := check.Run(ctx, env, []check.Checker{checker}, list, 10)
	t.Logf("auth check of %d devices in %v", len(list), time.Since(start).Round(time.Millisecond))

	got := map[string][]finding.Finding{}
	for _, f := range findings {
		got[f.Address.String()] = append(got[f.Address.String()], f)
	}
	for addr, want := range authWant {
		t.Run(addr, func(t *testing.T) {
			d, ok := devices[netip.MustParseAddr(addr)]
			if !ok {
				t.Fatalf("the scan found no device at %s (peer %s)", addr, peerName(addr))
			}
			var ids []string
			coverage := 0
			for _, f := range got[addr] {
				if f.ID == finding.IDAuthCoverage {
					coverage++
					continue
				}
				ids = append(ids, f.ID)
				if f.Title.EN == "" || f.Title.JA == "" || f.Remediation.EN == "" || f.Remediation.JA == "" {
					t.Errorf("%s lacks its EN/JA texts", f.ID)
				}
				if _, leaked := f.Evidence["password"]; leaked {
					t.Errorf("%s carries the password without --show-secrets", f.ID)
				}
			}
			if coverage != 1 {
				t.Errorf("%d %s findings, want 1", coverage, finding.IDAuthCoverage)
			}
			slices.Sort(ids)
			if !slices.Equal(ids, want) {
				t.Errorf("%s (%s): AUTH findings %v, want exactly %v; services: %s", addr, peerName(addr), ids, want, describe(d))
			}
			n := attempts.get(addr)
			t.Logf("%s %-28s %d login attempts, findings %v", addr, peerName(addr), n, ids)
			if lim := 2 * engine.DefaultMaxFailures; n > lim+2 { // the failures the budget allows, plus a success and its control
				t.Errorf("%d login attempts, more than the budget allows (%d)", n, lim+2)
			}
		})
	}
	t.Run("open mount SDP saved", func(t *testing.T) {
		for _, f := range got["127.79.0.5"] {
			if f.ID != "AUTH-NONE-RTSP" {
				continue
			}
			b, err := os.ReadFile(f.Evidence["artifact"])
			if err != nil {
				t.Fatalf("SDP artifact of %v: %v", f.Evidence, err)
			}
			if !strings.HasPrefix(string(b), "v=0") || !strings.Contains(string(b), "m=video") {
				t.Errorf("saved SDP is not a video SDP: %q", b)
			}
			return
		}
		t.Fatal("no AUTH-NONE-RTSP on the open mount")
	})
	t.Run("credential named, never shown", func(t *testing.T) {
		for _, f := range got["127.79.0.7"] {
			if f.ID == "AUTH-DEFAULT-SSH" && f.Evidence["credential"] == "" {
				t.Errorf("AUTH-DEFAULT-SSH does not name the credential: %v", f.Evidence)
			}
		}
		for _, f := range got["127.79.0.9"] {
			if f.ID == "AUTH-DEFAULT-SNMP" && !strings.Contains(f.Evidence["credential"], "community") {
				t.Errorf("AUTH-DEFAULT-SNMP does not name the community: %v", f.Evidence)
			}
		}
	})
}

func peerName(addr string) string {
	for _, p := range hostPeers {
		if p.addr == addr {
			return p.name + " (scripts/peers/" + p.script + ")"
		}
	}
	return "unknown peer"
}

// attemptLog is a slog.Handler that keeps the auth check's per-device
// attempt count from its "auth check done" record.
type attemptLog struct {
	*attemptStore
	attrs []slog.Attr
}

type attemptStore struct {
	mu      sync.Mutex
	perAddr map[string]int
}

func (h *attemptLog) Enabled(context.Context, slog.Level) bool { return true }

func (h *attemptLog) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "auth check done" {
		return nil
	}
	addr, n := "", -1
	visit := func(a slog.Attr) bool {
		switch a.Key {
		case "address":
			addr = a.Value.String()
		case "attempts":
			n = int(a.Value.Int64())
		}
		return true
	}
	for _, a := range h.attrs {
		visit(a)
	}
	r.Attrs(visit)
	h.mu.Lock()
	h.perAddr[addr] = n
	h.mu.Unlock()
	return nil
}

func (h *attemptLog) WithAttrs(as []slog.Attr) slog.Handler {
	return &attemptLog{attemptStore: h.attemptStore, attrs: append(slices.Clone(h.attrs), as...)}
}

func (h *attemptLog) WithGroup(string) slog.Handler { return h }

func (h *attemptLog) get(addr string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if n, ok := h.perAddr[addr]; ok {
		return n
	}
	return -1
}
