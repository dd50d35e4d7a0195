// Command smtpsink is the SMTP test peer of camwarden's alert tests: an
// SMTP server (github.com/emersion/go-smtp through internal/alert/alerttest)
// that offers STARTTLS with its own certificate, requires AUTH PLAIN, and
// writes every accepted message to DIR/<n>.eml. It never relays anything.
// scripts/peers/start-smtp.sh builds and starts it on 127.79.0.25:2525.
//
//	smtpsink -addr 127.79.0.25:2525 -dir DIR -user alerts -password-file FILE
//
// It writes DIR/../cert.pem (the certificate clients must trust) and
// refuses any address outside 127.0.0.0/8.
package main

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/camwarden/camwarden/internal/alert/alerttest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "smtpsink:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.79.0.25:2525", "address to listen on (loopback only)")
	dir := flag.String("dir", "", "directory for the accepted messages")
	user := flag.String("user", "alerts", "the only SMTP user")
	pwFile := flag.String("password-file", "", "file holding the user's password")
	flag.Parse()
	ap, err := netip.ParseAddrPort(*addr)
	if err != nil || !ap.Addr().IsLoopback() {
		return fmt.Errorf("-addr %q: want a 127.x address and a port", *addr)
	}
	if *dir == "" || *pwFile == "" {
		return errors.New("-dir and -password-file are required")
	}
	pw, err := os.ReadFile(*pwFile)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	cert, certPEM, _, err := alerttest.SelfSigned(ap.Addr().String(), "localhost")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(filepath.Clean(*dir)), "cert.pem"), certPEM, 0o644); err != nil {
		return err
	}
	sink := alerttest.NewSink(alerttest.SinkOptions{User: *user, Password: strings.TrimSpace(string(pw)),
		TLS: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, Dir: *dir})
	l, err := net.Listen("tcp", ap.String())
	if err != nil {
		return err
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() { <-sig; _ = sink.Close() }()
	fmt.Printf("smtpsink: listening on %s, messages in %s\n", ap, *dir)
	return sink.Serve(l)
}
