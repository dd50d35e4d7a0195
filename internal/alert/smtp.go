package alert

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/i18n"
)

// Email sends a message over SMTP: STARTTLS (required unless
// AllowPlain), then AUTH PLAIN when a user is set.
type Email struct {
	ID       string // channel name
	Addr     string // host:port of the submission server
	From     string
	To       []string
	User     string
	Password string // from a file or the environment, never the database
	Lang     i18n.Lang
	TLS      *tls.Config // nil: verify the server against the system roots
	// AllowPlain sends without TLS when the server offers no STARTTLS
	// (never with a password).
	AllowPlain bool
	Timeout    time.Duration // whole conversation; 0: 30 s
	Now        func() time.Time
}

// Name implements Channel.
func (e *Email) Name() string { return e.ID }

// Check validates the addresses.
func (e *Email) Check() error {
	if _, err := mail.ParseAddress(e.From); err != nil {
		return fmt.Errorf("mail from %q: %w", e.From, err)
	}
	if len(e.To) == 0 {
		return errors.New("mail: no recipient")
	}
	for _, to := range e.To {
		if _, err := mail.ParseAddress(to); err != nil {
			return fmt.Errorf("mail to %q: %w", to, err)
		}
	}
	if _, _, err := net.SplitHostPort(e.Addr); err != nil {
		return fmt.Errorf("smtp server %q: %w", e.Addr, err)
	}
	return nil
}

// Compose builds the RFC 5322 message: UTF-8 text in base64, the subject
// RFC 2047-encoded, a Message-ID stable across retries.
func (e *Email) Compose(m Message) []byte {
	now := time.Now
	if e.Now != nil {
		now = e.Now
	}
	host, _, _ := net.SplitHostPort(e.Addr)
	var b bytes.Buffer
	hdr := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	hdr("From", e.From)
	hdr("To", strings.Join(e.To, ", "))
	hdr("Subject", mime.BEncoding.Encode("utf-8", m.Subject(e.Lang)))
	hdr("Date", now().Format(time.RFC1123Z))
	hdr("Message-ID", "<"+m.ID(e.ID)+"@"+host+">")
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", "text/plain; charset=utf-8")
	hdr("Content-Transfer-Encoding", "base64")
	hdr("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(m.Text(e.Lang)))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}

// Send implements Channel.
func (e *Email) Send(ctx context.Context, m Message) error {
	if err := e.send(ctx, m); err != nil {
		return fmt.Errorf("mail %s via %s: %w", e.ID, e.Addr, err)
	}
	return nil
}

func (e *Email) send(ctx context.Context, m Message) error {
	timeout := e.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", e.Addr)
	if err != nil {
		return err
	}
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	host, _, _ := net.SplitHostPort(e.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		_ = conn.Close()
		return err
	}
	defer c.Close()
	if err := c.Hello("camwarden.invalid"); err != nil {
		return err
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := e.TLS
		if cfg == nil {
			cfg = &tls.Config{}
		}
		cfg = cfg.Clone()
		if cfg.ServerName == "" {
			cfg.ServerName = host
		}
		cfg.MinVersion = tls.VersionTLS12
		if err := c.StartTLS(cfg); err != nil {
			return fmt.Errorf("starttls: %w", err)
		}
	} else if !e.AllowPlain || e.User != "" {
		return errors.New("the server offers no STARTTLS: refusing to send in clear")
	}
	if e.User != "" {
		if err := c.Auth(smtp.PlainAuth("", e.User, e.Password, host)); err != nil {
			return fmt.Errorf("auth: %w", err)
		}
	}
	if err := c.Mail(e.From); err != nil {
		return err
	}
	for _, to := range e.To {
		if err := c.Rcpt(to); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(e.Compose(m)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}
