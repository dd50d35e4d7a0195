// Package httpauth tries HTTP Basic and Digest (RFC 7616) logins on a
// device's protected web route, the vendor's API path first, and checks
// whether that route, or a snapshot endpoint, answers without credentials.
package httpauth

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	nethttp "net/http"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/login/digest"
	"github.com/camwarden/camwarden/internal/probe"
	httpprobe "github.com/camwarden/camwarden/internal/probe/http"
)

// RequestTimeout bounds one request when the caller's context allows more.
const RequestTimeout = 5 * time.Second

// Route is one HTTP request that needs an administrator's login on a
// vendor's device.
type Route struct {
	Method      string // "" is GET
	Path        string // with query
	Body        string
	ContentType string
	// Admin is true when answering without credentials gives away
	// administration or video (not merely identity, as getSystemInfo).
	Admin bool
	// JPEG is true for snapshot routes: success needs a JPEG body.
	JPEG bool
}

// Method logs in on one Route of one HTTP(S) port. When a login there
// answers 404 (the route challenges every path but does not exist, as
// lighttpd's auth.require on a path prefix does), the route is absent and
// the same credential goes on to the next of Alternates. A Method keeps
// which routes proved absent; it is not safe for concurrent use.
type Method struct {
	Route      Route
	Alternates []Route
	TLS        bool
	absent     int // routes of routes() proved absent
	// login is the session of the last successful Try: its scheme,
	// challenge and nonce count, the route that answered and its body,
	// for the identity read after login (identity.go).
	login *session
}

// routes returns Route then Alternates.
func (m *Method) routes() []Route { return append([]Route{m.Route}, m.Alternates...) }

// Absent reports whether status after credentials says the route does not
// exist (404/410): it says nothing about the credential.
func Absent(status int) bool {
	return status == nethttp.StatusNotFound || status == nethttp.StatusGone
}

// Name returns "http-login".
func (m *Method) Name() string { return "http-login" }

// Protocol returns "http".
func (m *Method) Protocol() string { return "http" }

// exchange is one capped HTTP answer.
type exchange struct {
	status    int
	challenge []string
	ctype     string
	body      []byte
}

func (m *Method) do(ctx context.Context, d probe.Dialer, t probe.Target, path, authz string) (*exchange, error) {
	rt := m.Route
	rt.Path = path
	return doRoute(ctx, d, t, m.TLS, rt, authz)
}

