package discover

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// rangeWalker yields n consecutive addresses from first.
func rangeWalker(first netip.Addr, n int) Walker {
	return func(ctx context.Context, fn func(Host) bool) error {
		a := first
		for range n {
			if ctx.Err() != nil || !fn(Host{Addr: a}) {
				return nil
			}
			a = a.Next()
		}
		return nil
	}
}

// listen opens a loopback listener that accepts and closes connections.
func listen(t *testing.T, addr string) uint16 {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen %s: %v", addr, err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return uint16(ln.Addr().(*net.TCPAddr).Port)
}

// collect gathers host results safely.
type collect struct {
	mu  sync.Mutex
	got []HostResult
}

func (c *collect) add(r HostResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got = append(c.got, r)
}

func (c *collect) open() map[string][]uint16 {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := map[string][]uint16{}
	for _, r := range c.got {
		for _, p := range r.Open {
			m[r.Host.Addr.String()] = append(m[r.Host.Addr.String()], p.Port)
		}
	}
	return m
}

func TestSweepLoopback(t *testing.T) {
	p1 := listen(t, "127.0.0.51:0")
	p2 := listen(t, "127.0.0.53:0")
	p3 := listen(t, fmt.Sprintf("127.0.0.53:%d", p1)) // same port number as p1 on another host
	closedPort := uint16(1)                           // nothing listens on 127.0.0.5x:1
	tests := []struct {
		name    string
		ports   []uint16
		timeout time.Duration
		want    map[string][]uint16
	}{
		{"adaptive timeout", []uint16{closedPort, p1, p2}, 0,
			map[string][]uint16{"127.0.0.51": {p1}, "127.0.0.53": {p3, p2}}},
		{"fixed timeout, one port", []uint16{p2}, 500 * time.Millisecond,
			map[string][]uint16{"127.0.0.53": {p2}}},
		{"closed only", []uint16{closedPort}, 0, map[string][]uint16{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var c collect
			cfg := Config{Ports: tc.ports, Rate: -1, ConnectTimeout: tc.timeout}
			st, err := Sweep(t.Context(), cfg, rangeWalker(netip.MustParseAddr("127.0.0.50"), 5), c.add)
			if err != nil {
				t.Fatalf("Sweep: %v", err)
			}
			got := c.open()
			for k := range got {
				slices.Sort(got[k])
			}
			for k := range tc.want {
				slices.Sort(tc.want[k])
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("open = %v, want %v", got, tc.want)
			}
			if st.Addresses != 5 || len(c.got) != 5 {
				t.Errorf("addresses = %d, results = %d, want 5", st.Addresses, len(c.got))
			}
			wantAttempts := uint64(5 * len(tc.ports))
			if st.Attempts != wantAttempts || st.Open+st.Closed != wantAttempts {
				t.Errorf("stats = %+v, want %d attempts all open or closed", st, wantAttempts)
			}
			for _, r := range c.got {
				if !r.Complete || r.Samples != len(tc.ports) || r.SRTT <= 0 {
					t.Errorf("host %s: %+v, want complete with %d samples", r.Host.Addr, r, len(tc.ports))
				}
			}
		})
	}
}

// fakeDialer simulates hosts: it tracks concurrency per host and overall,
// holds each attempt for hold, then answers with verdict(addr).
type fakeDialer struct {
	hold    time.Duration
	verdict func(addr string) error
	mu      sync.Mutex
	cur     map[string]int
	maxHost int
	all     int
	maxAll  int
	calls   atomic.Int64
}

func (f *fakeDialer) DialContext(ctx context.Context, _, addr string) (net.Conn, error) {
	f.calls.Add(1)
	host, _, _ := net.SplitHostPort(addr)
	f.mu.Lock()
	if f.cur == nil {
		f.cur = map[string]int{}
	}
	f.cur[host]++
	f.all++
	f.maxHost = max(f.maxHost, f.cur[host])
	f.maxAll = max(f.maxAll, f.all)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.cur[host]--
		f.all--
		f.mu.Unlock()
	}()
	timer := time.NewTimer(f.hold) // simulated network latency, not a wait for a server
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil, f.verdict(addr)
	case <-ctx.Done():
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: ctx.Err()}
	}
}

func refused(string) error {
	return &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
}

func TestSweepLimits(t *testing.T) {
	ports := make([]uint16, 40)
	for i := range ports {
		ports[i] = uint16(1000 + i)
	}
	tests := []struct {
		name             string
		perHost, workers int
		hosts            int
	}{
		{"per-host cap binds", 3, 100, 4},
		{"worker cap binds", 8, 5, 10},
		{"one at a time", 1, 1, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fd := &fakeDialer{hold: 2 * time.Millisecond, verdict: refused}
			cfg := Config{Ports: ports, Rate: -1, PerHost: tc.perHost, Workers: tc.workers, Dialer: fd}
			st, err := Sweep(t.Context(), cfg, rangeWalker(netip.MustParseAddr("127.0.9.1"), tc.hosts), nil)
			if err != nil {
				t.Fatalf("Sweep: %v", err)
			}
			if fd.maxHost > tc.perHost || fd.maxAll > tc.workers {
				t.Errorf("max per host %d (cap %d), max overall %d (cap %d)", fd.maxHost, tc.perHost, fd.maxAll, tc.workers)
			}
			if want := min(tc.perHost, tc.workers); fd.maxAll < want {
				t.Errorf("max overall %d: the sweep never reached %d concurrent attempts", fd.maxAll, want)
			}
			if st.Closed != uint64(tc.hosts*len(ports)) {
				t.Errorf("closed = %d, want %d", st.Closed, tc.hosts*len(ports))
			}
		})
	}
}

