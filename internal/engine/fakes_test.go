package engine

import (
	"bytes"
	"context"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/camwarden/camwarden/internal/probe"
)

// Ports of the fake protocols registered by this test package. They are
// unusual so that no other package's probe claims them.
const (
	portBanner   = 47001 // "enginetest-banner": server sends BANNER
	portPanic    = 47002 // "enginetest-panic": the probe panics
	portUDP      = 47003 // "enginetest-udp": answers on udpHost only
	portHang     = 47004 // "enginetest-hang": reads with no deadline
	portFallback = 47005 // no hint; "enginetest-fallback" recognises FALLBACK
	portJunk     = 47006 // no hint; nothing recognises it
	portBlock    = 47020 // "enginetest-block": blocks until ctx ends
	portSlowBase = 47010 // 47010-47019 "enginetest-slow": counts concurrency
)

var (
	udpHost     = netip.MustParseAddr("127.0.0.55")
	udpOnlyHost = netip.MustParseAddr("127.0.0.57") // no TCP listener at all
)

// readProbe dials the target and reads one chunk; match decides.
type readProbe struct {
	name  string
	match []byte
}

func (p readProbe) Name() string { return p.name }

func (p readProbe) Probe(ctx context.Context, d probe.Dialer, t probe.Target) (*probe.Service, error) {
	conn, err := d.DialContext(ctx, "tcp", t.Address())
	if err != nil {
		return probe.Failed(t, p.name, err), err
	}
	defer conn.Close()
	stop := probe.ApplyDeadline(ctx, conn, time.Second)
	defer stop()
	b, err := probe.ReadUntil(conn, 256, []byte("\n"))
	if bytes.HasPrefix(b, p.match) {
		svc := &probe.Service{Port: t.Port, Transport: t.Transport, Protocol: p.name, Status: probe.StatusIdentified}
		svc.SetField("enginetest.banner", probe.Printable(b, 64))
		return svc, nil
	}
	if err != nil {
		return probe.Failed(t, p.name, err), err
	}
	return nil, probe.ErrNoMatch
}

type panicProbe struct{}

func (panicProbe) Name() string { return "enginetest-panic" }
func (panicProbe) Probe(context.Context, probe.Dialer, probe.Target) (*probe.Service, error) {
	var m map[string]int
	//lint:ignore SA5000 the fake must crash like a real bug, not call panic()
	m["boom"]++
	return nil, nil
}

type layerProbe struct{}

func (layerProbe) Name() string { return "enginetest-layer" }
func (layerProbe) Probe(_ context.Context, _ probe.Dialer, t probe.Target) (*probe.Service, error) {
	return &probe.Service{Port: t.Port, Transport: t.Transport, Protocol: "enginetest-layer", Status: probe.StatusIdentified}, nil
}

type udpProbe struct{}

func (udpProbe) Name() string { return "enginetest-udp" }
func (udpProbe) Probe(_ context.Context, _ probe.Dialer, t probe.Target) (*probe.Service, error) {
	if t.Addr != udpHost && t.Addr != udpOnlyHost {
		return nil, probe.ErrNoMatch
	}
	return &probe.Service{Port: t.Port, Transport: "udp", Protocol: "enginetest-udp", Status: probe.StatusIdentified}, nil
}

// hangProbe ignores its context and reads with no deadline: only the
// engine closing the connection ends it.
type hangProbe struct{}

func (hangProbe) Name() string { return "enginetest-hang" }
func (hangProbe) Probe(ctx context.Context, d probe.Dialer, t probe.Target) (*probe.Service, error) {
	conn, err := d.DialContext(ctx, "tcp", t.Address())
	if err != nil {
		return nil, err
	}
	_, err = conn.Read(make([]byte, 16))
	return probe.Failed(t, "enginetest-hang", err), err
}

// blockProbe signals that it started, then waits for its context.
type blockProbe struct{ started chan struct{} }

func (blockProbe) Name() string { return "enginetest-block" }
func (p blockProbe) Probe(ctx context.Context, _ probe.Dialer, t probe.Target) (*probe.Service, error) {
	select {
	case p.started <- struct{}{}:
	default:
	}
	<-ctx.Done()
	return probe.Failed(t, "enginetest-block", ctx.Err()), ctx.Err()
}

// slowProbe counts how many of its calls run at once per host.
type slowProbe struct {
	mu      sync.Mutex
	cur     map[netip.Addr]int
	maxSeen map[netip.Addr]int
}

func (*slowProbe) Name() string { return "enginetest-slow" }
func (p *slowProbe) Probe(ctx context.Context, _ probe.Dialer, t probe.Target) (*probe.Service, error) {
	p.mu.Lock()
	p.cur[t.Addr]++
	p.maxSeen[t.Addr] = max(p.maxSeen[t.Addr], p.cur[t.Addr])
	p.mu.Unlock()
	defer func() { p.mu.Lock(); p.cur[t.Addr]--; p.mu.Unlock() }()
	timer := time.NewTimer(20 * time.Millisecond) // simulated work, not a wait for a server
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
	}
	return &probe.Service{Port: t.Port, Transport: t.Transport, Protocol: "enginetest-slow", Status: probe.StatusIdentified}, nil
}

var (
	blocker = blockProbe{started: make(chan struct{}, 1)}
	slow    = &slowProbe{cur: map[netip.Addr]int{}, maxSeen: map[netip.Addr]int{}}
)

func init() {
	slowPorts := make([]uint16, 10)
	for i := range slowPorts {
		slowPorts[i] = uint16(portSlowBase + i)
	}
	probe.Register(probe.Spec{Probe: readProbe{"enginetest-banner", []byte("BANNER")}, Transport: "tcp", Ports: []uint16{portBanner}})
	probe.Register(probe.Spec{Probe: panicProbe{}, Transport: "tcp", Ports: []uint16{portPanic}})
	probe.Register(probe.Spec{Probe: layerProbe{}, Transport: "tcp", Over: "enginetest-banner"})
	probe.Register(probe.Spec{Probe: udpProbe{}, Transport: "udp", Ports: []uint16{portUDP}})
	probe.Register(probe.Spec{Probe: hangProbe{}, Transport: "tcp", Ports: []uint16{portHang}})
	probe.Register(probe.Spec{Probe: blocker, Transport: "tcp", Ports: []uint16{portBlock}})
	probe.Register(probe.Spec{Probe: slow, Transport: "tcp", Ports: slowPorts})
	probe.Register(probe.Spec{Probe: readProbe{"enginetest-fallback", []byte("FALLBACK")}, Transport: "tcp", Fallback: true, Order: 100})
}

// serve listens on addr and writes greeting to every connection (nil:
// accept and stay silent until the test ends).
func serve(t *testing.T, addr string, greeting []byte) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen %s: %v", addr, err)
	}
	done := make(chan struct{})
	var conns sync.WaitGroup
	t.Cleanup(func() { close(done); ln.Close(); conns.Wait() })
	// The accept loop is counted too, so that conns.Go never adds to a
	// zero counter while Wait may be running (a race -race reports).
	conns.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Go(func() {
				defer c.Close()
				if greeting != nil {
					_, _ = c.Write(greeting)
				}
				<-done // hold the connection open: silent or slow peers
			})
		}
	})
}

func newTestLimiter() *rate.Limiter { return rate.NewLimiter(rate.Inf, 1) }
