package auth

import (
	"context"

	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/login/httpauth"
	"github.com/camwarden/camwarden/internal/login/identity"
	"github.com/camwarden/camwarden/internal/probe"
)

// maxIdentityReads bounds the identity reads after login on one device.
const maxIdentityReads = 2

// wantsIdentity reports whether reading the identity after a login can
// still teach something: the device's model or firmware (or vendor) is
// unknown, and no read gave both yet.
func (r *run) wantsIdentity() bool {
	if r.identityDone || r.identityReads >= maxIdentityReads {
		return false
	}
	return r.d.Vendor() == "" || r.d.Model() == "" || r.d.Firmware() == ""
}

// how says which credential opened the identity, for the claims' source;
// never the credential itself.
func how(k kind) string {
	switch k {
	case kindAdmin:
		return "with your credential"
	case kindWeak:
		return "with a weak password"
	}
	return "with the factory default"
}

// identityAPIs returns the vendor identity calls for a Basic/Digest web
// login on d (its vendor's, or its platform's, or a short generic list
// when the vendor is unknown).
func (r *run) identityAPIs() []identity.API {
	v := r.d.Vendor()
	return identity.HTTPAPIs(v, r.c.opts.Catalogue.Platform(v))
}

// readIdentity reads the device's identity with the vendor's read-only
// API in the session of the login that just worked on tg with cand, and
// adds what it says to the service's claims, sourced "<API>, read after
// login with ...". A read that sends the credential again is budgeted as
// an attempt of that account (a refusal counts as a failed login); one
// that reuses the session's token is not.
func (r *run) readIdentity(ctx context.Context, env *check.Env, tg target, cand candidate) {
	rd, ok := tg.method.(identity.Reader)
	if !ok || !r.wantsIdentity() {
		return
	}
	apis := r.identityAPIs()
	if _, web := tg.method.(*httpauth.Method); web && len(apis) == 0 {
		return
	}
	acct := r.account(tg, cand.cred.Username)
	if err := r.budget.ReserveKnown(acct); err != nil {
		r.log.Debug("identity read skipped", "protocol", tg.proto, "port", tg.t.Port, "reason", err)
		return
	}
	r.identityReads++
	res, err := rd.ReadIdentity(ctx, env.Dialer, tg.t, cand.cred, apis)
	if res.Refused {
		r.failed++
		r.budget.Record(acct, engine.AttemptFailed)
	} else {
		r.budget.Record(acct, engine.AttemptNeutral)
	}
	r.log.Debug("identity read after login", "protocol", tg.proto, "port", tg.t.Port, "apis", res.APIs,
		"claims", len(res.Claims), "sent", res.Sent, "refused", res.Refused, "error", err)
	if len(res.Claims) == 0 {
		return
	}
	r.identityDone = res.Complete()
	r.attach(tg, identity.Attribute(res.Claims, how(cand.kind)))
}

// attach adds claims to the device's service of tg (the web port for
// http, the ONVIF service on its port), so that the identity refresh
// merges them with the rest of the evidence.
func (r *run) attach(tg target, cl []probe.Claim) {
	best := -1
	for i, s := range r.d.Services {
		if s.Port != tg.t.Port || s.Transport != tg.t.Transport {
			continue
		}
		if s.Protocol == tg.proto || (tg.proto == "http" && s.Protocol == "https") {
			best = i
			break
		}
		if best < 0 {
			best = i
		}
	}
	if best < 0 {
		r.d.Services = append(r.d.Services, probe.Service{Port: tg.t.Port, Transport: tg.t.Transport,
			Protocol: tg.proto, Status: probe.StatusIdentified})
		best = len(r.d.Services) - 1
	}
	r.d.Services[best].Claims = append(r.d.Services[best].Claims, cl...)
}
