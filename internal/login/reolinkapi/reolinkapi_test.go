package reolinkapi

import (
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
)

func TestParseReply(t *testing.T) {
	tests := []struct {
		file   string
		ok     bool
		token  string
		rsp    int
		locked bool
	}{
		{"reolink-rlc411ws-please-login.json", false, "", RspPleaseLogin, false},
		{"reolink-rlc411ws-login-ok.json", true, "6f1c2a9b3e4d", 0, false},
		{"reolink-rlc411ws-login-failed.json", false, "", RspLoginFailed, false},
		{"reolink-rlc411ws-login-locked.json", false, "", RspLoginFailed, true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			r, err := ParseReply(b)
			if err != nil {
				t.Fatal(err)
			}
			locked, _ := r.Locked()
			if r.OK() != tt.ok || r.Token != tt.token || r.RspCode != tt.rsp || locked != tt.locked {
				t.Errorf("got ok %v token %q rsp %d locked %v", r.OK(), r.Token, r.RspCode, locked)
			}
		})
	}
	for _, bad := range []string{"", "{}", "[]", "<html>", `[{"cmd":"Login"}]`} {
		if _, err := ParseReply([]byte(bad)); err == nil {
			t.Errorf("ParseReply(%q) accepted", bad)
		}
	}
}

func FuzzParseReply(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if r, err := ParseReply(b); err == nil {
			_, _ = r.Locked()
			_ = r.OK()
		}
	})
}

// TestLab logs in on the lab's Reolink (admin with a blank password).
func TestLab(t *testing.T) {
	l, err := lab.Start(t.Context(), lab.Options{Prefix: "127.78.62"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	var cam, other probe.Target
	for _, d := range l.Manifest().Devices {
		switch d.Name {
		case "reolink-rlc411ws":
			cam = probe.Target{Addr: netip.MustParseAddr(d.Address), Port: 80, Transport: "tcp"}
		case "axis-m1065":
			other = probe.Target{Addr: netip.MustParseAddr(d.Address), Port: 80, Transport: "tcp"}
		}
	}
	d := &net.Dialer{Timeout: 2 * time.Second}
	m := &Method{}
	o, err := m.NoCredential(t.Context(), d, cam)
	if err != nil || o.Result != login.Failure || o.Scheme != "reolink-api" {
		t.Fatalf("NoCredential = %+v, %v; want failure reolink-api", o, err)
	}
	tests := []struct {
		name string
		cred login.Credential
		want login.Result
	}{
		{"blank factory password", login.Credential{Username: "admin", Password: ""}, login.Success},
		{"wrong password", login.Credential{Username: "admin", Password: "admin"}, login.Failure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := m.Try(t.Context(), d, cam, tt.cred)
			if err != nil || o.Result != tt.want || !o.Cleartext {
				t.Errorf("Try = %+v (%v), want %v over cleartext", o, err, tt.want)
			}
		})
	}
	if _, err := m.Try(t.Context(), d, cam, login.Credential{Username: "admin", Password: ""}); err != nil {
		t.Fatal(err)
	}
	id, err := m.ReadIdentity(t.Context(), d, cam, login.Credential{}, nil)
	if err != nil || id.Sent || !id.Complete() || id.APIs[0] != "Reolink GetDevInfo" {
		t.Fatalf("ReadIdentity = %+v, %v; want the GetDevInfo the login read with its token", id, err)
	}
	if f := l.Failures(cam.Addr)["http"]; f != 1 {
		t.Errorf("lab counted %d http failures, want 1", f)
	}
	if o, err := m.NoCredential(t.Context(), d, other); err == nil || o.Status != probe.StatusMalformed {
		t.Errorf("NoCredential on an Axis = %+v, %v; want malformed error", o, err)
	}
}
