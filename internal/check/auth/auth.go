// Package auth is check 1: it finds services that open without a password,
// with a factory default or with a weak password, and confirms
// administrator-supplied credentials, without ever locking an account.
// All of a device's protocols share one login-attempt budget
// (engine.Budget) sized from the vendor's known lock threshold.
package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/catalog/rtsproutes"
	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/login"
)

// Catalogue is what the check needs of the credential catalogue
// (*creds.Catalog implements it).
type Catalogue interface {
	For(vendor, model, protocol string, depth creds.Depth) []creds.Credential
	SNMPCommunities(depth creds.Depth) []creds.Community
	Lockout(vendor string) creds.Policy
	// Platform names the vendor whose firmware and APIs a brand shares
	// (Amcrest -> Dahua), or "".
	Platform(vendor string) string
	// Domain names the account domain of a login protocol on a device of
	// vendor: the surfaces that check the same accounts.
	Domain(vendor, protocol string) creds.Domain
	// UnknownVendorCap is the failed logins one account domain of a device
	// may cost when the catalogue has no facts on its vendor.
	UnknownVendorCap() int
}

// Options configure the check.
type Options struct {
	Depth creds.Depth
	// Budget is the attempt policy; its LockThreshold and LockPerAccount
	// are filled per device from the catalogue when the vendor's lock is
	// known, and its UnknownVendorCap when the catalogue has no facts on
	// the vendor.
	Budget engine.BudgetPolicy
	// Credentials, when set, is the administrator's own --credentials
	// file (see ParseCredentials): `user:password` lines for every device
	// and `ADDRESS user:password` lines for one. They are tried first (a
	// device's own lines before the others), reported as AUTH-ADMIN-OK,
	// and an account whose credential works is never guessed on.
	Credentials io.Reader
	Catalogue   Catalogue
	// Grade, when set, grades an administrator-supplied password; only
	// its verdict ("strong" when it starts so, else "weak") is reported.
	// It never sees other secrets.
	Grade func(password string) string
	// RTSPBudget bounds the time RTSP stream route discovery spends on one
	// device (--rtsp-budget); 0 is rtspauth.DefaultBudget.
	RTSPBudget time.Duration
	// RTSPRoutes is the route dictionary; nil loads the embedded one.
	RTSPRoutes *rtsproutes.Dictionary
}

// Checker is the authentication check.
type Checker struct {
	opts  Options
	admin []AdminCredential
}

// New builds the check; it reads opts.Credentials fully (capped).
func New(opts Options) (*Checker, error) {
	if opts.Catalogue == nil {
		return nil, errors.New("auth check: no credential catalogue")
	}
	c := &Checker{opts: opts}
	if c.opts.RTSPRoutes == nil {
		d, err := rtsproutes.Default()
		if err != nil {
			return nil, fmt.Errorf("auth check: %w", err)
		}
		c.opts.RTSPRoutes = d
	}
	if opts.Credentials != nil {
		admin, err := ParseCredentials(opts.Credentials)
		if err != nil {
			return nil, fmt.Errorf("auth check: %w", err)
		}
		c.admin = admin
	}
	return c, nil
}

// Name returns "auth".
func (c *Checker) Name() string { return "auth" }

var _ check.Checker = (*Checker)(nil)

// Check runs the no-credential checks on every service of d, then tries
// administrator-supplied and catalogue credentials within the budget,
// reads the identity after the first login that works, and ends with the
// device's AUTH-COVERAGE finding.
func (c *Checker) Check(ctx context.Context, env *check.Env, d *device.Device) []finding.Finding {
	policy := c.policy(d.Vendor())
	r := &run{c: c, d: d, budget: env.Budget(ctx, d, policy), log: logger(env).With("address", d.Address)}
	targets := c.surfaces(ctx, env, d, r)
	// The web login first: the cheapest and most telling login of the
	// device's accounts. A credential found there is then replayed on
	// RTSP, ONVIF and telnet before anything new is guessed, and a pair
	// it refused is refused for RTSP and ONVIF when they share its
	// accounts (domains.go).
	slices.SortStableFunc(targets, func(a, b target) int { return protoRank(a.proto) - protoRank(b.proto) })
	for _, tg := range targets {
		r.cover(key(tg)).surface = true
	}
	if r.budget.Stopped() == "" {
		c.guess(ctx, env, targets, r)
	}
	if reason := r.budget.Stopped(); reason != "" {
		r.add(finding.Finding{ID: "AUTH-STOPPED-LOCKOUT-RISK", Severity: finding.SevInfo,
			Title: title(findStopped, ""), Remediation: remediations[findStopped], Evidence: map[string]string{"signal": reason}})
	}
	r.add(r.coverage(ctx))
	r.log.Debug("auth check done", "attempts", r.budget.Attempts(), "findings", len(r.out))
	return r.out
}

