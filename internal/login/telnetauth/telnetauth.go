// Package telnetauth tries telnet logins: it refuses every option the
// device negotiates, answers the login and password prompts seen in the
// wild, and counts a login only when a shell prompt follows.
package telnetauth

import (
	"context"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/telnet"
)

// StepTimeout bounds the wait for each prompt.
const StepTimeout = 5 * time.Second

// MaxText caps the text read at each step.
const MaxText = 4 << 10

// failureMarks are texts that follow a refused login (busybox "Login
// incorrect", MikroTik "Login failed", Cisco "% Authentication failed").
var failureMarks = []string{"incorrect", "failed", "denied", "invalid", "bad password"}

// Method logs in over telnet.
type Method struct{}

// Name returns "telnet-login".
func (Method) Name() string { return "telnet-login" }

// Protocol returns "telnet".
func (Method) Protocol() string { return telnet.Protocol }

// Prompt is what a device's text ends with.
type Prompt int

// Prompts Classify tells apart.
const (
	PromptNone Prompt = iota
	PromptLogin
	PromptPassword
	PromptShell
	PromptFailed
)

// Classify reads what the device sent after a step. A shell prompt at the
// end ("# ", "$ ", "> ") is a shell; a login prompt or a failure text is
// a refusal; anything else (a timeout in the middle of a banner) is none
// of them, and never a success.
func Classify(text string) Prompt {
	t := strings.TrimRight(stripANSI(text), " \t\r\n\x00")
	low := strings.ToLower(t)
	if strings.HasSuffix(low, "password:") {
		return PromptPassword
	}
	for _, p := range telnet.LoginPrompts {
		if p != "password:" && strings.HasSuffix(low, p) {
			return PromptLogin
		}
	}
	if last := lastLine(low); last != "" {
		for _, m := range failureMarks {
			if strings.Contains(last, m) {
				return PromptFailed
			}
		}
	}
	for _, p := range telnet.ShellPrompts {
		if strings.HasSuffix(t, p) && len(lastLine(t)) <= 128 {
			return PromptShell
		}
	}
	return PromptNone
}

func lastLine(s string) string {
	if i := strings.LastIndexAny(s, "\r\n"); i >= 0 {
		return s[i+1:]
	}
	return s
}

// stripANSI drops ESC [ ... letter sequences.
func stripANSI(s string) string {
	if !strings.Contains(s, "\x1b") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && !(s[j] >= 0x40 && s[j] <= 0x7e) {
				j++
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

var waitFor = append(append([]string{}, telnet.LoginPrompts...), telnet.ShellPrompts...)

func (Method) step(ctx context.Context, s *telnet.Session) (string, Prompt) {
	ctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	text, _, _ := s.ReadUntil(ctx, waitFor, MaxText)
	return string(text), Classify(string(text))
}

// NoCredential connects and reads to the first prompt: a shell prompt
// before any login is Success (a shell without password).
func (m Method) NoCredential(ctx context.Context, d probe.Dialer, t probe.Target) (login.Outcome, error) {
	out := login.Outcome{Route: "banner", Scheme: "telnet", Cleartext: true}
	conn, err := d.DialContext(ctx, "tcp", t.Address())
	if err != nil {
		return login.Errored("banner", "telnet dial", err)
	}
	defer conn.Close()
	_, p := m.step(ctx, telnet.NewSession(conn))
	switch p {
	case PromptShell:
		out.Result = login.Success
	case PromptLogin, PromptPassword:
		out.Result = login.Failure
	default:
		out.Result = login.Unverifiable
	}
	return out, nil
}

// Try answers the login prompt with c and reports Success only when a
// shell prompt follows.
func (m Method) Try(ctx context.Context, d probe.Dialer, t probe.Target, c login.Credential) (login.Outcome, error) {
	out := login.Outcome{Route: "login", Scheme: "telnet", Cleartext: true}
	conn, err := d.DialContext(ctx, "tcp", t.Address())
	if err != nil {
		return login.Errored("login", "telnet dial", err)
	}
	defer conn.Close()
	s := telnet.NewSession(conn)
	_, p := m.step(ctx, s)
	if p == PromptLogin {
		if err := s.WriteLine(ctx, c.Username); err != nil {
			return login.Errored("login", "telnet send user", err)
		}
		_, p = m.step(ctx, s)
	}
	if p != PromptPassword {
		out.Result = login.Unverifiable // no password prompt: nothing was checked
		return out, nil
	}
	if err := s.WriteLine(ctx, c.Password); err != nil {
		return login.Errored("login", "telnet send password", err)
	}
	_, p = m.step(ctx, s)
	switch p {
	case PromptShell:
		out.Result = login.Success
	case PromptLogin, PromptFailed, PromptPassword:
		out.Result = login.Failure
	default:
		out.Result = login.Unverifiable
	}
	return out, nil
}
