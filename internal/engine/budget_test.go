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
		if err := b.Reserve("admin"); err != nil {
			t.Fatalf("reserve %d: %v", i, err)
		}
		b.Record("admin", AttemptFailed)
	}
	if err := b.Reserve("admin"); !errors.Is(err, ErrBudgetSpent) {
		t.Fatalf("4th reserve = %v, want ErrBudgetSpent", err)
	}
	if err := b.Reserve("root"); err != nil {
		t.Fatalf("other account: %v", err)
	}
	b.Record("root", AttemptNeutral)
	if got := b.Failures("root"); got != 0 {
		t.Errorf("neutral attempt counted: %d", got)
	}
	if err := b.Reserve("root"); err != nil {
		t.Fatal(err)
	}
	b.Record("root", AttemptSucceeded)
	if err := b.Reserve("root"); !errors.Is(err, ErrAccountFound) {
		t.Errorf("after success = %v, want ErrAccountFound", err)
	}
	if got := b.Attempts(); got != 4 {
		t.Errorf("Attempts = %d, want 4 (3 failed + 1 success)", got)
	}
	now = now.Add(DefaultBudgetWindow + time.Second)
	if err := b.Reserve("admin"); err != nil {
		t.Errorf("after the window: %v", err)
	}
	b.Stop("isapi lockStatus=lock")
	if err := b.Reserve("other"); !errors.Is(err, ErrDeviceStopped) {
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
			if b.Reserve("admin") == nil {
				mu.Lock()
				granted++
				mu.Unlock()
				b.Record("admin", AttemptFailed)
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
		if err := b.Reserve(acct); err != nil {
			t.Fatalf("reserve %s: %v", acct, err)
		}
		b.Record(acct, AttemptFailed)
	}
	if err := b.Reserve("root"); !errors.Is(err, ErrBudgetSpent) {
		t.Errorf("4th failure on a device locking at 5 = %v, want ErrBudgetSpent", err)
	}
	if err := b.ReserveKnown("admin"); !errors.Is(err, ErrBudgetSpent) {
		t.Errorf("known credential past the device cap = %v, want ErrBudgetSpent", err)
	}
}
