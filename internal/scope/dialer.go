package scope

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
)

// ErrOutOfScope is returned when a connection to an address the scope
// does not permit is attempted.
var ErrOutOfScope = errors.New("address outside the scan scope")

// ContextDialer is what GuardDialer wraps (net.Dialer satisfies it).
type ContextDialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// GuardDialer refuses every connection whose address the scope does not
// permit, so that a check following a redirect or a device-supplied URL
// can never leave the scope the user gave. Addresses must be literals.
type GuardDialer struct {
	Scope *Scope
	Base  ContextDialer
}

// DialContext dials address through Base if the scope permits it.
func (g GuardDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", address, err)
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return nil, fmt.Errorf("dial %s: not an address literal: %w", address, ErrOutOfScope)
	}
	if !g.Scope.Permits(addr.Unmap()) {
		return nil, fmt.Errorf("dial %s: %w", address, ErrOutOfScope)
	}
	return g.Base.DialContext(ctx, network, address)
}
