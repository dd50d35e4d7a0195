package exposure

import (
	"context"
	"errors"
	"fmt"
	"net"
	nethttp "net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

// sshServer runs an x/crypto/ssh server on 127.0.0.1 that records every
// password it is sent (there must be none).
func sshServer(t *testing.T, version string, configure func(*ssh.ServerConfig, *[]string)) (uint16, *[]string) {
	t.Helper()
	var passwords []string
	cfg := &ssh.ServerConfig{ServerVersion: version}
	configure(cfg, &passwords)
	tg, _ := probetest.ServeSSH(t, cfg)
	return tg.Port, &passwords
}

func TestSSHPassword(t *testing.T) {
	tests := []struct {
		name      string
		configure func(*ssh.ServerConfig, *[]string)
		wantSev   finding.Severity
		want      bool
		methods   string
	}{
		{"password offered", func(c *ssh.ServerConfig, pw *[]string) {
			c.PasswordCallback = func(_ ssh.ConnMetadata, p []byte) (*ssh.Permissions, error) {
				*pw = append(*pw, string(p))
				return nil, errors.New("denied")
			}
		}, finding.SevMedium, true, "password"},
		{"keyboard-interactive offered", func(c *ssh.ServerConfig, _ *[]string) {
			c.KeyboardInteractiveCallback = func(ssh.ConnMetadata, ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
				return nil, errors.New("denied")
			}
		}, finding.SevMedium, true, "keyboard-interactive"},
		{"public key only", func(c *ssh.ServerConfig, _ *[]string) {
			c.PublicKeyCallback = func(ssh.ConnMetadata, ssh.PublicKey) (*ssh.Permissions, error) {
				return nil, errors.New("denied")
			}
		}, 0, false, ""},
		{"no authentication at all", func(c *ssh.ServerConfig, _ *[]string) { c.NoClientAuth = true },
			finding.SevCritical, true, "none accepted (no credential needed)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port, passwords := sshServer(t, "SSH-2.0-ROSSSH", tt.configure)
			d := dev("MikroTik", "router", svc(port, "tcp", "ssh", map[string]string{probe.FieldSSHBanner: "SSH-2.0-ROSSSH"}))
			d.Address = netip.MustParseAddr("127.0.0.1")
			got := New().Check(t.Context(), &check.Env{Dialer: &net.Dialer{}}, &d)
			if !tt.want {
				if len(got) != 0 {
					t.Fatalf("got %v, want nothing", ids(got))
				}
				return
			}
			if len(got) != 1 || got[0].ID != IDSSHPassword {
				t.Fatalf("got %v, want one %s", ids(got), IDSSHPassword)
			}
			f := got[0]
			if f.Severity != tt.wantSev || f.Evidence["auth_methods"] != tt.methods || !strings.HasPrefix(f.Evidence["host_key"], "SHA256:") {
				t.Errorf("severity %v evidence %v", f.Severity, f.Evidence)
			}
			if len(*passwords) != 0 {
				t.Errorf("the check sent passwords: %q", *passwords)
			}
		})
	}
}

func TestSSHNotSSH(t *testing.T) {
	tg := probetest.Serve(t, func(c net.Conn) { _, _ = c.Write([]byte("220 not ssh\r\n")) })
	c, err := net.Dial("tcp", tg.Address())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := SSHAuthMethods(c, tg.Address()); err == nil {
		t.Fatal("SSHAuthMethods accepted a non-SSH peer")
	}
}

// refusingDialer fails every dial: a check without reachable peers must
// degrade to its passive findings.
type refusingDialer struct{ calls int }

func (r *refusingDialer) DialContext(context.Context, string, string) (net.Conn, error) {
	r.calls++
	return nil, errors.New("refused by test")
}

