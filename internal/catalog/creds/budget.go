package creds

import "slices"

// Budget is the shape of the login-attempt budget an ordering is chosen
// for: how many failed attempts each account may cost over the whole
// device, and how many all accounts of one account domain may cost
// together (engine.BudgetPolicy's Limit and DeviceLimit; each domain has
// its own device-wide cap, see Domain).
type Budget struct {
	PerAccount int
	PerDevice  int
}

// The auth check's default budget (engine.DefaultMaxFailures,
// engine.LockMargin and the device cap of engine.BudgetPolicy); a test in
// internal/check/auth keeps BudgetFor equal to the engine's for every
// vendor of the catalogue.
const (
	defaultPerAccount = 3
	lockMargin        = 2
)

// BudgetFor returns the budget the auth check gives a device of vendor:
// 3 failed attempts per account, and at least 2 below the vendor's lock
// threshold when it is known; per account domain, as many as one account
// when that lock counts all accounts together (or its scope is not
// documented), twice that when it counts each account on its own or no
// lock is documented; for a vendor the catalogue has no facts on (or an
// unknown one), UnknownVendorCap.
func (c *Catalog) BudgetFor(vendor string) Budget {
	n := defaultPerAccount
	p := c.Lockout(vendor)
	switch {
	case p.Known && p.Threshold > 0:
		n = max(min(n, p.Threshold-lockMargin), 1)
		if p.Scope == ScopeAccount {
			return Budget{PerAccount: n, PerDevice: 2 * n}
		}
		return Budget{PerAccount: n, PerDevice: n}
	case p.Unlisted:
		return Budget{PerAccount: n, PerDevice: c.UnknownVendorCap()}
	}
	return Budget{PerAccount: n, PerDevice: 2 * n}
}

// UnknownVendorCap is the most failed logins all accounts of one account
// domain may cost on a device whose vendor the catalogue has no facts on.
// Such a device may be any vendor's (an unidentified Hikvision, an OEM
// brand of one), so the cap stays LockMargin below the lowest default
// lock threshold among the catalogue's vendors whose known lock counts
// the failures of all accounts together (scope client, or not documented):
// with Hikvision's 5 (its illegal login lock locks the client's address)
// that is 3. Vendors whose lock counts each account on its own (Dahua)
// are kept safe by the per-account budget instead. Derived from the
// catalogue, so a vendor added with a lower threshold lowers it; twice the
// per-account budget when no such lock is known; never below 1.
func (c *Catalog) UnknownVendorCap() int {
	lowest := 0
	if c != nil {
		for name := range c.vendors {
			p := c.Lockout(name)
			if !p.Known || p.Threshold <= 0 || p.Scope == ScopeAccount {
				continue
			}
			if lowest == 0 || p.Threshold < lowest {
				lowest = p.Threshold
			}
		}
	}
	if lowest == 0 {
		return 2 * defaultPerAccount
	}
	return max(lowest-lockMargin, 1)
}

// spend replays a list of attempts that all fail against b: it returns
// how many failures each account has left and how many the device has.
func (b Budget) spend(tried []Credential) (accounts map[string]int, device int) {
	accounts = map[string]int{}
	device = b.PerDevice
	for _, cr := range tried {
		if device == 0 {
			break
		}
		if accounts[cr.Username] < b.PerAccount {
			accounts[cr.Username]++
			device--
		}
	}
	return accounts, device
}

// selectWithin orders ranked pairs (highest weight first) for the budget
// left after tried: first the pairs the budget can still reach, then the
// rest in weight order.
//
// The rule: every attempt before a success fails, so what an ordering
// reaches is the set of pairs the budget lets through, and the sets the
// budget allows (at most PerAccount per username, at most PerDevice in
// all: the protocol's account domain's cap) are the independent sets of a matroid (a partition matroid
// truncated at PerDevice). For a matroid, taking the pairs in descending
// weight whenever the caps still allow one gives the set of largest total
// weight (Rado-Edmonds), i.e. the most prevalent defaults one device can
// be asked about; trying that set in weight order then also minimises the
// expected attempts to a success. So: the most prevalent passwords of the
// most prevalent accounts, never a fourth password of an account ahead of
// a better pair of another.
func (b Budget) selectWithin(ranked []RankedPair, tried []Credential) (reach, rest []RankedPair) {
	used, left := b.spend(tried)
	for _, p := range ranked {
		if left > 0 && used[p.Username] < b.PerAccount {
			used[p.Username]++
			left--
			reach = append(reach, p)
			continue
		}
		rest = append(rest, p)
	}
	return reach, slices.Clip(rest)
}
