// Package reolinkapi tries logins on Reolink's HTTP API (api.cgi), the
// login of Reolink's web interface: cmd=Login returns a token in
// value.Token.name; the check confirms it by asking GetDevInfo with the
// token after the same request without one was refused.
package reolinkapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	nethttp "net/http"
	"net/url"
	"time"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/login/identity"
	"github.com/camwarden/camwarden/internal/probe"
	httpprobe "github.com/camwarden/camwarden/internal/probe/http"
)

// Path is the API endpoint.
const Path = "/api.cgi"

// RequestTimeout bounds one request when the caller's context allows more.
const RequestTimeout = 5 * time.Second

// Method logs in through api.cgi on one HTTP(S) port.
type Method struct {
	TLS bool
	// devInfo is the GetDevInfo answer the last successful Try read with
	// its token: the device's identity, read in that login's session.
	devInfo []byte
}

// Name returns "reolink-api".
func (m *Method) Name() string { return "reolink-api" }

// Protocol returns "http": api.cgi is the device's web login.
func (m *Method) Protocol() string { return "http" }

type command struct {
	Cmd    string         `json:"cmd"`
	Action int            `json:"action"`
	Param  map[string]any `json:"param"`
}

func (m *Method) call(ctx context.Context, d probe.Dialer, t probe.Target, cmd, token string, param map[string]any) (*Reply, error) {
	r, _, err := m.callRaw(ctx, d, t, cmd, token, param)
	return r, err
}

// callRaw is call that also returns the raw answer.
func (m *Method) callRaw(ctx context.Context, d probe.Dialer, t probe.Target, cmd, token string, param map[string]any) (*Reply, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, RequestTimeout)
	defer cancel()
	if param == nil {
		param = map[string]any{}
	}
	body, err := json.Marshal([]command{{Cmd: cmd, Param: param}})
	if err != nil {
		return nil, nil, fmt.Errorf("encode %s: %w", cmd, err)
	}
	q := url.Values{"cmd": {cmd}}
	if token != "" {
		q.Set("token", token)
	}
	hr, err := nethttp.NewRequestWithContext(ctx, nethttp.MethodPost, httpprobe.BaseURL(t, m.TLS)+Path+"?"+q.Encode(), bytes.NewReader(body))
	if err != nil {
		return nil, nil, fmt.Errorf("build request: %w", err)
	}
	hr.Header.Set("Content-Type", "application/json")
	reply, err := httpprobe.Do(httpprobe.NewClient(d, t), hr)
	if err != nil {
		return nil, nil, err
	}
	if reply.Resp.StatusCode != nethttp.StatusOK {
		return nil, nil, fmt.Errorf("%w: http status %d", ErrNotAPI, reply.Resp.StatusCode)
	}
	r, err := ParseReply(reply.Body)
	return r, reply.Body, err
}

// route names the attempt in evidence.
const route = Path + "?cmd=Login"

// NoCredential asks GetDevInfo without a token: Failure (scheme
// "reolink-api") when the API wants a login, Success when it answers.
func (m *Method) NoCredential(ctx context.Context, d probe.Dialer, t probe.Target) (login.Outcome, error) {
	r, err := m.call(ctx, d, t, "GetDevInfo", "", nil)
	if err != nil {
		return errored("api.cgi GetDevInfo", err)
	}
	out := login.Outcome{Route: Path + "?cmd=GetDevInfo", Scheme: "reolink-api", Cleartext: !m.TLS}
	switch {
	case r.OK():
		out.Result = login.Success
	case r.RspCode == RspPleaseLogin:
		out.Result = login.Failure
	default:
		out.Result = login.Unverifiable
	}
	return out, nil
}

// Try logs in with c. A token counts only when GetDevInfo without a token
// is refused and with the token answers. The token is logged out.
func (m *Method) Try(ctx context.Context, d probe.Dialer, t probe.Target, c login.Credential) (login.Outcome, error) {
	out := login.Outcome{Route: route, Scheme: "reolink-api", Cleartext: !m.TLS}
	r, err := m.call(ctx, d, t, "Login", "", map[string]any{"User": map[string]any{"userName": c.Username, "password": c.Password}})
	if err != nil {
		return errored("api.cgi Login", err)
	}
	if locked, sig := r.Locked(); locked {
		out.Result, out.Signal = login.Locked, sig
		return out, nil
	}
	if r.Code != 0 || r.Token == "" {
		out.Result = login.Failure
		return out, nil
	}
	defer m.logout(ctx, d, t, r.Token)
	bare, err := m.call(ctx, d, t, "GetDevInfo", "", nil)
	if err != nil {
		return errored("api.cgi GetDevInfo without token", err)
	}
	with, info, err := m.callRaw(ctx, d, t, "GetDevInfo", r.Token, nil)
	if err != nil {
		return errored("api.cgi GetDevInfo with token", err)
	}
	switch {
	case with.OK() && !bare.OK():
		out.Result = login.Success
		m.devInfo = info
	default:
		out.Result = login.Unverifiable
	}
	return out, nil
}

func (m *Method) logout(ctx context.Context, d probe.Dialer, t probe.Target, token string) {
	_, _ = m.call(ctx, d, t, "Logout", token, nil)
}

func errored(what string, err error) (login.Outcome, error) {
	o, werr := login.Errored(route, what, err)
	if errors.Is(err, ErrNotAPI) {
		o.Status = probe.StatusMalformed
	}
	return o, werr
}

// ReadIdentity returns the identity of the GetDevInfo answer the last
// successful Try read with its token (no new request: the document the
// login already fetched). apis and c are not used.
func (m *Method) ReadIdentity(_ context.Context, _ probe.Dialer, _ probe.Target, _ login.Credential, _ []identity.API) (identity.Result, error) {
	var r identity.Result
	if m.devInfo == nil {
		return r, errors.New("reolink identity: no successful login to read in")
	}
	cl, err := identity.ParseReolinkDevInfo(m.devInfo)
	if err != nil {
		return r, fmt.Errorf("reolink identity: %w", err)
	}
	r.Add("Reolink GetDevInfo", cl)
	return r, nil
}

var _ identity.Reader = (*Method)(nil)
