//go:build !unix

package lab

import "syscall"

// reuseAddr does nothing where SO_REUSEADDR is not set this way: the
// responders then answer unicast only.
func reuseAddr(_, _ string, _ syscall.RawConn) error { return nil }
