// Package ftp identifies FTP servers by their greeting (RFC 959 section
// 4.2: a 220 reply, possibly multi-line "220-" ... "220 "). It reads the
// greeting, sends QUIT and never logs in; the anonymous-login check lives
// with the other auth checks.
package ftp

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
	Protocol = "ftp"
	// MaxGreeting caps the bytes read for the whole greeting.
	MaxGreeting = 4 << 10
	maxField    = 1024
	timeout     = 5 * time.Second
)

// ErrNotFTP is returned when the first line is not an FTP reply.
var ErrNotFTP = errors.New("ftp: greeting is not an ftp reply")

// Greeting is a parsed FTP greeting.
type Greeting struct {
	Code  int      // 220, or 120/421 for "ready later" and "unavailable"
	Lines []string // reply text of each line, reply code and separator removed
}

// Text returns the greeting text, lines joined by "\n".
func (g Greeting) Text() string { return strings.Join(g.Lines, "\n") }

// Probe reads the greeting of an FTP server.
type Probe struct {
	Logger *slog.Logger // nil means discard
}

// Name returns the protocol name.
func (Probe) Name() string { return Protocol }

// Probe connects to t, reads the greeting and says QUIT. A peer whose first
// line is not an FTP reply (or is an SMTP greeting) is ErrNoMatch.
func (p Probe) Probe(ctx context.Context, d probe.Dialer, t probe.Target) (*probe.Service, error) {
	conn, failed, err := probe.Connect(ctx, d, t, Protocol)
	if err != nil {
		return failed, err
	}
	defer func() { _ = conn.Close() }()
	return p.greet(ctx, conn, t)
}

func (p Probe) greet(ctx context.Context, conn net.Conn, t probe.Target) (*probe.Service, error) {
	stop := probe.ApplyDeadline(ctx, conn, timeout)
	defer stop()
	g, read, err := ReadGreeting(bufio.NewReaderSize(conn, 512))
	trace := []probe.TraceEntry{{Dir: "recv", Data: probe.Printable(read, maxField)}}
	logger(p.Logger).DebugContext(ctx, "ftp greeting", "addr", t.Address(), "code", g.Code, "err", err)
	switch {
	case errors.Is(err, ErrNotFTP):
		return nil, fmt.Errorf("ftp greeting %s: %w: %w", t.Address(), probe.ErrNoMatch, err)
	case err != nil:
		err = fmt.Errorf("ftp greeting %s: %w", t.Address(), err)
		s := probe.Failed(t, Protocol, err)
		s.Trace = trace
		s.SetField(probe.FieldFTPBanner, printableLines(g.Lines))
		return s, err
	}
	s := &probe.Service{Port: t.Port, Transport: "tcp", Protocol: Protocol, Status: probe.StatusIdentified, Trace: trace}
	s.SetField(probe.FieldFTPBanner, printableLines(g.Lines))
	// Polite goodbye; the answer (221) is not needed.
	if _, err := io.WriteString(conn, "QUIT\r\n"); err == nil {
		s.Trace = append(s.Trace, probe.TraceEntry{Dir: "send", Data: `QUIT\r\n`})
	}
	return s, nil
}

// ReadGreeting reads an FTP greeting from br: one reply line "ddd text",
// or a multi-line reply "ddd-text" ... "ddd text". It reads at most
// MaxGreeting bytes (probe.ErrTooLarge beyond) and returns what it read
// for the trace. ErrNotFTP means the first line is not an FTP greeting.
func ReadGreeting(br *bufio.Reader) (Greeting, []byte, error) {
	var g Greeting
	var read []byte
	for {
		line, err := readLine(br, MaxGreeting-len(read))
		read = append(read, line...)
		text := strings.TrimRight(string(line), "\r\n")
		if err != nil && (text == "" || len(g.Lines) == 0 && len(text) < 4) {
			return g, read, err // nothing (more) to judge
		}
		code, sep, ok := replyCode(text)
		switch {
		case len(g.Lines) == 0:
			if !ok || !greetingCode(code) || strings.Contains(strings.ToUpper(text), "SMTP") {
				return g, read, ErrNotFTP
			}
			g.Code = code
			g.Lines = append(g.Lines, text[4:])
			if sep == ' ' {
				return g, read, nil
			}
		case ok && code == g.Code:
			g.Lines = append(g.Lines, text[4:])
			if sep == ' ' {
				return g, read, nil
			}
		default: // continuation line of a multi-line reply
			g.Lines = append(g.Lines, strings.TrimLeft(text, " "))
		}
		if err != nil {
			return g, read, err
		}
	}
}

// replyCode splits "220 text" or "220-text" into the code and separator.
func replyCode(line string) (int, byte, bool) {
	if len(line) < 4 || (line[3] != ' ' && line[3] != '-') {
		return 0, 0, false
	}
	code := 0
	for _, c := range []byte(line[:3]) {
		if c < '0' || c > '9' {
			return 0, 0, false
		}
		code = code*10 + int(c-'0')
	}
	return code, line[3], true
}

// greetingCode reports whether an FTP server may open with code: 220 ready,
// 120 ready in n minutes, 421 service not available (RFC 959 5.4).
func greetingCode(code int) bool { return code == 220 || code == 120 || code == 421 }

// readLine reads one line with its terminator, at most max bytes.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for len(line) < max {
		c, err := br.ReadByte()
		if err != nil {
			return line, err
		}
		line = append(line, c)
		if c == '\n' {
			return line, nil
		}
	}
	return line, probe.ErrTooLarge
}

func printableLines(lines []string) string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		out = append(out, probe.Printable(bytes.TrimSpace([]byte(l)), maxField))
	}
	return strings.Join(out, "\n")
}

func logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}

func init() {
	probe.Register(probe.Spec{Probe: Probe{}, Transport: "tcp", Ports: []uint16{21}, Fallback: true, Order: 40})
}
