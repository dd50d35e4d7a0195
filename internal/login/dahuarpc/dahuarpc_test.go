package dahuarpc

import (
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
)

func TestHash(t *testing.T) {
	// Vector computed independently (Python hashlib) from the formula.
	got := Hash("admin", "admin", "Login to 907F3C6C73FEDA77", "1f1e4fbc-858a-47c8-8a50-cb9310ad48cb")
	if want := "ACA2FCA2D2C540BA451FAF0B4F8A2510"; got != want {
		t.Fatalf("Hash = %s, want %s", got, want)
	}
}

func TestParseReply(t *testing.T) {
	tests := []struct {
		file    string
		code    int
		result  bool
		locked  bool
		session string
	}{
		{"dahua-ipc-rpc2-challenge.json", CodeChallenge, false, false, "2869194125"},
		{"dahua-ipc-rpc2-locked.json", CodeUserLocked, false, true, "a1b2c3d4e5f60718"},
		{"dahua-ipc-rpc2-bad-password.json", CodeUserOrPassword, false, false, "a1b2c3d4e5f60718"},
		{"dahua-ipc-rpc2-ok.json", 0, true, false, "a1b2c3d4e5f60718"},
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
			if r.Code != tt.code || r.Result != tt.result || locked != tt.locked || r.Session != tt.session {
				t.Errorf("got code %d result %v locked %v session %q", r.Code, r.Result, locked, r.Session)
			}
			if tt.code == CodeChallenge && (r.Realm != "Login to 4G0219PAZ00004" || r.Random == "" || r.Encryption != "Default") {
				t.Errorf("challenge params %+v", r)
			}
		})
	}
	for _, bad := range []string{"", "<html>", "[]", `{"id":1}`} {
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
		r, err := ParseReply(b)
		if err == nil {
			_, _ = r.Locked()
		}
	})
}

// TestLab logs in on the lab's Dahua camera (admin/admin, 5 failures lock
// it) and its NVR: the challenge, a good and a wrong password, and the
// lock the device reports once its threshold is reached.
func TestLab(t *testing.T) {
	l, err := lab.Start(t.Context(), lab.Options{Prefix: "127.78.61"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	addrs := map[string]netip.Addr{}
	for _, d := range l.Manifest().Devices {
		addrs[d.Name] = netip.MustParseAddr(d.Address)
	}
	d := &net.Dialer{Timeout: 2 * time.Second}
	m := &Method{Identify: true}
	cam := probe.Target{Addr: addrs["dahua-ipc"], Port: 80, Transport: "tcp"}
	o, err := m.NoCredential(t.Context(), d, cam)
	if err != nil || o.Result != login.Failure || o.Scheme != "rpc2" {
		t.Fatalf("NoCredential = %+v, %v; want failure rpc2", o, err)
	}
	tests := []struct {
		name string
		cred login.Credential
		want login.Result
	}{
		{"factory default", login.Credential{Username: "admin", Password: "admin"}, login.Success},
		{"wrong password", login.Credential{Username: "admin", Password: "nope"}, login.Failure},
		{"unknown user", login.Credential{Username: "ghost", Password: "admin"}, login.Failure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := m.Try(t.Context(), d, cam, tt.cred)
			if err != nil || o.Result != tt.want {
				t.Errorf("Try = %v (%v), want %v", o.Result, err, tt.want)
			}
		})
	}
	// The factory default's session read the identity before its logout.
	id, err := m.ReadIdentity(t.Context(), d, cam, login.Credential{}, nil)
	if err != nil || id.Sent || !id.Complete() {
		t.Fatalf("ReadIdentity = %+v, %v; want model and firmware read in the session", id, err)
	}
	for attr, want := range map[string]string{probe.AttrModel: "IPC-HFW3441T", probe.AttrFirmware: "2.800.0000016.0.R",
		probe.AttrBuildDate: "2020-06-05", probe.AttrSerial: "4G0219PAZ00004"} {
		if !slices.ContainsFunc(id.Claims, func(c probe.Claim) bool { return c.Attr == attr && c.Value == want }) {
			t.Errorf("no %s %q in %+v", attr, want, id.Claims)
		}
	}
	if f := l.Failures(cam.Addr)["http"]; f != 2 {
		t.Errorf("lab counted %d http failures, want 2", f)
	}
	nvr := probe.Target{Addr: addrs["dahua-nvr"], Port: 80, Transport: "tcp"}
	var last login.Outcome
	for range 6 {
		if last, err = m.Try(t.Context(), d, nvr, login.Credential{Username: "admin", Password: "wrong"}); err != nil {
			t.Fatal(err)
		}
	}
	if last.Result != login.Locked || last.Signal == "" {
		t.Errorf("after 6 failures Try = %+v, want locked with a signal", last)
	}
	notRPC := probe.Target{Addr: addrs["hikvision-ipc-legacy"], Port: 80, Transport: "tcp"}
	if o, err := m.NoCredential(t.Context(), d, notRPC); err == nil || o.Status != probe.StatusMalformed {
		t.Errorf("NoCredential on a Hikvision = %+v, %v; want malformed error", o, err)
	}
}
