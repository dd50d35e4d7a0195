package creds

import "slices"

// Budget is the shape of the login-attempt budget an ordering is chosen
// for: how many failed attempts each account and the whole device may
// cost (engine.BudgetPolicy's Limit and DeviceLimit).
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
// 3 failed attempts per account; at least 2 below the vendor's lock
// threshold when it is known, and then as many for the whole device;
// otherwise twice the per-account budget for the device.
func (c *Catalog) BudgetFor(vendor string) Budget {
	n := defaultPerAccount
	if p := c.Lockout(vendor); p.Known && p.Threshold > 0 {
		n = max(min(n, p.Threshold-lockMargin), 1)
		return Budget{PerAccount: n, PerDevice: n}
	}
	return Budget{PerAccount: n, PerDevice: 2 * n}
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
// all) are the independent sets of a matroid (a partition matroid
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
