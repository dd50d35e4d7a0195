package auth

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/login"
)

// surfaceCov is what the check reached on one service ("proto/port").
type surfaceCov struct {
	surface bool // asks for a password (a login target)
	open    bool // answered without one
	// result of a credential that worked: findDefault, findWeak, or
	// "admin-strong" / "admin-weak" for the administrator's own.
	result string
	// vendorPlanned and vendorRefused are the vendor's own factory
	// defaults for this service and those refused, by name.
	vendorPlanned, vendorRefused map[string]bool
	vendorTried                  bool // one of them was sent
	// generic counts the generic pairs (or communities) refused.
	generic int
	// reasons say why something planned stayed untried; short is true
	// when a planned attempt was cut (budget, lockout, no answer,
	// interruption), which makes the check incomplete.
	reasons []string
	short   bool
	// noRoute is set on a web port where no route asked for a password:
	// untried unless another login surface (a vendor API) is on it.
	noRoute bool
	// noLogin is set on a web port that serves no page at all (the root
	// answers 404 and nothing asked for a password): no login surface.
	noLogin bool
	// via holds the surfaces of the same account domain whose refusals
	// count here (domains.go).
	via map[string]bool
}

// cover returns the coverage record of the service k ("proto/port").
func (r *run) cover(k string) *surfaceCov {
	if r.covered == nil {
		r.covered = map[string]*surfaceCov{}
	}
	sc, ok := r.covered[k]
	if !ok {
		sc = &surfaceCov{vendorPlanned: map[string]bool{}, vendorRefused: map[string]bool{}}
		r.covered[k] = sc
		r.order = append(r.order, k)
	}
	return sc
}

// untried records why something stayed untried on the service, without
// making the check incomplete (an unverifiable answer is a result).
func (sc *surfaceCov) untried(reason string) {
	if !slices.Contains(sc.reasons, reason) {
		sc.reasons = append(sc.reasons, reason)
	}
}

// plan records the catalogue candidates of tg that are the vendor's own
// factory defaults.
func (r *run) plan(tg target, cands []creds.Credential) {
	sc := r.cover(key(tg))
	for _, c := range cands {
		if c.Vendor != "" && c.Tier == creds.DepthDefault && !tg.community {
			sc.vendorPlanned[c.Name] = true
		}
	}
}

// outcome records what one attempt proved.
func (r *run) outcome(tg target, cand candidate, o login.Outcome) {
	sc := r.cover(key(tg))
	sc.vendorTried = sc.vendorTried || (cand.vendor && o.Result != login.Error)
	switch o.Result {
	case login.Failure:
		switch {
		case cand.vendor:
			sc.vendorRefused[cand.cred.Name] = true
		case cand.kind != kindAdmin && !cand.known:
			sc.generic++
		}
	case login.Locked:
		sc.untried("stopped on a lockout signal")
		sc.short = true
	case login.Unverifiable:
		sc.untried("the answers cannot tell acceptance from refusal")
	case login.Error:
		sc.untried("no answer (" + string(o.Status) + ")")
		sc.short = true
	}
}

// skip records a planned attempt that was not made; short says whether
// that cuts the check short (the budget, a lockout signal, an
// interruption) rather than being a choice (an account whose password is
// already known is not guessed on).
func (r *run) skip(tg target, reason string, short bool) {
	sc := r.cover(key(tg))
	sc.untried(reason)
	sc.short = sc.short || short
}

// accepted records a credential that worked on tg.
func (r *run) accepted(tg target, k kind, strong bool) {
	sc := r.cover(key(tg))
	switch {
	case k == kindAdmin && strong:
		sc.result = "admin-strong"
	case k == kindAdmin:
		sc.result = "admin-weak"
	case k == kindWeak:
		sc.result = findWeak
	default:
		sc.result = findDefault
	}
}

// skipReason says in words why the budget refused an attempt, and
// whether that cut the check short.
func skipReason(err error) (string, bool) {
	switch {
	case errors.Is(err, engine.ErrDeviceStopped):
		return "stopped on a lockout signal", true
	case errors.Is(err, engine.ErrBudgetSpent):
		return "login budget spent: failed logins per account and device are capped to avoid a lockout", true
	case errors.Is(err, engine.ErrAccountFound):
		return "the account's password, found on another service, was refused here, so it is not guessed on", false
	}
	return "not tried: " + err.Error(), true
}

