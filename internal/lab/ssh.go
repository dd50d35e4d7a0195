package lab

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"time"

	"golang.org/x/crypto/ssh"
)

// sshServer is a device's SSH server: the device's version line, a host
// key made at start, and password login checked against the device's
// accounts (failures count towards its lockout like every protocol). It
// offers "password" only, as RouterOS and dropbear do by default, and
// rejects every channel: the lab has no shell.
type sshServer struct {
	cfg *ssh.ServerConfig
}

func newSSHServer(d *device) (*sshServer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("lab ssh host key: %w", err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		return nil, fmt.Errorf("lab ssh host key: %w", err)
	}
	cfg := &ssh.ServerConfig{
		ServerVersion: d.def.SSH,
		MaxAuthTries:  6,
		PasswordCallback: func(m ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			if d.auth.verify("ssh", m.User(), func(p string) bool { return p == string(pw) }) == authOK {
				return &ssh.Permissions{}, nil
			}
			return nil, errors.New("lab: ssh login refused")
		},
	}
	cfg.AddHostKey(signer)
	return &sshServer{cfg: cfg}, nil
}

// serve runs one SSH connection until the client leaves or the idle timer
// ends.
func (s *sshServer) serve(ctx context.Context, c net.Conn) {
	_ = c.SetDeadline(time.Now().Add(lineIdle))
	sc, chans, reqs, err := ssh.NewServerConn(c, s.cfg)
	if err != nil {
		return // a banner grab or a refused login ends here
	}
	defer sc.Close()
	stop := context.AfterFunc(ctx, func() { _ = sc.Close() })
	defer stop()
	go ssh.DiscardRequests(reqs)
	for ch := range chans {
		_ = ch.Reject(ssh.Prohibited, "no shell in the lab")
	}
}
