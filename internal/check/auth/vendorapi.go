package auth

import (
	"context"
	"strings"

	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/login/dahuarpc"
	"github.com/camwarden/camwarden/internal/login/foscamcgi"
	"github.com/camwarden/camwarden/internal/login/reolinkapi"
	"github.com/camwarden/camwarden/internal/probe"
)

// apiPlatforms maps brands to the vendor whose web login API they run.
var apiPlatforms = map[string]string{"amcrest": "dahua", "lorex": "dahua"}

// apiMethod returns the vendor's web login API (Dahua RPC2, Reolink
// api.cgi), or nil when its web login is Basic/Digest only; identify asks
// Dahua's RPC2 to read the identity in its login session.
func apiMethod(vendor string, useTLS, identify bool) login.Method {
	v := strings.ToLower(vendor)
	if p, ok := apiPlatforms[v]; ok {
		v = p
	}
	switch v {
	case "dahua":
		return &dahuarpc.Method{TLS: useTLS, Identify: identify}
	case "reolink":
		return &reolinkapi.Method{TLS: useTLS}
	case "foscam":
		return &foscamcgi.Method{TLS: useTLS}
	}
	return nil
}

// apiSurfaces checks the vendor's login API on an HTTP port: an API that
// answers without a login is AUTH-NONE-HTTP, one that wants a login is a
// surface to try credentials on. Dahua's and Reolink's Try check the
// no-login twin; Foscam's CGI has none (a call without usr/pwd is refused
// whatever the account), so a success there is confirmed by a random
// credential, and its usr/pwd in the URL query is AUTH-CLEARTEXT-HTTP
// over plain HTTP.
func (c *Checker) apiSurfaces(ctx context.Context, env *check.Env, pt probe.Target, s probe.Service, vendor string, r *run) []target {
	m := apiMethod(vendor, s.TLS || s.Protocol == "https", r.wantsIdentity())
	if m == nil || r.budget.Stopped() != "" {
		return nil
	}
	o, err := m.NoCredential(ctx, env.Dialer, pt)
	r.trace(env, "http", pt, "no-credential "+m.Name(), o, err)
	switch o.Result {
	case login.Locked:
		r.stop(o.Signal)
	case login.Success:
		r.none(env, pt, "http", o)
	case login.Failure:
		_, foscam := m.(*foscamcgi.Method)
		if foscam && o.Cleartext {
			r.cleartext(pt, "http", o.Route, o.Scheme)
		}
		return []target{{method: m, t: pt, proto: "http", route: o.Route, twin: !foscam}}
	}
	return nil
}
