package probetest

import (
	"crypto/ed25519"
	"crypto/rand"
	"net"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/camwarden/camwarden/internal/probe"
)

// ServeSSH runs an x/crypto/ssh server with cfg on Serve. It adds a fresh
// ed25519 host key to cfg; each connection completes the handshake (or
// fails it, as cfg's callbacks decide), has its global requests discarded
// and every channel rejected: no shell is ever opened. It returns the
// target and the host key.
func ServeSSH(t testing.TB, cfg *ssh.ServerConfig) (probe.Target, ssh.PublicKey) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatalf("probetest: host key: %v", err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatalf("probetest: host key: %v", err)
	}
	cfg.AddHostKey(signer)
	tgt := Serve(t, func(c net.Conn) {
		sc, chans, reqs, err := ssh.NewServerConn(c, cfg)
		if err != nil {
			return
		}
		defer func() { _ = sc.Close() }()
		go ssh.DiscardRequests(reqs)
		for ch := range chans {
			_ = ch.Reject(ssh.Prohibited, "no shell in tests")
		}
	})
	return tgt, signer.PublicKey()
}