// stopReason says why the guessing loop ended early.
func (r *run) stopReason(ctx context.Context) string {
	if ctx.Err() != nil {
		return "interrupted"
	}
	return "stopped on a lockout signal"
}

// coverage builds the device's AUTH-COVERAGE finding (see
// internal/finding/coverage.go for the keys): one list per outcome, each
// service in exactly one of open, accepted, admin_strong,
// vendor_defaults_refused, generic_refused and untried, except an
// administrator's credential graded weak, which has its AUTH-ADMIN-OK
// finding and no list.
func (r *run) coverage(ctx context.Context) finding.Finding {
	lists := map[string][]string{}
	var reasons []string
	complete := ctx.Err() == nil && r.budget.Stopped() == ""
	usedVendor := false
	for _, k := range r.order {
		sc := r.covered[k]
		if (sc.noRoute || sc.noLogin) && !sc.surface && !sc.open && len(sc.reasons) == 0 {
			if sc.noLogin {
				lists[finding.CoverageNoLogin] = append(lists[finding.CoverageNoLogin], k)
				continue
			}
			sc.untried("no web route asked for a password: a form or script login cannot be checked")
		}
		if sc.surface {
			lists[finding.CoverageSurfaces] = append(lists[finding.CoverageSurfaces], k)
		}
		usedVendor = usedVendor || sc.vendorTried
		list := sc.list()
		// A conclusive service is finished whatever was left of its
		// plan (generic pairs after the vendor's own defaults).
		switch list {
		case finding.CoverageUntried, finding.CoverageGenericRefused:
			complete = complete && !sc.short
		}
		if list == finding.CoverageUntried {
			reason := "nothing tried"
			if len(sc.reasons) > 0 {
				reason = strings.Join(sc.reasons, ", ")
			}
			reasons = append(reasons, k+": "+reason)
		}
		if list != "" {
			lists[list] = append(lists[list], k)
		}
		if list == finding.CoverageVendorRefused || list == finding.CoverageGenericRefused {
			for by := range sc.via {
				lists[finding.CoverageRefusedVia] = append(lists[finding.CoverageRefusedVia], k+finding.CoverageViaSep+by)
			}
		}
	}
	ev := map[string]string{finding.CoverageComplete: "false"}
	if complete {
		ev[finding.CoverageComplete] = "true"
	}
	if usedVendor && r.d.Vendor() != "" {
		ev[finding.CoverageVendor] = r.d.Vendor()
	}
	for name, l := range lists {
		slices.Sort(l)
		ev[name] = strings.Join(slices.Compact(l), ",")
	}
	if len(reasons) > 0 {
		slices.Sort(reasons)
		ev[finding.CoverageReason] = strings.Join(reasons, "; ")
	}
	return finding.Finding{ID: finding.IDAuthCoverage, Checkpoint: finding.CheckAuth, Severity: finding.SevInfo,
		Address: r.d.Address, Title: coverageTitle, Remediation: coverageRemediation, Evidence: ev}
}

// list names the coverage list a service belongs to, or "" for none.
func (sc *surfaceCov) list() string {
	switch {
	case sc.open:
		return finding.CoverageOpen
	case sc.result == findDefault || sc.result == findWeak:
		return finding.CoverageAccepted
	case sc.result == "admin-strong":
		return finding.CoverageAdminStrong
	case sc.result == "admin-weak":
		return ""
	case len(sc.vendorPlanned) > 0 && allIn(sc.vendorPlanned, sc.vendorRefused):
		return finding.CoverageVendorRefused
	case len(sc.vendorPlanned) == 0 && sc.generic > 0:
		return finding.CoverageGenericRefused
	}
	return finding.CoverageUntried
}

func allIn(want, got map[string]bool) bool {
	for k := range want {
		if !got[k] {
			return false
		}
	}
	return true
}

// Texts of the coverage finding (a record, not a weakness).
var (
	coverageTitle = finding.Text{
		EN: "What the password check covered on this device",
		JA: "この機器でパスワード確認を行った範囲",
	}
	coverageRemediation = finding.Text{
		EN: "Nothing to fix: this records which services were checked and how far; services left untried need a check by hand.",
		JA: "対処は不要です（どのサービスをどこまで確認したかの記録です）。未確認のサービスは手動で確認してください。",
	}
)
