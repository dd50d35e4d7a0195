package auth

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
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
	if len(got) != 1 || got[0].ID != "AUTH-UNVERIFIABLE" {
		t.Fatalf("findings = %+v, want one AUTH-UNVERIFIABLE", got)
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

// TestAdminCredentialOnLab: an administrator-supplied password is
// confirmed (AUTH-ADMIN-OK with a grade) and never printed.
func TestAdminCredentialOnLab(t *testing.T) {
	l := startLab(t, "127.78.42")
	spec := l.Manifest().Devices[1] // hikvision-ipc-locked-down, admin / Vx7!mRq2pLw9
	cat, err := creds.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Options{Catalogue: cat, Credentials: strings.NewReader("admin:Vx7!mRq2pLw9\n")})
	if err != nil {
		t.Fatal(err)
	}
	d := deviceFromSpec(spec)
	got := c.Check(t.Context(), &check.Env{Dialer: &net.Dialer{Timeout: 3 * time.Second}, Now: time.Now}, &d)
	ok := 0
	for _, f := range got {
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
	total := 0
	for _, n := range l.Failures(d.Address) {
		total += n
	}
	if total != 0 {
		t.Errorf("%d failed logins with the right password supplied", total)
	}
}
