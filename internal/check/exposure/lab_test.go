package exposure_test

import (
	"context"
	"log/slog"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/check/exposure"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/fingerprint"
	"github.com/camwarden/camwarden/internal/lab"
	_ "github.com/camwarden/camwarden/internal/probe/all" // register every protocol probe
	"github.com/camwarden/camwarden/internal/scope"
)

// labPrefix is this package's own lab range, apart from other tests'.
const labPrefix = "127.78.60"

// plantedKey is the manifest key listing the EXPOSE-* IDs a device plants.
const plantedKey = lab.PlantedExposure

// scanLab starts the lab and identifies its devices with the real
// pipeline: scope.Parse -> engine.Scan (every registered probe) ->
// fingerprint.Identify.
func scanLab(t *testing.T) (lab.Manifest, map[netip.Addr]device.Device) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	// The lab lives as long as the test: the checks dial it after the scan.
	l, err := lab.Start(t.Context(), lab.Options{Prefix: labPrefix, Logger: log})
	if err != nil {
		t.Fatalf("start lab: %v", err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("close lab: %v", err)
		}
	})
	m := l.Manifest()
	sp, err := scope.Parse(ctx, []string{m.Range}, scope.Options{})
	if err != nil {
		t.Fatalf("scope.Parse(%s): %v", m.Range, err)
	}
	fp, err := fingerprint.New()
	if err != nil {
		t.Fatalf("fingerprint.New: %v", err)
	}
	start := time.Now()
	res, err := engine.Scan(ctx, engine.Config{
		Scope: sp, Ports: engine.DefaultPorts, UDPPorts: engine.DefaultUDPPorts,
		ProbeTimeout: 15 * time.Second, Logger: log, Identify: fp.Identify,
	})
	if err != nil || res.Interrupted {
		t.Fatalf("engine.Scan(%s): %v (interrupted %v)", m.Range, err, res != nil && res.Interrupted)
	}
	t.Logf("scan of %s: %d devices in %v", m.Range, len(res.Devices), time.Since(start).Round(time.Millisecond))
	out := map[netip.Addr]device.Device{}
	for _, d := range res.Devices {
		out[d.Address] = d
	}
	return m, out
}

// TestLabPlantedExposure is issue 5 (part A)'s acceptance test: every
// planted risky service in the lab is reported once, and nothing else.
func TestLabPlantedExposure(t *testing.T) {
	m, devices := scanLab(t)
	env := &check.Env{Dialer: &net.Dialer{}, Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))}
	var all []device.Device
	for _, spec := range m.Devices {
		if d, ok := devices[netip.MustParseAddr(spec.Address)]; ok {
			all = append(all, d)
		}
	}
	findings := check.Run(t.Context(), env, []check.Checker{exposure.New()}, all, 4)
	got := map[string][]string{}
	for _, f := range findings {
		got[f.Address.String()] = append(got[f.Address.String()], f.ID)
	}
	total := 0
	for _, spec := range m.Devices {
		t.Run(spec.Name, func(t *testing.T) {
			planted, ok := spec.Planted[plantedKey]
			if !ok {
				t.Fatalf("manifest plants no %s", plantedKey)
			}
			var want []string
			if planted != "" {
				want = strings.Split(planted, ",")
			}
			if _, ok := devices[netip.MustParseAddr(spec.Address)]; !ok {
				t.Fatalf("%s not found by the scan", spec.Address)
			}
			have := slices.Clone(got[spec.Address])
			slices.Sort(have)
			slices.Sort(want)
			total += len(want)
			if !slices.Equal(have, want) {
				t.Errorf("findings %v, planted %v", have, want)
			}
		})
	}
	if len(findings) != total {
		t.Errorf("%d findings in all, %d planted", len(findings), total)
	}
}
