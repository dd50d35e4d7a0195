package fingerprint

import (
	"regexp"
	"strconv"
	"time"
)

var (
	// "Build Date: 2019-07-31", "version=2.800.0000016.0.R,build:2020-06-05".
	reISODate = regexp.MustCompile(`\b((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})\b`)
	// Hikvision "V5.5.82 build 190909", ISAPI firmwareReleasedDate
	// "build 240826", Reolink buildDay "build 18081408" (YYMMDDHH).
	reBuildYYMMDD = regexp.MustCompile(`(?i)\bbuild\s*:?\s*(\d{2})(\d{2})(\d{2})(?:\d{2})?\b`)
	// Reolink firmVer "v3.0.0.2356_23062000" (YYMMDDHH after the underscore).
	reUnderscoreYYMMDD = regexp.MustCompile(`_(\d{2})(\d{2})(\d{2})(?:\d{2})?$`)
	// A bare "240826" or "20240826".
	reBareDate = regexp.MustCompile(`^(?:(\d{4})|(\d{2}))(\d{2})(\d{2})$`)
)

// monthLayouts are the forms with month names, e.g. Axis basicdeviceinfo
// BuildDate "Apr 29 2020 06:50".
var monthLayouts = []string{"Jan 2 2006 15:04", "Jan 2 2006", "Jan _2 2006 15:04", "Jan _2 2006", "2006-01-02T15:04:05Z07:00"}

// parseBuildDate extracts a firmware build date from a version or date
// string and returns it as YYYY-MM-DD.
func parseBuildDate(s string) (string, bool) {
	if m := reISODate.FindStringSubmatch(s); m != nil {
		return ymd(m[1], m[2], m[3])
	}
	if m := reBuildYYMMDD.FindStringSubmatch(s); m != nil {
		return ymd("20"+m[1], m[2], m[3])
	}
	if m := reUnderscoreYYMMDD.FindStringSubmatch(s); m != nil {
		return ymd("20"+m[1], m[2], m[3])
	}
	if m := reBareDate.FindStringSubmatch(s); m != nil {
		y := m[1]
		if y == "" {
			y = "20" + m[2]
		}
		return ymd(y, m[3], m[4])
	}
	for _, l := range monthLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.Format(time.DateOnly), true
		}
	}
	return "", false
}

func ymd(ys, ms, ds string) (string, bool) {
	y, _ := strconv.Atoi(ys)
	mo, _ := strconv.Atoi(ms)
	d, _ := strconv.Atoi(ds)
	if y < 1995 || y > 2099 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return "", false
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return "", false // 2019-02-30
	}
	return t.Format(time.DateOnly), true
}
