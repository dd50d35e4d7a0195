package lab

import (
	"fmt"
	"net/netip"
	"time"
)

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
		a.failures, a.successes, a.byAccount = map[string]int{}, map[string]int{}, map[string]int{}
		a.consecutive, a.lockouts = map[string]int{}, 0
		a.lockedUntil = map[string]time.Time{}
		a.mu.Unlock()
	}
}

// AccountFailures returns the refused login attempts of the device at
// addr per user name tried (over all protocols), and how many times its
// lockout policy locked it, since the lab started (or ResetCounters).
func (l *Lab) AccountFailures(addr netip.Addr) (byAccount map[string]int, lockouts int) {
	l.mu.Lock()
	a := l.auth[addr]
	l.mu.Unlock()
	if a == nil {
		return nil, 0
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	byAccount = make(map[string]int, len(a.byAccount))
	for k, v := range a.byAccount {
		byAccount[k] = v
	}
	return byAccount, a.lockouts
}

// Accepted returns the TCP connections the device at addr has accepted
// since the lab started, on all its ports: the server-side count that a
// client's own connection count is checked against.
func (l *Lab) Accepted(addr netip.Addr) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.accepted[addr]
}

// SetPassword changes the password of an account of the device at addr,
// as its owner would after reading an audit: the test hook with which
// the serve tests change a lab weakness while audits run. It fails for
// an unknown device or account.
func (l *Lab) SetPassword(addr netip.Addr, user, password string) error {
	l.mu.Lock()
	a := l.auth[addr]
	l.mu.Unlock()
	if a == nil {
		return fmt.Errorf("lab: no device at %s", addr)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.users[user]; !ok {
		return fmt.Errorf("lab: %s has no account %q", addr, user)
	}
	users := make(map[string]string, len(a.users)) // the device table's map is shared
	for k, v := range a.users {
		users[k] = v
	}
	users[user] = password
	a.users = users
	return nil
}
