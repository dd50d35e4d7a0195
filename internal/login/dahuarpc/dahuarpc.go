// Package dahuarpc tries logins on Dahua's RPC2 web API (/RPC2_Login), the
// login of the Dahua and Amcrest web interfaces: global.login with an empty
// password returns a challenge (realm, random); the second call sends
// MD5_upper(user:random:MD5_upper(user:realm:password)).
package dahuarpc

import (
	"bytes"
	"cmp"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	nethttp "net/http"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/login/identity"
	"github.com/camwarden/camwarden/internal/probe"
	httpprobe "github.com/camwarden/camwarden/internal/probe/http"
)

// Path is the RPC2 login endpoint; LogoutPath ends a session.
const (
	Path       = "/RPC2_Login"
	LogoutPath = "/RPC2"
)

// RequestTimeout bounds one request when the caller's context allows more.
const RequestTimeout = 5 * time.Second

// probeUser is the account the no-credential check asks a challenge for:
// Dahua's administrator account.
const probeUser = "admin"

// Method logs in through RPC2 on one HTTP(S) port.
type Method struct {
	TLS bool
	// Identify asks, after a successful login and before its logout, the
	// read-only magicBox identity calls in the same RPC2 session (see
	// ReadIdentity).
	Identify bool
	// identity is what those calls answered.
	identity identity.Result
}

// Name returns "dahua-rpc2".
func (m *Method) Name() string { return "dahua-rpc2" }

// Protocol returns "http": RPC2 is the device's web login.
func (m *Method) Protocol() string { return "http" }

type request struct {
	Method  string         `json:"method"`
	Params  map[string]any `json:"params"`
	ID      int            `json:"id"`
	Session any            `json:"session"`
}

func (m *Method) call(ctx context.Context, d probe.Dialer, t probe.Target, path string, req request) (*Reply, error) {
	b, err := m.post(ctx, d, t, path, req)
	if err != nil {
		return nil, err
	}
	return ParseReply(b)
}

// post sends one RPC2 request and returns the raw answer of a 200.
func (m *Method) post(ctx context.Context, d probe.Dialer, t probe.Target, path string, req request) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, RequestTimeout)
	defer cancel()
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", req.Method, err)
	}
	hr, err := nethttp.NewRequestWithContext(ctx, nethttp.MethodPost, httpprobe.BaseURL(t, m.TLS)+path, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	hr.Header.Set("Content-Type", "application/json")
	reply, err := httpprobe.Do(httpprobe.NewClient(d, t), hr)
	if err != nil {
		return nil, err
	}
	if reply.Resp.StatusCode != nethttp.StatusOK {
		return nil, fmt.Errorf("%w: http status %d", ErrNotRPC2, reply.Resp.StatusCode)
	}
	return reply.Body, nil
}

// challenge is the first step: global.login with an empty password.
func (m *Method) challenge(ctx context.Context, d probe.Dialer, t probe.Target, user string) (*Reply, error) {
	return m.call(ctx, d, t, Path, request{Method: "global.login", ID: 1, Session: 0, Params: map[string]any{
		"userName": user, "password": "", "clientType": "Web3.0", "loginType": "Direct"}})
}

// outcome maps a reply to a login result: a lock signal, result true, or
// a refusal.
func outcome(r *Reply) login.Outcome {
	out := login.Outcome{Route: Path, Scheme: "rpc2"}
	if locked, sig := r.Locked(); locked {
		out.Result, out.Signal = login.Locked, sig
		return out
	}
	if r.Result {
		out.Result = login.Success
		return out
	}
	out.Result = login.Failure
	return out
}

// NoCredential asks for the administrator's challenge. Failure (scheme
// "rpc2") means the RPC2 login is there and wants a password; Success
// means global.login succeeded with an empty password; a port without
// RPC2 gives Error with StatusMalformed.
func (m *Method) NoCredential(ctx context.Context, d probe.Dialer, t probe.Target) (login.Outcome, error) {
	r, err := m.challenge(ctx, d, t, probeUser)
	if err != nil {
		return errored("rpc2 challenge", err)
	}
	out := outcome(r)
	if out.Result == login.Failure && r.Code != CodeChallenge {
		out.Result = login.Unverifiable // neither a challenge nor a refusal we know
	}
	if out.Result == login.Success {
		m.logout(ctx, d, t, r.Session)
	}
	return out, nil
}

// Try runs both steps for c. The first step is the same request without a
// password: it must answer the challenge, never result true, or the
// attempt is Unverifiable. A session that worked is logged out.
func (m *Method) Try(ctx context.Context, d probe.Dialer, t probe.Target, c login.Credential) (login.Outcome, error) {
	ch, err := m.challenge(ctx, d, t, c.Username)
	if err != nil {
		return errored("rpc2 challenge", err)
	}
	if o := outcome(ch); o.Result != login.Failure || ch.Code != CodeChallenge {
		if o.Result == login.Success || o.Result == login.Failure {
			o.Result = login.Unverifiable
		}
		return o, nil
	}
	r, err := m.call(ctx, d, t, Path, request{Method: "global.login", ID: 2, Session: ch.Session, Params: map[string]any{
		"userName": c.Username, "password": Hash(c.Username, c.Password, ch.Realm, ch.Random),
		"clientType": "Web3.0", "loginType": "Direct", "authorityType": ch.encryption(), "passwordType": ch.encryption()}})
	if err != nil {
		return errored("rpc2 login", err)
	}
	out := outcome(r)
	if out.Result == login.Success {
		session := cmp.Or(r.Session, ch.Session)
		if m.Identify {
			m.identity = m.magicBox(ctx, d, t, session)
		}
		m.logout(ctx, d, t, session)
	}
	return out, nil
}

func (r *Reply) encryption() string {
	if r.Encryption == "" {
		return "Default"
	}
	return r.Encryption
}

// logout ends a session politely; its answer does not matter.
func (m *Method) logout(ctx context.Context, d probe.Dialer, t probe.Target, session string) {
	if session == "" {
		return
	}
	_, _ = m.call(ctx, d, t, LogoutPath, request{Method: "global.logout", ID: 3, Session: session, Params: map[string]any{}})
}

// Hash is the "Default" RPC2 login hash:
// MD5_upper(user:random:MD5_upper(user:realm:password)).
func Hash(user, password, realm, random string) string {
	inner := md5Upper(user + ":" + realm + ":" + password)
	return md5Upper(user + ":" + random + ":" + inner)
}

func md5Upper(s string) string {
	h := md5.Sum([]byte(s))
	return strings.ToUpper(hex.EncodeToString(h[:]))
}

func errored(what string, err error) (login.Outcome, error) {
	o, werr := login.Errored(Path, what, err)
	if errors.Is(err, ErrNotRPC2) {
		o.Status = probe.StatusMalformed
	}
	return o, werr
}
