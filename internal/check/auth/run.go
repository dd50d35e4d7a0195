package auth

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
)

// kind is where a credential comes from; it picks the finding.
type kind int

const (
	kindDefault kind = iota // catalogue factory default
	kindWeak                // catalogue common/weak password
	kindAdmin               // administrator-supplied
)

// candidate is a credential to try and where it comes from.
type candidate struct {
	cred  login.Credential
	kind  kind
	known bool // already worked on another service of the device
	// vendor is true for the identified vendor's (or its platform's) own
	// factory defaults: coverage tells them from generic pairs.
	vendor bool
}

// run is the state of the check on one device.
type run struct {
	c       *Checker
	d       *device.Device
	budget  *engine.Budget
	log     *slog.Logger
	out     []finding.Finding
	working []candidate
	done    map[string]bool // "proto/port" with a working credential
	// unverified is set once the device has its AUTH-UNVERIFIABLE (one
	// per device, with the first reason).
	unverified bool
	// refusals counts refused connections in a row per "proto/port";
	// failed counts the device's failed logins (see refused.go).
	refusals map[string]int
	failed   int
	backoff  time.Duration // first refusal backoff; 0 is refusedBackoff
	// adminOK holds the accounts whose administrator-supplied credential
	// works on the device: no catalogue guess is made on them.
	adminOK map[string]bool
	// identityReads counts the identity reads after login (identity.go).
	identityReads int
	identityDone  bool
	// covered is what the check reached per surface, in first-seen order
	// (coverage.go).
	covered map[string]*surfaceCov
	order   []string
	// refused holds, per account domain, the pairs a surface of that
	// domain refused and which surface did (domains.go).
	refused map[string]map[[2]string]string
}

func key(tg target) string { return tg.proto + "/" + strconv.Itoa(int(tg.t.Port)) }

func (r *run) succeeded(tg target) bool { return r.done[key(tg)] }

// attempt tries one credential on one surface within the budget. A pair
// another surface of the same account domain refused is not sent again:
// it counts as refused here (sharedRefusal).
func (r *run) attempt(ctx context.Context, env *check.Env, tg target, cand candidate) {
	acct := r.account(tg, cand.cred.Username)
	if by, ok := r.refusedBy(acct.Domain, cand.cred); ok {
		r.sharedRefusal(tg, cand, by)
		return
	}
	reserve := r.budget.Reserve
	if cand.known || cand.kind == kindAdmin {
		reserve = r.budget.ReserveKnown
	}
	if err := reserve(acct); err != nil {
		r.log.Debug("attempt skipped", "protocol", tg.proto, "credential", cand.cred.Name, "reason", err)
		reason, short := skipReason(err)
		// Generic pairs end where the budget ends by design: that does
		// not leave the check unfinished (the vendor's own do).
		generic := !cand.vendor && !cand.known && cand.kind != kindAdmin
		r.skip(tg, reason, short && !(generic && errors.Is(err, engine.ErrBudgetSpent)))
		return
	}
	o := r.try(ctx, env, tg, cand.cred, "try "+cand.cred.Name)
	r.outcome(tg, cand, o)
	if o.Result == login.Failure {
		r.markRefused(acct.Domain, tg, cand.cred)
	}
	if !r.settle(acct, o) || o.Result != login.Success {
		return
	}
	if !tg.twin && !r.control(ctx, env, tg) {
		return
	}
	r.done = mapSet(r.done, key(tg))
	if !cand.known {
		r.working = append(r.working, candidate{cred: cand.cred, kind: cand.kind, known: true})
	}
	if cand.kind == kindAdmin {
		r.adminOK = mapSet(r.adminOK, acct.User)
	}
	strong := r.credentialFinding(env, tg, cand, o)
	r.stream(tg.t, o, probe.AfterLogin+" "+how(cand.kind))
	r.accepted(tg, cand.kind, strong)
	r.readIdentity(ctx, env, tg, cand)
}

