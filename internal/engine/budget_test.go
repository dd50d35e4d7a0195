package engine

import (
	"errors"
	"sync"
	"testing"
	"time"
)

func TestBudgetPolicyLimit(t *testing.T) {
	tests := []struct {
		name string
		p    BudgetPolicy
		want int
	}{
		{"default", BudgetPolicy{}, 3},
		{"configured", BudgetPolicy{MaxFailures: 5}, 5},
		{"hikvision 5 locks", BudgetPolicy{LockThreshold: 5}, 3},
		{"threshold 4", BudgetPolicy{LockThreshold: 4}, 2},
		{"threshold 3 configured higher", BudgetPolicy{MaxFailures: 10, LockThreshold: 3}, 1},
		{"threshold 1 still one", BudgetPolicy{LockThreshold: 1}, 1},
		{"lax vendor keeps default", BudgetPolicy{LockThreshold: 10}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.Limit(); got != tc.want {
				t.Errorf("Limit() = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestBudgetReserveRecord(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	b := NewBudget(BudgetPolicy{LockThreshold: 5, MaxDeviceFailures: 10}, clock)
	for i := range 3 {
		if err := b.Reserve(Account{User: "admin"}); err != nil {
			t.Fatalf("reserve %d: %v", i, err)
		}
		b.Record(Account{User: "admin"}, AttemptFailed)
	}
	if err := b.Reserve(Account{User: "admin"}); !errors.Is(err, ErrBudgetSpent) {
		t.Fatalf("4th reserve = %v, want ErrBudgetSpent", err)
	}
	if err := b.Reserve(Account{User: "root"}); err != nil {
		t.Fatalf("other account: %v", err)
	}
	b.Record(Account{User: "root"}, AttemptNeutral)
	if got := b.Failures("root"); got != 0 {
		t.Errorf("neutral attempt counted: %d", got)
	}
	if err := b.Reserve(Account{User: "root"}); err != nil {
		t.Fatal(err)
	}
	b.Record(Account{User: "root"}, AttemptSucceeded)
	if err := b.Reserve(Account{User: "root"}); !errors.Is(err, ErrAccountFound) {
		t.Errorf("after success = %v, want ErrAccountFound", err)
	}
	if got := b.Attempts(); got != 4 {
		t.Errorf("Attempts = %d, want 4 (3 failed + 1 success)", got)
	}
	now = now.Add(DefaultBudgetWindow + time.Second)
	if err := b.Reserve(Account{User: "admin"}); err != nil {
		t.Errorf("after the window: %v", err)
	}
	b.Stop("isapi lockStatus=lock")
	if err := b.Reserve(Account{User: "other"}); !errors.Is(err, ErrDeviceStopped) {
		t.Errorf("after Stop = %v, want ErrDeviceStopped", err)
	}
	if b.Stopped() != "isapi lockStatus=lock" {
		t.Errorf("Stopped = %q", b.Stopped())
	}
}

func TestBudgetConcurrentNeverOverspends(t *testing.T) {
	b := NewBudget(BudgetPolicy{}, nil)
	var wg sync.WaitGroup
	var mu sync.Mutex
	granted := 0
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if b.Reserve(Account{User: "admin"}) == nil {
				mu.Lock()
				granted++
				mu.Unlock()
				b.Record(Account{User: "admin"}, AttemptFailed)
			}
		}()
	}
	wg.Wait()
	if granted != DefaultMaxFailures {
		t.Errorf("granted %d attempts, want %d", granted, DefaultMaxFailures)
	}
}

func TestBudgetDeviceCap(t *testing.T) {
	b := NewBudget(BudgetPolicy{LockThreshold: 5}, nil)
	for _, acct := range []string{"admin", "888888", "666666"} {
		if err := b.Reserve(Account{User: acct}); err != nil {
			t.Fatalf("reserve %s: %v", acct, err)
		}
		b.Record(Account{User: acct}, AttemptFailed)
	}
	if err := b.Reserve(Account{User: "root"}); !errors.Is(err, ErrBudgetSpent) {
		t.Errorf("4th failure on a device locking at 5 = %v, want ErrBudgetSpent", err)
	}
	if err := b.ReserveKnown(Account{User: "admin"}); !errors.Is(err, ErrBudgetSpent) {
		t.Errorf("known credential past the device cap = %v, want ErrBudgetSpent", err)
	}
}

// TestBudgetPolicyDeviceLimit: the device cap of one account domain for
// each kind of lock fact.
func TestBudgetPolicyDeviceLimit(t *testing.T) {
	tests := []struct {
		name string
		p    BudgetPolicy
		want int
	}{
		{"no lock known, vendor identified", BudgetPolicy{}, 6},
		{"lock of the whole client (Hikvision 5)", BudgetPolicy{LockThreshold: 5}, 3},
		{"lock per account (Dahua 5)", BudgetPolicy{LockThreshold: 5, LockPerAccount: true}, 6},
		{"unknown vendor: the catalogue's cap", BudgetPolicy{UnknownVendorCap: 3}, 3},
		{"unknown vendor cap never above twice the account limit", BudgetPolicy{UnknownVendorCap: 9}, 6},
		{"a known lock outranks the unknown vendor's cap", BudgetPolicy{LockThreshold: 5, UnknownVendorCap: 1}, 3},
		{"configured", BudgetPolicy{LockThreshold: 5, MaxDeviceFailures: 10}, 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.DeviceLimit(); got != tc.want {
				t.Errorf("DeviceLimit() = %d, want %d", got, tc.want)
			}
		})
	}
}

// TestBudgetDomains: each account domain has its own device cap, a user
// name's failures count over every domain, a success is found only in
// its own domain, and a failure without a domain (an older scan's)
// counts against every domain.
func TestBudgetDomains(t *testing.T) {
	fail := func(b *Budget, a Account) error {
		if err := b.Reserve(a); err != nil {
			return err
		}
		b.Record(a, AttemptFailed)
		return nil
	}
	dev := func(u string) Account { return Account{Domain: "device", User: u} }
	sys := func(u string) Account { return Account{Domain: "system", User: u} }

	b := NewBudget(BudgetPolicy{UnknownVendorCap: 3}, nil)
	for _, a := range []Account{dev("admin"), dev("root"), dev("user")} {
		if err := fail(b, a); err != nil {
			t.Fatalf("%+v: %v", a, err)
		}
	}
	if err := b.Reserve(dev("guest")); !errors.Is(err, ErrBudgetSpent) {
		t.Errorf("4th failure in the device domain = %v, want ErrBudgetSpent", err)
	}
	for _, a := range []Account{sys("root"), sys("support")} {
		if err := fail(b, a); err != nil {
			t.Errorf("system domain has its own cap: %+v: %v", a, err)
		}
	}
	// root: one failure on the web, one on telnet; a third anywhere is
	// its last.
	if err := fail(b, sys("root")); err != nil {
		t.Fatal(err)
	}
	if err := b.Reserve(Account{Domain: "snmp", User: "root"}); !errors.Is(err, ErrBudgetSpent) {
		t.Errorf("4th failure of root over all domains = %v, want ErrBudgetSpent", err)
	}
	if got := b.Failures("root"); got != 3 {
		t.Errorf("Failures(root) = %d, want 3 over both domains", got)
	}

	b = NewBudget(BudgetPolicy{}, nil)
	if err := b.Reserve(dev("admin")); err != nil {
		t.Fatal(err)
	}
	b.Record(dev("admin"), AttemptSucceeded)
	if err := b.Reserve(dev("admin")); !errors.Is(err, ErrAccountFound) {
		t.Errorf("found account guessed again: %v", err)
	}
	if err := b.Reserve(sys("admin")); err != nil {
		t.Errorf("the system's admin is another account: %v", err)
	}
	b.Record(sys("admin"), AttemptNeutral)
	if !b.Found(dev("admin")) || b.Found(sys("admin")) {
		t.Error("Found does not follow the domain")
	}

	b = NewBudget(BudgetPolicy{LockThreshold: 5}, nil) // cap 3 per domain
	b.failures["admin"] = []failure{{at: time.Now(), earlier: true}, {at: time.Now(), earlier: true}}
	if err := fail(b, sys("root")); err != nil {
		t.Fatal(err)
	}
	if err := b.Reserve(sys("support")); !errors.Is(err, ErrBudgetSpent) {
		t.Errorf("two failures without a domain + one system failure = %v, want the system cap spent", err)
	}
	if err := fail(b, dev("user")); err != nil {
		t.Errorf("device domain: two failures without a domain, none of its own: %v", err)
	}
	if err := b.Reserve(dev("guest")); !errors.Is(err, ErrBudgetSpent) {
		t.Errorf("two failures without a domain + one device failure = %v, want the device cap spent", err)
	}
}
