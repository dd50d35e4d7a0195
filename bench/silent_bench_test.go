package bench

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/scope"
)

// silentRange is the mostly silent /22 of benchmark (b).
const silentRange = "127.88.0.0/22"

// silentLive are the live hosts in silentRange and the ports each opens;
// everything else in the range is dropped, so it looks filtered.
var silentLive = map[string][]uint16{
	"127.88.0.10":  {80, 554},
	"127.88.0.200": {8000},
	"127.88.1.7":   {22, 8080},
	"127.88.1.128": {37777},
	"127.88.2.33":  {443, 34567},
	"127.88.2.250": {23},
	"127.88.3.99":  {81, 9527},
	"127.88.3.254": {49152},
}

// BenchmarkSilentRange is benchmark (b): a /22 whose addresses are
// dropped by iptables except 8 live hosts whose packets are delayed by
// 50–100 ms (NFQUEUE + nfqdelay), scanned with camwarden and with
// `nmap -sT -T4` on engine.DefaultPorts. It reports both wall times, the
// ratio (target >= 80) and the live hosts each missed (target none).
// Needs root, iptables, gcc with libnetfilter-queue-dev, and nmap.
func BenchmarkSilentRange(b *testing.B) {
	ctx, stop := signal.NotifyContext(b.Context(), os.Interrupt)
	defer stop()
	nmap := requireNmap(b)
	live := slices.Sorted(mapsKeys(silentLive))
	for _, a := range live {
		for _, p := range silentLive[a] {
			listen(b, net.JoinHostPort(a, strconv.Itoa(int(p))))
		}
	}
	if err := removeTagged(); err != nil {
		b.Fatal(err)
	}
	var nf netfilter
	defer func() {
		if err := nf.undo(); err != nil {
			b.Error(err)
		}
	}()
	if err := nf.drop(ctx, silentRange, live); err != nil {
		b.Fatal(err)
	}
	if err := nf.delayTo(ctx, b.TempDir(), 88, 50, 100, live); err != nil {
		b.Fatal(err)
	}
	rate, _ := strconv.Atoi(getenv("BENCH_RATE", "20000"))
	for b.Loop() {
		cw, cwFound, err := camwardenOpen(ctx, silentRange, rate)
		if err != nil {
			b.Fatal(err)
		}
		nm, nmFound, err := nmapOpen(ctx, nmap, silentRange, "-sT", "-T4")
		if err != nil {
			b.Fatal(err)
		}
		cwMissed, nmMissed := missed(silentLive, cwFound), missed(silentLive, nmFound)
		ratio := nm.Seconds() / cw.Seconds()
		b.ReportMetric(cw.Seconds(), "camwarden-s")
		b.ReportMetric(nm.Seconds(), "nmap-s")
		b.ReportMetric(ratio, "speedup")
		b.ReportMetric(float64(len(cwMissed)), "camwarden-missed")
		b.ReportMetric(float64(len(nmMissed)), "nmap-missed")
		fmt.Fprintf(os.Stderr, "\n(b) %s, %d live hosts delayed 50-100 ms, rest dropped, %d ports, camwarden --rate %d\n",
			silentRange, len(live), len(engine.DefaultPorts), rate)
		fmt.Fprintf(os.Stderr, "%-12s %10s %12s %s\n", "scanner", "seconds", "open ports", "missed live hosts")
		fmt.Fprintf(os.Stderr, "%-12s %10.2f %12d %v\n", "camwarden", cw.Seconds(), countOpen(cwFound), cwMissed)
		fmt.Fprintf(os.Stderr, "%-12s %10.2f %12d %v\n", "nmap -sT -T4", nm.Seconds(), countOpen(nmFound), nmMissed)
		fmt.Fprintf(os.Stderr, "speedup nmap/camwarden = %.1fx (target >= 80x)\n", ratio)
		if len(cwMissed) > 0 {
			b.Errorf("camwarden missed live hosts %v", cwMissed)
		}
		if ratio < 80 {
			b.Errorf("camwarden was %.1fx faster than nmap, target >= 80x", ratio)
		}
	}
}

// camwardenOpen sweeps cidr with the engine (no UDP, no probes registered
// in this binary beyond what the bench imports) and returns open ports.
func camwardenOpen(ctx context.Context, cidr string, rate int) (time.Duration, map[string][]uint16, error) {
	sc, err := scope.Parse(ctx, []string{cidr}, scope.Options{})
	if err != nil {
		return 0, nil, err
	}
	start := time.Now()
	res, err := engine.Scan(ctx, engine.Config{Scope: sc, Ports: engine.DefaultPorts, UDPPorts: []uint16{},
		Rate: rate, Workers: 4096, ProbeTimeout: 2 * time.Second})
	if err != nil {
		return 0, nil, err
	}
	took := time.Since(start)
	found := map[string][]uint16{}
	for _, d := range res.Devices {
		for _, s := range d.Services {
			if s.Transport == "tcp" && !slices.Contains(found[d.Address.String()], s.Port) {
				found[d.Address.String()] = append(found[d.Address.String()], s.Port)
			}
		}
	}
	return took, found, nil
}

// missed lists the live hosts with an open port of which none was found.
func missed(live, found map[string][]uint16) []string {
	var out []string
	for a := range live {
		if len(found[a]) == 0 {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(x, y string) int {
		return netip.MustParseAddr(x).Compare(netip.MustParseAddr(y))
	})
	return out
}

func countOpen(found map[string][]uint16) int {
	n := 0
	for _, ps := range found {
		n += len(ps)
	}
	return n
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// listen opens a listener that accepts and closes, until the benchmark ends.
func listen(b *testing.B, addr string) {
	b.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		b.Fatalf("listen %s: %v", addr, err)
	}
	b.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
}
