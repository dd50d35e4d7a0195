package firmware

import (
	"testing"

	"github.com/camwarden/camwarden/internal/version"
)

func TestLookup(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		vendor, model, installed string
		latest                   string // "" = no versioned family
		replacement              string
	}{
		// hikvision_next devices; latest from the Hikvision archive.
		{"Hikvision", "DS-7608NXI-I2/8P/S", "V4.62.210", "V4.62.225 build 240123", ""},
		{"HIKVISION", "DS-7608NXI-I2/8P/S", "V5.03.000", "V5.04.087 build 260727", ""},
		{"Hikvision", "DS-2CD2386G2-IU", "V5.7.18", "V5.7.23 build 260320", ""},
		{"Hikvision", "DS-2CD2386G2-IU(2.8MM)", "V5.7.18", "V5.7.23 build 260320", ""},
		{"Reolink", "RLC-410", "", "", "RLC-510A"},
		{"Axis", "M1065-LW", "9.80.1", "", ""},
		{"Nobody", "X", "1.0", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.vendor+"/"+tc.model+"/"+tc.installed, func(t *testing.T) {
			var inst *version.Version
			if tc.installed != "" {
				v := version.MustParse(c.Scheme(tc.vendor), tc.installed)
				inst = &v
			}
			m := c.Lookup(tc.vendor, tc.model, "", inst)
			got := ""
			if m.Latest != nil {
				got = m.Latest.Latest.Version
			}
			if got != tc.latest {
				t.Errorf("latest = %q, want %q", got, tc.latest)
			}
			rep := ""
			if m.Lifecycle != nil {
				rep = m.Lifecycle.Replacement
			}
			if rep != tc.replacement {
				t.Errorf("replacement = %q, want %q", rep, tc.replacement)
			}
		})
	}
}

func TestAssess(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		cve, vendor, model, installed string
		want                          Verdict
	}{
		// CVE-2017-7921 ranges; DS-2CD2532F-IWS at V5.2.0 build 140721 is a hikvision_next device.
		{"CVE-2017-7921", "Hikvision", "DS-2CD2532F-IWS", "V5.2.0 build 140721", VerdictAffected},
		{"CVE-2017-7921", "Hikvision", "DS-2CD2532F-IWS", "V5.4.0 build 160530", VerdictAffected},
		{"CVE-2017-7921", "Hikvision", "DS-2CD2532F-IWS", "V5.4.1 build 160601", VerdictNotAffected},
		{"CVE-2017-7921", "Hikvision", "DS-2CD2032F-I", "V5.1.0 build 130101", VerdictNotAffected},
		{"CVE-2021-33044", "Dahua", "IPC-HFW3441T", "2.800.0000000.25.R, Build Date: 2019-07-31", VerdictAffected},
		{"CVE-2021-33044", "Dahua", "IPC-HFW3441T", "2.800.0000016.0.R,build:2021-07-05", VerdictNotAffected},
		{"CVE-2021-33044", "Dahua", "IPC-HFW3441T", "V2.520.AC00.18.R", VerdictUnknown}, // no build date
		{"CVE-2021-33045", "Dahua", "NVR4108HS-8P-4KS2", "2.800.0000016.0.R,build:2020-06-05", VerdictNotAffected},
		{"CVE-2024-7029", "AVTech", "AVM1203", "FullImg-1023-1007-1011-1009", VerdictAffected},
		{"CVE-2020-25078", "D-Link", "DCS-2530L", "1.0", VerdictAffected}, // EoL: all versions
		{"CVE-2021-36260", "Hikvision", "DS-2CD2386G2-IU", "V5.5.0", VerdictUnknown},
	}
	for _, tc := range tests {
		t.Run(tc.cve+"/"+tc.model+"/"+tc.installed, func(t *testing.T) {
			var vuln *Vulnerability
			for _, v := range c.VulnerabilitiesOf(tc.vendor, tc.model) {
				if v.CVE == tc.cve {
					vuln = v
				}
			}
			if vuln == nil {
				if tc.want == VerdictNotAffected {
					return // model outside the CVE's families
				}
				t.Fatalf("%s not listed for %s %s", tc.cve, tc.vendor, tc.model)
			}
			scheme := c.Scheme(tc.vendor)
			inst := version.MustParse(scheme, tc.installed)
			if got := vuln.Assess(scheme, tc.model, &inst); got != tc.want {
				t.Errorf("Assess = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSupersededOf(t *testing.T) {
	cat, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		vendor, model, installed string
		want                     string // successor line, "" = none
	}{
		{"Axis", "P3245-LVE", "10.5.1", "AXIS OS 10.12, LTS 2022"},
		{"Axis Communications", "P3245-LVE", "10.11.99", "AXIS OS 10.12, LTS 2022"},
		{"Axis", "P3245-LVE", "10.12.0", ""},
		{"Axis", "P3245-LVE", "10.12.280", ""},
		{"Axis", "", "8.30.1", "AXIS OS 8.40, LTS 2018"},
		{"Axis", "M3045-V", "7.10.1", "AXIS OS 8.40, LTS 2018"},
		{"Axis", "M3045-V", "6.10.1.1", "AXIS OS 6.50, LTS 2016"},
		{"Axis", "M3045-V", "6.50.5.7", ""},
		{"Axis", "M1014", "5.50.5.7", ""},
		{"Axis", "Q1656", "11.10.61", "AXIS OS 11.11, LTS 2024"},
		{"Axis", "Q1656", "12.1.0", ""},
		{"Hikvision", "DS-2CD2386G2-IU", "10.5.1", ""},
		{"Acme", "X", "10.5.1", ""},
	}
	for _, tc := range tests {
		t.Run(tc.vendor+"/"+tc.model+"/"+tc.installed, func(t *testing.T) {
			inst, err := version.Parse(cat.Scheme(tc.vendor), tc.installed)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if s := cat.SupersededOf(tc.vendor, tc.model, inst); s != nil {
				got = s.Line
			}
			if got != tc.want {
				t.Errorf("SupersededOf = %q, want %q", got, tc.want)
			}
		})
	}
}
