package auth

import (
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/engine"
)

// TestBudgetOverEveryVendor runs the check's guessing over a device with
// all six login surfaces refusing everything, for every vendor of the
// catalogue and an unknown one, at every depth, with the budget built as
// Check builds it, and proves: never more than engine.DefaultMaxFailures
// failed logins per account (a user name, over every account domain),
// never the vendor's known lock threshold (minus the margin) on one
// account, nor on one account domain when the lock counts all accounts
// together; each domain's device cap held, and for a vendor the
// catalogue has no facts on, each domain below the lowest default lock
// threshold of every vendor that locks the whole client; the catalogue's
// BudgetFor equal to the engine's policy; the vendor's own factory
// defaults tried first.
func TestBudgetOverEveryVendor(t *testing.T) {
	cat, err := creds.Default()
	if err != nil {
		t.Fatal(err)
	}
	vendors := []string{""}
	for _, v := range cat.Vendors() {
		vendors = append(vendors, v.Name)
	}
	for _, vendor := range vendors {
		for _, depth := range []creds.Depth{creds.DepthDefault, creds.DepthCommon, creds.DepthExtended} {
			name := vendor
			if name == "" {
				name = "unknown"
			}
			t.Run(name+"/"+depth.String(), func(t *testing.T) {
				c, err := New(Options{Depth: depth, Catalogue: cat})
				if err != nil {
					t.Fatal(err)
				}
				policy := c.policy(vendor) // as Check builds it
				lock := cat.Lockout(vendor)
				if got, want := cat.BudgetFor(vendor), (creds.Budget{PerAccount: policy.Limit(), PerDevice: policy.DeviceLimit()}); got != want {
					t.Fatalf("creds.BudgetFor = %+v, engine policy gives %+v", got, want)
				}
				dev := newStoreDevice(nil) // every surface refuses everything
				guessOn(t.Context(), c, vendor, dev, creds.LoginProtocols()...)
				for acct, n := range dev.failed {
					if n > engine.DefaultMaxFailures {
						t.Errorf("account %q: %d failed logins, more than %d", acct, n, engine.DefaultMaxFailures)
					}
					if lock.Known && lock.Threshold > 0 && n > lock.Threshold-engine.LockMargin {
						t.Errorf("account %q: %d failed logins, lock threshold %d", acct, n, lock.Threshold)
					}
				}
				perDomain := map[string]int{}
				for proto, n := range dev.sent {
					perDomain[cat.Domain(vendor, proto).Name] += n
				}
				for dom, n := range perDomain {
					if n > policy.DeviceLimit() {
						t.Errorf("%d failed logins in account domain %q, cap %d", n, dom, policy.DeviceLimit())
					}
					if lock.Known && lock.Threshold > 0 && lock.Scope != creds.ScopeAccount && n >= lock.Threshold {
						t.Errorf("%d failed logins in account domain %q reach the lock threshold %d", n, dom, lock.Threshold)
					}
					if lock.Unlisted {
						checkBelowClientLocks(t, cat, dom, n)
					}
				}
				checkOwnFirst(t, cat, vendor, dev.order)
			})
		}
	}
}

// checkBelowClientLocks: n failed logins in one account domain of a
// device of unknown vendor stay below the default lock threshold (minus
// the margin) of every catalogue vendor whose lock counts all accounts
// together: the device may be one of theirs.
func checkBelowClientLocks(t *testing.T, cat *creds.Catalog, dom string, n int) {
	t.Helper()
	for _, v := range cat.Vendors() {
		l := cat.Lockout(v.Name)
		if l.Known && l.Threshold > 0 && l.Scope != creds.ScopeAccount && n > l.Threshold-engine.LockMargin {
			t.Errorf("unknown vendor: %d failed logins in account domain %q; an unidentified %s locks at %d", n, dom, v.Name, l.Threshold)
		}
	}
}

// checkOwnFirst: on the first surface tried, the vendor's own factory
// defaults (its default tier, then its platform's) come before any
// generic pair, as far as the budget reaches.
func checkOwnFirst(t *testing.T, cat *creds.Catalog, vendor string, order []string) {
	t.Helper()
	if vendor == "" || len(order) == 0 {
		return
	}
	proto, _, _ := strings.Cut(order[0], " ")
	own := map[string]bool{}
	for _, cr := range cat.All() {
		if cr.Tier == creds.DepthDefault && cr.AppliesTo(proto) && cr.Model == "" &&
			(strings.EqualFold(cr.Vendor, vendor) || strings.EqualFold(cr.Vendor, cat.Platform(vendor)) && cat.Platform(vendor) != "") {
			own[proto+" "+cr.Username+"/"+cr.Password] = true
		}
	}
	seenGeneric := false
	for _, a := range order {
		if !strings.HasPrefix(a, proto+" ") {
			break
		}
		switch {
		case own[a] && seenGeneric:
			t.Errorf("own default %q tried after a generic pair: %q", a, order)
		case !own[a]:
			seenGeneric = true
		}
	}
}