func TestActiveReadsFailQuietly(t *testing.T) {
	d := dev("Hikvision", "camera", svc(22, "tcp", "ssh", nil),
		svc(80, "tcp", "http", map[string]string{probe.FieldHTTPAPI: "isapi"}))
	rd := &refusingDialer{}
	got := New().Check(t.Context(), &check.Env{Dialer: rd}, &d)
	if rd.calls != 2 {
		t.Errorf("dialled %d times, want 2 (ssh, cloud)", rd.calls)
	}
	if len(got) != 1 || got[0].ID != IDHTTPNoTLS {
		t.Errorf("got %v, want only %s", ids(got), IDHTTPNoTLS)
	}
}

func TestCloudP2P(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name, vendor, path, body string
		status                   int
		want                     string // cloud evidence, "" for no finding
	}{
		{"hikvision platform access on", "Hikvision", pathEZVIZ, read("hikvision-ds2cd-ezviz-enabled.xml"), 200, "hik-connect"},
		{"hikvision platform access off", "Hikvision", pathEZVIZ, read("hikvision-ds2cd-ezviz-disabled.xml"), 200, ""},
		{"hikvision needs credentials", "Hikvision", pathEZVIZ, "", 401, ""},
		{"amcrest p2p on", "Amcrest", pathDahuaP2P, read("dahua-ipc-t2userver-enabled.txt"), 200, "dahua-p2p"},
		{"dahua p2p off", "Dahua", pathDahuaP2P, read("dahua-ipc-t2userver-disabled.txt"), 200, ""},
		{"dahua garbage", "Dahua", pathDahuaP2P, "<html>hello</html>", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var asked []string
			srv := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
				asked = append(asked, r.Method+" "+r.URL.RequestURI())
				if r.Header.Get("Authorization") != "" {
					t.Errorf("credentials sent")
				}
				if r.URL.RequestURI() != tt.path {
					nethttp.NotFound(w, r)
					return
				}
				w.WriteHeader(tt.status)
				fmt.Fprint(w, tt.body)
			}))
			defer srv.Close()
			tg := probetest.URLTarget(t, srv.URL)
			d := dev(tt.vendor, "camera", svc(tg.Port, "tcp", "http", nil))
			d.Address = tg.Addr
			got := New().Check(t.Context(), &check.Env{Dialer: &net.Dialer{}}, &d)
			if len(asked) != 1 || asked[0] != "GET "+tt.path {
				t.Errorf("requests %q, want one GET %s", asked, tt.path)
			}
			var cloud *finding.Finding
			for i := range got {
				if got[i].ID == IDCloudP2P {
					cloud = &got[i]
				}
			}
			switch {
			case tt.want == "" && cloud != nil:
				t.Errorf("unexpected %s %v", IDCloudP2P, cloud.Evidence)
			case tt.want != "" && (cloud == nil || cloud.Evidence["cloud"] != tt.want || cloud.Port != tg.Port):
				t.Errorf("got %v, want %s with cloud=%s", got, IDCloudP2P, tt.want)
			}
		})
	}
}

func TestParseCloud(t *testing.T) {
	tests := []struct {
		file    string
		parse   func([]byte) (CloudStatus, error)
		enabled bool
		reg     string
	}{
		{"hikvision-ds2cd-ezviz-enabled.xml", ParseEZVIZ, true, "true"},
		{"hikvision-ds2cd-ezviz-disabled.xml", ParseEZVIZ, false, "false"},
		{"dahua-ipc-t2userver-enabled.txt", ParseDahuaP2P, true, ""},
		{"dahua-ipc-t2userver-disabled.txt", ParseDahuaP2P, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			st, err := tt.parse(b)
			if err != nil || st.Enabled != tt.enabled || st.Registered != tt.reg {
				t.Errorf("got %+v, %v", st, err)
			}
		})
	}
	bad := []string{
		`<!DOCTYPE x [<!ENTITY a "b">]><EZVIZ><enabled>true</enabled></EZVIZ>`,
		`<EZVIZ><enabled>yes</enabled></EZVIZ>`,
		`<other><enabled>true</enabled></other>`,
	}
	for _, b := range bad {
		if st, err := ParseEZVIZ([]byte(b)); err == nil {
			t.Errorf("ParseEZVIZ(%q) = %+v, want error", b, st)
		}
	}
}
