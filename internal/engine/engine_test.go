package engine

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/scope"
)

func parseScope(t *testing.T, targets ...string) *scope.Scope {
	t.Helper()
	sc, err := scope.Parse(t.Context(), targets, scope.Options{})
	if err != nil {
		t.Fatalf("scope.Parse(%v): %v", targets, err)
	}
	return sc
}

// describe renders a device's services as "port/transport/protocol=status".
func describe(d device.Device) string {
	parts := make([]string, len(d.Services))
	for i, s := range d.Services {
		parts[i] = fmt.Sprintf("%d/%s/%s=%s", s.Port, s.Transport, s.Protocol, s.Status)
	}
	return strings.Join(parts, " ")
}

func TestScanLoopback(t *testing.T) {
	at := func(host string, port int) string { return fmt.Sprintf("127.0.0.%s:%d", host, port) }
	serve(t, at("51", portBanner), []byte("BANNER camwarden test peer\r\n"))
	serve(t, at("52", portBanner), []byte("BANNER second\r\n"))
	serve(t, at("52", portPanic), []byte("anything\r\n"))
	serve(t, at("53", portBanner), nil) // hostile: accepts, never answers
	serve(t, at("54", portFallback), []byte("FALLBACK v1\r\n"))
	serve(t, at("54", portJunk), []byte("\x00\x01junk\r\n"))
	serve(t, at("55", portBanner), []byte("BANNER udp host\r\n"))
	serve(t, at("56", portHang), nil) // silent, and its probe ignores deadlines
	ports := []uint16{portBanner, portPanic, portHang, portFallback, portJunk}
	tests := []struct {
		name     string
		ports    []uint16
		udp      []uint16
		identify bool
		want     map[string]string
	}{
		{"tcp and udp", ports, []uint16{portUDP}, false, map[string]string{
			"127.0.0.51": "47001/tcp/enginetest-banner=identified 47001/tcp/enginetest-layer=identified",
			"127.0.0.52": "47001/tcp/enginetest-banner=identified 47001/tcp/enginetest-layer=identified 47002/tcp/enginetest-panic=panic",
			"127.0.0.53": "47001/tcp/enginetest-banner=timeout",
			"127.0.0.54": "47005/tcp/enginetest-fallback=identified 47006/tcp/unknown=open",
			"127.0.0.55": "47001/tcp/enginetest-banner=identified 47001/tcp/enginetest-layer=identified 47003/udp/enginetest-udp=identified",
			"127.0.0.56": "47004/tcp/enginetest-hang=timeout",
			// no open TCP port, but it answers UDP (an SNMP-only switch)
			"127.0.0.57": "47003/udp/enginetest-udp=identified",
		}},
		{"udp only probes every host", nil, []uint16{portUDP}, true, map[string]string{
			"127.0.0.55": "47003/udp/enginetest-udp=identified",
			"127.0.0.57": "47003/udp/enginetest-udp=identified",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{
				Scope: parseScope(t, "127.0.0.50-60"), Ports: tc.ports, UDPPorts: tc.udp,
				Rate: -1, ProbeTimeout: 300 * time.Millisecond,
			}
			if tc.identify {
				cfg.Identify = func(a netip.Addr, h string, ss []probe.Service) device.Device {
					return device.Device{Address: a, Hostname: h, Services: ss, Status: "identified by test"}
				}
			}
			start := time.Now()
			res, err := Scan(t.Context(), cfg)
			if err != nil {
				t.Fatalf("Scan: %v", err)
			}
			// Two probes of 300ms each may time out on one port, one after the other.
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("scan took %v, want under 3s with hostile peers", d)
			}
			got := map[string]string{}
			for _, d := range res.Devices {
				got[d.Address.String()] = describe(d)
				if tc.identify && d.Status != "identified by test" {
					t.Errorf("%s: Identify was not used: %+v", d.Address, d)
				}
			}
			for addr, want := range tc.want {
				if got[addr] != want {
					t.Errorf("%s: services %q, want %q", addr, got[addr], want)
				}
			}
			if len(got) != len(tc.want) {
				t.Errorf("devices %v, want %d", got, len(tc.want))
			}
			if !slices.IsSortedFunc(res.Devices, func(a, b device.Device) int { return a.Address.Compare(b.Address) }) {
				t.Error("devices are not sorted by address")
			}
			if res.Interrupted || res.Stats.Addresses != 11 {
				t.Errorf("interrupted %v, addresses %d: want a complete scan of 11", res.Interrupted, res.Stats.Addresses)
			}
		})
	}
}

