package http

import (
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

func addSeeds(f *testing.F) {
	for _, name := range vendorSeeds {
		f.Add(probetest.Fixture(f, name))
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
	f.Fuzz(func(t *testing.T, b []byte) {
		title := Title(b)
		if strings.ContainsAny(title, "\r\n") || len(title) > fieldMax+8 {
			t.Fatalf("title %q", title)
		}
		_ = ParseChallenge(string(b))
		_ = bodyHints(b)
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
