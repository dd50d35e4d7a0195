package fingerprint

import (
	"net/netip"
	"testing"

	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/probe"
)

func newMatcher(t testing.TB) *Matcher {
	t.Helper()
	m, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m
}

// svc builds an identified service with fields given as key, value pairs.
func svc(port uint16, transport, protocol string, kv ...string) probe.Service {
	s := probe.Service{Port: port, Transport: transport, Protocol: protocol, Status: probe.StatusIdentified}
	for i := 0; i+1 < len(kv); i += 2 {
		s.SetField(kv[i], kv[i+1])
	}
	return s
}

func claims(s probe.Service, source string, conf float64, kv ...string) probe.Service {
	for i := 0; i+1 < len(kv); i += 2 {
		s.Claims = append(s.Claims, probe.Claim{Attr: kv[i], Value: kv[i+1], Source: source, Confidence: conf})
	}
	return s
}

// want is the expected identity; empty values are not checked.
type want struct {
	typ, vendor, model, firmware, buildDate, serial, mac string
}

func check(t *testing.T, d device.Device, w want) {
	t.Helper()
	for _, c := range []struct{ attr, want string }{
		{probe.AttrType, w.typ}, {probe.AttrVendor, w.vendor}, {probe.AttrModel, w.model},
		{probe.AttrFirmware, w.firmware}, {probe.AttrBuildDate, w.buildDate},
		{probe.AttrSerial, w.serial}, {probe.AttrMAC, w.mac},
	} {
		if c.want == "" {
			continue
		}
		a := d.Identity[c.attr]
		if a.Value != c.want {
			t.Errorf("%s = %q (source %q, conflicts %v), want %q", c.attr, a.Value, a.Source, a.Conflicts, c.want)
			continue
		}
		if a.Confidence <= 0 || a.Confidence > 1 || a.Source == "" {
			t.Errorf("%s: confidence %v, source %q", c.attr, a.Confidence, a.Source)
		}
	}
}

var testAddr = netip.MustParseAddr("127.77.0.10")
