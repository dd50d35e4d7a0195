package auth

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
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

// TestAcceptsAnything: a web server that answers 200 to every request is
// "cannot verify", never a default or missing password.
func TestAcceptsAnything(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<html><title>OK</title></html>"))
	}))
	defer srv.Close()
	tg := probetest.URLTarget(t, srv.URL)
	d := device.Device{Address: tg.Addr, Identity: map[string]device.Attribute{probe.AttrVendor: {Value: "Hikvision"}},
		Services: []probe.Service{{Port: tg.Port, Transport: "tcp", Protocol: "http"}}}
	cat, err := creds.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Options{Catalogue: cat})
	if err != nil {
		t.Fatal(err)
	}
	got := c.Check(t.Context(), &check.Env{Dialer: &net.Dialer{Timeout: time.Second}, Now: time.Now}, &d)
	if len(got) != 2 || got[0].ID != "AUTH-UNVERIFIABLE" || got[1].ID != finding.IDAuthCoverage {
		t.Fatalf("findings = %+v, want one AUTH-UNVERIFIABLE and the coverage", got)
	}
	if ev := got[1].Evidence; ev[finding.CoverageUntried] == "" || !strings.Contains(ev[finding.CoverageReason], "unverifiable") {
		t.Errorf("coverage does not say the web port is unverifiable: %v", ev)
	}
}

func TestParseCredentials(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		wantErr  bool
	}{
		{"two lines and a comment", "# mine\nadmin:Vx7!mRq2pLw9\n\nroot:a:b\n", 2, false},
		{"missing colon", "admin\n", 0, true},
		{"empty user", ":x\n", 0, true},
		{"per-device line without user", "192.0.2.7 :x\n", 0, true},
		{"address with a port", "192.0.2.7:80 admin:x\n", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseCredentials(strings.NewReader(tc.in))
			if (err != nil) != tc.wantErr || len(got) != tc.n {
				t.Fatalf("ParseCredentials = %d, %v", len(got), err)
			}
			for _, c := range got {
				if strings.Contains(c.Name, c.Password) {
					t.Errorf("name %q carries the password", c.Name)
				}
			}
			if tc.n == 2 && got[1].Password != "a:b" {
				t.Errorf("password with ':' = %q", got[1].Password)
			}
		})
	}
}

// TestParseCredentialLines pins the syntax of each line: the address of a
// per-device line, the user, and the password verbatim (':' and spaces
// kept, only a trailing CR removed).
func TestParseCredentialLines(t *testing.T) {
	tests := []struct{ line, addr, user, pass string }{
		{"admin:Vx7!mRq2pLw9", "", "admin", "Vx7!mRq2pLw9"},
		{"admin:pass word: with colons ", "", "admin", "pass word: with colons "},
		{"my user:secret", "", "my user", "secret"},
		{"192.0.2.10 admin:Vx7!mRq2pLw9\r", "192.0.2.10", "admin", "Vx7!mRq2pLw9"},
		{"192.0.2.10\t\tadmin: spaced pass", "192.0.2.10", "admin", " spaced pass"},
		{"  192.0.2.10 root:a b:c", "192.0.2.10", "root", "a b:c"},
		{"2001:db8::7 admin:x:y", "2001:db8::7", "admin", "x:y"},
		{"[2001:db8::7] admin:x", "2001:db8::7", "admin", "x"},
		{"::ffff:192.0.2.10 admin:x", "192.0.2.10", "admin", "x"},
		{"camera1 admin:x", "", "camera1 admin", "x"}, // a name is not an address
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			got, err := ParseCredentials(strings.NewReader(tc.line + "\n"))
			if err != nil || len(got) != 1 {
				t.Fatalf("ParseCredentials = %v, %v", got, err)
			}
			c := got[0]
			addr := ""
			if c.Addr.IsValid() {
				addr = c.Addr.String()
			}
			if addr != tc.addr || c.Username != tc.user || c.Password != tc.pass {
				t.Errorf("got addr %q user %q pass %q, want %q %q %q", addr, c.Username, c.Password, tc.addr, tc.user, tc.pass)
			}
			if c.Addr.IsValid() && (!c.For(netip.MustParseAddr(tc.addr)) || c.For(netip.MustParseAddr("192.0.2.99"))) {
				t.Errorf("For does not pick the line's device only")
			}
		})
	}
}

// TestAdminCredentialOnLab: an administrator-supplied password is
// confirmed (AUTH-ADMIN-OK with a grade) and never printed.
func TestAdminCredentialOnLab(t *testing.T) {
	l := startLab(t, "127.78.42")
	spec := l.Manifest().Devices[1] // hikvision-ipc-locked-down, admin / Vx7!mRq2pLw9
	cat, err := creds.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Options{Catalogue: cat, Credentials: strings.NewReader("admin:Vx7!mRq2pLw9\n"),
		Grade: func(pw string) string { return password.Grade(pw, cat).String() }})
	if err != nil {
		t.Fatal(err)
	}
	d := deviceFromSpec(spec)
	got := c.Check(t.Context(), &check.Env{Dialer: &net.Dialer{Timeout: 3 * time.Second}, Now: time.Now}, &d)
	ok := 0
	for _, f := range got {
		if f.ID == finding.IDAuthCoverage {
			if as := f.Evidence[finding.CoverageAdminStrong]; as != "http/80,onvif/80,rtsp/554" {
				t.Errorf("coverage admin_strong = %q, want every surface (%v)", as, f.Evidence)
			}
			continue
		}
		if f.ID != "AUTH-ADMIN-OK" {
			t.Errorf("unexpected %s %v", f.ID, f.Evidence)
			continue
		}
		ok++
		for k, v := range f.Evidence {
			if strings.Contains(v, "Vx7!mRq2pLw9") {
				t.Errorf("evidence %s carries the password", k)
			}
		}
		if f.Evidence["grade"] == "" {
			t.Errorf("no grade in %v", f.Evidence)
		}
	}
	if ok == 0 {
		t.Errorf("administrator credential not confirmed: %+v", got)
	}
	// The locked-down camera shows its version only after a login: the
	// administrator's credential reads it.
	fw := ""
	for _, sv := range d.Services {
		for _, c := range sv.Claims {
			if c.Attr == probe.AttrFirmware && strings.HasSuffix(c.Source, "read after login with your credential") {
				fw = c.Value
			}
		}
	}
	if fw != spec.Firmware {
		t.Errorf("firmware read with the administrator's credential = %q, want %q", fw, spec.Firmware)
	}
	total := 0
	for _, n := range l.Failures(d.Address) {
		total += n
	}
	if total != 0 {
		t.Errorf("%d failed logins with the right password supplied", total)
	}
}
