package http

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/camwarden/camwarden/internal/probe/probetest"
)

var vendorSeeds = []string{
	"hikvision-ds2cd2042wdi-isapi-deviceinfo.xml", "hikvision-ds2cd2386g2iu-isapi-deviceinfo.xml",
	"amcrest-ip4m1041b-getsysteminfo.txt", "lorex-nvr4108hs-getsysteminfo.txt",
	"dahua-nvr-getsoftwareversion.txt", "axis-m1065lw-basicdeviceinfo.json",
	"reolink-rlc411ws-getdevinfo.json", "reolink-any-getdevinfo-login.json", "nginx-1.22-basic-401.html",
}

// sharedSeeds are real captures in shared/data (a sibling of the
// repository, in CI too): AVTECH's get_capability answer and the 401 page
// of a Hikvision PTZ.
var sharedSeeds = []string{
	"field-captures/avtech/avtech-dvr_Machine.cgi-get_capability.txt",
	"field-captures/hikvision/hikvision-DS-2DF7286-A_http-401-body_onvif-port.html",
}

func addSeeds(f *testing.F) {
	for _, name := range vendorSeeds {
		f.Add(probetest.Fixture(f, name))
	}
	for _, name := range sharedSeeds {
		b, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "data", name))
		if err != nil {
			f.Fatalf("seed: %v", err)
		}
		f.Add(b)
	}
}

// FuzzVendorParsers feeds every vendor endpoint parser the same input: none
// may panic, and whatever they claim must be printable and bounded.
func FuzzVendorParsers(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		cl, _ := ParseISAPIDeviceInfo(b)
		axis, _ := ParseAxisBasicDeviceInfo(b)
		reo, _, _ := ParseReolinkDevInfo(b)
		cl = append(append(append(cl, axis...), reo...), DahuaClaims(ParseDahuaKV(b))...)
		for _, c := range cl {
			if !utf8.ValidString(c.Value) || len(c.Value) > fieldMax+8 || c.Value == "" {
				t.Fatalf("bad claim %+v", c)
			}
		}
	})
}

// FuzzPage checks the root-page parsers on hostile pages and headers.
func FuzzPage(f *testing.F) {
	addSeeds(f)
	f.Add([]byte(`Digest realm="DS-2CD2042WD-I", charset="UTF-8", qop="auth"`))
	f.Add([]byte(`<script>window.location.href = "doc/page/login.asp?_" + (new Date()).getTime();</script>`))
	f.Add([]byte(`<meta http-equiv="refresh" content="0; URL=//evil.example/x">`))
	markers, err := LoadMarkers()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		title := Title(b)
		if strings.ContainsAny(title, "\r\n") || len(title) > fieldMax+8 {
			t.Fatalf("title %q", title)
		}
		_ = ParseChallenge(string(b))
		for _, m := range markers.Find(b) {
			if strings.ContainsAny(m, "\r\n") || len(m) > markerMax+8 {
				t.Fatalf("marker %q", m)
			}
		}
		base, _ := url.Parse("http://127.0.0.1/")
		if hop := NextHop(base, b); hop != "" && !strings.HasPrefix(hop, "/") {
			t.Fatalf("hop %q leaves the host", hop)
		}
		_ = ParseAVTECHCapability(b)
	})
}

func TestISAPIRefusesDoctype(t *testing.T) {
	bomb := `<?xml version="1.0"?><!DOCTYPE DeviceInfo [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>` +
		`<DeviceInfo><model>&b;</model></DeviceInfo>`
	tests := []struct{ name, in string }{
		{"entity bomb", bomb},
		{"undefined entity", `<DeviceInfo><model>&x;</model></DeviceInfo>`},
		{"not xml", `{"model":"x"}`},
		{"other root", `<ResponseStatus><model>x</model></ResponseStatus>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if cl, err := ParseISAPIDeviceInfo([]byte(tc.in)); err == nil {
				t.Fatalf("accepted: %+v", cl)
			}
		})
	}
}
