package onvifauth

import (
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/onvif"
)

func TestRedactURI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"rtsp://192.0.2.1/h264main", "rtsp://192.0.2.1/h264main"},
		{"rtsp://admin:secret@192.0.2.1:554/Streaming/Channels/101", "rtsp://192.0.2.1:554/Streaming/Channels/101"},
		{"rtsp://192.0.2.1:554/user=admin_password=xyz_channel=1_stream=0.sdp", "rtsp://192.0.2.1:554/user=REDACTED_password=REDACTED_channel=1_stream=0.sdp"},
		{"rtsp://192.0.2.1/cam?username=a&pwd=b&channel=1", "rtsp://192.0.2.1/cam?username=REDACTED&pwd=REDACTED&channel=1"},
		{"rtsp://u:p@%zz/x", "rtsp://%zz/x"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := RedactURI(tt.in); got != tt.want {
				t.Errorf("RedactURI = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestXAddrPath(t *testing.T) {
	b, err := os.ReadFile("testdata/gsoap-camera-getcapabilities.xml")
	if err != nil {
		t.Fatal(err)
	}
	env, err := onvif.ParseEnvelope(b)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{env.Fields["GetCapabilitiesResponse/Capabilities/Media/XAddr"], "/onvif/services"},
		{"", MediaPath},
		{"not a url\x7f", MediaPath},
		{"http://192.0.2.9:8080/onvif/Media", "/onvif/Media"},
	}
	for _, tt := range tests {
		if got := XAddrPath(tt.in); got != tt.want {
			t.Errorf("XAddrPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestProfileToken(t *testing.T) {
	b, err := os.ReadFile("testdata/gsoap-camera-getprofiles.xml")
	if err != nil {
		t.Fatal(err)
	}
	if tok, err := ProfileToken(b); err != nil || tok != "main" {
		t.Errorf("ProfileToken = %q, %v; want main", tok, err)
	}
	for _, bad := range []string{"", "<x/>", `<!DOCTYPE x [<!ENTITY e "e">]><Envelope><Body/></Envelope>`} {
		if _, err := ProfileToken([]byte(bad)); err == nil {
			t.Errorf("ProfileToken(%q) accepted", bad)
		}
	}
}

func FuzzProfileToken(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xml")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tok, err := ProfileToken(b)
		if err == nil && (tok == "" || len(tok) > 64) {
			t.Errorf("token %q", tok)
		}
		_ = streamURI(&onvif.Reply{StatusCode: 200, Body: b})
	})
}

// TestNoCredentialLab: open devices name every call that answered and the
// redacted stream URI; a device that wants a token is a Failure.
func TestNoCredentialLab(t *testing.T) {
	l, err := lab.Start(t.Context(), lab.Options{Prefix: "127.78.63"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	addr := map[string]netip.Addr{}
	for _, d := range l.Manifest().Devices {
		addr[d.Name] = netip.MustParseAddr(d.Address)
	}
	tests := []struct {
		device string
		port   uint16
		want   login.Result
		route  string
		uri    string
	}{
		{"xiongmai-ipc", 8899, login.Success, "GetUsers,GetDeviceInformation,GetProfiles,GetStreamUri",
			"rtsp://" + addr["xiongmai-ipc"].String() + ":554/user=REDACTED_password=REDACTED_channel=1_stream=0.sdp"},
		{"hikvision-nvr", 80, login.Success, "GetUsers,GetDeviceInformation,GetProfiles,GetStreamUri",
			"rtsp://" + addr["hikvision-nvr"].String() + ":554/Streaming/Channels/1"},
		{"hikvision-ipc-locked-down", 80, login.Failure, "GetUsers", ""},
	}
	d := &net.Dialer{Timeout: 2 * time.Second}
	for _, tt := range tests {
		t.Run(tt.device, func(t *testing.T) {
			m := &Method{}
			o, err := m.NoCredential(t.Context(), d, probe.Target{Addr: addr[tt.device], Port: tt.port, Transport: "tcp"})
			if err != nil || o.Result != tt.want || o.Route != tt.route {
				t.Fatalf("NoCredential = %v %q (%v), want %v %q", o.Result, o.Route, err, tt.want, tt.route)
			}
			if string(o.Evidence) != tt.uri {
				t.Errorf("stream URI %q, want %q", o.Evidence, tt.uri)
			}
			if strings.Contains(string(o.Evidence), "xmhdipc") {
				t.Error("evidence carries a password")
			}
		})
	}
}
