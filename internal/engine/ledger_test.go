package engine

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/store"
)

// memLog is an in-memory store.LoginLog (the stores themselves are
// tested by internal/store/storetest).
type memLog struct {
	mu      sync.Mutex
	rows    []store.LoginFailure
	next    int64
	readErr error
	addErr  error
}

func (m *memLog) LoginFailures(_ context.Context, key store.LoginKey, since time.Time) ([]store.LoginFailure, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.readErr != nil {
		return nil, m.readErr
	}
	var out []store.LoginFailure
	for _, r := range m.rows {
		if r.Device.Address == key.Address && r.At.After(since) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (m *memLog) AddLoginFailure(_ context.Context, f store.LoginFailure) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.addErr != nil {
		return 0, m.addErr
	}
	m.next++
	f.ID = m.next
	m.rows = append(m.rows, f)
	return f.ID, nil
}

func (m *memLog) RemoveLoginFailure(_ context.Context, id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, r := range m.rows {
		if r.ID == id {
			m.rows = append(m.rows[:i], m.rows[i+1:]...)
		}
	}
	return nil
}

func (m *memLog) PruneLoginFailures(context.Context, time.Time) error { return nil }

func (m *memLog) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.rows)
}

var camKey = store.LoginKey{Address: netip.MustParseAddr("127.77.0.2")}

// spend makes n failed attempts on account and returns how many the
// budget allowed.
func spend(b *Budget, account string, n int) int {
	made := 0
	for range n {
		if b.Reserve(Account{User: account}) != nil {
			break
		}
		b.Record(Account{User: account}, AttemptFailed)
		made++
	}
	return made
}

// TestLedgerHoldsAcrossScans: three scans in a row within the window
// spend one budget between them; after the window the device may be
// tried again. Each scan is a new Ledger on the same log, as three runs
// of camwarden on the same store are.
func TestLedgerHoldsAcrossScans(t *testing.T) {
	log := &memLog{}
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	policy := BudgetPolicy{LockThreshold: 5} // Hikvision: 3 per account, 3 per device
	total := 0
	for scan := range 3 {
		l := NewLedger(log, clock, nil)
		b := l.Budget(t.Context(), camKey, "127.77.0.2 (Hikvision)", policy)
		made := spend(b, "admin", 5) + spend(b, "root", 5)
		total += made
		notes := strings.Join(l.Notes(), "\n")
		switch {
		case scan == 0 && (made != 3 || notes != ""):
			t.Errorf("first scan made %d failed attempts (want 3), notes %q", made, notes)
		case scan > 0 && (made != 0 || !strings.Contains(notes, "earlier scans already used") || !strings.Contains(notes, "127.77.0.2 (Hikvision)")):
			t.Errorf("scan %d made %d failed attempts (want 0); notes %q", scan+1, made, notes)
		}
		now = now.Add(5 * time.Minute)
	}
	if total != 3 || log.count() != 3 {
		t.Errorf("%d failed attempts over three scans, %d in the store; want 3", total, log.count())
	}
	now = now.Add(DefaultBudgetWindow)
	b := NewLedger(log, clock, nil).Budget(t.Context(), camKey, "cam", policy)
	if err := b.Reserve(Account{User: "admin"}); err != nil {
		t.Errorf("after the window: %v", err)
	}
}

// TestLedgerWritesBeforeTheAttempt: a reserved attempt is in the store
// before the credential is sent (a crash then still counts it), and an
// attempt that did not count is removed again.
func TestLedgerWritesBeforeTheAttempt(t *testing.T) {
	log := &memLog{}
	b := NewLedger(log, nil, nil).Budget(t.Context(), camKey, "cam", BudgetPolicy{})
	if err := b.Reserve(Account{User: "admin"}); err != nil {
		t.Fatal(err)
	}
	if log.count() != 1 {
		t.Fatalf("%d rows after Reserve, want 1 (written before the attempt)", log.count())
	}
	b.Record(Account{User: "admin"}, AttemptNeutral)
	if err := b.Reserve(Account{User: "admin"}); err != nil {
		t.Fatal(err)
	}
	b.Record(Account{User: "admin"}, AttemptSucceeded)
	if log.count() != 0 {
		t.Errorf("%d rows after a neutral attempt and a success, want 0", log.count())
	}
	if err := b.Reserve(Account{User: "root"}); err != nil {
		t.Fatal(err)
	}
	b.Record(Account{User: "root"}, AttemptFailed)
	if log.count() != 1 {
		t.Errorf("%d rows after a failure, want 1", log.count())
	}
}

