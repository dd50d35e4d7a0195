package firmware

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	catalogfw "github.com/camwarden/camwarden/internal/catalog/firmware"
	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/probe"
)

func TestCheckerAdapter(t *testing.T) {
	cat, err := catalogfw.Default()
	if err != nil {
		t.Fatal(err)
	}
	const v, m, fw = probe.AttrVendor, probe.AttrModel, probe.AttrFirmware
	c := NewChecker(cat)
	if c.Name() != CheckerName {
		t.Errorf("Name() = %q", c.Name())
	}
	env := &check.Env{Now: func() time.Time { return now }}
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		d    *device.Device
		want []string
	}{
		{"outdated nvr", t.Context(), dev(v, "Hikvision", m, "DS-7608NXI-I2/8P/S", fw, "V4.62.210"), []string{IDOutdated}},
		{"discontinued reolink", t.Context(), dev(v, "Reolink", m, "RLC-411WS", fw, "v2.0.0.1389_18081408"), []string{IDEOL}},
		{"no version", t.Context(), dev(v, "Ubiquiti", m, "UVC-G3-Bullet"), []string{IDUnknown}},
		{"vendor not in catalogue", t.Context(), dev(v, "Acme", m, "X1", fw, "2.7.2"), []string{IDUnchecked}},
		{"cancelled", cancelled, dev(v, "Hikvision", m, "DS-7608NXI-I2/8P/S", fw, "V4.62.210"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ids(c.Check(tt.ctx, env, tt.d))
			if !slices.Equal(got, tt.want) {
				t.Errorf("findings %v, want %v", got, tt.want)
			}
		})
	}
}

// TestCheckerUsesEnvNow: the same device is outdated only while its end of
// support is more than a year away and end-of-life after that, so the
// adapter must take the time from env.Now, not the wall clock.
func TestCheckerUsesEnvNow(t *testing.T) {
	f, err := os.Open("testdata/lifecycle-catalogue.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cat, err := catalogfw.Load(f)
	if err != nil {
		t.Fatal(err)
	}
	d := dev(probe.AttrVendor, "Axis", probe.AttrModel, "TEST-SOON", probe.AttrFirmware, "5.20.5")
	c := NewChecker(cat)
	tests := []struct {
		name string
		now  time.Time
		want []string
	}{
		{"support ends in 18 months", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), []string{IDOutdated}},
		{"support ends in 7 months", time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), []string{IDEOL, IDOutdated}},
		{"support ended", time.Date(2028, 6, 1, 0, 0, 0, 0, time.UTC), []string{IDEOL, IDOutdated}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := &check.Env{Now: func() time.Time { return tt.now }}
			if got := ids(c.Check(t.Context(), env, d)); !slices.Equal(got, tt.want) {
				t.Errorf("findings %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckerInRun(t *testing.T) {
	cat, err := catalogfw.Default()
	if err != nil {
		t.Fatal(err)
	}
	const v, m, fw = probe.AttrVendor, probe.AttrModel, probe.AttrFirmware
	devices := []device.Device{
		*dev(v, "Hikvision", m, "DS-7608NXI-I2/8P/S", fw, "V4.62.210"),
		*dev(v, "Hikvision", m, "DS-2CD2386G2-IU", fw, "V5.7.23"),
		*dev(v, "Hikvision", m, "DS-2CD2532F-IWS", fw, "V5.2.0"),
	}
	env := &check.Env{Now: func() time.Time { return now }}
	got := ids(check.Run(t.Context(), env, []check.Checker{NewChecker(cat)}, devices, 2))
	want := []string{IDOutdated, IDVulnerable + ":CVE-2017-7921"}
	if !slices.Equal(got, want) {
		t.Errorf("check.Run findings %v, want %v", got, want)
	}
}

func TestWriteFreshness(t *testing.T) {
	tests := []struct {
		name      string
		date      string
		now       time.Time
		want      string
		wantStale bool
	}{
		{"fresh", "2026-11-26", time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC),
			"firmware catalogue dated 2026-11-26 (10 days old)\n", false},
		{"exactly 90 days", "2026-11-26", time.Date(2027, 2, 24, 0, 0, 0, 0, time.UTC),
			"firmware catalogue dated 2026-11-26 (90 days old)\n", false},
		{"stale", "2026-11-26", time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC),
			"firmware catalogue dated 2026-11-26 (95 days old)\nwarning: Firmware catalogue dated 2026-11-26 (95 days old). It is older than 90 days: newer firmware and vulnerabilities are missing; run `camwarden catalog update`.\n", true},
		{"no date", "soon", time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC),
			"warning: The firmware catalogue has no valid date; update it with `camwarden catalog update`.\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			r, err := WriteFreshness(&buf, &catalogfw.Catalog{Date: tt.date}, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			if buf.String() != tt.want || r.Stale != tt.wantStale {
				t.Errorf("printed %q stale=%v, want %q stale=%v", buf.String(), r.Stale, tt.want, tt.wantStale)
			}
		})
	}
}

func TestWriteFreshnessError(t *testing.T) {
	_, err := WriteFreshness(failWriter{}, &catalogfw.Catalog{Date: "2026-11-26"}, now)
	if err == nil || !strings.Contains(err.Error(), "write catalogue freshness") {
		t.Errorf("error %v, want a wrapped write error", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, context.Canceled }
