package exposure

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
)

// sshUser is the user name of the "none" request. Servers answer the
// method list for any name; this one says who asked in the device's log.
const sshUser = "camwarden-audit"

// errMethodsRead stops the SSH handshake once the server has named its
// methods: no password or key is ever sent.
var errMethodsRead = errors.New("exposure: auth methods read")

// SSHAuthMethods asks the SSH server on conn which authentication methods
// it offers, with the RFC 4252 "none" request only. It returns the methods
// and whether "none" itself was accepted (a server without any login).
// conn is closed on return; its deadline must be set by the caller.
func SSHAuthMethods(conn net.Conn, addr string) (methods []string, noneAccepted bool, hostKey string, err error) {
	defer conn.Close()
	cfg := &ssh.ClientConfig{
		User: sshUser,
		HostKeyCallback: func(_ string, _ net.Addr, key ssh.PublicKey) error {
			hostKey = ssh.FingerprintSHA256(key)
			return nil // an auditor records the key; nothing secret is sent
		},
		AuthCallback: func(ac *ssh.ClientAuthContext) (ssh.AuthMethod, error) {
			methods = slices.Clone(ac.AllowedMethods)
			return nil, errMethodsRead
		},
	}
	c, chans, reqs, err := ssh.NewClientConn(conn, addr, cfg)
	if err == nil {
		// "none" succeeded: the server let us in without any credential.
		go ssh.DiscardRequests(reqs)
		go func() {
			for ch := range chans {
				_ = ch.Reject(ssh.Prohibited, "audit")
			}
		}()
		_ = c.Close()
		return nil, true, hostKey, nil
	}
	if errors.Is(err, errMethodsRead) {
		return methods, false, hostKey, nil
	}
	return nil, false, hostKey, fmt.Errorf("ssh auth methods %s: %w", addr, err)
}

// sshPassword reads the auth methods of every identified SSH service and
// reports EXPOSE-SSH-PASSWORD when password or keyboard-interactive login
// is offered, critical when "none" is accepted.
func (c *Checker) sshPassword(ctx context.Context, env *check.Env, fs *findings, d *device.Device) {
	for i := range d.Services {
		s := &d.Services[i]
		if s.Protocol != protoSSH || s.Status != probe.StatusIdentified {
			continue
		}
		methods, none, key, err := c.readSSH(ctx, env.Dialer, d, s)
		if err != nil {
			if env.Logger != nil {
				env.Logger.DebugContext(ctx, "exposure: ssh auth methods unreadable", "address", d.Address, "port", s.Port, "err", err)
			}
			continue
		}
		ev := map[string]string{"banner": s.Fields[probe.FieldSSHBanner], "host_key": key,
			"auth_methods": strings.Join(methods, ","), "request": "userauth none"}
		switch {
		case none:
			ev["auth_methods"] = "none accepted (no credential needed)"
			fs.add(IDSSHPassword, finding.SevCritical, s, ev)
			fs.raise(IDSSHPassword, finding.SevCritical)
		case slices.Contains(methods, "password") || slices.Contains(methods, "keyboard-interactive"):
			fs.add(IDSSHPassword, finding.SevMedium, s, ev)
		}
	}
}

func (c *Checker) readSSH(ctx context.Context, dialer probe.Dialer, d *device.Device, s *probe.Service) ([]string, bool, string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	t := probe.Target{Addr: d.Address, Port: s.Port, Transport: "tcp", Hostname: d.Hostname}
	conn, err := dialer.DialContext(ctx, "tcp", t.Address())
	if err != nil {
		return nil, false, "", fmt.Errorf("ssh dial %s: %w", t.Address(), err)
	}
	stop := probe.ApplyDeadline(ctx, conn, c.timeout)
	defer stop()
	return SSHAuthMethods(conn, t.Address())
}