// policy is the budget policy of a device of vendor: the check's
// options with what the catalogue knows of the vendor's lock, or the
// unknown vendor's cap when it knows nothing of the vendor.
func (c *Checker) policy(vendor string) engine.BudgetPolicy {
	policy := c.opts.Budget
	lock := c.opts.Catalogue.Lockout(vendor)
	switch {
	case lock.Known && lock.Threshold > 0:
		policy.LockThreshold = lock.Threshold
		policy.LockPerAccount = lock.Scope == creds.ScopeAccount
	case lock.Unlisted:
		policy.UnknownVendorCap = c.opts.Catalogue.UnknownVendorCap()
	}
	return policy
}

// guess tries credentials on every protected surface in two passes,
// each account within the budget: first, on every surface, the
// administrator's own (this device's lines, then the others), the
// credentials already proven on another service and the vendor's own
// factory defaults; then, on every surface, the proven credentials again
// and the catalogue's other pairs (generic pairs, the vendor's weak
// passwords). So the vendor's defaults on a later surface (a separate
// account list, such as Hikvision's ONVIF users) come before any generic
// guess on an earlier one. A target the loop does not reach is marked
// untried.
func (c *Checker) guess(ctx context.Context, env *check.Env, targets []target, r *run) {
	plans := make([][]creds.Credential, len(targets))
	for i, tg := range targets {
		plans[i] = c.candidates(r, tg)
		r.plan(tg, plans[i])
	}
	for _, own := range []bool{true, false} {
		for i, tg := range targets {
			if ctx.Err() != nil || r.budget.Stopped() != "" {
				for _, rest := range targets[i:] {
					r.skip(rest, r.stopReason(ctx), true)
				}
				return
			}
			if own && !tg.community {
				for _, ac := range c.adminFor(r.d) {
					// An account whose credential worked is replayed through
					// r.working; its other lines would only fail.
					if !r.succeeded(tg) && !r.adminOK[ac.Username] {
						r.attempt(ctx, env, tg, candidate{cred: ac.Credential, kind: kindAdmin})
					}
				}
			}
			if !tg.community {
				for _, cr := range r.working {
					if !r.succeeded(tg) {
						r.attempt(ctx, env, tg, cr)
					}
				}
			}
			c.guessCatalogue(ctx, env, tg, r, plans[i], own)
		}
	}
}

// ownDefault reports whether a catalogue candidate is the identified
// vendor's (or its platform's) own factory default.
func ownDefault(tg target, cr creds.Credential) bool {
	return cr.Vendor != "" && cr.Tier == creds.DepthDefault && !tg.community
}

// guessCatalogue tries the catalogue's candidates for tg that are the
// vendor's own factory defaults (own) or the others (!own), skipping the
// accounts whose password the administrator gave and that worked.
func (c *Checker) guessCatalogue(ctx context.Context, env *check.Env, tg target, r *run, cands []creds.Credential, own bool) {
	for _, cr := range cands {
		if ownDefault(tg, cr) != own {
			continue
		}
		if r.succeeded(tg) {
			return
		}
		if ctx.Err() != nil || r.budget.Stopped() != "" {
			r.skip(tg, r.stopReason(ctx), true)
			return
		}
		if r.adminOK[cr.Username] && !tg.community {
			r.skip(tg, "the administrator's credential for this account works on another service, so it is not guessed on", false)
			continue
		}
		kind := kindDefault
		if cr.Tier > creds.DepthDefault {
			kind = kindWeak
		}
		r.attempt(ctx, env, tg, candidate{cred: login.Credential{Username: cr.Username, Password: cr.Password, Name: cr.Name},
			kind: kind, vendor: own})
	}
}

// adminFor returns the administrator's credentials meant for d: its own
// lines first, then the lines for every device.
func (c *Checker) adminFor(d *device.Device) []AdminCredential {
	var own, all []AdminCredential
	for _, ac := range c.admin {
		switch {
		case ac.Addr.IsValid() && ac.For(d.Address):
			own = append(own, ac)
		case !ac.Addr.IsValid():
			all = append(all, ac)
		}
	}
	return append(own, all...)
}

func protoRank(p string) int {
	switch p {
	case "http":
		return 0
	case "rtsp":
		return 1
	case "onvif":
		return 2
	case "telnet":
		return 3
	case "ssh":
		return 4
	case "snmp": // communities have their own budget account; only the device cap is shared
		return 5
	case "ftp": // last: blind FTP guesses must not spend the device cap before the others
		return 6
	}
	return 3
}

func logger(env *check.Env) *slog.Logger {
	if env.Logger != nil {
		return env.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
