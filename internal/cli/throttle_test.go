package cli

import (
	"context"
	"io"
	"net"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/scope"
)

// countingDialer is the base dialer of a scan under test: it records when
// every connection attempt was made and how many connections were open
// at once to each host.
type countingDialer struct {
	mu      sync.Mutex
	times   []time.Time
	ok      map[netip.Addr]int // TCP connections established per host
	open    map[netip.Addr]int
	maxOpen map[netip.Addr]int
}

func newCountingDialer() *countingDialer {
	return &countingDialer{ok: map[netip.Addr]int{}, open: map[netip.Addr]int{}, maxOpen: map[netip.Addr]int{}}
}

func (d *countingDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host := netip.MustParseAddrPort(address).Addr()
	d.mu.Lock()
	d.times = append(d.times, time.Now())
	d.open[host]++
	d.maxOpen[host] = max(d.maxOpen[host], d.open[host])
	d.mu.Unlock()
	var nd net.Dialer
	c, err := nd.DialContext(ctx, network, address)
	if err != nil {
		d.closed(host)
		return nil, err
	}
	if network == "tcp" || network == "tcp4" {
		d.mu.Lock()
		d.ok[host]++
		d.mu.Unlock()
	}
	return &countedConn{Conn: c, done: func() { d.closed(host) }}, nil
}

func (d *countingDialer) closed(host netip.Addr) {
	d.mu.Lock()
	d.open[host]--
	d.mu.Unlock()
}

type countedConn struct {
	net.Conn
	once sync.Once
	done func()
}

func (c *countedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.done)
	return err
}

// maxPerWindow is the most attempts made within any window w.
func maxPerWindow(times []time.Time, w time.Duration) int {
	times = slices.Clone(times)
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	best, j := 0, 0
	for i := range times {
		for times[i].Sub(times[j]) >= w {
			j++
		}
		best = max(best, i-j+1)
	}
	return best
}

// TestChecksRespectRateAndPerHost is issue 10's counter test of --rate
// and --per-host: every connection of a scan of five lab devices
// (sweep, probes, and the password and exposure checks) goes through the
// scan's base dialer (the lab accepted exactly the connections the
// counting dialer made: none bypassed it), at most --per-host connections
// were open at once to a host, and no one-second window held more
// attempts than the token bucket grants (rate + burst, with room for
// goroutines that record their attempt late).
func TestChecksRespectRateAndPerHost(t *testing.T) {
	const (
		prefix  = "127.78.111"
		rate    = 10
		perHost = 2
	)
	l, err := lab.Start(t.Context(), lab.Options{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	sc, err := scope.Parse(t.Context(), []string{prefix + ".2-6"}, scope.Options{})
	if err != nil {
		t.Fatal(err)
	}
	counter := newCountingDialer()
	cfg := engine.Config{Scope: sc, Ports: []uint16{23, 80, 554}, Rate: rate, PerHost: perHost, Dialer: counter}
	rep, err := scanAndReport(t.Context(), cfg, checkOptions{depth: creds.DepthDefault, link: linkOptions{gateway: "off"}}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	counter.mu.Lock()
	defer counter.mu.Unlock()
	logins := 0
	for _, d := range rep.Devices {
		a := d.Address
		accepted, refused := l.Logins(a)
		logins += accepted + refused
		if got, want := counter.ok[a], l.Accepted(a); got != want {
			t.Errorf("%s accepted %d connections, the scan's dialer made %d: some bypassed --rate and --per-host", a, want, got)
		}
		if counter.maxOpen[a] > perHost {
			t.Errorf("%s had %d connections open at once, --per-host %d", a, counter.maxOpen[a], perHost)
		}
	}
	if logins == 0 {
		t.Fatal("no login was attempted: the checks did not run")
	}
	burst := max(1, rate/100)
	allowed := burst + rate*3/2 // tokens of 1.5 s: attempts recorded up to 0.5 s late
	peak := maxPerWindow(counter.times, time.Second)
	t.Logf("%d connection attempts, %d logins; peak %d in one second (allowed %d)", len(counter.times), logins, peak, allowed)
	if peak > allowed {
		t.Errorf("%d connection attempts within one second, --rate %d", peak, rate)
	}
}
