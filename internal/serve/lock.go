package serve

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// ErrLocked is returned by Lock when another serve process holds the lock.
var ErrLocked = errors.New("another camwarden serve is running on this database")

// Lock takes an exclusive lock on path (created 0600) so that one serve
// process at a time runs audits from a SQLite database; the kernel
// releases it when the process dies, even by kill -9. Call the returned
// function to release it.
func Lock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("serve lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("serve lock %s: %w", path, ErrLocked)
		}
		return nil, fmt.Errorf("serve lock %s: %w", path, err)
	}
	return func() { _ = f.Close() }, nil
}
