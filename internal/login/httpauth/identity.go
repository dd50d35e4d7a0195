package httpauth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	nethttp "net/http"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/login/digest"
	"github.com/camwarden/camwarden/internal/login/identity"
	"github.com/camwarden/camwarden/internal/probe"
)

// session is one Basic or Digest login: the scheme and challenge the
// device offered, the client nonce and the nonce count, so that the calls
// after the login reuse the device's nonce (nc 2, 3...) as a browser does
// rather than starting a new login; and the route that answered the
// login with its body (an identity document on some devices).
type session struct {
	scheme string
	chal   *digest.Challenge
	cnonce string
	count  int
	route  Route
	body   []byte
}

// newSession starts a session on the challenges of a 401 answer.
func newSession(challenge []string) *session {
	scheme, chal := digest.Pick(challenge)
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return &session{scheme: scheme, chal: chal, cnonce: hex.EncodeToString(b)}
}

// authorize returns the Authorization value of rt with c in the session
// (the next nonce count for Digest), or "" for a scheme it does not speak.
func (s *session) authorize(rt Route, c login.Credential) (string, error) {
	switch s.scheme {
	case "basic":
		return BasicAuthorization(c.Username, c.Password), nil
	case "digest":
		s.count++
		return s.chal.Authorization(digest.Request{Method: method(rt), URI: rt.Path,
			Username: c.Username, Password: c.Password, CNonce: s.cnonce, Count: s.count})
	}
	return "", nil
}

func method(rt Route) string {
	if rt.Method == "" {
		return nethttp.MethodGet
	}
	return rt.Method
}

func sameRoute(a, b Route) bool {
	return method(a) == method(b) && a.Path == b.Path && a.Body == b.Body
}

// errNoSession is returned when no Try succeeded on the Method.
var errNoSession = errors.New("http identity: no successful login to read in")

// ReadIdentity asks apis in the session of the last successful Try with
// c: a call on the route that answered the login reuses its body, the
// others reuse the digest nonce with the next nonce count. A stale nonce
// is renewed once; a 401 or a lockout signal is a refusal. Only reads.
func (m *Method) ReadIdentity(ctx context.Context, d probe.Dialer, t probe.Target, c login.Credential, apis []identity.API) (identity.Result, error) {
	if m.login == nil {
		return identity.Result{}, errNoSession
	}
	return identity.Drive(ctx, apis, func(ctx context.Context, api identity.API) (identity.Reply, error) {
		rt := Route{Method: api.Method, Path: api.Path, Body: api.Body, ContentType: api.ContentType}
		if m.login.body != nil && sameRoute(rt, m.login.route) {
			return identity.Reply{Status: nethttp.StatusOK, Body: m.login.body}, nil
		}
		return m.read(ctx, d, t, rt, c, true)
	})
}

// read makes one call in the session; renew allows one new challenge when
// the device says the nonce is stale (the credential was right).
func (m *Method) read(ctx context.Context, d probe.Dialer, t probe.Target, rt Route, c login.Credential, renew bool) (identity.Reply, error) {
	authz, err := m.login.authorize(rt, c)
	if err != nil || authz == "" {
		return identity.Reply{}, fmt.Errorf("http identity %s: no authorization: %v", rt.Path, err)
	}
	ex, err := doRoute(ctx, d, t, m.TLS, rt, authz)
	if err != nil {
		return identity.Reply{Sent: true}, fmt.Errorf("http identity %s: %w", rt.Path, err)
	}
	rep := identity.Reply{Status: ex.status, Body: ex.body, Sent: true}
	if ex.status == nethttp.StatusUnauthorized && renew {
		if scheme, chal := digest.Pick(ex.challenge); scheme == "digest" && chal.Stale {
			route, body := m.login.route, m.login.body
			m.login = newSession(ex.challenge)
			m.login.route, m.login.body = route, body
			return m.read(ctx, d, t, rt, c, false)
		}
	}
	rep.Refused = ex.status == nethttp.StatusUnauthorized || LockSignal(ex.status, ex.body) != ""
	return rep, nil
}

var _ identity.Reader = (*Method)(nil)
