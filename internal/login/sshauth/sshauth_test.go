package sshauth

import (
	"context"
	"errors"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

// fakeSSH is an in-process SSH server on loopback (x/crypto/ssh) that
// counts every password it checks, like sshd's failure counter.
type fakeSSH struct {
	user, pass string
	password   bool // offer "password"
	kbdint     bool // offer "keyboard-interactive"
	none       bool // accept "none"
	checks     atomic.Int32
	key        ssh.PublicKey
}

func (f *fakeSSH) start(t *testing.T) probe.Target {
	t.Helper()
	cfg := &ssh.ServerConfig{NoClientAuth: f.none, ServerVersion: "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"}
	if f.password {
		cfg.PasswordCallback = func(c ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			f.checks.Add(1)
			if c.User() == f.user && string(pw) == f.pass {
				return nil, nil
			}
			return nil, errors.New("wrong password")
		}
	}
	if f.kbdint {
		cfg.KeyboardInteractiveCallback = func(c ssh.ConnMetadata, ch ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
			ans, err := ch("", "", []string{"Password: "}, []bool{false})
			if err != nil {
				return nil, err
			}
			f.checks.Add(1)
			if c.User() == f.user && len(ans) == 1 && ans[0] == f.pass {
				return nil, nil
			}
			return nil, errors.New("wrong password")
		}
	}
	if !f.password && !f.kbdint && !f.none {
		cfg.PublicKeyCallback = func(ssh.ConnMetadata, ssh.PublicKey) (*ssh.Permissions, error) {
			return nil, errors.New("no key is authorised")
		}
	}
	tg, key := probetest.ServeSSH(t, cfg)
	f.key = key
	return tg
}

func TestMethod(t *testing.T) {
	good := login.Credential{Username: "admin", Password: "12345", Name: "default admin"}
	bad := login.Credential{Username: "admin", Password: "wrong", Name: "random"}
	tests := []struct {
		name       string
		srv        *fakeSSH
		noCred     bool
		cred       login.Credential
		want       login.Result
		wantScheme string
		wantChecks int32
	}{
		{"password accepted", &fakeSSH{user: "admin", pass: "12345", password: true}, false, good, login.Success, "password", 1},
		{"password refused, one check only", &fakeSSH{user: "admin", pass: "12345", password: true, kbdint: true}, false, bad, login.Failure, "password", 1},
		{"keyboard-interactive accepted", &fakeSSH{user: "admin", pass: "12345", kbdint: true}, false, good, login.Success, "keyboard-interactive", 1},
		{"keyboard-interactive refused", &fakeSSH{user: "admin", pass: "12345", kbdint: true}, false, bad, login.Failure, "keyboard-interactive", 1},
		{"publickey only: nothing to check", &fakeSSH{}, false, good, login.Unverifiable, "password", 0},
		{"none accepted", &fakeSSH{none: true}, true, login.Credential{}, login.Success, "none", 0},
		{"none refused", &fakeSSH{user: "admin", pass: "12345", password: true}, true, login.Credential{}, login.Failure, "none", 0},
		{"none lets the user in: password unchecked", &fakeSSH{none: true}, false, good, login.Unverifiable, "password", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg := tc.srv.start(t)
			var keys []ssh.PublicKey
			m := Method{HostKey: func(_ probe.Target, k ssh.PublicKey) { keys = append(keys, k) }}
			var o login.Outcome
			var err error
			if tc.noCred {
				o, err = m.NoCredential(t.Context(), &net.Dialer{}, tg)
			} else {
				o, err = m.Try(t.Context(), &net.Dialer{}, tg, tc.cred)
			}
			if err != nil || o.Result != tc.want {
				t.Fatalf("result %v, err %v; want %v", o.Result, err, tc.want)
			}
			if o.Scheme != tc.wantScheme {
				t.Errorf("scheme %q, want %q", o.Scheme, tc.wantScheme)
			}
			if got := tc.srv.checks.Load(); got != tc.wantChecks {
				t.Errorf("server checked %d passwords, want %d", got, tc.wantChecks)
			}
			if len(keys) != 1 || string(keys[0].Marshal()) != string(tc.srv.key.Marshal()) {
				t.Errorf("host key not recorded: %d keys", len(keys))
			}
		})
	}
}

func TestErrors(t *testing.T) {
	release := make(chan struct{})
	tg := probetest.Serve(t, func(c net.Conn) {
		c.Write([]byte("SSH-2.0-dropbear_2015.67\r\n")) // then silence
		<-release
	})
	defer close(release)
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	o, err := Method{}.Try(ctx, &net.Dialer{}, tg, login.Credential{Username: "a", Password: "b"})
	if o.Result != login.Error || o.Status != probe.StatusTimeout || err == nil {
		t.Errorf("silent server: %v %q %v, want error timeout", o.Result, o.Status, err)
	}
	// Drops the connection at once, as a server that locked the client.
	tg = probetest.Serve(t, func(net.Conn) {})
	o, err = Method{}.Try(t.Context(), &net.Dialer{}, tg, login.Credential{Username: "a", Password: "b"})
	if o.Result != login.Error || o.Status != probe.StatusRefused || err == nil {
		t.Errorf("dropped connection: %v %q %v, want error refused", o.Result, o.Status, err)
	}
}
