package engine

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"

	"golang.org/x/time/rate"

	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/scope"
)

// errOutOfScope is returned when a probe tries to reach an address the
// scope does not permit (for instance a UPnP LOCATION naming another host).
var errOutOfScope = errors.New("address outside the scan scope")

// guardDialer is the dialer every probe gets: it refuses addresses the
// scope does not permit and takes a token of the shared rate limit.
type guardDialer struct {
	base    probe.Dialer
	scope   *scope.Scope
	limiter *rate.Limiter
}

func newGuardDialer(base probe.Dialer, sc *scope.Scope, l *rate.Limiter) *guardDialer {
	if base == nil {
		base = &net.Dialer{}
	}
	return &guardDialer{base: base, scope: sc, limiter: l}
}

// DialContext implements probe.Dialer.
func (g *guardDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", address, err)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !g.scope.Permits(ip.Unmap()) {
		return nil, fmt.Errorf("dial %s: %w", address, errOutOfScope)
	}
	if err := g.limiter.Wait(ctx); err != nil {
		return nil, fmt.Errorf("dial %s: rate limit: %w", address, err)
	}
	return g.base.DialContext(ctx, network, address)
}

// callDialer tracks the connections of one probe call so that the engine
// can close them when the probe overruns its deadline or returns without
// closing them.
type callDialer struct {
	base   probe.Dialer
	mu     sync.Mutex
	conns  []net.Conn
	closed bool
}

// DialContext implements probe.Dialer.
func (c *callDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	conn, err := c.base.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		conn.Close()
		return nil, fmt.Errorf("dial %s: %w", address, errAbandoned)
	}
	c.conns = append(c.conns, conn)
	return conn, nil
}

func (c *callDialer) closeAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for _, conn := range c.conns {
		_ = conn.Close()
	}
	c.conns = nil
}
