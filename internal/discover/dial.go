package discover

import (
	"context"
	"net"
	"time"
)

// sweepDialer is the default dialer of the sweep: a plain net.Dialer
// without keep-alives. SO_LINGER 0 is set only on connections that open
// (closeQuick), so closing sends RST and leaves no TIME_WAIT entry behind
// (a large sweep would otherwise exhaust ephemeral ports), while refused
// and filtered attempts, the vast majority, cost no extra system call.
type sweepDialer struct{ d net.Dialer }

func newSweepDialer() *sweepDialer {
	return &sweepDialer{d: net.Dialer{KeepAlive: -1}}
}

// DialContext implements probe.Dialer.
func (s *sweepDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	return s.d.DialContext(ctx, network, address)
}

// closeQuick closes an open connection at once, with SO_LINGER 0 when it
// is a *net.TCPConn.
func closeQuick(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}

// since returns the elapsed time, never zero, so a sample is recognisable.
func since(t time.Time) time.Duration {
	d := time.Since(t)
	if d <= 0 {
		d = time.Nanosecond
	}
	return d
}
