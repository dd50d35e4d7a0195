package version

import (
	"errors"
	"testing"
	"time"
)

// Sources of the strings below (all in /work/shared/data unless marked):
//
//	hikvision_next/devices/*.json: V5.5.82 build 190909 (DS-7732NI-M4), V4.62.210 (DS-7608NXI-I2),
//	  V5.2.0 build 140721 (DS-2CD2532F-IWS); hikvision-fw-archive: 5.8.41, 4.62.225;
//	cvelistV5 CVE-2017-7921: V5.4.0 Build 160530; CVE-2021-45039: B6103.16.10.B25.201218;
//	CVE-2024-7029: FullImg-1023-1007-1011-1009;
//	dahua-cgi-samples: 2.800.0000016.0.R,build:2020-06-05;
//	axis-kane610: 9.80.1, 5.20.5, 9.10.1; reolinkapipy GetDevInfo: v2.0.0.1389_18081408.
//	(issue 4) marks format examples quoted in the issue that are not in shared/data.
func TestParse(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		scheme Scheme
		raw    string
		nums   []int
		build  string // yyyy-mm-dd or ""
		extra  string
	}{
		{SchemeHikvision, "V5.5.82 build 190909", []int{5, 5, 82}, "2019-09-09", ""},
		{SchemeHikvision, "V5.7.18 build 230928", []int{5, 7, 18}, "2023-09-28", ""}, // (issue 4)
		{SchemeHikvision, "V4.62.210", []int{4, 62, 210}, "", ""},
		{SchemeHikvision, "5.8.41", []int{5, 8, 41}, "", ""},
		{SchemeHikvision, "V5.4.0 Build 160530", []int{5, 4, 0}, "2016-05-30", ""},
		{SchemeHikvision, "V5.2.0 build 140721", []int{5, 2, 0}, "2014-07-21", ""},
		{SchemeDahua, "2.800.0000000.25.R, Build Date: 2019-07-31", []int{2, 800, 25}, "2019-07-31", "0000000 R"}, // (issue 4)
		{SchemeDahua, "2.800.0000016.0.R,build:2020-06-05", []int{2, 800, 0}, "2020-06-05", "0000016 R"},
		{SchemeDahua, "V2.800.0000000.25.R.190731", []int{2, 800, 25}, "2019-07-31", "0000000 R"}, // (issue 4)
		{SchemeDahua, "V2.520.AC00.18.R", []int{2, 520, 18}, "", "AC00 R"},                        // Amcrest form (issue 4)
		{SchemeAxis, "9.80.1", []int{9, 80, 1}, "", ""},
		{SchemeAxis, "5.20.5", []int{5, 20, 5}, "", ""},
		{SchemeAxis, "10.12.153", []int{10, 12, 153}, "", ""},                           // (issue 4)
		{SchemeAxis, "5.51.7.2", []int{5, 51, 7, 2}, "", ""},                            // (issue 4)
		{SchemeReolink, "v3.0.0.2356_23062000", []int{3, 0, 0, 2356}, "2023-06-20", ""}, // (issue 4)
		{SchemeReolink, "v2.0.0.1389_18081408", []int{2, 0, 0, 1389}, "2018-08-14", ""},
		{SchemeTPLink, "1.3.6 Build 230615 Rel.44178n", []int{1, 3, 6}, "2023-06-15", "Rel.44178n"}, // (issue 4)
		{SchemeUniview, "B6103.16.10.B25.201218", []int{6103, 16, 10, 25}, "2020-12-18", "B"},
		{SchemeUniview, "IPC_G6103-B6103.16.10.B25.201218", []int{6103, 16, 10, 25}, "2020-12-18", "B"},
		{SchemeVivotek, "0107a", []int{1, 7, 1}, "", ""},             // (issue 4)
		{SchemeVivotek, "FD8134-VVTK-0107a", []int{1, 7, 1}, "", ""}, // (issue 4)
		{SchemeAVTech, "FullImg-1023-1007-1011-1009", []int{1023, 1007, 1011, 1009}, "", ""},
		{SchemeGeneric, "4.69.55", []int{4, 69, 55}, "", ""},
		{SchemeGeneric, "1.41.01_20210806", []int{1, 41, 1}, "2021-08-06", ""},
		{SchemeGeneric, "9.10.1", []int{9, 10, 1}, "", ""},
	}
	for _, tc := range tests {
		t.Run(string(tc.scheme)+"/"+tc.raw, func(t *testing.T) {
			v, err := Parse(tc.scheme, tc.raw)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if compareNums(v.Nums, tc.nums) != 0 || len(v.Nums) != len(tc.nums) {
				t.Errorf("nums = %v, want %v", v.Nums, tc.nums)
			}
			var want time.Time
			if tc.build != "" {
				want = day(tc.build)
			}
			if !v.Build.Equal(want) {
				t.Errorf("build = %v, want %v", v.Build, want)
			}
			if v.Extra != tc.extra {
				t.Errorf("extra = %q, want %q", v.Extra, tc.extra)
			}
			if v.String() != tc.raw {
				t.Errorf("String() = %q", v.String())
			}
		})
	}
}

