package storetest

import (
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
)

// The lab's serial numbers (internal/lab/devices.go).
const (
	// SerialHik is the lab Hikvision camera's serial number.
	SerialHik = "DS-2CD2532F-IWS20140721CCCH400000001"
	// SerialDahua is the lab Dahua camera's serial number.
	SerialDahua = "4G0219PAZ00004"
)

// Secrets are the credentials SecretScan plants; no store may write them.
var Secrets = []string{"7ujMko0admin", "YWRtaW46N3VqTWtvMGFkbWlu"}

// LabScan reads the store's lab scan fixture
// (internal/store/testdata/camwarden-lab-scan.json, see its SOURCES.md).
func LabScan(t testing.TB) *report.Scan {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("storetest: cannot locate the fixture directory")
	}
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "testdata", "camwarden-lab-scan.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := report.ReadJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// JSONOf renders s as the scan JSON document.
func JSONOf(t testing.TB, s *report.Scan) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := report.WriteJSON(&b, s); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Device returns the device at addr in s; the test fails when there is none.
func Device(t testing.TB, s *report.Scan, addr string) *report.Device {
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

// BigScan is the lab scan's devices repeated n times over 127.78.0.0/16,
// each copy with its own serial and findings: the size of a chain of
// sites' scan.
func BigScan(t testing.TB, n int) *report.Scan {
	base := LabScan(t)
	s := *base
	s.Devices, s.Findings = nil, nil
	for len(s.Devices) < n {
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

// SaveTimeline stores three scans of the lab a week apart: in the second
// the Hikvision camera (serial known) has moved to 127.77.0.40 and been
// updated (its CVE gone); in the third the Dahua camera at 127.77.0.5 has
// been replaced by another unit of the same model.
func SaveTimeline(t *testing.T, db store.Store) []store.ScanID {
	t.Helper()
	week := 7 * 24 * time.Hour
	var ids []store.ScanID
	for i := range 3 {
		s := LabScan(t)
		s.Started, s.Finished = s.Started.Add(time.Duration(i)*week), s.Finished.Add(time.Duration(i)*week)
		Device(t, s, "127.77.0.2").Serial = SerialHik
		Device(t, s, "127.77.0.5").Serial = SerialDahua
		if i >= 1 {
			hik := Device(t, s, "127.77.0.2")
			hik.Address, hik.Firmware = netip.MustParseAddr("127.77.0.40"), "V5.5.0"
			s.Findings = slices.DeleteFunc(s.Findings, func(f finding.Finding) bool {
				return f.Address.String() == "127.77.0.2" && f.ID == "FW-VULNERABLE"
			})
			for j := range s.Findings {
				if s.Findings[j].Address.String() == "127.77.0.2" {
					s.Findings[j].Address = hik.Address
				}
			}
		}
		if i == 2 {
			Device(t, s, "127.77.0.5").Serial = "4G0219PAZ99999"
		}
		s.Normalize()
		id, err := db.SaveScan(t.Context(), s)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// SecretScan is the lab scan holding Secrets: the Dahua telnet default
// credential in a finding's evidence, as --show-secrets writes it, and a
// Basic Authorization header in a service trace.
func SecretScan(t testing.TB) *report.Scan {
	t.Helper()
	s := LabScan(t)
	for i := range s.Findings {
		if s.Findings[i].ID == "AUTH-DEFAULT-TELNET" {
			s.Findings[i].Evidence["username"] = "admin"
			s.Findings[i].Evidence["password"] = Secrets[0] // Dahua's documented telnet default
		}
	}
	d := Device(t, s, "127.77.0.5")
	d.Services = append(d.Services, probe.Service{Port: 80, Transport: "tcp", Protocol: "http",
		Status: probe.StatusIdentified, Trace: []probe.TraceEntry{{Dir: "send", Data: "Authorization: Basic " + Secrets[1]}}})
	return s
}