// doRoute sends rt (with authz when set) and reads the capped answer.
func doRoute(ctx context.Context, d probe.Dialer, t probe.Target, useTLS bool, rt Route, authz string) (*exchange, error) {
	ctx, cancel := context.WithTimeout(ctx, RequestTimeout)
	defer cancel()
	method := rt.Method
	if method == "" {
		method = nethttp.MethodGet
	}
	var req *nethttp.Request
	var err error
	if rt.Body != "" {
		req, err = nethttp.NewRequestWithContext(ctx, method, httpprobe.BaseURL(t, useTLS)+rt.Path, strings.NewReader(rt.Body))
	} else {
		req, err = nethttp.NewRequestWithContext(ctx, method, httpprobe.BaseURL(t, useTLS)+rt.Path, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	if rt.ContentType != "" {
		req.Header.Set("Content-Type", rt.ContentType)
	}
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	reply, err := httpprobe.Do(httpprobe.NewClient(d, t), req)
	if err != nil {
		return nil, err
	}
	return &exchange{status: reply.Resp.StatusCode, challenge: reply.Resp.Header.Values("WWW-Authenticate"),
		ctype: reply.Resp.Header.Get("Content-Type"), body: reply.Body}, nil
}

// NoCredential asks the route without credentials. Success means it
// served what it protects (an admin answer or a JPEG) and that a random
// path on the same port does not answer 200 too (then Unverifiable).
func (m *Method) NoCredential(ctx context.Context, d probe.Dialer, t probe.Target) (login.Outcome, error) {
	out := login.Outcome{Route: m.Route.Path, Cleartext: !m.TLS}
	ex, err := m.do(ctx, d, t, m.Route.Path, "")
	if err != nil {
		return login.Errored(m.Route.Path, "http "+m.Route.Path, err)
	}
	if sig := LockSignal(ex.status, ex.body); sig != "" {
		out.Result, out.Signal = login.Locked, sig
		return out, nil
	}
	if ex.status/100 != 2 || (m.Route.JPEG && !IsJPEG(ex.body)) || (!m.Route.Admin && !m.Route.JPEG) {
		out.Result = login.Failure
		out.Scheme, _ = digest.Pick(ex.challenge)
		return out, nil
	}
	ctrl, err := m.do(ctx, d, t, "/camwarden-"+randomHex(6), "")
	if err != nil {
		return login.Errored(m.Route.Path, "http control path", err)
	}
	if ctrl.status/100 == 2 && (!m.Route.JPEG || IsJPEG(ctrl.body)) {
		out.Result = login.Unverifiable
		return out, nil
	}
	out.Result = login.Success
	if m.Route.JPEG {
		out.Evidence, out.EvidenceType = ex.body, "jpeg"
	}
	return out, nil
}

// Try asks the route without credentials to get the challenge (which also
// proves the route is protected), then answers it with c. A route that
// answers without credentials is Unverifiable: a login there proves
// nothing. A route that answers 404 to the login is absent: c goes on to
// the next alternate route, and when none is left the outcome is
// Unverifiable (never a failure: the device did not refuse c).
func (m *Method) Try(ctx context.Context, d probe.Dialer, t probe.Target, c login.Credential) (login.Outcome, error) {
	routes := m.routes()
	for m.absent < len(routes) {
		rt := routes[m.absent]
		out, absent, err := m.tryRoute(ctx, d, t, rt, c)
		if !absent {
			return out, err
		}
		m.absent++
	}
	return login.Outcome{Route: m.Route.Path, Result: login.Unverifiable}, nil
}

// tryRoute is one login on rt; absent reports a 404/410 answer (to the
// challenge request or to the login).
func (m *Method) tryRoute(ctx context.Context, d probe.Dialer, t probe.Target, rt Route, c login.Credential) (login.Outcome, bool, error) {
	out := login.Outcome{Route: rt.Path}
	first, err := doRoute(ctx, d, t, m.TLS, rt, "")
	if err != nil {
		o, err := login.Errored(rt.Path, "http challenge", err)
		return o, false, err
	}
	if sig := LockSignal(first.status, first.body); sig != "" {
		out.Result, out.Signal = login.Locked, sig
		return out, false, nil
	}
	if Absent(first.status) {
		return out, true, nil
	}
	if first.status != nethttp.StatusUnauthorized {
		out.Result = login.Unverifiable
		return out, false, nil
	}
	sess := newSession(first.challenge)
	out.Scheme = sess.scheme
	out.Cleartext = sess.scheme == "basic" && !m.TLS
	authz, err := sess.authorize(rt, c)
	if err != nil {
		o, err := login.Errored(rt.Path, "http digest", err)
		return o, false, err
	}
	if authz == "" {
		out.Result = login.Unverifiable
		return out, false, nil
	}
	ex, err := doRoute(ctx, d, t, m.TLS, rt, authz)
	if err != nil {
		o, err := login.Errored(rt.Path, "http login", err)
		return o, false, err
	}
	if Absent(ex.status) {
		return out, true, nil
	}
	out.Result = Judge(ex.status, ex.body)
	if out.Result == login.Locked {
		out.Signal = LockSignal(ex.status, ex.body)
	}
	if out.Result == login.Success {
		sess.route, sess.body = rt, ex.body
		m.login = sess
	}
	return out, false, nil
}

// Judge classifies the answer to an authenticated request whose
// unauthenticated twin answered 401.
func Judge(status int, body []byte) login.Result {
	switch {
	case LockSignal(status, body) != "":
		return login.Locked
	case status/100 == 2:
		return login.Success
	case status == nethttp.StatusUnauthorized:
		return login.Failure
	default:
		return login.Unverifiable
	}
}

// LockSignal returns a description of a lockout signal in an answer, or
// "": HTTP 423, 403 (the 401→403 change of locking devices), Hikvision's
// <lockStatus>lock</lockStatus>/<unlockTime>, or a "locked" error text.
func LockSignal(status int, body []byte) string {
	switch status {
	case nethttp.StatusLocked:
		return "http 423 locked"
	case nethttp.StatusForbidden:
		return "http 403 after 401"
	}
	if status/100 == 2 {
		return ""
	}
	if ls := xmlLeaf(body, "lockStatus"); ls != "" && !strings.EqualFold(ls, "unlock") {
		return fmt.Sprintf("isapi lockStatus=%s unlockTime=%s", ls, xmlLeaf(body, "unlockTime"))
	}
	low := bytes.ToLower(body)
	if len(low) < 4096 && (bytes.Contains(low, []byte("locked")) || bytes.Contains(low, []byte("user is locked"))) {
		return "device says locked"
	}
	return ""
}

// xmlLeaf returns the text of the first <name>text</name>, capped, or "".
func xmlLeaf(body []byte, name string) string {
	open := []byte("<" + name + ">")
	i := bytes.Index(body, open)
	if i < 0 {
		return ""
	}
	rest := body[i+len(open):]
	j := bytes.IndexByte(rest, '<')
	if j < 0 || j > 64 {
		return ""
	}
	return probe.Printable(bytes.TrimSpace(rest[:j]), 64)
}

// BasicAuthorization returns the Basic Authorization header value.
func BasicAuthorization(user, pass string) string {
	r := &nethttp.Request{Header: nethttp.Header{}}
	r.SetBasicAuth(user, pass)
	return r.Header.Get("Authorization")
}

// IsJPEG reports whether b starts like a JPEG image (SOI + marker).
func IsJPEG(b []byte) bool { return len(b) > 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
