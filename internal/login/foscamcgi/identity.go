package foscamcgi

import (
	"context"
	"fmt"
	"net/url"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/login/identity"
	"github.com/camwarden/camwarden/internal/probe"
)

// InfoCommand is the read-only CGI command that answers the camera's
// identity (productName, firmwareVer, hardwareVer, serialNo, mac).
const InfoCommand = "getDevInfo"

// ReadIdentity asks getDevInfo with c in the query, as every Foscam CGI
// call carries its account (the CGI has no session): result -2 (wrong
// account) or -3 (denied) is a refusal. apis is not used.
func (m *Method) ReadIdentity(ctx context.Context, d probe.Dialer, t probe.Target, c login.Credential, _ []identity.API) (identity.Result, error) {
	r := identity.Result{Sent: true}
	b, err := m.get(ctx, d, t, InfoCommand, url.Values{"usr": {c.Username}, "pwd": {c.Password}})
	if err != nil {
		return r, fmt.Errorf("foscam identity: %w", err)
	}
	if code, err := ParseResult(b); err == nil && (code == ResultBadAccount || code == ResultDenied) {
		r.Refused = true
		return r, nil
	}
	cl, err := identity.ParseFoscamDevInfo(b)
	if err != nil {
		return r, fmt.Errorf("foscam identity: %w", err)
	}
	r.Add("Foscam getDevInfo", cl)
	return r, nil
}

var _ identity.Reader = (*Method)(nil)
