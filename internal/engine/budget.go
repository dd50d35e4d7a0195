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
	// ErrNotRecorded: the attempt could not be written to the store, so
	// it is not made (the next scan would not count it).
	ErrNotRecorded = errors.New("login attempt not recorded")
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
// and Record after it; Stop when the device signals a lockout. A budget
// made by a Ledger also keeps its failures in the store (see ledger.go).
type Budget struct {
	mu       sync.Mutex
	limit    int
	devLimit int
	window   time.Duration
	now      func() time.Time
	failures map[string][]failure // per account, failures (or pending attempts), oldest first
	found    map[string]bool
	attempts int
	stopped  string
	persist  *persistence // nil: this run only
	// deferred is set when failures of earlier runs made Reserve refuse
	// an attempt: the check could not finish because of them.
	deferred bool
}

// failure is one failed (or pending) attempt; id is its row in the store;
// earlier marks a failure of an earlier run.
type failure struct {
	at      time.Time
	id      int64
	earlier bool
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
		failures: map[string][]failure{}, found: map[string]bool{}}
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
		b.deferred = b.deferred || hasEarlier(recent)
		return fmt.Errorf("%w (%d failures in %s)", ErrBudgetSpent, len(recent), b.window)
	}
	total, earlier := 0, false
	for a := range b.failures {
		r := b.recent(a)
		total += len(r)
		earlier = earlier || hasEarlier(r)
	}
	if total >= b.devLimit {
		b.deferred = b.deferred || earlier
		return fmt.Errorf("%w (%d failures on the device in %s)", ErrBudgetSpent, total, b.window)
	}
	f := failure{at: b.now()}
	if b.persist != nil {
		// Written before the credential is sent: a crash or Ctrl-C
		// during the attempt still leaves it counted.
		id, err := b.persist.add(account, f.at, "")
		if err != nil {
			return fmt.Errorf("%w: %w", ErrNotRecorded, err)
		}
		f.id = id
	}
	b.failures[account] = append(recent, f)
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
		last := f[len(f)-1]
		b.failures[account] = f[:len(f)-1]
		if b.persist != nil && last.id != 0 {
			b.persist.remove(last.id)
		}
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
		if b.persist != nil {
			_, _ = b.persist.add("", b.now(), reason) // best effort: the stop holds in this run anyway
		}
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
func (b *Budget) recent(account string) []failure {
	f := b.failures[account]
	cut := b.now().Add(-b.window)
	i := 0
	for i < len(f) && !f[i].at.After(cut) {
		i++
	}
	f = f[i:]
	b.failures[account] = f
	return f
}

func hasEarlier(fs []failure) bool {
	for _, f := range fs {
		if f.earlier {
			return true
		}
	}
	return false
}
