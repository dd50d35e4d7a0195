// Package ssh identifies SSH servers by their identification string
// (RFC 4253 section 4.2). It sends its own identification line first, as a
// polite client does, and reads the server's; it does no key exchange.
package ssh

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
)

const (
	// Protocol is the service protocol name.
	Protocol = "ssh"
	// ClientIdentification is the line camwarden sends before reading.
	ClientIdentification = "SSH-2.0-camwarden\r\n"
	// MaxLineLen caps one line, CR LF included (RFC 4253: 255).
	MaxLineLen = 255
	// MaxPreamble caps everything read before the identification line.
	MaxPreamble = 8 << 10
	maxField    = 255
	timeout     = 5 * time.Second
)

// ErrNoIdentification is returned when the peer closed without sending an
// "SSH-" line: it is not an SSH server.
var ErrNoIdentification = errors.New("ssh: no identification line")

// ErrLineTooLong is returned when a line exceeds MaxLineLen.
var ErrLineTooLong = errors.New("ssh: line longer than 255 bytes")

// Probe reads the SSH identification string of a server.
type Probe struct {
	Logger *slog.Logger // nil means discard
}

// Name returns the protocol name.
func (Probe) Name() string { return Protocol }

// Probe connects to t, sends ClientIdentification and reads the server's
// identification line. A peer that sends other text and closes is
// ErrNoMatch; an over-long line is malformed; too many preamble lines is
// too-large.
func (p Probe) Probe(ctx context.Context, d probe.Dialer, t probe.Target) (*probe.Service, error) {
	conn, failed, err := probe.Connect(ctx, d, t, Protocol)
	if err != nil {
		return failed, err
	}
	defer func() { _ = conn.Close() }()
	return p.identify(ctx, conn, t)
}

func (p Probe) identify(ctx context.Context, conn net.Conn, t probe.Target) (*probe.Service, error) {
	stop := probe.ApplyDeadline(ctx, conn, timeout)
	defer stop()
	trace := []probe.TraceEntry{{Dir: "send", Data: probe.Printable([]byte(ClientIdentification), maxField)}}
	if _, err := io.WriteString(conn, ClientIdentification); err != nil {
		err = fmt.Errorf("ssh send identification %s: %w", t.Address(), err)
		s := probe.Failed(t, Protocol, err)
		s.Trace = trace
		return s, err
	}
	banner, read, err := ReadIdentification(bufio.NewReaderSize(conn, 512))
	trace = append(trace, probe.TraceEntry{Dir: "recv", Data: probe.Printable(read, 1024)})
	logger(p.Logger).DebugContext(ctx, "ssh identification", "addr", t.Address(), "banner", probe.Printable([]byte(banner), maxField), "err", err)
	if err != nil {
		return p.failure(t, read, trace, err)
	}
	s := &probe.Service{Port: t.Port, Transport: "tcp", Protocol: Protocol, Status: probe.StatusIdentified, Trace: trace}
	s.SetField(probe.FieldSSHBanner, probe.Printable([]byte(banner), maxField))
	return s, nil
}

func (p Probe) failure(t probe.Target, read []byte, trace []probe.TraceEntry, err error) (*probe.Service, error) {
	err = fmt.Errorf("ssh read identification %s: %w", t.Address(), err)
	switch {
	case errors.Is(err, ErrNoIdentification):
		return nil, fmt.Errorf("%w: %w", probe.ErrNoMatch, err)
	case errors.Is(err, ErrLineTooLong):
		s := probe.Failed(t, Protocol, err)
		s.Status = probe.StatusMalformed
		s.Trace = trace
		return s, err
	}
	s := probe.Failed(t, Protocol, err)
	s.Trace = trace
	if len(read) > 0 && s.Status == probe.StatusTimeout {
		// Text without an identification line, then silence: not SSH.
		return nil, fmt.Errorf("%w: %w", probe.ErrNoMatch, err)
	}
	return s, err
}

// ReadIdentification reads lines from br until one starts with "SSH-" and
// returns it without CR LF, plus everything read (for the trace). Lines
// before it are allowed (RFC 4253) up to MaxPreamble bytes in all; a line
// longer than MaxLineLen is ErrLineTooLong; end of input before the line
// is ErrNoIdentification when something was read, else the read error.
func ReadIdentification(br *bufio.Reader) (string, []byte, error) {
	var read []byte
	for {
		line, err := readLine(br)
		read = append(read, line...)
		if bytes.HasPrefix(line, []byte("SSH-")) {
			if len(line) > MaxLineLen {
				return "", read, ErrLineTooLong
			}
			if err == nil || len(bytes.TrimRight(line, "\r\n")) > len("SSH-") {
				return strings.TrimRight(string(line), "\r\n"), read, nil
			}
		}
		if len(line) > MaxLineLen {
			return "", read, ErrLineTooLong
		}
		if len(read) > MaxPreamble {
			return "", read, probe.ErrTooLarge
		}
		if err != nil {
			if errors.Is(err, io.EOF) && len(read) > 0 {
				return "", read, ErrNoIdentification
			}
			return "", read, err
		}
	}
}

// readLine returns one line with its terminator, reading at most
// MaxLineLen+1 bytes so an endless line cannot grow memory.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for len(line) <= MaxLineLen {
		c, err := br.ReadByte()
		if err != nil {
			return line, err
		}
		line = append(line, c)
		if c == '\n' {
			return line, nil
		}
	}
	return line, nil
}

func logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}

func init() {
	probe.Register(probe.Spec{Probe: Probe{}, Transport: "tcp", Ports: []uint16{22, 2222}, Fallback: true, Order: 20})
}
