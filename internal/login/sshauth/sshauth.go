// Package sshauth tries SSH logins with golang.org/x/crypto/ssh: password,
// or keyboard-interactive (every prompt answered with the password) when
// the server offers no password method. Each connection makes exactly one
// password check, so the check's login budget counts what the server
// counts. A server that accepts the "none" method is the no-credential
// finding. The host key is recorded, never verified: camwarden audits a
// device it has never seen and sends nothing after authentication.
package sshauth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
	probessh "github.com/camwarden/camwarden/internal/probe/ssh"
)

const (
	// AttemptTimeout bounds one connection: key exchange and one check.
	AttemptTimeout = 10 * time.Second
	// NoneUser is the account the "none" method is tried for.
	NoneUser = "root"
	// clientVersion is what the probe sends too.
	clientVersion = "SSH-2.0-camwarden"
	maxPrompts    = 8
)

var (
	// errChecked ends the handshake after the one password check.
	errChecked = errors.New("sshauth: one password check per connection done")
	// errNoPasswordMethod: the server offers neither password nor
	// keyboard-interactive, so no password can be checked.
	errNoPasswordMethod = errors.New("sshauth: server offers no password method")
	// errPartial: the password was accepted but another factor is required.
	errPartial = errors.New("sshauth: partial success, another method required")
	// errSecondRound: keyboard-interactive asked again after the password.
	errSecondRound = errors.New("sshauth: keyboard-interactive asked a second round")
)

// HostKeyRecorder receives the host key a server presented.
type HostKeyRecorder func(t probe.Target, key ssh.PublicKey)

// Method logs in over SSH.
type Method struct {
	// HostKey, when set, records every host key seen (nil: ignored).
	HostKey HostKeyRecorder
}

var _ login.Method = Method{}

// Name returns "ssh-login".
func (Method) Name() string { return "ssh-login" }

// Protocol returns "ssh".
func (Method) Protocol() string { return probessh.Protocol }

// NoCredential asks to log in as NoneUser with the "none" method: Success
// means the server lets anyone in without a password.
func (m Method) NoCredential(ctx context.Context, d probe.Dialer, t probe.Target) (login.Outcome, error) {
	a := &attempt{}
	return m.run(ctx, d, t, NoneUser, a, "none")
}

// Try checks c once, with password or keyboard-interactive.
func (m Method) Try(ctx context.Context, d probe.Dialer, t probe.Target, c login.Credential) (login.Outcome, error) {
	a := &attempt{password: c.Password, check: true}
	return m.run(ctx, d, t, c.Username, a, "password")
}

// attempt is the state of one connection's authentication.
type attempt struct {
	password string
	check    bool   // false: stop after "none"
	method   string // the method that carried the password, "" before
	methods  []string
}

// next picks the one method that carries the password, then ends the
// handshake; it is x/crypto/ssh's AuthCallback.
func (a *attempt) next(ac *ssh.ClientAuthContext) (ssh.AuthMethod, error) {
	a.methods = ac.AllowedMethods
	switch {
	case len(ac.PartialSuccessMethods) > 0:
		return nil, errPartial
	case a.method != "" || !a.check:
		return nil, errChecked
	case slices.Contains(ac.AllowedMethods, "password"):
		a.method = "password"
		return ssh.Password(a.password), nil
	case slices.Contains(ac.AllowedMethods, "keyboard-interactive"):
		a.method = "keyboard-interactive"
		rounds := 0
		return ssh.KeyboardInteractive(func(_, _ string, questions []string, _ []bool) ([]string, error) {
			if len(questions) == 0 { // informational round: nothing is checked
				return nil, nil
			}
			if rounds++; rounds > 1 || len(questions) > maxPrompts {
				return nil, errSecondRound
			}
			answers := make([]string, len(questions))
			for i := range answers {
				answers[i] = a.password
			}
			return answers, nil
		}), nil
	}
	return nil, errNoPasswordMethod
}

func (m Method) run(ctx context.Context, d probe.Dialer, t probe.Target, user string, a *attempt, route string) (login.Outcome, error) {
	out := login.Outcome{Route: route, Scheme: route}
	ctx, cancel := context.WithTimeout(ctx, AttemptTimeout)
	defer cancel()
	conn, err := d.DialContext(ctx, "tcp", t.Address())
	if err != nil {
		return login.Errored(route, "ssh dial "+t.Address(), err)
	}
	defer func() { _ = conn.Close() }()
	stop := probe.ApplyDeadline(ctx, conn, AttemptTimeout)
	defer stop()
	cfg := &ssh.ClientConfig{
		User:          user,
		ClientVersion: clientVersion,
		AuthCallback:  a.next,
		HostKeyCallback: func(_ string, _ net.Addr, key ssh.PublicKey) error {
			if m.HostKey != nil {
				m.HostKey(t, key)
			}
			return nil // recorded, never verified
		},
	}
	c, _, _, err := ssh.NewClientConn(conn, t.Address(), cfg)
	if a.method != "" {
		out.Scheme = a.method
	}
	switch {
	case err == nil:
		_ = c.Close()
		out.Result = login.Success
		if a.check && a.method == "" { // "none" let this user in: the password was never checked
			out.Result = login.Unverifiable
		}
	case errors.Is(err, errChecked):
		out.Result = login.Failure
	case errors.Is(err, errNoPasswordMethod), errors.Is(err, errPartial), errors.Is(err, errSecondRound):
		out.Result = login.Unverifiable
		out.Route = route + " (server offers " + strings.Join(a.methods, ",") + ")"
	default: // timeout, reset, closed: the check settles what it means

		return login.Errored(route, fmt.Sprintf("ssh %s %s", route, t.Address()), err)
	}
	return out, nil
}