// settle records an outcome in the budget and obeys lockout signals; it
// reports whether the attempt reached a verdict.
func (r *run) settle(acct engine.Account, o login.Outcome) bool {
	switch o.Result {
	case login.Success:
		r.budget.Record(acct, engine.AttemptSucceeded)
	case login.Failure:
		r.failed++
		r.budget.Record(acct, engine.AttemptFailed)
	case login.Locked:
		r.failed++
		r.budget.Record(acct, engine.AttemptFailed)
		r.stop(o.Signal)
		return false
	case login.Error:
		if o.Status == probe.StatusTimeout {
			r.failed++
			r.budget.Record(acct, engine.AttemptFailed) // the device may have counted it
			return false
		}
		r.budget.Record(acct, engine.AttemptNeutral) // refusals are judged in try
		return false
	default:
		r.budget.Record(acct, engine.AttemptNeutral)
		return false
	}
	return true
}

// control confirms a success of a method without a no-credential twin by
// trying a random credential (costing one failure of a random account):
// a device that accepts it too cannot be verified.
func (r *run) control(ctx context.Context, env *check.Env, tg target) bool {
	ctl := randomCredential()
	acct := r.account(tg, ctl.Username)
	if err := r.budget.Reserve(acct); err != nil {
		r.unverifiable(tg.t, tg.proto, tg.route, "no budget left for the random-credential control")
		return false
	}
	o := r.try(ctx, env, tg, ctl, "control")
	if !r.settle(acct, o) {
		return false
	}
	if o.Result == login.Success {
		r.unverifiable(tg.t, tg.proto, tg.route, "a random credential is accepted too")
		return false
	}
	return true
}

func mapSet(m map[string]bool, k string) map[string]bool {
	if m == nil {
		m = map[string]bool{}
	}
	m[k] = true
	return m
}

func (r *run) stop(signal string) {
	if signal == "" {
		signal = "lockout signal"
	}
	r.budget.Stop(signal)
	r.log.Info("auth check stopped on lockout signal", "signal", signal) // the user is told by engine.Ledger.Notes
}

func (r *run) add(f finding.Finding) {
	f.Checkpoint = finding.CheckAuth
	f.Address = r.d.Address
	r.out = append(r.out, f)
}

// trace logs one exchange; a no-credential check that got no answer
// leaves its service untried (a port that does not speak a vendor API,
// StatusMalformed, is not a failure to answer).
func (r *run) trace(env *check.Env, proto string, t probe.Target, what string, o login.Outcome, err error) {
	r.log.Debug("auth attempt", "protocol", proto, "port", t.Port, "what", what,
		"result", o.Result.String(), "status", o.Status, "route", o.Route, "error", err)
	if o.Result == login.Error && o.Status != probe.StatusMalformed && strings.HasPrefix(what, "no-credential") {
		sc := r.cover(proto + "/" + strconv.Itoa(int(t.Port)))
		sc.untried("no answer to the check without a password (" + string(o.Status) + ")")
		sc.short = true
	}
}

func (r *run) none(env *check.Env, t probe.Target, proto string, o login.Outcome) {
	r.cover(proto + "/" + strconv.Itoa(int(t.Port))).open = true
	ev := map[string]string{"service": proto, "route": o.Route}
	if o.Scheme != "" {
		ev["scheme"] = o.Scheme
	}
	if o.EvidenceType == "uri" {
		ev["stream_uri"] = string(o.Evidence) // already redacted by the method
	}
	if path := r.save(env, t, proto, o); path != "" {
		ev["artifact"] = path
	}
	r.stream(t, o, "without a password")
	r.add(finding.Finding{ID: "AUTH-NONE-" + strings.ToUpper(proto), Severity: finding.SevCritical,
		Port: t.Port, Protocol: proto, Title: title(findNone, proto), Remediation: remediations[findNone], Evidence: ev})
}

