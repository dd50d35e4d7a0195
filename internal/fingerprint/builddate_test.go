package fingerprint

import "testing"

func TestParseBuildDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"V5.5.82 build 190909", "2019-09-09"},               // Hikvision firmware string
		{"build 240826", "2024-08-26"},                       // ISAPI firmwareReleasedDate (hikvision_next ipc1.xml)
		{"Build Date: 2019-07-31", "2019-07-31"},             // Dahua
		{"2.800.0000016.0.R,build:2020-06-05", "2020-06-05"}, // Dahua getSoftwareVersion
		{"v3.0.0.2356_23062000", "2023-06-20"},               // Reolink firmVer
		{"v2.0.0.1389_18081408", "2018-08-14"},               // reolinkapipy GetDevInfo
		{"build 18081408", "2018-08-14"},                     // reolinkapipy buildDay
		{"Apr 29 2020 06:50", "2020-04-29"},                  // Axis basicdeviceinfo BuildDate
		{"100316", "2010-03-16"},                             // ISAPI bootReleasedDate
		{"9.80.1", ""},
		{"V5.7.18", ""},
		{"build 191332", ""}, // month 13
		{"2019-02-30", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseBuildDate(tt.in)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("parseBuildDate(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
			}
		})
	}
}
