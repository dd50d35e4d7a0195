package report

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/i18n"
)

// TestReadAfterLoginNamed: a model and firmware read after login are
// marked so in the Markdown and HTML device sections, in both languages;
// a value read without credentials is not.
func TestReadAfterLoginNamed(t *testing.T) {
	s := &Scan{Schema: SchemaV1, Devices: []Device{{
		Address: netip.MustParseAddr("192.0.2.5"), Type: "camera", Vendor: "Dahua", Model: "IPC-HFW3441T", Firmware: "2.800.0000016.0.R",
		Identity: map[string]device.Attribute{
			"model":    {Value: "IPC-HFW3441T", Source: "tcp/80 http: ONVIF GetDeviceInformation"},
			"firmware": {Value: "2.800.0000016.0.R", Source: "tcp/80 http: Dahua RPC2 magicBox, read after login with the factory default"},
		},
	}}}
	s.Normalize()
	for _, lang := range []i18n.Lang{i18n.EN, i18n.JA} {
		var md, html bytes.Buffer
		if err := WriteMarkdown(&md, s, lang); err != nil {
			t.Fatal(err)
		}
		if err := WriteHTML(&html, s, HTMLOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		// Only the firmware is marked (escaping differs per format).
		mark := map[i18n.Lang]string{i18n.EN: "read after login", i18n.JA: "ログイン後に取得"}[lang]
		for name, out := range map[string]string{"markdown": md.String(), "html": html.String()} {
			if n := strings.Count(out, mark); n != 1 {
				t.Errorf("%s %s marks %d values %q, want the firmware only", lang, name, n, mark)
			}
		}
	}
}
