package sqlite

import (
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/camwarden/camwarden/internal/report"
)

// The lab's serial numbers (internal/lab/devices.go).
const (
	serialHik   = "DS-2CD2532F-IWS20140721CCCH400000001"
	serialDahua = "4G0219PAZ00004"
)

// labScan reads the store's lab scan fixture.
func labScan(t testing.TB) *report.Scan {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "camwarden-lab-scan.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := report.ReadJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func jsonOf(t testing.TB, s *report.Scan) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := report.WriteJSON(&b, s); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

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

func openTemp(t testing.TB) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "camwarden.db")
	db, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db, path
}

// bigScan is the lab scan's devices repeated n times over 127.78.0.0/16,
// each copy with its own serial and findings: the size of a chain of
// sites' scan.
func bigScan(t testing.TB, n int) *report.Scan {
	base := labScan(t)
	s := *base
	s.Devices, s.Findings = nil, nil
	for i := 0; len(s.Devices) < n; i++ {
		for _, d := range base.Devices {
			if len(s.Devices) == n {
				break
			}
			k := len(s.Devices)
			addr := netip.AddrFrom4([4]byte{127, 78, byte(k >> 8), byte(k)})
			for _, f := range base.FindingsFor(d.Address) {
				f.Address = addr
				s.Findings = append(s.Findings, f)
			}
			d.Address = addr
			if d.Serial == "" && d.Vendor != "" {
				d.Serial = fmt.Sprintf("%s-%06d", d.Model, k)
			}
			s.Devices = append(s.Devices, d)
		}
	}
	s.Normalize()
	return &s
}
