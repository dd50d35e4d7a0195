package cli

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/scope"
)

// TestHostileDevicesDoNotSpoilTheScan scans the lab together with its
// hostile peers (an endless banner, a 10 MB header, a port that accepts
// and never answers, malformed XML, an XML entity bomb) through the whole
// pipeline, checks included. The scan must end within its deadline, give
// every hostile service a clean status, and still match the manifest for
// every well-behaved device.
func TestHostileDevicesDoNotSpoilTheScan(t *testing.T) {
	l, err := lab.Start(t.Context(), lab.Options{Prefix: "127.78.92", Hostile: true})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	man := l.Manifest()
	if len(man.Hostile) < 5 {
		t.Fatalf("lab has %d hostile peers, want the 5 of the robustness test", len(man.Hostile))
	}
	sc, err := scope.Parse(t.Context(), []string{man.Range}, scope.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ports := slices.Clone(engine.DefaultPorts)
	for _, h := range man.Hostile {
		if h.Transport == "tcp" && !slices.Contains(ports, h.Port) {
			ports = append(ports, h.Port)
		}
	}
	const deadline = 60 * time.Second
	cfg := engine.Config{Scope: sc, Ports: ports, UDPPorts: engine.DefaultUDPPorts, Rate: 2000, PerHost: 8,
		ProbeTimeout: 5 * time.Second, Logger: newLogger(io.Discard, false)}
	start := time.Now()
	rep, err := scanAndReport(t.Context(), cfg, checkOptions{artifactDir: t.TempDir()}, io.Discard)
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	if took := time.Since(start); took > deadline {
		t.Errorf("scan took %s, want under %s", took, deadline)
	}
	for _, h := range man.Hostile {
		t.Run(h.Name, func(t *testing.T) {
			var found *probe.Service
			for _, d := range rep.Devices {
				if d.Address.String() != h.Address {
					continue
				}
				for i := range d.Services {
					if d.Services[i].Port == h.Port {
						found = &d.Services[i]
					}
				}
			}
			if found == nil {
				t.Fatalf("%s (%s) on %s:%d not in the report", h.Name, h.Behaviour, h.Address, h.Port)
			}
			if found.Status == probe.StatusPanic {
				t.Errorf("%s: probe panicked: %s", h.Name, found.Error)
			}
			t.Logf("%s:%d %s → %s/%s %s", h.Address, h.Port, h.Behaviour, found.Protocol, found.Status, found.Error)
		})
	}
	// Everything else is complete: compare with the manifest, ignoring the
	// hostile addresses (they are not in the manifest's device list).
	hostile := map[string]bool{}
	for _, h := range man.Hostile {
		hostile[h.Address] = true
	}
	rep.Devices = slices.DeleteFunc(rep.Devices, func(d report.Device) bool { return hostile[d.Address.String()] })
	if diffs := CompareManifest(man, rep); len(diffs) > 0 {
		t.Errorf("well-behaved devices differ from the manifest:\n  %s", strings.Join(diffs, "\n  "))
	}
}