func TestLedgerLockoutSignalHolds(t *testing.T) {
	log := &memLog{}
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	l := NewLedger(log, clock, nil)
	b := l.Budget(t.Context(), camKey, "cam", BudgetPolicy{})
	b.Stop("ISAPI lockStatus=lock\x1b[2J")
	notes := strings.Join(l.Notes(), "\n")
	if !strings.Contains(notes, "started refusing logins") || strings.Contains(notes, "\x1b") {
		t.Errorf("note %q: want a sentence, without the device's control characters", notes)
	}
	now = now.Add(10 * time.Minute)
	l2 := NewLedger(log, clock, nil)
	b2 := l2.Budget(t.Context(), camKey, "cam", BudgetPolicy{})
	if err := b2.Reserve(Account{User: "admin"}); !errors.Is(err, ErrDeviceStopped) {
		t.Errorf("next scan within the window: %v, want ErrDeviceStopped", err)
	}
	if notes := strings.Join(l2.Notes(), "\n"); !strings.Contains(notes, "an earlier scan saw this device refuse logins") {
		t.Errorf("next scan's note %q", notes)
	}
}

func TestLedgerStoreErrorsStopAttempts(t *testing.T) {
	read := &memLog{readErr: errors.New("disk gone")}
	l := NewLedger(read, nil, nil)
	if err := l.Budget(t.Context(), camKey, "cam", BudgetPolicy{}).Reserve(Account{User: "admin"}); !errors.Is(err, ErrDeviceStopped) {
		t.Errorf("unreadable history: %v, want ErrDeviceStopped", err)
	}
	if notes := strings.Join(l.Notes(), "\n"); !strings.Contains(notes, "could not read") {
		t.Errorf("note %q", notes)
	}
	write := &memLog{addErr: errors.New("read-only file system")}
	if err := NewLedger(write, nil, nil).Budget(t.Context(), camKey, "cam", BudgetPolicy{}).Reserve(Account{User: "admin"}); !errors.Is(err, ErrNotRecorded) {
		t.Errorf("unwritable history: %v, want ErrNotRecorded", err)
	}
}

// TestLedgerWithoutStore: a nil log gives plain budgets of this run.
func TestLedgerWithoutStore(t *testing.T) {
	l := NewLedger(nil, nil, nil)
	if made := spend(l.Budget(t.Context(), camKey, "cam", BudgetPolicy{}), "admin", 5); made != 3 {
		t.Errorf("%d attempts, want 3", made)
	}
	if made := spend(l.Budget(t.Context(), camKey, "cam", BudgetPolicy{}), "admin", 5); made != 3 {
		t.Errorf("memory-only ledger carried failures to another budget: %d attempts, want 3", made)
	}
}

// TestLedgerKeepsDomains: a later scan counts an earlier scan's failures
// against the account domain they were made in: the system's accounts
// spent by telnet guesses leave the device's web accounts their cap.
func TestLedgerKeepsDomains(t *testing.T) {
	log := &memLog{}
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	policy := BudgetPolicy{LockThreshold: 5} // 3 per account, 3 per domain
	b := NewLedger(log, clock, nil).Budget(t.Context(), camKey, "cam", policy)
	for _, u := range []string{"root", "support", "guest"} {
		a := Account{Domain: "system", User: u}
		if err := b.Reserve(a); err != nil {
			t.Fatal(err)
		}
		b.Record(a, AttemptFailed)
	}
	now = now.Add(time.Minute)
	b2 := NewLedger(log, clock, nil).Budget(t.Context(), camKey, "cam", policy)
	if err := b2.Reserve(Account{Domain: "system", User: "admin"}); !errors.Is(err, ErrBudgetSpent) {
		t.Errorf("second scan, system domain: %v, want ErrBudgetSpent", err)
	}
	if err := b2.Reserve(Account{Domain: "device", User: "admin"}); err != nil {
		t.Errorf("second scan, device domain: %v, want its own cap", err)
	}
}
