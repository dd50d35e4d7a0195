package auth

import (
	"context"
	"time"

	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
)

// Refused connections: a port that accepted connections before the
// check's failed logins and then refuses refusedInARow in a row is read as
// a lockout (a device that bans the client). A single refusal is what a
// busy small server does (busybox telnetd: listen backlog 1, a 3 s delay
// after a wrong password), so a refused attempt is retried after a short
// backoff, and never counted as a failure: the credential was not sent.
const (
	refusedInARow  = 4 // backoffs 0.5+1+2 s outlast busybox's 3 s delay
	refusedBackoff = 500 * time.Millisecond
)

// try makes one attempt of c on tg, retrying refused connections with a
// backoff until refusedInARow refusals in a row after failed logins stop
// the device (or, with no failure yet, until the retries run out).
func (r *run) try(ctx context.Context, env *check.Env, tg target, c login.Credential, what string) login.Outcome {
	wait := refusedBackoff
	if r.backoff > 0 {
		wait = r.backoff
	}
	for i := 1; ; i++ {
		o, err := tg.method.Try(ctx, env.Dialer, tg.t, c)
		r.trace(env, tg.proto, tg.t, what, o, err)
		if o.Result != login.Error || o.Status != probe.StatusRefused {
			r.refusals = mapCount(r.refusals, key(tg), 0)
			return o
		}
		n := r.refusals[key(tg)] + 1
		r.refusals = mapCount(r.refusals, key(tg), n)
		if n >= refusedInARow && r.failed > 0 {
			o.Result, o.Signal = login.Locked, "connection refused after failed logins (several in a row on a port that accepted before)"
			return o
		}
		if i >= refusedInARow {
			return o
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return o
		case <-t.C:
		}
		wait *= 2
	}
}

func mapCount(m map[string]int, k string, n int) map[string]int {
	if m == nil {
		m = map[string]int{}
	}
	m[k] = n
	return m
}
