package bench

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/fingerprint"
	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/scope"
)

// labPrefix keeps this benchmark's lab apart from the default 127.77.0
// that demos and other tests use.
const labPrefix = "127.87.0"

// BenchmarkLab is benchmark (a): the simulated lab scanned by camwarden
// (sweep, probes, fingerprint) and by `nmap -sT -sV` on the same ports in
// the same run. It reports both wall times, the ratio and how many lab
// devices each named with the manifest's vendor.
func BenchmarkLab(b *testing.B) {
	nmap := requireNmap(b)
	ctx := b.Context()
	l, err := lab.Start(ctx, lab.Options{Prefix: labPrefix})
	if err != nil {
		b.Fatalf("start lab: %v", err)
	}
	defer l.Close()
	man := l.Manifest()
	m, err := fingerprint.New()
	if err != nil {
		b.Fatal(err)
	}
	cidr := labPrefix + ".0/24"
	for b.Loop() {
		cwTook, cwVendors, err := camwardenVendors(ctx, m, cidr)
		if err != nil {
			b.Fatal(err)
		}
		nmTook, nmVendors, err := nmapVendors(ctx, nmap, cidr)
		if err != nil {
			b.Fatal(err)
		}
		var cwOK, nmOK, named int
		fmt.Fprintf(os.Stderr, "\n(a) lab %s: %d devices, %d TCP ports\n", cidr, len(man.Devices), len(engine.DefaultPorts))
		fmt.Fprintf(os.Stderr, "%-14s %-12s %-26s %s\n", "address", "vendor", "camwarden", "nmap -sV (products)")
		for _, d := range man.Devices {
			cw, nm := cwVendors[d.Address], nmVendors[d.Address]
			cwHit, nmHit := vendorMatch(d.Vendor, cw), vendorMatch(d.Vendor, nm)
			if d.Vendor != "" {
				named++ // a no-name device (hisilicon-oem-av0) has no vendor to get right
			}
			if cwHit {
				cwOK++
			}
			if nmHit {
				nmOK++
			}
			fmt.Fprintf(os.Stderr, "%-14s %-12s %-26s %s\n", d.Address, d.Vendor, mark(cwHit, cw), mark(nmHit, trim(nm, 60)))
		}
		ratio := nmTook.Seconds() / cwTook.Seconds()
		fmt.Fprintf(os.Stderr, "camwarden %.2fs, %d/%d vendors right; nmap -sT -sV %.2fs, %d/%d; nmap/camwarden = %.1fx\n",
			cwTook.Seconds(), cwOK, named, nmTook.Seconds(), nmOK, named, ratio)
		b.ReportMetric(cwTook.Seconds(), "camwarden-s")
		b.ReportMetric(nmTook.Seconds(), "nmap-s")
		b.ReportMetric(ratio, "speedup")
		b.ReportMetric(float64(cwOK), "camwarden-vendors")
		b.ReportMetric(float64(nmOK), "nmap-vendors")
		if cwOK == 0 {
			b.Errorf("camwarden identified no lab vendor")
		}
	}
}

// camwardenVendors scans cidr through the whole pipeline and returns the
// vendor camwarden gives each address.
func camwardenVendors(ctx context.Context, m *fingerprint.Matcher, cidr string) (time.Duration, map[string]string, error) {
	sc, err := scope.Parse(ctx, []string{cidr}, scope.Options{})
	if err != nil {
		return 0, nil, err
	}
	start := time.Now()
	res, err := engine.Scan(ctx, engine.Config{Scope: sc, Ports: engine.DefaultPorts, UDPPorts: engine.DefaultUDPPorts,
		Rate: 5000, Identify: m.Identify})
	if err != nil {
		return 0, nil, err
	}
	took := time.Since(start)
	out := map[string]string{}
	for _, d := range res.Devices {
		out[d.Address.String()] = d.Vendor()
	}
	return took, out, nil
}

// nmapVendors runs nmap -sT -sV and returns, per address, the products,
// device types and extra info of its services (where a vendor would be named).
func nmapVendors(ctx context.Context, nmap, cidr string) (time.Duration, map[string]string, error) {
	took, run, err := runNmap(ctx, nmap, cidr, "-sT", "-sV")
	if err != nil {
		return took, nil, err
	}
	out := map[string]string{}
	for _, h := range run.Hosts {
		if len(h.Addresses) == 0 {
			continue
		}
		var parts []string
		for _, p := range h.Ports {
			s := p.Service
			if txt := strings.TrimSpace(strings.Join([]string{s.Product, s.ExtraInfo, s.DevType}, " ")); p.State.State == "open" && txt != "" {
				parts = append(parts, txt)
			}
		}
		out[h.Addresses[0].Addr] = strings.Join(parts, "; ")
	}
	return took, out, nil
}

// vendorMatch reports whether text names the vendor (case-insensitive;
// the first word of the vendor is enough, e.g. "Hikvision" for
// "Hangzhou Hikvision").
func vendorMatch(vendor, text string) bool {
	if vendor == "" || text == "" {
		return false
	}
	v, t := strings.ToLower(vendor), strings.ToLower(text)
	return strings.Contains(t, v) || strings.Contains(v, t) || strings.Contains(t, strings.Fields(v)[0])
}

func mark(ok bool, s string) string {
	if s == "" {
		s = "-"
	}
	if ok {
		return "ok " + s
	}
	return "-- " + s
}

func trim(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
