package auth

import (
	"context"
	"log/slog"
	"net"
	"net/netip"
	"syscall"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
)

// scriptedMethod answers Try from a script: "ok", "fail" or "refused"
// (a connection refused before anything was sent); past its end it repeats
// the last entry.
type scriptedMethod struct {
	script []string
	calls  int
}

func (m *scriptedMethod) Name() string     { return "scripted" }
func (m *scriptedMethod) Protocol() string { return "telnet" }
func (m *scriptedMethod) NoCredential(context.Context, probe.Dialer, probe.Target) (login.Outcome, error) {
	return login.Outcome{Result: login.Failure}, nil
}

func (m *scriptedMethod) Try(context.Context, probe.Dialer, probe.Target, login.Credential) (login.Outcome, error) {
	step := m.script[min(m.calls, len(m.script)-1)]
	m.calls++
	switch step {
	case "ok":
		return login.Outcome{Result: login.Success, Route: "login"}, nil
	case "fail":
		return login.Outcome{Result: login.Failure, Route: "login"}, nil
	}
	return login.Errored("login", "telnet dial", refused)
}

// refused is what the dialer returns for a refused connection.
var refused = &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}

func TestRefusedConnections(t *testing.T) {
	if st := probe.Classify(refused); st != probe.StatusRefused {
		t.Fatalf("the scripted refusal is classified %q, not refused", st)
	}
	cred := login.Credential{Username: "admin", Password: "12345", Name: "default"}
	tests := []struct {
		name      string
		failed    int // failed logins before the attempt
		script    []string
		want      login.Result
		wantCalls int
	}{
		{"one refusal after a failure is retried (busybox backlog 1)", 1, []string{"refused", "ok"}, login.Success, 2},
		{"three refusals then an answer", 1, []string{"refused", "refused", "refused", "fail"}, login.Failure, 4},
		{"refusals in a row after failures: lockout", 2, []string{"refused"}, login.Locked, refusedInARow},
		{"refusals without any failure are not a lockout", 0, []string{"refused"}, login.Error, refusedInARow},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &run{d: &device.Device{}, budget: engine.NewBudget(engine.BudgetPolicy{}, time.Now),
				log: slog.New(slog.DiscardHandler), failed: tc.failed, backoff: time.Millisecond}
			m := &scriptedMethod{script: tc.script}
			tg := target{method: m, t: probe.Target{Addr: netip.MustParseAddr("127.0.0.1"), Port: 23, Transport: "tcp"}, proto: "telnet"}
			o := r.try(t.Context(), &check.Env{}, tg, cred, "try")
			if o.Result != tc.want || m.calls != tc.wantCalls {
				t.Errorf("try = %v after %d calls, want %v after %d", o.Result, m.calls, tc.want, tc.wantCalls)
			}
			if tc.want == login.Locked && o.Signal == "" {
				t.Error("lockout without a signal")
			}
		})
	}
}
