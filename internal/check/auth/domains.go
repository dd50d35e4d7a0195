package auth

import (
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/login"
)

// Account domains (creds.Domain): the surfaces of one device that check
// the same accounts. A pair one of them refused is refused by the others:
// it is not sent again (no failed login is spent on it) and counts as
// refused there, with the surface that refused it recorded for the
// coverage (refused_via). A pair that works is still replayed on every
// surface, so that each one that accepts a default is reported. Each
// domain also has its own device-wide cap in the budget (engine.Account).

// domainOf returns the account domain of proto on the device.
func (r *run) domainOf(proto string) string {
	return r.c.opts.Catalogue.Domain(r.d.Vendor(), proto).Name
}

// account is the budget's account of user on tg.
func (r *run) account(tg target, user string) engine.Account {
	return engine.Account{Domain: r.domainOf(tg.proto), User: user}
}

// refusedBy returns the surface ("proto/port") of domain that refused c,
// if one did.
func (r *run) refusedBy(domain string, c login.Credential) (string, bool) {
	by, ok := r.refused[domain][[2]string{c.Username, c.Password}]
	return by, ok
}

// markRefused records that tg refused c (the first surface to refuse a
// pair keeps it).
func (r *run) markRefused(domain string, tg target, c login.Credential) {
	if r.refused == nil {
		r.refused = map[string]map[[2]string]string{}
	}
	if r.refused[domain] == nil {
		r.refused[domain] = map[[2]string]string{}
	}
	k := [2]string{c.Username, c.Password}
	if _, ok := r.refused[domain][k]; !ok {
		r.refused[domain][k] = key(tg)
	}
}

// sharedRefusal records cand as refused on tg because the surface by of
// the same account domain refused it: a vendor default is refused here,
// a generic pair counts as refused here, and the coverage names by.
func (r *run) sharedRefusal(tg target, cand candidate, by string) {
	r.log.Debug("attempt not sent: refused on a surface of the same account domain", "protocol", tg.proto,
		"port", tg.t.Port, "credential", cand.cred.Name, "refused_on", by)
	sc := r.cover(key(tg))
	switch {
	case cand.vendor:
		sc.vendorRefused[cand.cred.Name] = true
	case cand.kind != kindAdmin && !cand.known:
		sc.generic++
	}
	if by != key(tg) {
		sc.via = mapSet(sc.via, by)
	}
}