func TestParseUnparseable(t *testing.T) {
	tests := []struct {
		scheme Scheme
		raw    string
	}{
		{SchemeHikvision, ""},
		{SchemeHikvision, "unknown"},
		{SchemeHikvision, "V5.5.82 build 19090"},   // five-digit build
		{SchemeHikvision, "V5.5.82 build 191309"},  // month 13
		{SchemeDahua, "2.800.R"},                   // missing parts
		{SchemeAxis, "10"},                         // one number only
		{SchemeAxis, "10.12.153-beta"},             // trailing text
		{SchemeReolink, "v3.0.0.2356"},             // no build
		{SchemeTPLink, "1.3.6"},                    // no build
		{SchemeUniview, "6103.16.10.25"},           // no prefix letter, no build
		{SchemeVivotek, "107a"},                    // three digits
		{SchemeAVTech, "FullImg-1023"},             // too short
		{SchemeGeneric, "Mockup_15_14_13"},         // agsh-onvif placeholder firmware
		{SchemeGeneric, "1.2.3.4.5.6"},             // too many parts
		{Scheme("nope"), "1.0"},                    // unknown scheme
		{SchemeGeneric, string(make([]byte, 200))}, // too long
		{SchemeHikvision, "V99999999999.1.1"},      // overflow guard
	}
	for _, tc := range tests {
		t.Run(string(tc.scheme)+"/"+clip(tc.raw), func(t *testing.T) {
			_, err := Parse(tc.scheme, tc.raw)
			if !errors.Is(err, ErrUnparseable) {
				t.Fatalf("err = %v, want ErrUnparseable", err)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	tests := []struct {
		scheme Scheme
		a, b   string
		want   int
	}{
		{SchemeHikvision, "V5.5.82 build 190909", "5.8.41", -1},
		{SchemeHikvision, "V4.62.210", "4.62.225", -1},
		{SchemeHikvision, "V5.4.0 Build 160530", "V5.4.0 build 160401", 1},
		{SchemeHikvision, "V5.4.0 Build 160530", "V5.4.0", 0},
		{SchemeHikvision, "V5.7.18 build 230928", "V5.7.18 build 230928", 0},
		{SchemeHikvision, "V5.04.087", "V4.62.225", 1},
		{SchemeDahua, "2.800.0000000.25.R, Build Date: 2019-07-31", "2.800.0000016.0.R,build:2020-06-05", -1},
		{SchemeDahua, "V2.800.0000000.25.R.190731", "2.800.0000000.25.R, Build Date: 2019-07-31", 0},
		{SchemeAxis, "5.51.7.2", "5.51.7", 1},
		{SchemeAxis, "9.80.1", "10.12.153", -1},
		{SchemeAxis, "5.20.5", "5.51.7.2", -1},
		{SchemeReolink, "v2.0.0.1389_18081408", "v3.0.0.2356_23062000", -1},
		{SchemeTPLink, "1.3.6 Build 230615 Rel.44178n", "1.3.6 Build 230101", 1},
		{SchemeUniview, "B6103.16.10.B25.201218", "B6103.16.10.B25.210101", -1},
		{SchemeVivotek, "0107a", "0107b", -1},
		{SchemeVivotek, "0107", "0107a", -1},
		{SchemeAVTech, "FullImg-1023-1007-1011-1009", "FullImg-1023-1007-1011-1010", -1},
	}
	for _, tc := range tests {
		t.Run(tc.a+" vs "+tc.b, func(t *testing.T) {
			a, b := MustParse(tc.scheme, tc.a), MustParse(tc.scheme, tc.b)
			if got := Compare(a, b); got != tc.want {
				t.Errorf("Compare = %d, want %d", got, tc.want)
			}
			if got := Compare(b, a); got != -tc.want {
				t.Errorf("Compare reversed = %d, want %d", got, -tc.want)
			}
		})
	}
}

func TestWithBuild(t *testing.T) {
	tests := []struct {
		build string
		want  string
		ok    bool
	}{
		{"build 230928", "2023-09-28", true}, // Hikvision firmwareReleasedDate
		{"build 140721", "2014-07-21", true},
		{"2019-07-31", "2019-07-31", true},
		{"Build Date: 2019-07-31", "2019-07-31", true},
		{"20230615", "2023-06-15", true},
		{"yesterday", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.build, func(t *testing.T) {
			v, err := WithBuild(MustParse(SchemeHikvision, "V5.7.18"), tc.build)
			if !tc.ok {
				if !errors.Is(err, ErrUnparseable) {
					t.Fatalf("err = %v, want ErrUnparseable", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := v.Build.Format(time.DateOnly); got != tc.want {
				t.Errorf("build = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestSchemeFor(t *testing.T) {
	tests := map[string]Scheme{
		"Hikvision": SchemeHikvision, "HIKVISION": SchemeHikvision, "Amcrest": SchemeDahua,
		"Dahua": SchemeDahua, "AXIS": SchemeAxis, "TP-Link": SchemeTPLink, "Hanwha": SchemeGeneric, "": SchemeGeneric,
	}
	for vendor, want := range tests {
		t.Run(vendor, func(t *testing.T) {
			if got := SchemeFor(vendor); got != want {
				t.Errorf("SchemeFor(%q) = %q, want %q", vendor, got, want)
			}
		})
	}
}
