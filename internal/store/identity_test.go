package store

import (
	"net/netip"
	"testing"

	"github.com/camwarden/camwarden/internal/report"
)

func TestIdentity(t *testing.T) {
	a := netip.MustParseAddr("127.77.0.2")
	b := netip.MustParseAddr("127.77.0.40")
	hik := func(addr netip.Addr, serial, mac string) report.Device {
		return report.Device{Address: addr, Vendor: "Hikvision", Model: "DS-2CD2532F-IWS", Serial: serial, MAC: mac}
	}
	tests := []struct {
		name   string
		x, y   report.Device
		same   bool
		keyOfY string
	}{
		{"same serial, new address", hik(a, serialHik, ""), hik(b, " "+serialHik+" ", ""), true, "serial:" + serialHik},
		{"serial case-insensitive", hik(a, "ds-2cd2532f-iws20140721ccch400000001", ""), hik(a, serialHik, ""), true, "serial:" + serialHik},
		{"different serial, same place", hik(a, serialHik, ""), hik(a, "DS-2CD2532F-IWS20990101CCCH400000009", ""), false, "serial:DS-2CD2532F-IWS20990101CCCH400000009"},
		{"same MAC, new address", hik(a, "", "BC-AD-28-00-00-01"), hik(b, "", "bc:ad:28:00:00:01"), true, "mac:bc:ad:28:00:00:01"},
		{"different MAC", hik(a, "", "bc:ad:28:00:00:01"), hik(a, "", "bc:ad:28:00:00:02"), false, "mac:bc:ad:28:00:00:02"},
		{"serial read once only: place decides", hik(a, serialHik, ""), hik(a, "", ""), true, "addr:127.77.0.2|hikvision|ds-2cd2532f-iws"},
		{"no identifiers, moved", hik(a, "", ""), hik(b, "", ""), false, "addr:127.77.0.40|hikvision|ds-2cd2532f-iws"},
		{"bad MAC ignored", hik(a, "", "not-a-mac"), hik(a, "", ""), true, "addr:127.77.0.2|hikvision|ds-2cd2532f-iws"},
		{"vendor case-insensitive", hik(a, "", ""), report.Device{Address: a, Vendor: "HIKVISION", Model: "ds-2cd2532f-iws"}, true, "addr:127.77.0.2|hikvision|ds-2cd2532f-iws"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x, y := IdentityOf(tc.x), IdentityOf(tc.y)
			if got := x.Same(y); got != tc.same {
				t.Errorf("Same = %v, want %v", got, tc.same)
			}
			if got := y.Same(x); got != tc.same {
				t.Errorf("Same is not symmetric")
			}
			if got := y.Key(); got != tc.keyOfY {
				t.Errorf("Key = %q, want %q", got, tc.keyOfY)
			}
		})
	}
}
