package probe

import (
	"context"
	"fmt"
	"net"
)

// Connect opens the TCP connection of a probe of protocol to t with d. When
// the dial fails it returns the Service that records why (refused,
// timeout...) and the error, wrapped as "<protocol> connect <addr>: ...",
// for the probe to return as they are. The caller closes the connection.
func Connect(ctx context.Context, d Dialer, t Target, protocol string) (net.Conn, *Service, error) {
	conn, err := d.DialContext(ctx, "tcp", t.Address())
	if err != nil {
		err = fmt.Errorf("%s connect %s: %w", protocol, t.Address(), err)
		return nil, Failed(t, protocol, err), err
	}
	return conn, nil, nil
}
