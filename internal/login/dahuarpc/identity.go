package dahuarpc

import (
	"context"
	"errors"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/login/identity"
	"github.com/camwarden/camwarden/internal/probe"
)

// magicBoxCalls are the read-only RPC2 identity calls asked in a login
// session (Dahua RPC2 magicBox service, as the web UI asks them):
// getDeviceType (model), getSoftwareVersion (version and build date) and
// getSerialNo.
var magicBoxCalls = []string{"magicBox.getDeviceType", "magicBox.getSoftwareVersion", "magicBox.getSerialNo"}

// magicBox asks the identity calls in session; a call that fails or
// answers an error is skipped.
func (m *Method) magicBox(ctx context.Context, d probe.Dialer, t probe.Target, session string) identity.Result {
	var r identity.Result
	for i, method := range magicBoxCalls {
		if ctx.Err() != nil {
			break
		}
		b, err := m.post(ctx, d, t, LogoutPath, request{Method: method, ID: 10 + i, Session: session})
		if err != nil {
			continue
		}
		if cl, err := identity.ParseDahuaRPC2(b); err == nil {
			r.Add("Dahua RPC2 "+method, cl)
		}
	}
	return r
}

// ReadIdentity returns what the magicBox calls answered in the session of
// the last successful Try (made only when Identify is set); it sends
// nothing. apis and c are not used.
func (m *Method) ReadIdentity(_ context.Context, _ probe.Dialer, _ probe.Target, _ login.Credential, _ []identity.API) (identity.Result, error) {
	if len(m.identity.APIs) == 0 {
		return m.identity, errors.New("dahua rpc2 identity: nothing read in a login session")
	}
	return m.identity, nil
}

var _ identity.Reader = (*Method)(nil)
