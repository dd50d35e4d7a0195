package engine

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/store"
)

// Ledger hands out the login budgets of one scan. With a store.LoginLog
// behind it, every budget starts with the failures (and lockout signals)
// that earlier scans made on the same device within the window, and writes
// each attempt before it is made, so that two scans in a row, or a scan
// interrupted and restarted, never spend more than one budget. A Ledger is
// safe for concurrent use.
type Ledger struct {
	log    store.LoginLog // nil: budgets last for this scan only
	now    func() time.Time
	logger *slog.Logger

	mu      sync.Mutex
	entries []*ledgerEntry
}

// ledgerEntry is one device's budget and what the user is told about it.
type ledgerEntry struct {
	addr    netip.Addr
	label   string
	budget  *Budget
	window  time.Duration
	oldest  time.Time // oldest earlier failure still in the window
	stopAt  time.Time // when an earlier scan saw a lockout signal
	readErr error     // the store could not be read: nothing was tried
}

// storeTimeout bounds one write of a failure to the store.
const storeTimeout = 10 * time.Second

// failureRetention is how long failures stay in the store.
const failureRetention = 24 * time.Hour

// NewLedger returns a ledger writing to log (nil: memory only); now is
// the clock (nil: time.Now), logger gets store errors (nil: discard).
func NewLedger(log store.LoginLog, now func() time.Time, logger *slog.Logger) *Ledger {
	if now == nil {
		now = time.Now
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Ledger{log: log, now: now, logger: logger}
}

// Prune deletes failures older than a day from the store.
func (l *Ledger) Prune(ctx context.Context) error {
	if l.log == nil {
		return nil
	}
	return l.log.PruneLoginFailures(ctx, l.now().Add(-failureRetention))
}

// Budget returns the budget of the device key names (label names it to
// the user, e.g. "192.168.1.64 (Hikvision DS-2CD2042WD-I)"), holding the
// failures of earlier scans still within the policy's window. When the
// store cannot be read, the budget is stopped: no attempt is made that
// cannot be counted.
func (l *Ledger) Budget(ctx context.Context, key store.LoginKey, label string, p BudgetPolicy) *Budget {
	b := NewBudget(p, l.now)
	e := &ledgerEntry{addr: key.Address, label: label, budget: b, window: b.window}
	l.mu.Lock()
	l.entries = append(l.entries, e)
	l.mu.Unlock()
	if l.log == nil {
		return b
	}
	key = store.NormalizeLoginKey(key)
	rows, err := l.log.LoginFailures(ctx, key, l.now().Add(-b.window))
	if err != nil {
		l.logger.Warn("login history unreadable: no password tried", "address", key.Address, "error", err)
		e.readErr = err
		b.Stop("the login history could not be read")
		return b
	}
	for _, r := range rows {
		if r.Signal != "" {
			if e.stopAt.IsZero() {
				e.stopAt = r.At
				b.stopped = "lockout signal seen by an earlier scan: " + probe.Printable([]byte(r.Signal), 80)
			}
			continue
		}
		if e.oldest.IsZero() {
			e.oldest = r.At
		}
		b.failures[r.Account] = append(b.failures[r.Account], failure{at: r.At, domain: r.Domain, id: r.ID, earlier: true})
	}
	b.persist = &persistence{log: l.log, ctx: context.WithoutCancel(ctx), key: key, logger: l.logger}
	return b
}

// Notes are sentences for the user about devices whose password check was
// cut short to keep their accounts from locking: one per device stopped
// by a lockout signal or an unreadable history, and one for all devices
// whose allowance earlier scans had used. Devices are in address order.
func (l *Ledger) Notes() []string {
	l.mu.Lock()
	entries := slices.Clone(l.entries)
	l.mu.Unlock()
	slices.SortStableFunc(entries, func(a, b *ledgerEntry) int { return a.addr.Compare(b.addr) })
	var out, deferred []string
	var freeAt time.Time
	for _, e := range entries {
		n, wait := e.note()
		switch {
		case n != "":
			out = append(out, n)
		case !wait.IsZero():
			deferred = append(deferred, e.label)
			if wait.After(freeAt) {
				freeAt = wait
			}
		}
	}
	switch len(deferred) {
	case 0:
	case 1:
		out = append(out, fmt.Sprintf("%s: earlier scans already used this device's allowance of failed logins for the last %d minutes, "+
			"so some passwords were not tried, to keep its accounts from locking. Scan it again after %s to finish the password check.",
			deferred[0], int(DefaultBudgetWindow.Minutes()), clock(freeAt)))
	default:
		out = append(out, fmt.Sprintf("%d devices: earlier scans already used their allowance of failed logins for the last %d minutes, "+
			"so some passwords were not tried, to keep their accounts from locking. Scan again after %s to finish the password check: %s.",
			len(deferred), int(DefaultBudgetWindow.Minutes()), clock(freeAt), strings.Join(deferred, ", ")))
	}
	return out
}

func clock(t time.Time) string { return t.Local().Format("15:04") }

// note is the sentence of a stopped device, or the time from which a
// device whose allowance earlier scans used may be tried again.
func (e *ledgerEntry) note() (string, time.Time) {
	b := e.budget
	b.mu.Lock()
	stopped, deferred := b.stopped, b.deferred
	b.mu.Unlock()
	switch {
	case e.readErr != nil:
		return fmt.Sprintf("%s: no password was tried, because camwarden could not read its record of earlier login failures (%v).", e.label, e.readErr), time.Time{}
	case !e.stopAt.IsZero():
		return fmt.Sprintf("%s: an earlier scan saw this device refuse logins to protect its accounts (at %s), so no password was tried this time. Check it again after %s.",
			e.label, clock(e.stopAt), clock(e.stopAt.Add(e.window))), time.Time{}
	case stopped != "":
		return fmt.Sprintf("%s: the device started refusing logins to protect its accounts (%s), so camwarden stopped trying passwords on it. Check it again after %s.",
			e.label, probe.Printable([]byte(stopped), 80), clock(b.now().Add(e.window))), time.Time{}
	case deferred:
		return "", e.oldest.Add(e.window)
	}
	return "", time.Time{}
}

// persistence writes one budget's attempts to the store.
type persistence struct {
	log store.LoginLog
	// ctx outlives the scan's cancellation: an attempt made just before
	// Ctrl-C must still be written (each write has storeTimeout).
	ctx    context.Context
	key    store.LoginKey
	logger *slog.Logger
}

func (p *persistence) add(a Account, at time.Time, signal string) (int64, error) {
	ctx, cancel := context.WithTimeout(p.ctx, storeTimeout)
	defer cancel()
	return p.log.AddLoginFailure(ctx, store.LoginFailure{Device: p.key, Account: a.User, Domain: a.Domain, At: at, Signal: signal})
}

// remove deletes the row of an attempt that did not count; a failure to
// delete only over-counts (the safe side), so it is logged, not returned.
func (p *persistence) remove(id int64) {
	ctx, cancel := context.WithTimeout(p.ctx, storeTimeout)
	defer cancel()
	if err := p.log.RemoveLoginFailure(ctx, id); err != nil {
		p.logger.Debug("login failure not removed", "id", id, "error", err)
	}
}