func TestScanStatusAndStats(t *testing.T) {
	serve(t, "127.0.0.52:47002", []byte("x\r\n"))
	res, err := Scan(t.Context(), Config{Scope: parseScope(t, "127.0.0.52"), Ports: []uint16{portPanic},
		Rate: -1, ProbeTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if len(res.Devices) != 1 {
		t.Fatalf("devices = %d, want 1", len(res.Devices))
	}
	d := res.Devices[0]
	// The panic is kept; fallbacks that then fail on "x" are not.
	if describe(d) != "47002/tcp/enginetest-panic=panic" || d.Status != "1 panic" {
		t.Errorf("device = %q status %q", describe(d), d.Status)
	}
	if !strings.Contains(d.Services[0].Error, "nil map") {
		t.Errorf("panic error %q does not say what panicked", d.Services[0].Error)
	}
	if res.Stats.ProbePanics != 1 || res.Stats.Open != 1 || res.Stats.Attempts != 1 || res.Stats.Hosts != 1 {
		t.Errorf("stats = %+v", res.Stats)
	}
}

func TestScanPerHostCap(t *testing.T) {
	var ports []uint16
	for i := range 10 {
		ports = append(ports, uint16(portSlowBase+i))
		serve(t, fmt.Sprintf("127.0.0.57:%d", portSlowBase+i), nil)
	}
	for _, perHost := range []int{1, 3} {
		t.Run(fmt.Sprint("per-host ", perHost), func(t *testing.T) {
			slow.mu.Lock()
			clear(slow.maxSeen)
			slow.mu.Unlock()
			res, err := Scan(t.Context(), Config{Scope: parseScope(t, "127.0.0.57"), Ports: ports, UDPPorts: []uint16{},
				Rate: -1, PerHost: perHost, ProbeTimeout: time.Second})
			if err != nil {
				t.Fatalf("Scan: %v", err)
			}
			if len(res.Devices) != 1 || len(res.Devices[0].Services) != 10 {
				t.Fatalf("devices = %+v, want one with 10 services", res.Devices)
			}
			slow.mu.Lock()
			got := slow.maxSeen[netip.MustParseAddr("127.0.0.57")]
			slow.mu.Unlock()
			if got != perHost {
				t.Errorf("max concurrent probes on the host = %d, want exactly %d", got, perHost)
			}
		})
	}
}

func TestScanCancelReturnsPartial(t *testing.T) {
	serve(t, "127.0.0.58:47020", nil)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	type out struct {
		res *Result
		err error
	}
	ch := make(chan out, 1)
	go func() {
		// 127.0.0.58 to 127.0.255.255: far more than can be swept before the cancel.
		res, err := Scan(ctx, Config{Scope: parseScope(t, "127.0.0.58-127.0.255.255"), Ports: []uint16{portBlock},
			Rate: 2000, ProbeTimeout: time.Minute})
		ch <- out{res, err}
	}()
	select {
	case <-blocker.started:
	case <-time.After(10 * time.Second):
		t.Fatal("the blocking probe never started")
	}
	cancel()
	cancelled := time.Now()
	var o out
	select {
	case o = <-ch:
	case <-time.After(5 * time.Second):
		t.Fatal("Scan did not return after cancel")
	}
	if d := time.Since(cancelled); d > 2*time.Second {
		t.Errorf("Scan returned %v after cancel, want < 2s", d)
	}
	if o.err != nil || !o.res.Interrupted {
		t.Fatalf("err = %v, interrupted = %v; want nil and true", o.err, o.res.Interrupted)
	}
	if len(o.res.Devices) != 1 || describe(o.res.Devices[0]) != "47020/tcp/unknown=open" {
		t.Errorf("devices = %+v, want 127.0.0.58 with its open port", o.res.Devices)
	}
	if total := uint64(65536 - 58); o.res.Stats.Addresses == 0 || o.res.Stats.Addresses >= total {
		t.Errorf("swept %d addresses, want a partial sweep", o.res.Stats.Addresses)
	}
}

func TestScanProgress(t *testing.T) {
	var mu sync.Mutex
	var calls []Progress
	res, err := Scan(t.Context(), Config{Scope: parseScope(t, "127.0.1.0/26"), Ports: []uint16{1}, UDPPorts: []uint16{},
		Rate: 300, Progress: func(p Progress) { mu.Lock(); calls = append(calls, p); mu.Unlock() }})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	// 64 attempts at 300/s take about 200ms: a few ticks and the final call.
	if len(calls) < 2 {
		t.Fatalf("progress called %d times, want ticks and a final call", len(calls))
	}
	last := calls[len(calls)-1]
	if last.Done != 64 || last.Total != 64 || last.Devices != len(res.Devices) {
		t.Errorf("last progress = %+v, want 64/64", last)
	}
	for i := 1; i < len(calls); i++ {
		if calls[i].Done < calls[i-1].Done {
			t.Errorf("progress went backwards: %+v then %+v", calls[i-1], calls[i])
		}
	}
}

// TestScanProgressCountsPorts (issue 10.1): on a wide port list one
// address takes long, and the bar sat at "0/256 addresses" for a minute.
// Progress counts port attempts as they happen.
func TestScanProgressCountsPorts(t *testing.T) {
	var mu sync.Mutex
	var calls []Progress
	ports := make([]uint16, 300)
	for i := range ports {
		ports[i] = uint16(20000 + i)
	}
	// 300 attempts at 500/s take at least 0.6 s: several ticks before
	// the single address is done.
	_, err := Scan(t.Context(), Config{Scope: parseScope(t, "127.0.1.70"), Ports: ports, UDPPorts: []uint16{},
		Rate: 500, Progress: func(p Progress) { mu.Lock(); calls = append(calls, p); mu.Unlock() }})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	moving := 0
	for _, p := range calls {
		if p.Done == 0 && p.Attempts > 0 && p.Attempts < p.AttemptsTotal {
			moving++
		}
	}
	last := calls[len(calls)-1]
	if last.Attempts != 300 || last.AttemptsTotal != 300 || last.Done != 1 {
		t.Errorf("last progress = %+v, want 300/300 attempts, 1 address", last)
	}
	if moving == 0 {
		t.Errorf("no progress call showed port attempts before the address was done: %+v", calls)
	}
	var b bytes.Buffer
	ProgressBar(&b)(calls[len(calls)/2])
	t.Logf("mid-scan bar: %q (%d of %d calls moving)", b.String(), moving, len(calls))
}

func TestProgressBar(t *testing.T) {
	tests := []struct {
		p    Progress
		want []string
	}{
		{Progress{Done: 50, Total: 200, Devices: 3, Elapsed: 2 * time.Second, ETA: 6 * time.Second},
			[]string{"\r[#######.......................]  25.0%", "50/200 addresses", "3 devices", "ETA 6s"}},
		{Progress{Done: 200, Total: 200, Elapsed: time.Second}, []string{"100.0%", "ETA --", "\n"}},
		{Progress{Done: 0, Total: 256, Attempts: 192000, AttemptsTotal: 768000, Elapsed: 69 * time.Second},
			[]string{" 25.0%", "192000/768000 ports tried, 0/256 addresses"}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.p.Done), func(t *testing.T) {
			var b bytes.Buffer
			ProgressBar(&b)(tc.p)
			for _, w := range tc.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("bar %q lacks %q", b.String(), w)
				}
			}
		})
	}
}

func TestScanNeedsScope(t *testing.T) {
	if _, err := Scan(t.Context(), Config{}); err == nil || !strings.Contains(err.Error(), "no scope") {
		t.Errorf("Scan without scope: err = %v", err)
	}
}

func TestGuardDialer(t *testing.T) {
	serve(t, "127.0.0.59:47030", nil)
	g := newGuardDialer(nil, parseScope(t, "127.0.0.59"), nil)
	tests := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.59:47030", true},
		{"127.0.0.60:47030", false},  // loopback but outside the scope
		{"10.1.2.3:80", false},       // refused before any dial
		{"camera.example:80", false}, // names are not dialled by probes
		{"[::ffff:127.0.0.59]:47030", true},
	}
	g.limiter = newTestLimiter()
	for _, tc := range tests {
		t.Run(tc.addr, func(t *testing.T) {
			c, err := g.DialContext(t.Context(), "tcp", tc.addr)
			if c != nil {
				c.Close()
			}
			if (err == nil) != tc.ok {
				t.Errorf("dial %s: err = %v, want ok=%v", tc.addr, err, tc.ok)
			}
		})
	}
}
