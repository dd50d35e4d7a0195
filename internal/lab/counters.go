package lab

import "net/netip"

// Logins returns the login attempts the device at addr checked since the
// lab started (or since ResetCounters): accepted and refused ones, summed
// over protocols. A request without credentials is not an attempt.
func (l *Lab) Logins(addr netip.Addr) (accepted, refused int) {
	l.mu.Lock()
	a := l.auth[addr]
	l.mu.Unlock()
	if a == nil {
		return 0, 0
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, n := range a.successes {
		accepted += n
	}
	for _, n := range a.failures {
		refused += n
	}
	return accepted, refused
}

// ResetCounters zeroes every device's login counters and lifts any
// lockout, so that one lab can measure several tools in turn.
func (l *Lab) ResetCounters() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, a := range l.auth {
		a.mu.Lock()
		a.failures, a.successes = map[string]int{}, map[string]int{}
		a.consecutive = 0
		a.lockedUntil = a.now().Add(-1)
		a.mu.Unlock()
	}
}
