package telnet

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"regexp"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
)

// LoginPrompts are the prompts devices show before credentials, matched
// case-insensitively at the end of the received text (trailing blanks
// ignored). Sources: rapid7/recog telnet_banners.xml examples and the
// busybox telnetd lab capture.
var LoginPrompts = []string{"login:", "username:", "user name:", "user:", "account:", "password:"}

// ShellPrompts are the endings of a shell prompt ("~ $ ", "# ", "> ").
var ShellPrompts = []string{"$", "#", ">"}

const defaultReadTimeout = 10 * time.Second

// trailingJunk is what is ignored after a prompt: blanks, NULs and ANSI
// control sequences such as busybox ash's cursor query ESC[6n.
var trailingJunk = regexp.MustCompile(`(?:[\s\x00]|\x1b\[[0-9;?]*[A-Za-z])+$`)

// Session is a telnet client session over a connection: it answers option
// negotiation by refusing every option and hands out the plain text. The
// auth check drives logins with ReadUntil and WriteLine.
type Session struct {
	conn net.Conn
	neg  negotiator
	sent []byte // refusals sent, for the trace
}

// NewSession starts a session on conn; the caller keeps ownership of conn.
func NewSession(conn net.Conn) *Session { return &Session{conn: conn} }

// SawNegotiation reports whether the peer sent any telnet command (IAC).
func (s *Session) SawNegotiation() bool { return s.neg.sawIAC }

// Negotiation describes the options the peer asked for, e.g. "DO 1, WILL 3".
func (s *Session) Negotiation() string { return s.neg.summary() }

// ReadUntil reads plain text until it ends with one of patterns (matched
// case-insensitively, trailing blanks and ANSI sequences ignored), until
// max bytes of text, or until ctx ends (10 s when ctx has no deadline). It
// returns the text read, the pattern that matched ("" if none) and an
// error: nil on a match, probe.ErrTooLarge at the cap, else the read error.
func (s *Session) ReadUntil(ctx context.Context, patterns []string, max int) ([]byte, string, error) {
	stop := probe.ApplyDeadline(ctx, s.conn, defaultReadTimeout)
	defer stop()
	var text []byte
	chunk := make([]byte, 512)
	for {
		n, err := s.conn.Read(chunk)
		data, reply := s.neg.Feed(chunk[:n])
		if len(reply) > 0 {
			s.sent = append(s.sent, reply...)
			if _, werr := s.conn.Write(reply); werr != nil && err == nil {
				err = fmt.Errorf("telnet refuse options: %w", werr)
			}
		}
		text = append(text, data...)
		if len(text) >= max {
			return text[:max], "", probe.ErrTooLarge
		}
		if m := matchPrompt(text, patterns); m != "" {
			return text, m, nil
		}
		if err != nil {
			return text, "", err
		}
	}
}

// WriteLine sends line followed by CR LF, doubling any 0xFF byte as telnet
// requires. The write is bound by ctx's deadline.
func (s *Session) WriteLine(ctx context.Context, line string) error {
	stop := probe.ApplyDeadline(ctx, s.conn, defaultReadTimeout)
	defer stop()
	b := bytes.ReplaceAll([]byte(line), []byte{cmdIAC}, []byte{cmdIAC, cmdIAC})
	if _, err := s.conn.Write(append(b, '\r', '\n')); err != nil {
		return fmt.Errorf("telnet write line: %w", err)
	}
	return nil
}

// matchPrompt returns the pattern text ends with, or "".
func matchPrompt(text []byte, patterns []string) string {
	tail := text
	if len(tail) > 256 {
		tail = tail[len(tail)-256:]
	}
	end := strings.ToLower(string(trailingJunk.ReplaceAll(tail, nil)))
	for _, p := range patterns {
		if p != "" && strings.HasSuffix(end, strings.ToLower(p)) {
			return p
		}
	}
	return ""
}

// lastLine returns the prompt line: the last non-empty line of text with
// trailing blanks and control sequences removed.
func lastLine(text []byte) string {
	t := trailingJunk.ReplaceAll(text, nil)
	if i := bytes.LastIndexAny(t, "\r\n"); i >= 0 {
		t = t[i+1:]
	}
	return string(bytes.TrimSpace(t))
}
