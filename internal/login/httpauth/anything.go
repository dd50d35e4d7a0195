package httpauth

import (
	"context"
	"fmt"

	"github.com/camwarden/camwarden/internal/probe"
)

// anythingRoute is where AcceptsAnything sends its random credential: a
// vendor login route (Hikvision ISAPI userCheck) that a real device either
// lacks (404) or protects (401), never serves to a random account.
var anythingRoute = Route{Path: "/ISAPI/Security/userCheck"}

// AcceptsAnything reports whether a web server answers 2xx to a random
// path without credentials AND to a vendor login route with a random
// Basic credential: a device that says yes to anything, on which no login
// can be verified. It sends two requests; the second carries a random
// credential only when the first was answered 2xx (sent reports it; the
// caller budgets it as one attempt of a random account).
func AcceptsAnything(ctx context.Context, d probe.Dialer, t probe.Target, useTLS bool) (yes, sent bool, err error) {
	ex, err := doRoute(ctx, d, t, useTLS, Route{Path: "/camwarden-" + randomHex(6)}, "")
	if err != nil {
		return false, false, fmt.Errorf("http random path: %w", err)
	}
	if ex.status/100 != 2 {
		return false, false, nil
	}
	authz := BasicAuthorization("cw"+randomHex(5), randomHex(12))
	ex, err = doRoute(ctx, d, t, useTLS, anythingRoute, authz)
	if err != nil {
		return false, true, fmt.Errorf("http random credential: %w", err)
	}
	return ex.status/100 == 2, true, nil
}