func TestSweepFilteredTimeout(t *testing.T) {
	// A silent host never answers: every attempt must end at the fixed
	// timeout as filtered, in one timeout per PerHost batch.
	fd := &fakeDialer{hold: time.Hour, verdict: refused}
	cfg := Config{Ports: []uint16{1, 2, 3, 4}, Rate: -1, PerHost: 4, ConnectTimeout: 50 * time.Millisecond, Dialer: fd}
	start := time.Now()
	st, err := Sweep(t.Context(), cfg, rangeWalker(netip.MustParseAddr("127.0.9.1"), 3), nil)
	if err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	if st.Filtered != 12 || st.Attempts != 12 {
		t.Errorf("stats = %+v, want 12 filtered attempts", st)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("sweep took %v, want about 50ms", d)
	}
}

func TestSweepRateLimit(t *testing.T) {
	fd := &fakeDialer{verdict: refused}
	cfg := Config{Ports: []uint16{1, 2, 3, 4, 5}, Rate: 500, Dialer: fd}
	start := time.Now()
	st, err := Sweep(t.Context(), cfg, rangeWalker(netip.MustParseAddr("127.0.9.1"), 40), nil)
	if err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	// 200 attempts at 500/s with a burst of 5 need 390ms in theory; the
	// token bucket (x/time/rate) may grant a little early when many
	// goroutines reserve at once, so allow 20% (unlimited: ~0 ms).
	if d := time.Since(start); d < 312*time.Millisecond || st.Attempts != 200 {
		t.Errorf("%d attempts in %v, want 200 in >= 312ms (390ms nominal)", st.Attempts, d)
	}
}

func TestSweepCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	fd := &fakeDialer{hold: time.Millisecond, verdict: refused}
	var reported atomic.Int64
	onHost := func(HostResult) {
		if reported.Add(1) == 100 {
			cancel()
		}
	}
	start := time.Now()
	st, err := Sweep(ctx, Config{Ports: []uint16{80}, Rate: -1, Dialer: fd}, rangeWalker(netip.MustParseAddr("127.16.0.0"), 1<<20), onHost)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Sweep err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("cancelled sweep took %v", d)
	}
	if st.Addresses < 100 || st.Addresses >= 1<<20 || uint64(reported.Load()) != st.Addresses {
		t.Errorf("addresses = %d, reported = %d: want a partial sweep, every host reported", st.Addresses, reported.Load())
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		err  error
		want PortState
	}{
		{nil, StateOpen},
		{&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, StateClosed},
		{fmt.Errorf("dial: %w", context.DeadlineExceeded), StateFiltered},
		{&net.OpError{Op: "dial", Err: syscall.EHOSTUNREACH}, StateFiltered},
		{&net.OpError{Op: "dial", Err: syscall.EMFILE}, StateError},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.err), func(t *testing.T) {
			if got := classify(tc.err); got != tc.want {
				t.Errorf("classify = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRTTEstimator(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name    string
		samples []time.Duration
		host    time.Duration
		want    time.Duration
	}{
		{"no sample uses the ceiling", nil, 0, time.Second},
		{"fast loopback hits the floor", []time.Duration{ms / 10, ms / 10}, 0, MinTimeout},
		{"steady 100ms gives 3x", []time.Duration{100 * ms, 100 * ms, 100 * ms}, 0, 300 * ms},
		{"slow host raises it", []time.Duration{ms}, 200 * ms, 600 * ms},
		{"capped", []time.Duration{800 * ms}, 0, time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newRTTEstimator(MinTimeout, time.Second)
			for _, s := range tc.samples {
				e.add(s)
			}
			if got := e.timeout(tc.host); got != tc.want {
				t.Errorf("timeout = %v, want %v", got, tc.want)
			}
		})
	}
}

// flakyDialer: port 1 is closed; port 2 drops the first SYN, then is open;
// every port of 127.0.9.2 is silent.
type flakyDialer struct {
	mu    sync.Mutex
	tries map[string]int
}

func (f *flakyDialer) DialContext(ctx context.Context, _, addr string) (net.Conn, error) {
	f.mu.Lock()
	f.tries[addr]++
	n := f.tries[addr]
	f.mu.Unlock()
	switch {
	case strings.HasPrefix(addr, "127.0.9.2:"), addr == "127.0.9.1:2" && n == 1:
		<-ctx.Done()
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: ctx.Err()}
	case addr == "127.0.9.1:2":
		c, s := net.Pipe()
		s.Close()
		return c, nil
	default:
		return nil, refused(addr)
	}
}

func TestSweepRetriesFilteredOnLiveHost(t *testing.T) {
	fd := &flakyDialer{tries: map[string]int{}}
	var c collect
	cfg := Config{Ports: []uint16{1, 2}, Rate: -1, MaxTimeout: 300 * time.Millisecond, ConnectTimeout: 0, Dialer: fd}
	st, err := Sweep(t.Context(), cfg, rangeWalker(netip.MustParseAddr("127.0.9.1"), 2), c.add)
	if err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	if got := fmt.Sprint(c.open()); got != "map[127.0.9.1:[2]]" {
		t.Errorf("open = %s, want port 2 found on the retry", got)
	}
	// 127.0.9.1: 2 + 1 retry; 127.0.9.2: 2, never retried.
	if st.Attempts != 5 || st.Filtered != 2 || st.Open != 1 || st.Closed != 1 {
		t.Errorf("stats = %+v", st)
	}
	fd.mu.Lock()
	defer fd.mu.Unlock()
	if fd.tries["127.0.9.2:1"] != 1 || fd.tries["127.0.9.2:2"] != 1 {
		t.Errorf("silent host retried: %v", fd.tries)
	}
}
