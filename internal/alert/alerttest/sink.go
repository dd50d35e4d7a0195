// Package alerttest has the receivers camwarden's alert tests send to: an
// SMTP sink (github.com/emersion/go-smtp, the server library of the maddy
// mail server) that requires STARTTLS and AUTH PLAIN and keeps every
// message, and a webhook receiver. scripts/peers/smtpsink runs the same
// sink as the test peer on 127.79.0.x.
package alerttest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Mail is one message the sink accepted.
type Mail struct {
	From string
	To   []string
	User string // who authenticated
	TLS  bool   // whether the session was encrypted when DATA came
	Data []byte
}

// Sink is an SMTP server that keeps what it is sent. It refuses AUTH
// before STARTTLS and mail from an unauthenticated session.
type Sink struct {
	srv      *smtp.Server
	user     string
	password string
	dir      string // when set, each message is also written there
	mu       sync.Mutex
	mails    []Mail
}

// SinkOptions configure NewSink.
type SinkOptions struct {
	User, Password string
	TLS            *tls.Config // the certificate offered with STARTTLS
	Dir            string      // also write each message to Dir/<n>.eml
}

// NewSink returns a sink; serve it with Serve.
func NewSink(o SinkOptions) *Sink {
	s := &Sink{user: o.User, password: o.Password, dir: o.Dir}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{sink: s, conn: c}, nil }))
	srv.Domain = "sink.camwarden.test"
	srv.TLSConfig = o.TLS
	srv.AllowInsecureAuth = false
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.MaxMessageBytes = 4 << 20
	s.srv = srv
	return s
}

// Serve accepts connections on l until Close.
func (s *Sink) Serve(l net.Listener) error {
	err := s.srv.Serve(l)
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Close stops the sink.
func (s *Sink) Close() error { return s.srv.Close() }

// Mails returns the messages accepted so far.
func (s *Sink) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

func (s *Sink) keep(m Mail) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mails = append(s.mails, m)
	if s.dir == "" {
		return nil
	}
	name := filepath.Join(s.dir, strconv.Itoa(len(s.mails))+".eml")
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, m.Data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

type session struct {
	sink *Sink
	conn *smtp.Conn
	user string
	mail Mail
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != s.sink.user || password != s.sink.password {
			return errors.New("invalid credentials")
		}
		s.user = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.user == "" && s.sink.user != "" {
		return smtp.ErrAuthRequired
	}
	s.mail = Mail{From: from, User: s.user}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.mail.To = append(s.mail.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, s.mail.TLS = s.conn.TLSConnectionState()
	s.mail.Data = b
	return s.sink.keep(s.mail)
}

func (s *session) Reset()        { s.mail = Mail{} }
func (s *session) Logout() error { return nil }

// SelfSigned makes a certificate for the given host names and addresses,
// and returns it with PEM encodings of the certificate and key.
func SelfSigned(hosts ...string) (tls.Certificate, []byte, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "camwarden test sink"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(10 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, nil, err
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return tls.Certificate{}, nil, nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, nil, nil, fmt.Errorf("self-signed pair: %w", err)
	}
	return cert, certPEM, keyPEM, nil
}

// Pool is a certificate pool holding one PEM certificate.
func Pool(certPEM []byte) *x509.CertPool {
	p := x509.NewCertPool()
	p.AppendCertsFromPEM(bytes.TrimSpace(certPEM))
	return p
}
