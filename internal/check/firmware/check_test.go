package firmware

import (
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	catalogfw "github.com/camwarden/camwarden/internal/catalog/firmware"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
)

var now = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

func dev(attrs ...string) *device.Device {
	d := &device.Device{Address: netip.MustParseAddr("127.77.0.10"), Identity: map[string]device.Attribute{}}
	for i := 0; i+1 < len(attrs); i += 2 {
		d.Identity[attrs[i]] = device.Attribute{Value: attrs[i+1], Source: "test"}
	}
	return d
}

func ids(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		id := f.ID
		if cve := f.Evidence["cve"]; cve != "" {
			id += ":" + cve
		}
		out = append(out, id)
	}
	return out
}

// Devices below are real ones from ../shared/data (hikvision_next,
// dahua-cgi-samples, reolinkapipy) or the KEV/CVE product names.
func TestCheckDefaultCatalogue(t *testing.T) {
	cat, err := catalogfw.Default()
	if err != nil {
		t.Fatal(err)
	}
	const v, m, fw, bd = probe.AttrVendor, probe.AttrModel, probe.AttrFirmware, probe.AttrBuildDate
	tests := []struct {
		name     string
		d        *device.Device
		want     []string
		evidence map[string]string // checked on the first finding
	}{
		{"hikvision nvr outdated", dev(v, "Hikvision", m, "DS-7608NXI-I2/8P/S", fw, "V4.62.210", bd, "build 230619"),
			[]string{IDOutdated}, map[string]string{"installed": "V4.62.210", "latest": "V4.62.225 build 240123",
				"latest_date": "2024-01-23", "behind_days": "218", "unverified_cves": "CVE-2021-36260"}},
		{"hikvision camera latest", dev(v, "Hikvision", m, "DS-2CD2386G2-IU", fw, "V5.7.23", bd, "build 260320"), nil, nil},
		{"hikvision camera newer than catalogue", dev(v, "Hikvision", m, "DS-2CD2386G2-IU", fw, "V5.7.30 build 261001"), nil, nil},
		{"hikvision CVE-2017-7921", dev(v, "Hikvision", m, "DS-2CD2532F-IWS", fw, "V5.2.0", bd, "build 140721"),
			[]string{IDVulnerable + ":CVE-2017-7921"}, map[string]string{"cve": "CVE-2017-7921", "cvss": "10",
				"link": "https://www.cve.org/CVERecord?id=CVE-2017-7921"}},
		{"hikvision unreadable", dev(v, "Hikvision", m, "DS-2CD2386G2-IU", fw, "unknown"),
			[]string{IDUnknown}, map[string]string{"installed": "unknown"}},
		{"dahua KEV auth bypass", dev(v, "Dahua", m, "IPC-HFW3441T", fw, "2.800.0000000.25.R, Build Date: 2019-07-31"),
			[]string{IDVulnerable + ":CVE-2021-33044", IDVulnerable + ":CVE-2021-33045"},
			map[string]string{"kev_date_added": "2024-08-21", "cvss": "9.8"}},
		{"dahua fixed build, no release to compare", dev(v, "Dahua", m, "IPC-HFW3441T", fw, "2.800.0000016.0.R,build:2021-07-05"),
			[]string{IDUnchecked}, map[string]string{"reason": reasonNoRelease}},
		{"reolink discontinued", dev(v, "Reolink", m, "RLC-410", fw, "v2.0.0.1389_18081408"),
			[]string{IDEOL}, map[string]string{"replacement": "RLC-510A", "end_of_sale": "discontinued (date not published)"}},
		{"d-link EoL camera, version unknown", dev(v, "D-Link", m, "DCS-2530L"),
			[]string{IDUnknown, IDVulnerable + ":CVE-2020-25078", IDVulnerable + ":CVE-2020-25079"},
			map[string]string{"reason": "the device did not report its firmware version"}},
		{"vendor not in catalogue", dev(v, "Acme", m, "X1", fw, "1.0"), []string{IDUnchecked},
			map[string]string{"reason": reasonNoVendor, "vendor": "Acme", "model": "X1", "installed": "1.0"}},
		{"vendor not in catalogue, nothing read", dev(v, "Acme"), []string{IDUnchecked}, map[string]string{"reason": reasonNoVendor}},
		{"model not identified", dev(v, "Hikvision", fw, "V5.7.23"), []string{IDUnchecked}, map[string]string{"reason": reasonNoModel}},
		{"model not in catalogue", dev(v, "Hikvision", m, "DS-NOT-A-MODEL", fw, "V5.7.23"), []string{IDUnchecked},
			map[string]string{"reason": reasonNoRelease, "model": "DS-NOT-A-MODEL"}},
		// AXIS OS: the vendor supports only the latest release of its active
		// track and each LTS track (6.50, 8.40, 9.80, 10.12, 11.11) continues
		// a major version, so an older release of a line is outdated on any
		// model, even one the catalogue has no release of.
		{"axis superseded active release", dev(v, "Axis", m, "P3245-LVE", fw, "10.5.1"),
			[]string{IDOutdated, IDVulnerable + ":CVE-2024-47260", IDVulnerable + ":CVE-2024-47262", IDVulnerable + ":CVE-2024-8772"},
			map[string]string{"installed": "10.5.1", "successor": "10.12.0", "successor_line": "AXIS OS 10.12, LTS 2022"}},
		{"axis 7.x replaced by LTS 2018", dev(v, "Axis", m, "M3045-V", fw, "7.40.1.1"), []string{IDOutdated, IDVulnerable + ":CVE-2024-47262"},
			map[string]string{"successor_line": "AXIS OS 8.40, LTS 2018"}},
		{"axis superseded, model unknown", dev(v, "Axis", fw, "9.50.1"), []string{IDOutdated},
			map[string]string{"successor_line": "AXIS OS 9.80, LTS 2020", "model": ""}},
		{"axis on an LTS track, no latest known", dev(v, "Axis", m, "P3245-LVE", fw, "10.12.280"), []string{IDUnchecked},
			map[string]string{"reason": reasonNoRelease}},
		{"axis legacy 5.x is on no track", dev(v, "Axis", m, "M1014", fw, "5.50.5.7"), []string{IDUnchecked},
			map[string]string{"reason": reasonNoRelease}},
		{"no identity", dev(), nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Check(tc.d, cat, now)
			if !slices.Equal(ids(got), tc.want) {
				t.Fatalf("findings = %v, want %v", ids(got), tc.want)
			}
			for _, f := range got {
				if f.Checkpoint != finding.CheckFirmware || f.Address != tc.d.Address {
					t.Errorf("%s: checkpoint %d address %v", f.ID, f.Checkpoint, f.Address)
				}
				if f.Title.EN == "" || f.Title.JA == "" || f.Remediation.EN == "" || f.Remediation.JA == "" {
					t.Errorf("%s: missing text: %+v %+v", f.ID, f.Title, f.Remediation)
				}
			}
			for k, want := range tc.evidence {
				if g := got[0].Evidence[k]; g != want {
					t.Errorf("evidence %s = %q, want %q", k, g, want)
				}
			}
		})
	}
}

