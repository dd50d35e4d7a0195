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
//
// An account is a user name in an account domain (see Account): the
// login surfaces of a device that check the same accounts (web, RTSP and
// ONVIF the device's; telnet and SSH the system's; SNMP communities; a
// vendor's separate list). A user name's failures count over every
// domain, so "at most 3 failures per account" holds however the device
// keeps its accounts; each domain has its own device-wide cap, because a
// device's lock counts the logins of the accounts it keeps.
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
	// LockPerAccount is true when the known lock counts each account's
	// failures on its own (Dahua's account lockout): the per-account
	// limit keeps every account below it, and the device cap is not tied
	// to it. False (the vendor locks the whole client, as Hikvision, or
	// the scope is not documented) ties the device cap to the lock.
	LockPerAccount bool
	// UnknownVendorCap, when above 0 and no lock threshold is known, is
	// the device cap of a device whose vendor the credential catalogue has
	// no facts on (creds.Catalog.UnknownVendorCap): it may be any vendor's,
	// so its cap stays below the lowest default lock threshold of the
	// vendors that lock the whole client.
	UnknownVendorCap int
	// MaxDeviceFailures, when above 0, overrides the device cap.
	MaxDeviceFailures int
}

// DeviceLimit is the failed attempts over all accounts of one account
// domain the policy allows: MaxDeviceFailures when set; Limit() when a
// lock threshold is known and counts all accounts together; the unknown
// vendor's cap; else twice Limit().
func (p BudgetPolicy) DeviceLimit() int {
	switch {
	case p.MaxDeviceFailures > 0:
		return p.MaxDeviceFailures
	case p.LockThreshold > 0 && !p.LockPerAccount:
		return p.Limit()
	case p.LockThreshold == 0 && p.UnknownVendorCap > 0:
		return min(p.UnknownVendorCap, 2*p.Limit())
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

// Account is one account of a device as the budget counts it.
type Account struct {
	// Domain is the account domain (creds.Domain): surfaces that check
	// the same accounts. Its failures share the domain's device cap; ""
	// counts against every domain's cap (and so does a failure an earlier
	// scan stored without a domain).
	Domain string
	// User is the user name; its failures count over every domain.
	User string
}

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
	failures map[string][]failure // per user name, failures (or pending attempts), oldest first
	found    map[Account]bool
	attempts int
	stopped  string
	persist  *persistence // nil: this run only
	// deferred is set when failures of earlier runs made Reserve refuse
	// an attempt: the check could not finish because of them.
	deferred bool
}

// failure is one failed (or pending) attempt in an account domain; id is
// its row in the store; earlier marks a failure of an earlier run.
type failure struct {
	at      time.Time
	domain  string
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
		failures: map[string][]failure{}, found: map[Account]bool{}}
}

// Limit returns the failed attempts allowed per account.
func (b *Budget) Limit() int { return b.limit }

// DeviceLimit returns the failed attempts allowed per account domain.
func (b *Budget) DeviceLimit() int { return b.devLimit }

// Reserve claims one attempt for a. Until Record is called the attempt
// counts as a failure, so concurrent callers cannot overspend.
func (b *Budget) Reserve(a Account) error { return b.reserve(a, false) }

// ReserveKnown claims an attempt for a credential already proven on
// another service of the device: it is allowed after the account's first
// success, but still counts and respects the limits.
func (b *Budget) ReserveKnown(a Account) error { return b.reserve(a, true) }

func (b *Budget) reserve(a Account, known bool) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.stopped != "":
		return fmt.Errorf("%w (%s)", ErrDeviceStopped, b.stopped)
	case b.found[a] && !known:
		return ErrAccountFound
	}
	recent := b.recent(a.User)
	if len(recent) >= b.limit {
		b.deferred = b.deferred || hasEarlier(recent)
		return fmt.Errorf("%w (%d failures in %s)", ErrBudgetSpent, len(recent), b.window)
	}
	total, earlier := 0, false
	for user := range b.failures {
		for _, f := range b.recent(user) {
			if a.Domain == "" || f.domain == "" || f.domain == a.Domain {
				total++
				earlier = earlier || f.earlier
			}
		}
	}
	if total >= b.devLimit {
		b.deferred = b.deferred || earlier
		return fmt.Errorf("%w (%d failures on the device's %s accounts in %s)", ErrBudgetSpent, total, domainName(a.Domain), b.window)
	}
	f := failure{at: b.now(), domain: a.Domain}
	if b.persist != nil {
		// Written before the credential is sent: a crash or Ctrl-C
		// during the attempt still leaves it counted.
		id, err := b.persist.add(a, f.at, "")
		if err != nil {
			return fmt.Errorf("%w: %w", ErrNotRecorded, err)
		}
		f.id = id
	}
	b.failures[a.User] = append(recent, f)
	b.attempts++
	return nil
}

func domainName(d string) string {
	if d == "" {
		return "all"
	}
	return d
}

// Record settles the attempt last reserved for a.
func (b *Budget) Record(a Account, r Attempt) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if r == AttemptFailed {
		return
	}
	f := b.failures[a.User]
	for i := len(f) - 1; i >= 0; i-- {
		if f[i].domain != a.Domain || f[i].earlier {
			continue
		}
		if b.persist != nil && f[i].id != 0 {
			b.persist.remove(f[i].id)
		}
		b.failures[a.User] = append(f[:i:i], f[i+1:]...)
		break
	}
	if r == AttemptNeutral {
		b.attempts--
	}
	if r == AttemptSucceeded {
		b.found[a] = true
	}
}

// Stop ends all attempts on the device for reason (a lockout signal).
func (b *Budget) Stop(reason string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopped == "" {
		b.stopped = reason
		if b.persist != nil {
			_, _ = b.persist.add(Account{}, b.now(), reason) // best effort: the stop holds in this run anyway
		}
	}
}

// Stopped returns the reason the device was stopped, or "".
func (b *Budget) Stopped() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stopped
}

// Failures returns the failed attempts of a user name within the window,
// over every account domain.
func (b *Budget) Failures(user string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.recent(user))
}

// Attempts returns every attempt that reached the device (success or
// failure) since the budget was made.
func (b *Budget) Attempts() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.attempts
}

// Found reports whether a working credential is known for a.
func (b *Budget) Found(a Account) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.found[a]
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
