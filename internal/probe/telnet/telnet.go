// Package telnet identifies telnet services: it answers option negotiation
// by refusing every option and reads the banner up to a login or shell
// prompt, within a byte cap and a time cap. Its Session type is reused by
// the auth check to try credentials politely.
package telnet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
)

const (
	// Protocol is the service protocol name.
	Protocol = "telnet"
	// MaxBanner caps the banner text read before a prompt.
	MaxBanner = 4 << 10
	// DefaultReadWindow is the time cap for the banner when the caller's
	// context allows longer.
	DefaultReadWindow = 5 * time.Second
	maxField          = 1024
)

// Probe reads the banner and prompt of a telnet service.
type Probe struct {
	Logger     *slog.Logger  // nil means discard
	ReadWindow time.Duration // time cap for the banner; 0 means DefaultReadWindow
}

// Name returns the protocol name.
func (Probe) Name() string { return Protocol }

// Probe connects to t and reads until a login or shell prompt. The service
// is identified when a prompt or any telnet negotiation was seen; an
// endless banner stops at MaxBanner (too-large unless negotiation or a
// prompt proved telnet); text that ends without either is ErrNoMatch.
func (p Probe) Probe(ctx context.Context, d probe.Dialer, t probe.Target) (*probe.Service, error) {
	conn, failed, err := probe.Connect(ctx, d, t, Protocol)
	if err != nil {
		return failed, err
	}
	defer func() { _ = conn.Close() }()
	window := p.ReadWindow
	if window <= 0 {
		window = DefaultReadWindow
	}
	rctx, cancel := context.WithTimeout(ctx, window)
	defer cancel()
	sess := NewSession(conn)
	text, matched, err := sess.ReadUntil(rctx, slices.Concat(LoginPrompts, ShellPrompts), MaxBanner)
	logger(p.Logger).DebugContext(ctx, "telnet banner", "addr", t.Address(), "bytes", len(text),
		"negotiation", sess.Negotiation(), "prompt", matched, "err", err)
	return result(t, sess, text, matched, err)
}

func result(t probe.Target, sess *Session, text []byte, matched string, err error) (*probe.Service, error) {
	s := &probe.Service{Port: t.Port, Transport: "tcp", Protocol: Protocol, Status: probe.StatusIdentified}
	if neg := sess.Negotiation(); neg != "" {
		s.Trace = append(s.Trace, probe.TraceEntry{Dir: "recv", Data: "negotiation: " + neg},
			probe.TraceEntry{Dir: "send", Data: "refused: " + probe.Printable(sess.sent, 256)})
	}
	s.Trace = append(s.Trace, probe.TraceEntry{Dir: "recv", Data: probe.Printable(text, maxField)})
	s.SetField(probe.FieldTelnetBanner, probe.Printable(bytes.TrimSpace(text), maxField))
	if matched != "" {
		s.SetField(probe.FieldTelnetPrompt, probe.Printable([]byte(lastLine(text)), 256))
	}
	if err == nil {
		return s, nil
	}
	err = fmt.Errorf("telnet banner %s: %w", t.Address(), err)
	telnetSeen := sess.SawNegotiation() || matched != ""
	switch {
	case telnetSeen:
		return s, nil // banner kept; the cap or the silence after negotiation is normal
	case len(text) == 0:
		f := probe.Failed(t, Protocol, err)
		f.Trace = s.Trace
		return f, err
	case errors.Is(err, probe.ErrTooLarge):
		s.Status, s.Error = probe.StatusTooLarge, err.Error()
		return s, err
	case errors.Is(err, io.EOF):
		return nil, fmt.Errorf("%w: %w", probe.ErrNoMatch, err)
	}
	s.Status, s.Error = probe.Classify(err), err.Error()
	return s, err
}

func logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}

func init() {
	probe.Register(probe.Spec{Probe: Probe{}, Transport: "tcp", Ports: []uint16{23, 2323}, Fallback: true, Order: 50})
}
