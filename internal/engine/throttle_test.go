package engine

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/camwarden/camwarden/internal/scope"
)

// pipeDialer hands out in-memory connections and counts the dials and
// the connections open at once.
type pipeDialer struct {
	dials, open, peak atomic.Int64
}

func (d *pipeDialer) DialContext(context.Context, string, string) (net.Conn, error) {
	d.dials.Add(1)
	n := d.open.Add(1)
	for {
		p := d.peak.Load()
		if n <= p || d.peak.CompareAndSwap(p, n) {
			break
		}
	}
	a, b := net.Pipe()
	_ = b.Close()
	return &closeCounter{Conn: a, d: d}, nil
}

type closeCounter struct {
	net.Conn
	d    *pipeDialer
	once sync.Once
}

func (c *closeCounter) Close() error {
	c.once.Do(func() { c.d.open.Add(-1) })
	return c.Conn.Close()
}

func TestThrottlePerHostCap(t *testing.T) {
	sc, err := scope.Parse(t.Context(), []string{"127.0.0.0/30"}, scope.Options{})
	if err != nil {
		t.Fatal(err)
	}
	base := &pipeDialer{}
	th := NewThrottle(-1, 2)
	d := th.Dialer(base, sc)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			c, err := d.DialContext(t.Context(), "tcp", "127.0.0.1:80")
			if err != nil {
				t.Error(err)
				return
			}
			time.Sleep(time.Millisecond) // hold it while others wait
			_ = c.Close()
			_ = c.Close() // a second Close must not free a second slot
		})
	}
	wg.Wait()
	if base.dials.Load() != 20 || base.peak.Load() > 2 {
		t.Errorf("%d dials, peak %d open to one host; want 20 and at most 2", base.dials.Load(), base.peak.Load())
	}
	// Out of scope: refused before any slot or token is taken.
	if _, err := d.DialContext(t.Context(), "tcp", "192.0.2.1:80"); !errors.Is(err, scope.ErrOutOfScope) {
		t.Errorf("out of scope: %v", err)
	}
	// Slots held past the wait give ErrHostBusy, not a hang.
	th.wait = 20 * time.Millisecond
	c1, _ := d.DialContext(t.Context(), "tcp", "127.0.0.2:80")
	c2, _ := d.DialContext(t.Context(), "tcp", "127.0.0.2:554")
	if _, err := d.DialContext(t.Context(), "tcp", "127.0.0.2:23"); !errors.Is(err, ErrHostBusy) {
		t.Errorf("third connection with two held: %v, want ErrHostBusy", err)
	}
	if c, err := d.DialContext(t.Context(), "tcp", "127.0.0.3:23"); err != nil {
		t.Errorf("another host is not limited by this one: %v", err)
	} else {
		_ = c.Close()
	}
	_ = c1.Close()
	if c, err := d.DialContext(t.Context(), "tcp", "127.0.0.2:23"); err != nil {
		t.Errorf("after a close: %v", err)
	} else {
		_ = c.Close()
	}
	_ = c2.Close()
}

// TestScanSharesTheThrottle: the engine takes its tokens from the
// throttle it is given, so a scan and the checks after it share one rate.
func TestScanSharesTheThrottle(t *testing.T) {
	th := NewThrottle(1, 2)
	th.limiter = rate.NewLimiter(rate.Every(time.Hour), 2) // no refill during the test
	sc, err := scope.Parse(t.Context(), []string{"127.0.0.1"}, scope.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Scan(t.Context(), Config{Scope: sc, Ports: []uint16{1}, Throttle: th, Dialer: refuseDialer{}}); err != nil {
		t.Fatal(err)
	}
	if got := th.limiter.Tokens(); got > 1.01 {
		t.Errorf("%.2f tokens left of 2 after sweeping one port: the scan did not use the shared throttle", got)
	}
}

type refuseDialer struct{}

func (refuseDialer) DialContext(context.Context, string, string) (net.Conn, error) {
	return nil, syscall.ECONNREFUSED
}
