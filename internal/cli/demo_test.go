package cli

import (
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/report"
)

// TestDemoMatchesManifest is the foundation's acceptance test: the demo
// scans the lab and every device's vendor, model, firmware, type and
// services match the manifest, with no extra device.
func TestDemoMatchesManifest(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	code := Run(t.Context(), []string{"demo", "--prefix", "127.78.90", "--out", dir, "--format", "json"},
		strings.NewReader(""), &out, &errb)
	if code != ExitOK {
		t.Fatalf("demo exit %d; stderr:\n%s", code, errb.String())
	}
	rep, err := report.ReadJSON(&out)
	if err != nil {
		t.Fatalf("demo output: %v", err)
	}
	l, err := lab.Start(t.Context(), lab.Options{Prefix: "127.78.91"})
	if err != nil {
		t.Fatal(err)
	}
	man := l.Manifest()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	// The manifest of a lab on another prefix: rewrite its addresses.
	for i := range man.Devices {
		man.Devices[i].Address = strings.Replace(man.Devices[i].Address, "127.78.91.", "127.78.90.", 1)
	}
	if diffs := CompareManifest(man, rep); len(diffs) > 0 {
		t.Errorf("scan differs from the manifest:\n  %s", strings.Join(diffs, "\n  "))
	}
	// A device whose firmware shows only after login gets its planted
	// FW-* findings from what was read with the factory default.
	for _, d := range man.Devices {
		if d.Planted["identity.after_login"] == "" {
			continue
		}
		var fw []string
		for _, f := range rep.FindingsFor(netip.MustParseAddr(d.Address)) {
			if strings.HasPrefix(f.ID, "FW-") {
				fw = append(fw, f.ID)
			}
		}
		if got := strings.Join(fw, ","); got != d.Planted["firmware.findings"] {
			t.Errorf("%s: firmware findings %q after login, want %q", d.Name, got, d.Planted["firmware.findings"])
		}
	}
	if !strings.Contains(errb.String(), "all ") || !strings.Contains(errb.String(), "match the manifest") {
		t.Errorf("demo did not report the manifest check:\n%s", errb.String())
	}
	if want := fmt.Sprintf("%d of %d devices built from real captures", man.FromCaptures(), len(man.Devices)); man.FromCaptures() == 0 ||
		!strings.Contains(errb.String(), want) {
		t.Errorf("demo did not say %q:\n%s", want, errb.String())
	}
	for _, name := range []string{"scan.json", "report.html", "findings.csv", "report.md"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() == 0 {
			t.Errorf("report file %s missing or empty: %v", name, err)
		}
	}
}

func TestCompareManifestFindsDifferences(t *testing.T) {
	man := lab.Manifest{Devices: []lab.DeviceSpec{
		{Name: "cam", Address: "127.0.0.2", Vendor: "Axis", Model: "M1014", Firmware: "5.50", Type: "camera",
			Services: []lab.ServiceSpec{{Port: 80, Transport: "tcp", Protocol: "http"}}},
		{Name: "gone", Address: "127.0.0.3", Vendor: "Sony"},
		{Name: "shy", Address: "127.0.0.4", Vendor: "Hikvision", Model: "DS-2CD2042WD-I", Firmware: "V5.4.5",
			Planted: map[string]string{"identity.hidden": "model,firmware"}},
		{Name: "after", Address: "127.0.0.5", Vendor: "Dahua", Model: "IPC-HFW3441T", Firmware: "2.800.0000016.0.R",
			Planted: map[string]string{"identity.after_login": "model,firmware"}},
	}}
	rep := &report.Scan{Checked: []finding.Checkpoint{finding.CheckAuth}, Devices: []report.Device{
		{Address: addr(t, "127.0.0.2"), Vendor: "Axis", Model: "M1015", Firmware: "5.50", Type: "camera"},
		{Address: addr(t, "127.0.0.4"), Vendor: "Hikvision"},
		{Address: addr(t, "127.0.0.5"), Vendor: "Dahua", Model: "IPC-HFW3441T", Firmware: "2.800.0000016.0.R",
			Identity: map[string]device.Attribute{
				"model":    {Value: "IPC-HFW3441T", Source: "tcp/80 http: Dahua RPC2 magicBox, read after login with the factory default"},
				"firmware": {Value: "2.800.0000016.0.R", Source: "tcp/80 onvif: onvif GetDeviceInformation"}}},
		{Address: addr(t, "127.0.0.9")},
	}}
	got := strings.Join(CompareManifest(man, rep), "\n")
	for _, want := range []string{
		`127.0.0.2 (cam): model "M1015", want "M1014"`,
		"127.0.0.2 (cam): service 80/tcp/http missing",
		"127.0.0.3 (gone): not found",
		"127.0.0.9: extra device not in the manifest",
		`127.0.0.5 (after): firmware source "tcp/80 onvif: onvif GetDeviceInformation" does not say it was read after login`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing difference %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "127.0.0.4") || strings.Contains(got, "127.0.0.5 (after): model") {
		t.Errorf("hidden attributes reported as differences:\n%s", got)
	}
}
