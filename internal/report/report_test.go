package report

import (
	"bytes"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
)

var update = flag.Bool("update", false, "rewrite golden files")

func sampleScan() *Scan {
	start := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	cam := device.Device{
		Address: netip.MustParseAddr("127.77.0.2"),
		Identity: map[string]device.Attribute{
			probe.AttrVendor:   {Value: "Hikvision", Source: "onvif GetDeviceInformation", Confidence: 1},
			probe.AttrModel:    {Value: "DS-2CD2042WD-I", Source: "onvif GetDeviceInformation", Confidence: 0.9},
			probe.AttrFirmware: {Value: "V5.4.5 build 170124", Source: "onvif GetDeviceInformation", Confidence: 0.9},
			probe.AttrType:     {Value: "camera", Source: "model naming", Confidence: 0.8},
		},
		Services: []probe.Service{
			{Port: 80, Transport: "tcp", Protocol: "http", Status: probe.StatusIdentified,
				Fields: map[string]string{probe.FieldHTTPServer: "App-webs/"}},
			{Port: 554, Transport: "tcp", Protocol: "rtsp", Status: probe.StatusIdentified},
			{Port: 161, Transport: "udp", Protocol: "snmp", Status: probe.StatusIdentified},
		},
	}
	s := &Scan{
		Schema: SchemaV1, Tool: Tool{Name: "camwarden", Version: "test"},
		Scope: "127.77.0.0/24", Started: start, Finished: start.Add(1500 * time.Millisecond),
		Stats:   Stats{Addresses: 256, Attempts: 5632, OpenPorts: 2},
		Devices: []Device{FromDevice(cam), {Address: netip.MustParseAddr("127.77.0.1"), Services: []probe.Service{}}},
		Findings: []finding.Finding{
			{ID: "EXPOSE-TELNET", Checkpoint: finding.CheckExposure, Severity: finding.SevMedium,
				Address: cam.Address, Port: 23, Protocol: "telnet", Title: finding.Text{EN: "Telnet is on", JA: "Telnet が有効です"}},
			{ID: "AUTH-DEFAULT-HTTP", Checkpoint: finding.CheckAuth, Severity: finding.SevCritical,
				Address: cam.Address, Port: 80, Protocol: "http", Title: finding.Text{EN: "Factory default password", JA: "初期パスワードのまま"}},
		},
	}
	s.Normalize()
	return s
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestWriteFormats(t *testing.T) {
	tests := []struct {
		name  string
		write func(*bytes.Buffer, *Scan) error
	}{
		{"sample.table.golden", func(b *bytes.Buffer, s *Scan) error { return WriteTable(b, s, TableOptions{}) }},
		{"sample.json.golden", func(b *bytes.Buffer, s *Scan) error { return WriteJSON(b, s) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b, sampleScan()); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, b.Bytes())
		})
	}
}

func TestNormalizeOrdersWorstFirst(t *testing.T) {
	s := sampleScan()
	if s.Devices[0].Address.String() != "127.77.0.1" {
		t.Errorf("devices not sorted by address: first %s", s.Devices[0].Address)
	}
	if s.Findings[0].ID != "AUTH-DEFAULT-HTTP" {
		t.Errorf("worst finding not first: %s", s.Findings[0].ID)
	}
}

func TestReadJSONRoundTrip(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sampleScan()); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := WriteJSON(&again, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), again.Bytes()) {
		t.Errorf("round trip changed the document")
	}
}

func TestReadJSONRejects(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"wrong schema", `{"schema":"camwarden.scan/v9"}`, "schema"},
		{"not json", `<html>`, "read scan json"},
		{"empty", ``, "EOF"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ReadJSON(%q) error = %v, want containing %q", tc.doc, err, tc.want)
			}
		})
	}
}
