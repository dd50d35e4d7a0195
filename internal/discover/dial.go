package discover

import (
	"context"
	"net"
	"syscall"
	"time"
)

// sweepDialer is the default dialer of the sweep: a plain net.Dialer whose
// sockets get SO_LINGER 0, so closing an open port sends RST and leaves no
// TIME_WAIT entry behind (a large sweep would otherwise exhaust ephemeral
// ports), and which does not retry or fall back between address families.
type sweepDialer struct{ d net.Dialer }

func newSweepDialer() *sweepDialer {
	return &sweepDialer{d: net.Dialer{
		KeepAlive: -1,
		Control:   lingerZero,
	}}
}

// DialContext implements probe.Dialer.
func (s *sweepDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	return s.d.DialContext(ctx, network, address)
}

// lingerZero sets SO_LINGER {on, 0} on the socket before connect.
func lingerZero(_, _ string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		serr = syscall.SetsockoptLinger(int(fd), syscall.SOL_SOCKET, syscall.SO_LINGER,
			&syscall.Linger{Onoff: 1, Linger: 0})
	})
	if err != nil {
		return err
	}
	return serr
}

// closeQuick closes an open connection at once. SO_LINGER 0 is set by
// lingerZero for the default dialer; for injected dialers it is set here
// when the connection is a *net.TCPConn.
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
