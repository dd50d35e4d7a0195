package firmware

import (
	"slices"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/version"
)

// TestJapanBrandsMatchRealIdentities checks the entries of issue 10 item
// 20 against the vendor and model strings real devices give:
//   - Axis: basicdeviceinfo Brand "AXIS", ProdNbr "M1065-LW", ProdShortName
//     "AXIS M1065-LW", Version "9.80.1" (../shared/data/axis-kane610);
//     sysDescr "AXIS P5534-E ... 5.40.9.2" (field-captures/snmp-librenms);
//     UPnP modelName "AXIS M1014", manufacturer "AXIS" (axis-discovery-ssdp-js).
//   - Sony: realm "Sony Network Camera SNC-EP521" (nndefaccts, as in the
//     fingerprint catalogue); SNC-WR630 at 2.7.2 (gortsplib-sdp issue 85, lab).
//   - Bosch: "DINION IP Bullet 5000" (nmap telnet banner), the lab's
//     "FLEXIDOME IP 4000i IR" at 7.10.0095.
//   - Buffalo: UPnP manufacturer "BUFFALO INC.", modelName "WSR-1166DHP" (lab).
//   - Foscam: FI9821P (lab), FI8910W (the CVE record's model).
//   - Axis again: AXIS M7001 at 5.20.5 (Kane610 properties, legacy
//     firmware below every AXIS OS track range).
//   - Bosch: "TINYON IP 2000 WI" at 7.10.0095 (a Homebridge user's
//     config, Sunoo/homebridge-camera-ffmpeg).
//   - Sony and Foscam models written as the CVE records name them.
//
// Versions other than those are boundary values of the ranges the sources
// state, to show where each range starts and ends.
func TestJapanBrandsMatchRealIdentities(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		vendor, model, installed, cve string
		want                          Verdict
		listed                        bool // false: the CVE must not be listed for the model
	}{
		{"AXIS", "M1065-LW", "9.80.1", "CVE-2025-0324", VerdictNotAffected, true},
		{"AXIS", "AXIS M1065-LW", "9.80.1", "CVE-2025-0324", VerdictNotAffected, true},
		{"Axis Communications AB", "AXIS M1065-LW", "9.80.1", "CVE-2023-5800", VerdictUnknown, true},
		{"AXIS", "AXIS P5534-E", "5.40.9.2", "CVE-2025-0324", VerdictNotAffected, true},
		{"AXIS", "AXIS M1014", "11.11.139", "CVE-2025-0324", VerdictAffected, true},
		{"AXIS", "M1014", "11.11.140", "CVE-2025-0324", VerdictNotAffected, true},
		{"AXIS", "M1014", "12.3.32", "CVE-2025-0324", VerdictAffected, true},
		{"AXIS", "M1014", "12.3.33", "CVE-2025-0324", VerdictNotAffected, true},
		{"AXIS", "M1014", "11.7.0", "CVE-2025-0324", VerdictNotAffected, true},

		{"Sony", "SNC-WR630", "2.7.2", "CVE-2016-7834", VerdictNotAffected, true},
		{"Sony Corporation", "SNC-WR630", "2.7.1", "CVE-2016-7834", VerdictAffected, true},
		{"Sony", "SNC-EP521", "1.85.00", "CVE-2016-7834", VerdictAffected, true},
		{"Sony", "SNC-EP521", "1.86.00", "CVE-2016-7834", VerdictNotAffected, true},
		{"Sony", "SNC-EP521", "1.87.00", "CVE-2018-3937", VerdictUnknown, true},
		{"Sony", "SNC-WR630", "2.7.2", "CVE-2018-3937", 0, false}, // not an E series G5
		{"Sony", "SNC-VB770", "1.0.0", "CVE-2016-7834", 0, false}, // 7th generation: not listed
		{"Sony", "SNC-WR630", "2.7.2", "CVE-2020-36885", VerdictNotAffected, true},
		{"Sony", "SNC-EP521", "1.82.01", "CVE-2020-36885", VerdictAffected, true},

		{"Bosch", "FLEXIDOME IP 4000i IR", "7.10.0095", "CVE-2022-41677", VerdictAffected, true},
		{"Bosch", "FLEXIDOME IP 4000i IR", "7.10.0095", "CVE-2021-23847", VerdictNotAffected, true},
		{"Bosch Security Systems", "DINION IP Bullet 5000", "7.80.0127", "CVE-2021-23847", VerdictAffected, true},
		{"Bosch", "DINION IP Bullet 5000", "7.80.0128", "CVE-2021-23847", VerdictNotAffected, true},
		{"Bosch", "DINION IP Bullet 5000", "7.86.0021", "CVE-2022-41677", VerdictAffected, true},
		{"Bosch", "DINION IP Bullet 5000", "7.87.0010", "CVE-2022-41677", VerdictNotAffected, true},
		{"Bosch", "FLEXIDOME inteox 7100i", "7.80.0100", "CVE-2021-23847", 0, false}, // INTEOX: not affected

		{"BUFFALO INC.", "WSR-1166DHP", "1.15", "CVE-2021-20090", VerdictAffected, true},
		{"BUFFALO INC.", "WSR-1166DHP", "1.16", "CVE-2021-20090", VerdictNotAffected, true},
		{"Buffalo", "WSR-1166DHP", "1.14", "CVE-2024-26023", VerdictAffected, true},
		{"Buffalo", "WSR-1166DHP", "1.15", "CVE-2024-26023", VerdictNotAffected, true},
		{"Buffalo", "WSR-2533DHPL2", "1.02", "CVE-2021-20090", VerdictAffected, true},
		{"Buffalo", "WSR-2533DHPL2", "1.03", "CVE-2021-20090", VerdictNotAffected, true},
		{"Buffalo", "WSR-2533DHPL", "1.07", "CVE-2021-20090", VerdictAffected, true},
		{"Buffalo", "WSR-1166DHPL", "1.00", "CVE-2021-20090", 0, false}, // not in Buffalo's table
		{"Buffalo", "WHR-1166DHP", "1.60", "CVE-2014-9284", VerdictAffected, true},

		{"Foscam", "FI8910W", "11.37.2.54", "CVE-2014-1911", VerdictAffected, true},
		{"Foscam", "FI8910W", "11.37.2.55", "CVE-2014-1911", VerdictNotAffected, true},
		{"Foscam", "FI9821P", "2.11.1.120", "CVE-2017-2871", 0, false},
		// AXIS OS tracks (CVE records with per-track fixed versions).
		{"AXIS", "M1065-LW", "9.80.1", "CVE-2024-47260", VerdictAffected, true},
		{"AXIS", "M1065-LW", "9.80.89", "CVE-2024-47260", VerdictNotAffected, true},
		{"AXIS", "M1065-LW", "9.80.1", "CVE-2024-8772", VerdictAffected, true},
		{"AXIS", "M1065-LW", "9.80.84", "CVE-2024-8772", VerdictNotAffected, true},
		{"AXIS", "AXIS M1065-LW", "9.80.89", "CVE-2024-47262", VerdictAffected, true},
		{"AXIS", "AXIS M1065-LW", "9.80.90", "CVE-2024-47262", VerdictNotAffected, true},
		{"AXIS", "AXIS P5534-E", "5.40.9.2", "CVE-2024-47262", VerdictNotAffected, true}, // legacy 5.x: outside every range
		{"AXIS", "M7001", "5.20.5", "CVE-2024-47262", VerdictNotAffected, true},
		{"AXIS", "M1014", "6.50.5.18", "CVE-2024-47262", VerdictAffected, true},
		{"AXIS", "M1014", "6.50.5.19", "CVE-2024-47262", VerdictNotAffected, true},
		{"AXIS", "M1014", "8.40.65", "CVE-2024-47262", VerdictAffected, true},
		{"AXIS", "M1014", "10.12.269", "CVE-2024-47260", VerdictAffected, true},
		{"AXIS", "M1014", "10.12.270", "CVE-2024-47260", VerdictNotAffected, true},
		{"AXIS", "M1014", "10.11.5", "CVE-2024-47261", VerdictNotAffected, true}, // range starts at 10.12.0
		{"AXIS", "M1014", "11.11.140", "CVE-2024-47261", VerdictAffected, true},
		{"AXIS", "M1014", "11.11.141", "CVE-2025-0361", VerdictNotAffected, true},
		{"AXIS", "M1014", "11.11.125", "CVE-2024-47259", VerdictAffected, true},
		{"AXIS", "M1014", "12.3.99", "CVE-2025-0358", VerdictAffected, true},
		{"AXIS", "M1014", "12.4.0", "CVE-2025-0358", VerdictNotAffected, true},
		{"AXIS", "M1014", "11.11.200", "CVE-2025-0358", VerdictNotAffected, true},

		// Bosch: TINYON IP runs the same CPP firmware.
		{"Bosch", "TINYON IP 2000 WI", "7.10.0095", "CVE-2022-41677", VerdictAffected, true},
		{"Bosch", "TINYON IP 2000 WI", "7.10.0095", "CVE-2021-23848", VerdictUnknown, true},      // fixed versions not transcribed
		{"Bosch", "FLEXIDOME inteox 7100i", "7.80.0100", "CVE-2021-23849", VerdictUnknown, true}, // CPP14 listed
		{"Bosch", "FLEXIDOME inteox 7100i", "7.80.0100", "CVE-2021-23848", 0, false},             // CPP14 not listed

		// Sony: the 2007 ActiveX viewer, per model.
		{"Sony", "SNC-RZ25N", "1.29", "CVE-2007-3488", VerdictAffected, true},
		{"Sony", "SNC-RZ25N", "1.30", "CVE-2007-3488", VerdictNotAffected, true},
		{"Sony", "SNC-P5", "1.28", "CVE-2007-3488", VerdictAffected, true},
		{"Sony", "SNC-RX570N/W", "2.30", "CVE-2007-3488", VerdictAffected, true},
		{"Sony", "SNC-RX570N", "2.31", "CVE-2007-3488", VerdictNotAffected, true},
		{"Sony", "SNC-RX550N", "3.00", "CVE-2007-3488", VerdictAffected, true},
		{"Sony", "SNC-RX530N/B", "1.50", "CVE-2007-3488", VerdictNotAffected, true}, // only 2.x and 3.00 are named
		{"Sony", "SNC-WR630", "2.7.2", "CVE-2007-3488", 0, false},
		{"Sony", "SNC-EP521", "1.87.00", "CVE-2018-3938", VerdictUnknown, true},

		// Foscam: VDOO 2018, last affected firmware per model line.
		{"Foscam", "FI9821P", "2.11.1.120", "CVE-2018-6830", VerdictAffected, true},
		{"Foscam", "FI9821P", "2.11.1.121", "CVE-2018-6831", VerdictNotAffected, true},
		{"Foscam", "FI9821P V2", "2.21.2.31", "CVE-2018-6832", VerdictAffected, true},
		{"Foscam", "FI9821P V2", "2.21.2.32", "CVE-2018-6832", VerdictNotAffected, true},
		{"Foscam", "C1", "2.52.2.47", "CVE-2018-6830", VerdictAffected, true},
		{"Foscam", "C1 Lite V3", "2.82.2.34", "CVE-2018-6830", VerdictNotAffected, true},
		{"Foscam", "R2", "2.71.1.59", "CVE-2018-6831", VerdictAffected, true},
		{"Foscam", "FI9828P V2", "2.11.1.133", "CVE-2018-6830", VerdictAffected, true},
		{"Foscam", "FI9828P", "2.13.1.121", "CVE-2018-6830", VerdictNotAffected, true},
		{"Foscam", "FI8910W", "11.37.2.54", "CVE-2018-6830", 0, false}, // MJPEG line: not listed

	}
	for _, tt := range tests {
		t.Run(tt.model+"/"+tt.installed+"/"+tt.cve, func(t *testing.T) {
			var vuln *Vulnerability
			for _, v := range c.VulnerabilitiesOf(tt.vendor, tt.model) {
				if v.CVE == tt.cve {
					vuln = v
				}
			}
			if (vuln != nil) != tt.listed {
				t.Fatalf("%s listed for %s %s: %v, want %v", tt.cve, tt.vendor, tt.model, vuln != nil, tt.listed)
			}
			if vuln == nil {
				return
			}
			scheme := c.Scheme(tt.vendor)
			inst := version.MustParse(scheme, tt.installed)
			if got := vuln.Assess(scheme, tt.model, &inst); got != tt.want {
				t.Errorf("Assess = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestJapanBrandsVendors: the vendor names devices and CVE records use
// resolve to the catalogue's vendor, with a version scheme that reads the
// versions these brands show.
func TestJapanBrandsVendors(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, vendor, version string }{
		{"AXIS", "Axis", "9.80.1"},
		{"Axis Communications AB", "Axis", "5.40.9.2"},
		{"BUFFALO INC.", "Buffalo", "1.15"},
		{"Sony Corporation", "Sony", "1.86.00"},
		{"Bosch Security Systems", "Bosch", "7.10.0095"},
		{"Panasonic", "Panasonic i-PRO", "2.80"},
		{"i-PRO", "Panasonic i-PRO", "2.80"},
		{"Foscam", "Foscam", "2.11.1.120"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := c.Vendor(tt.name)
			if v == nil || v.Name != tt.vendor {
				t.Fatalf("Vendor(%q) = %v, want %s", tt.name, v, tt.vendor)
			}
			if _, err := version.Parse(v.Scheme, tt.version); err != nil {
				t.Errorf("scheme %s does not read %q: %v", v.Scheme, tt.version, err)
			}
		})
	}
}

// TestJapanBrandsFamilies: Buffalo's support-ended routers are reported as
// discontinued by their exact model name only, and a known latest release
// applies to its model.
func TestJapanBrandsFamilies(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		vendor, model, installed string
		discontinued             bool
		latest                   string
	}{
		{"BUFFALO INC.", "WHR-G54", "", true, ""},
		{"Buffalo", "WZR-HP-G54", "", true, ""},
		{"Buffalo", "WHR-G54S", "", false, ""},    // a different model
		{"Buffalo", "WZR-G108", "", false, ""},    // Buffalo withdrew it from the list
		{"Buffalo", "WSR-1166DHP", "", false, ""}, // only vulnerabilities are known
		{"Buffalo", "WXR-1900DHP2", "2.49", false, "2.53"},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			var inst *version.Version
			if tt.installed != "" {
				v := version.MustParse(c.Scheme(tt.vendor), tt.installed)
				inst = &v
			}
			m := c.Lookup(tt.vendor, tt.model, "", inst)
			if got := m.Lifecycle != nil && m.Lifecycle.Discontinued; got != tt.discontinued {
				t.Errorf("discontinued = %v, want %v", got, tt.discontinued)
			}
			got := ""
			if m.Latest != nil {
				got = m.Latest.Latest.Version
			}
			if got != tt.latest {
				t.Errorf("latest = %q, want %q", got, tt.latest)
			}
		})
	}
}

// TestCuratedEntriesHaveSources: every entry of the Japanese brands (all
// hand-curated) names a source with an address; validate checks the date
// it was read.
func TestCuratedEntriesHaveSources(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	brands := []string{"Axis", "Sony", "Bosch", "Buffalo", "Foscam", "Panasonic i-PRO"}
	n := 0
	check := func(what, vendor, source string) {
		if !slices.Contains(brands, vendor) {
			return
		}
		n++
		if !containsAny(source, "https://", "http://", "CVEProject/cvelistV5") {
			t.Errorf("%s: source %q names no address", what, source)
		}
	}
	for _, f := range c.Families {
		check(f.Vendor+" "+f.Name, f.Vendor, f.Source)
	}
	for _, v := range c.Vulnerabilities {
		check(v.Vendor+" "+v.CVE, v.Vendor, v.Source)
	}
	if n < 20 {
		t.Errorf("%d curated entries for %v, want at least 20", n, brands)
	}
}

func containsAny(s string, subs ...string) bool {
	return slices.ContainsFunc(subs, func(sub string) bool { return strings.Contains(s, sub) })
}
