package http

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	})
}
