package engine

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// Login-attempt budget defaults: at most DefaultMaxFailures failed
// attempts per account per DefaultBudgetWindow, and always at least
// LockMargin below a vendor's known lock threshold.
const (
	DefaultMaxFailures  = 3
	DefaultBudgetWindow = 30 * time.Minute
	LockMargin          = 2
)

// Errors Reserve returns when an attempt must not be made.
var (
	// ErrBudgetSpent: the account has used its failed-attempt budget.
	ErrBudgetSpent = errors.New("login budget spent for account")
	// ErrAccountFound: a working credential is already known for the account.
	ErrAccountFound = errors.New("account already has a working credential")
	// ErrDeviceStopped: the device gave a lockout signal; no more attempts.
	ErrDeviceStopped = errors.New("device stopped: lockout risk")
)

// BudgetPolicy configures a Budget.
type BudgetPolicy struct {
	// MaxFailures is the most failed attempts per account per Window;
	// 0 means DefaultMaxFailures.
	MaxFailures int
	// Window is how long a failure counts; 0 means DefaultBudgetWindow.
	Window time.Duration
	// LockThreshold is the vendor's known lock threshold (failures that
	// lock the account), 0 when unknown. The budget then stays at least
	// LockMargin below it, and never below one attempt.
	LockThreshold int
	// MaxDeviceFailures caps failed attempts over all accounts of the
	// device (devices that lock the whole client, not one account); 0
	// means Limit() when LockThreshold is known, else twice Limit().
	MaxDeviceFailures int
}

// DeviceLimit is the failed attempts over all accounts the policy allows.
func (p BudgetPolicy) DeviceLimit() int {
	if p.MaxDeviceFailures > 0 {
		return p.MaxDeviceFailures
	}
	if p.LockThreshold > 0 {
		return p.Limit()
	}
	return 2 * p.Limit()
}

// Limit is the number of failed attempts per account the policy allows.
func (p BudgetPolicy) Limit() int {
	n := p.MaxFailures
	if n <= 0 {
		n = DefaultMaxFailures
	}
	if p.LockThreshold > 0 && p.LockThreshold-LockMargin < n {
		n = max(p.LockThreshold-LockMargin, 1)
	}
	return n
}

// Attempt is what happened to one reserved login attempt, as the budget
// counts it.
type Attempt int

// Attempt results.
const (
	// AttemptFailed: the device refused the credential; it counts.
	AttemptFailed Attempt = iota
	// AttemptSucceeded: the credential works; guessing ends for the account.
	AttemptSucceeded
	// AttemptNeutral: nothing was checked (connection error before the
	// credential was sent); it does not count.
	AttemptNeutral
)

// Budget is one device's login-attempt budget, shared by all its
// protocols and safe for concurrent use. Call Reserve before each attempt
// and Record after it; Stop when the device signals a lockout.
type Budget struct {
	mu       sync.Mutex
	limit    int
	devLimit int
	window   time.Duration
	now      func() time.Time
	failures map[string][]time.Time // per account, failure (or pending) times
	found    map[string]bool
	attempts int
	stopped  string
}

// NewBudget returns an empty budget; now is the clock (nil: time.Now).
func NewBudget(p BudgetPolicy, now func() time.Time) *Budget {
	if now == nil {
		now = time.Now
	}
	w := p.Window
	if w <= 0 {
		w = DefaultBudgetWindow
	}
	return &Budget{limit: p.Limit(), devLimit: p.DeviceLimit(), window: w, now: now,
		failures: map[string][]time.Time{}, found: map[string]bool{}}
}

// Limit returns the failed attempts allowed per account.
func (b *Budget) Limit() int { return b.limit }

// Reserve claims one attempt for account. Until Record is called the
// attempt counts as a failure, so concurrent callers cannot overspend.
func (b *Budget) Reserve(account string) error { return b.reserve(account, false) }

// ReserveKnown claims an attempt for a credential already proven on
// another service of the device: it is allowed after the account's first
// success, but still counts and respects the limits.
func (b *Budget) ReserveKnown(account string) error { return b.reserve(account, true) }

func (b *Budget) reserve(account string, known bool) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.stopped != "":
		return fmt.Errorf("%w (%s)", ErrDeviceStopped, b.stopped)
	case b.found[account] && !known:
		return ErrAccountFound
	}
	recent := b.recent(account)
	if len(recent) >= b.limit {
		return fmt.Errorf("%w (%d failures in %s)", ErrBudgetSpent, len(recent), b.window)
	}
	{
		total := 0
		for a := range b.failures {
			total += len(b.recent(a))
		}
		if total >= b.devLimit {
			return fmt.Errorf("%w (%d failures on the device in %s)", ErrBudgetSpent, total, b.window)
		}
	}
	b.failures[account] = append(recent, b.now())
	b.attempts++
	return nil
}

// Record settles the attempt last reserved for account.
func (b *Budget) Record(account string, a Attempt) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if a == AttemptFailed {
		return
	}
	if f := b.failures[account]; len(f) > 0 {
		b.failures[account] = f[:len(f)-1]
	}
	if a == AttemptNeutral {
		b.attempts--
	}
	if a == AttemptSucceeded {
		b.found[account] = true
	}
}

// Stop ends all attempts on the device for reason (a lockout signal).
func (b *Budget) Stop(reason string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopped == "" {
		b.stopped = reason
	}
}

// Stopped returns the reason the device was stopped, or "".
func (b *Budget) Stopped() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stopped
}

// Failures returns the failed attempts of account within the window.
func (b *Budget) Failures(account string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.recent(account))
}

// Attempts returns every attempt that reached the device (success or
// failure) since the budget was made.
func (b *Budget) Attempts() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.attempts
}

// Found reports whether a working credential is known for account.
func (b *Budget) Found(account string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.found[account]
}

// recent drops failures older than the window; b.mu is held.
func (b *Budget) recent(account string) []time.Time {
	f := b.failures[account]
	cut := b.now().Add(-b.window)
	i := 0
	for i < len(f) && !f[i].After(cut) {
		i++
	}
	f = f[i:]
	b.failures[account] = f
	return f
}