func (r *run) unverifiable(t probe.Target, proto, route, why string) {
	if r.unverified {
		r.log.Debug("also unverifiable", "protocol", proto, "port", t.Port, "route", route, "reason", why)
		r.cover(proto + "/" + strconv.Itoa(int(t.Port))).untried("unverifiable: " + why)
		return
	}
	r.unverified = true
	r.cover(proto + "/" + strconv.Itoa(int(t.Port))).untried("unverifiable: " + why)
	r.add(finding.Finding{ID: "AUTH-UNVERIFIABLE", Severity: finding.SevLow, Port: t.Port, Protocol: proto,
		Title: title(findUnverifiable, proto), Remediation: remediations[findUnverifiable],
		Evidence: map[string]string{"service": proto, "route": route, "reason": why}})
}

func (r *run) cleartext(t probe.Target, proto, route, scheme string) {
	r.add(finding.Finding{ID: "AUTH-CLEARTEXT-" + strings.ToUpper(proto), Severity: finding.SevMedium,
		Port: t.Port, Protocol: proto, Title: cleartextTitle(proto, scheme), Remediation: remediations[findCleartext],
		Evidence: map[string]string{"service": proto, "route": route, "scheme": scheme}})
}

// credentialFinding reports a working credential; it returns whether an
// administrator's password was graded strong.
func (r *run) credentialFinding(env *check.Env, tg target, cand candidate, o login.Outcome) (strong bool) {
	ev := map[string]string{"service": tg.proto, "route": o.Route, "credential": cand.cred.Name}
	if o.Scheme != "" {
		ev["scheme"] = o.Scheme
	}
	if env.ShowSecrets {
		ev["username"], ev["password"] = cand.cred.Username, cand.cred.Password
	}
	f := finding.Finding{Port: tg.t.Port, Protocol: tg.proto, Evidence: ev}
	proto := strings.ToUpper(tg.proto)
	switch cand.kind {
	case kindAdmin:
		f.ID, f.Severity, f.Title, f.Remediation = "AUTH-ADMIN-OK", finding.SevInfo, title(findAdminOK, tg.proto), remediations[findAdminOK]
		ev["grade"] = r.grade(cand.cred.Password)
		strong = ev["grade"] == "strong"
		delete(ev, "password") // the administrator's own password: never printed, even with --show-secrets
	case kindWeak:
		f.ID, f.Severity, f.Title, f.Remediation = "AUTH-WEAK-"+proto, finding.SevHigh, title(findWeak, tg.proto), remediations[findDefault]
	default:
		f.ID, f.Severity, f.Title, f.Remediation = "AUTH-DEFAULT-"+proto, finding.SevCritical, title(findDefault, tg.proto), remediations[findDefault]
	}
	r.add(f)
	if o.Cleartext && tg.proto == "rtsp" {
		r.cleartext(tg.t, "rtsp", o.Route, "basic")
	}
	return strong
}

// grade grades an administrator's password with the injected grader and
// keeps the verdict only ("strong" or "weak"): the password's length or
// character classes never reach a report or the store. Without a grader
// a short password is "weak" and a longer one "unknown".
func (r *run) grade(pw string) string {
	if r.c.opts.Grade != nil {
		if strings.HasPrefix(strings.TrimSpace(r.c.opts.Grade(pw)), "strong") {
			return "strong"
		}
		return "weak"
	}
	if len([]rune(pw)) < 10 {
		return "weak"
	}
	return "unknown"
}

// save writes an SDP or JPEG of a no-password success through
// env.SaveEvidence (a fresh subfolder, no symlink followed) and returns
// its path, or "".
func (r *run) save(env *check.Env, t probe.Target, proto string, o login.Outcome) string {
	if len(o.Evidence) == 0 {
		return ""
	}
	ext := map[string]string{"sdp": ".sdp", "jpeg": ".jpg"}[o.EvidenceType]
	if ext == "" {
		return ""
	}
	name := strings.NewReplacer(":", "_", ".", "-").Replace(t.Addr.String()) + "-" + strconv.Itoa(int(t.Port)) + "-" + proto + ext
	path, err := env.SaveEvidence(name, o.Evidence)
	if err != nil {
		r.log.Warn("save evidence", "error", err)
		return ""
	}
	return path
}
