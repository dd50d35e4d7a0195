//go:build unix

package lab

import "syscall"

// reuseAddr sets SO_REUSEADDR so that a device's unicast socket and the
// group socket (which Go binds to the wildcard address) share the port.
func reuseAddr(_, _ string, c syscall.RawConn) error {
	var serr error
	if err := c.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
	}); err != nil {
		return err
	}
	return serr
}
