//go:build unix

package scope

import "syscall"

// nonBlock opens a target file without blocking on a FIFO.
const nonBlock = syscall.O_NONBLOCK
