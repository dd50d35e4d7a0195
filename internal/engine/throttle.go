package engine

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/camwarden/camwarden/internal/discover"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/scope"
)

// slotWait bounds how long a dial waits for one of its host's connection
// slots: a check that holds a connection open and dials the same host
// again past the cap gets an error instead of waiting forever.
const slotWait = 15 * time.Second

// ErrHostBusy is returned when a host's connection slots stayed taken for
// slotWait.
var ErrHostBusy = errors.New("per-host connection limit reached")

// Throttle is a scan's one connection budget: the rate of new connections
// (--rate) that the sweep, the probes and every later stage (checks,
// router audit, LAN follow-ups) share, and the cap of connections open at
// once to one host (--per-host) for the stages after identification (the
// sweep and the probes enforce it themselves). It is safe for concurrent
// use.
type Throttle struct {
	limiter *rate.Limiter
	perHost int
	wait    time.Duration // slotWait; tests shorten it

	mu    sync.Mutex
	slots map[netip.Addr]chan struct{}
}

// NewThrottle returns a throttle of perSecond new connections per second
// (0: discover.DefaultRate, negative: unlimited) and perHost connections
// open at once per host (0 or less: discover.DefaultPerHost).
func NewThrottle(perSecond, perHost int) *Throttle {
	if perHost <= 0 {
		perHost = discover.DefaultPerHost
	}
	return &Throttle{limiter: discover.NewLimiter(perSecond), perHost: perHost, wait: slotWait, slots: map[netip.Addr]chan struct{}{}}
}

// PerHost returns the per-host connection cap.
func (t *Throttle) PerHost() int { return t.perHost }

// Dialer returns a dialer that refuses addresses outside sc, waits for a
// free connection slot of the host and a token of the rate, and then
// dials through base (nil: a net.Dialer with a 5 s connect timeout). The
// slot is held until the connection is closed.
func (t *Throttle) Dialer(base probe.Dialer, sc *scope.Scope) probe.Dialer {
	if base == nil {
		base = &net.Dialer{Timeout: 5 * time.Second}
	}
	return &throttledDialer{t: t, base: scope.GuardDialer{Scope: sc, Base: base}, scope: sc}
}

type throttledDialer struct {
	t     *Throttle
	base  scope.GuardDialer
	scope *scope.Scope
}

// DialContext implements probe.Dialer.
func (d *throttledDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || !d.scope.Permits(ap.Addr().Unmap()) {
		// The scope guard refuses it, with its reason, before any slot
		// or token is taken.
		return d.base.DialContext(ctx, network, address)
	}
	release, err := d.t.acquire(ctx, ap.Addr().Unmap())
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", address, err)
	}
	if err := d.t.limiter.Wait(ctx); err != nil {
		release()
		return nil, fmt.Errorf("dial %s: rate limit: %w", address, err)
	}
	conn, err := d.base.DialContext(ctx, network, address)
	if err != nil {
		release()
		return nil, err
	}
	return &slotConn{Conn: conn, release: release}, nil
}

// acquire takes one of host's connection slots, waiting at most slotWait.
func (t *Throttle) acquire(ctx context.Context, host netip.Addr) (func(), error) {
	t.mu.Lock()
	sem, ok := t.slots[host]
	if !ok {
		sem = make(chan struct{}, t.perHost)
		t.slots[host] = sem
	}
	t.mu.Unlock()
	timer := time.NewTimer(t.wait)
	defer timer.Stop()
	select {
	case sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-timer.C:
		return nil, fmt.Errorf("%w: %d connections to %s stayed open for %s", ErrHostBusy, t.perHost, host, t.wait)
	}
	var once sync.Once
	return func() { once.Do(func() { <-sem }) }, nil
}

// slotConn gives its host's slot back when closed.
type slotConn struct {
	net.Conn
	release func()
}

// Close closes the connection and frees its slot.
func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}
