// Package ftpauth tries FTP logins (RFC 959 USER/PASS) over the injected
// dialer: 230 is a success, 530 a refusal, and a 421 reply is a lockout
// signal (vsFTPd and embedded servers answer 421 or drop the connection
// after too many failures). Anonymous FTP is the no-credential check.
// It logs in and says QUIT; it never lists, reads or writes a file.
package ftpauth

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/ftp"
)

const (
	// AttemptTimeout bounds one login, greeting to last reply.
	AttemptTimeout = 10 * time.Second
	// MaxReply caps the bytes read for one reply, all its lines included.
	MaxReply = 4 << 10
	// AnonymousUser and AnonymousPassword are the RFC 1635 anonymous
	// login; the password is the conventional e-mail-like identification.
	AnonymousUser     = "anonymous"
	AnonymousPassword = "camwarden@"
)

// ErrMalformed is returned for a reply that is not "ddd text".
var ErrMalformed = errors.New("ftp: malformed reply")

// errUnsafe rejects a credential that would smuggle a second command.
var errUnsafe = errors.New("ftp: credential contains CR, LF or NUL")

// Reply is one FTP reply.
type Reply struct {
	Code  int
	Lines []string // text of each line, code and separator removed
}

// Text returns the reply's lines joined by a space.
func (r Reply) Text() string { return strings.Join(r.Lines, " ") }

// Method logs in over FTP.
type Method struct{}

var _ login.Method = Method{}

// Name returns "ftp-login".
func (Method) Name() string { return "ftp-login" }

// Protocol returns "ftp".
func (Method) Protocol() string { return ftp.Protocol }

// NoCredential tries the anonymous login: Success means anyone can log in
// without a password.
func (m Method) NoCredential(ctx context.Context, d probe.Dialer, t probe.Target) (login.Outcome, error) {
	o, err := m.login(ctx, d, t, AnonymousUser, AnonymousPassword)
	o.Route, o.Scheme = "USER anonymous", "anonymous"
	return o, err
}

// Try logs in with c: Success only on a 230 reply.
func (m Method) Try(ctx context.Context, d probe.Dialer, t probe.Target, c login.Credential) (login.Outcome, error) {
	return m.login(ctx, d, t, c.Username, c.Password)
}

func (m Method) login(ctx context.Context, d probe.Dialer, t probe.Target, user, pass string) (login.Outcome, error) {
	const route = "USER/PASS"
	out := login.Outcome{Route: route, Scheme: "ftp", Cleartext: true}
	if strings.ContainsAny(user+pass, "\r\n\x00") {
		return login.Errored(route, "ftp login", errUnsafe)
	}
	ctx, cancel := context.WithTimeout(ctx, AttemptTimeout)
	defer cancel()
	conn, err := d.DialContext(ctx, "tcp", t.Address())
	if err != nil {
		return login.Errored(route, "ftp dial "+t.Address(), err)
	}
	defer func() { _ = conn.Close() }()
	stop := probe.ApplyDeadline(ctx, conn, AttemptTimeout)
	defer stop()
	br := bufio.NewReaderSize(conn, 512)
	g, _, err := ftp.ReadGreeting(br)
	if err != nil {
		return login.Errored(route, "ftp greeting "+t.Address(), err)
	}
	if g.Code != 220 {
		return verdict(out, Reply{Code: g.Code, Lines: g.Lines}, "greeting")
	}
	r, err := command(conn, br, "USER "+user)
	if err != nil {
		return login.Errored(route, "ftp user "+t.Address(), err)
	}
	if r.Code == 331 || r.Code == 332 {
		if r, err = command(conn, br, "PASS "+pass); err != nil {
			return login.Errored(route, "ftp pass "+t.Address(), err)
		}
	}
	out, err = verdict(out, r, "login")
	if out.Result == login.Success {
		_, _ = io.WriteString(conn, "QUIT\r\n") // polite goodbye; the 221 is not needed
	}
	return out, err
}

// verdict maps the last reply of a login to its Result.
func verdict(out login.Outcome, r Reply, step string) (login.Outcome, error) {
	switch {
	case r.Code == 230:
		out.Result = login.Success
	case r.Code == 530:
		out.Result = login.Failure
	case r.Code == 421:
		out.Result = login.Locked
		out.Signal = "ftp 421 at " + step + ": " + probe.Printable([]byte(r.Text()), 120)
	default: // 120 not ready, 332 account needed, 5xx syntax...: nothing was decided
		out.Result = login.Unverifiable
	}
	return out, nil
}

// command sends one command line and reads its reply.
func command(conn net.Conn, br *bufio.Reader, line string) (Reply, error) {
	if _, err := io.WriteString(conn, line+"\r\n"); err != nil {
		return Reply{}, err
	}
	return ReadReply(br)
}

// ReadReply reads one FTP reply from br: "ddd text", or the multi-line
// form "ddd-text" ... "ddd text" (RFC 959 section 4.2). It reads at most
// MaxReply bytes (probe.ErrTooLarge beyond) and returns ErrMalformed when
// the first line carries no reply code.
func ReadReply(br *bufio.Reader) (Reply, error) {
	var r Reply
	read := 0
	for {
		line, err := probe.ReadLine(br, MaxReply-read)
		read += len(line) + 2
		if err != nil { // bufio's ReadLine returns a line or an error, never both
			return r, err
		}
		if len(line) == 3 {
			line += " " // a bare code, as some embedded servers send
		}
		code, sep, ok := replyCode(line)
		switch {
		case r.Code == 0 && !ok:
			return r, fmt.Errorf("%w: %q", ErrMalformed, probe.Printable([]byte(line), 60))
		case r.Code == 0:
			r.Code = code
			r.Lines = append(r.Lines, line[4:])
			if sep == ' ' {
				return r, nil
			}
		case ok && code == r.Code && sep == ' ':
			r.Lines = append(r.Lines, line[4:])
			return r, nil
		default: // continuation line of a multi-line reply
			r.Lines = append(r.Lines, strings.TrimLeft(line, " "))
		}
		if read >= MaxReply {
			return r, probe.ErrTooLarge
		}
	}
}

// replyCode splits "230 text" or "230-text" into the code and separator.
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
	return code, line[3], code >= 100 && code < 600
}