func TestCheckSeverityAndAdvice(t *testing.T) {
	cat, err := catalogfw.Default()
	if err != nil {
		t.Fatal(err)
	}
	got := Check(dev(probe.AttrVendor, "D-Link", probe.AttrModel, "DCS-2530L"), cat, now)
	if len(got) != 3 || got[1].Severity != finding.SevCritical {
		t.Fatalf("want a critical KEV finding, got %+v", got)
	}
	if !strings.Contains(got[1].Remediation.JA, "サポートが終了した製品は買い替えを検討してください") {
		t.Errorf("EoL vulnerability lacks the replacement advice: %s", got[1].Remediation.JA)
	}
	unk := got[0]
	if !strings.Contains(unk.Remediation.EN, "system information") {
		t.Errorf("FW-UNKNOWN lacks where to read the version: %s", unk.Remediation.EN)
	}
	hik := Check(dev(probe.AttrVendor, "Hikvision", probe.AttrModel, "DS-2CD2386G2-IU", probe.AttrFirmware, "?"), cat, now)
	if len(hik) != 1 || !strings.Contains(hik[0].Remediation.JA, "「基本情報」") ||
		!strings.Contains(hik[0].Remediation.EN, "System Settings → Basic Information") {
		t.Errorf("Hikvision FW-UNKNOWN lacks the Hikvision location: %+v", hik)
	}
}

func TestCheckLifecycle(t *testing.T) {
	f, err := os.Open("testdata/lifecycle-catalogue.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cat, err := catalogfw.Load(f)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		model, fw string
		want      []string
		sev       finding.Severity
		text      string
	}{
		{"TEST-ENDED", "9.80.1", []string{IDEOL}, finding.SevHigh, "ended on 2025-12-31"},
		{"TEST-SOON", "9.80.1", []string{IDEOL}, finding.SevMedium, "ends on 2027-06-30"},
		{"TEST-SOON", "5.20.5", []string{IDEOL, IDOutdated}, finding.SevMedium, "ends on 2027-06-30"},
		{"TEST-LATER", "9.80.1", []string{IDUnchecked}, finding.SevInfo, ""},
	}
	for _, tc := range tests {
		t.Run(tc.model+"/"+tc.fw, func(t *testing.T) {
			got := Check(dev(probe.AttrVendor, "Axis", probe.AttrModel, tc.model, probe.AttrFirmware, tc.fw), cat, now)
			if !slices.Equal(ids(got), tc.want) {
				t.Fatalf("findings = %v, want %v", ids(got), tc.want)
			}
			if got[0].Severity != tc.sev || tc.text == "" {
				return
			}
			if !strings.Contains(got[0].Remediation.EN, tc.text) {
				t.Errorf("severity %v remediation %q", got[0].Severity, got[0].Remediation.EN)
			}
			if !strings.Contains(got[0].Remediation.JA, "サポートが終了した製品は買い替えを検討してください") {
				t.Errorf("missing ministry advice: %s", got[0].Remediation.JA)
			}
		})
	}
}

func TestFreshness(t *testing.T) {
	tests := []struct {
		date  string
		stale bool
		age   int
	}{
		{"2026-11-26", false, 0},
		{"2026-08-28", false, 90},
		{"2026-08-27", true, 91},
		{"2025-08-25", true, 458},
		{"bad", true, 0},
	}
	for _, tc := range tests {
		t.Run(tc.date, func(t *testing.T) {
			r := Freshness(&catalogfw.Catalog{Date: tc.date}, now)
			if r.Stale != tc.stale || r.AgeDays != tc.age {
				t.Errorf("stale %v age %d, want %v %d", r.Stale, r.AgeDays, tc.stale, tc.age)
			}
			if tc.stale != strings.Contains(r.Message.EN, "catalog update") {
				t.Errorf("message %q", r.Message.EN)
			}
		})
	}
}
