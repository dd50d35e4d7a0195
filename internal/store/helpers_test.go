package store

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/camwarden/camwarden/internal/report"
)

// labScan reads the lab scan fixture.
func labScan(t testing.TB) *report.Scan {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "camwarden-lab-scan.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := report.ReadJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// clone deep-copies a scan through its JSON form.
func clone(t testing.TB, s *report.Scan) *report.Scan {
	t.Helper()
	var b bytes.Buffer
	if err := report.WriteJSON(&b, s); err != nil {
		t.Fatal(err)
	}
	c, err := report.ReadJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// device returns the device at addr.
func device(t testing.TB, s *report.Scan, addr string) *report.Device {
	t.Helper()
	a := netip.MustParseAddr(addr)
	for i := range s.Devices {
		if s.Devices[i].Address == a {
			return &s.Devices[i]
		}
	}
	t.Fatalf("no device %s", addr)
	return nil
}

// dropFinding removes the finding id at addr.
func dropFinding(s *report.Scan, addr, id string) {
	a := netip.MustParseAddr(addr)
	out := s.Findings[:0]
	for _, f := range s.Findings {
		if f.Address == a && f.ID == id {
			continue
		}
		out = append(out, f)
	}
	s.Findings = out
}

// moveDevice changes a device's address and that of its findings.
func moveDevice(t testing.TB, s *report.Scan, from, to string) {
	d := device(t, s, from)
	a, b := netip.MustParseAddr(from), netip.MustParseAddr(to)
	d.Address = b
	for i := range s.Findings {
		if s.Findings[i].Address == a {
			s.Findings[i].Address = b
		}
	}
}
