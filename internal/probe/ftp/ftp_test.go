package ftp

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

// pipeDialer runs a fake FTP server on the far end of a net.Pipe: it writes
// greeting, then records what the client sends until the client closes (or
// keeps silent when hang is set and the client sends nothing).
type pipeDialer struct {
	greeting []byte
	got      chan string
}

func (d *pipeDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	client, server := net.Pipe()
	go func() {
		defer func() { _ = server.Close() }()
		_, _ = server.Write(d.greeting)
		b, _ := io.ReadAll(server)
		d.got <- string(b)
	}()
	return client, nil
}

var target = probe.Target{Addr: netip.MustParseAddr("127.0.0.1"), Port: 21, Transport: "tcp"}

func TestProbe(t *testing.T) {
	tests := []struct {
		name       string
		greeting   []byte
		wantStatus probe.Status
		wantBanner string
		wantNoMtch bool
		wantQuit   bool
	}{
		{name: "vsftpd", greeting: probetest.Fixture(t, "vsftpd-3.0.3-greeting.txt"), wantStatus: probe.StatusIdentified, wantBanner: "(vsFTPd 3.0.3)", wantQuit: true},
		{name: "axis camera", greeting: probetest.Fixture(t, "axis-216fd-greeting.txt"), wantStatus: probe.StatusIdentified, wantBanner: "AXIS 216FD Network Fixed Dome Camera 4.47 (Mar 13 2008) ready.", wantQuit: true},
		{name: "tp-link", greeting: probetest.Fixture(t, "tplink-ftp-greeting.txt"), wantStatus: probe.StatusIdentified, wantBanner: "TP-LINK FTP version 1.0 ready at Wed May  1 20:51:49 2019", wantQuit: true},
		{name: "multi-line", greeting: probetest.Fixture(t, "vsftpd-3.0.3-multiline-greeting.txt"), wantStatus: probe.StatusIdentified, wantBanner: "Welcome to the camera FTP service.\nAuthorised users only.\n(vsFTPd 3.0.3)", wantQuit: true},
		{name: "ssh is no match", greeting: []byte("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n"), wantNoMtch: true},
		{name: "smtp is no match", greeting: []byte("220 mail.example.com ESMTP Postfix\r\n"), wantNoMtch: true},
		{name: "endless multi-line", greeting: append([]byte("220-hello\r\n"), bytes.Repeat([]byte("more text\r\n"), 1000)...), wantStatus: probe.StatusTooLarge, wantBanner: "hello\nmore text"},
		{name: "silent", wantStatus: probe.StatusTimeout},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
			defer cancel()
			d := &pipeDialer{greeting: tc.greeting, got: make(chan string, 1)}
			s, err := Probe{}.Probe(ctx, d, target)
			sent := <-d.got
			if tc.wantQuit != (sent == "QUIT\r\n") {
				t.Errorf("client sent %q", sent)
			}
			if tc.wantNoMtch {
				if !errors.Is(err, probe.ErrNoMatch) || s != nil {
					t.Fatalf("got %+v, %v; want ErrNoMatch", s, err)
				}
				return
			}
			if s == nil || s.Status != tc.wantStatus {
				t.Fatalf("service %+v (err %v), want status %q", s, err, tc.wantStatus)
			}
			if (err == nil) != (tc.wantStatus == probe.StatusIdentified) {
				t.Fatalf("err = %v with status %q", err, s.Status)
			}
			got := s.Fields[probe.FieldFTPBanner]
			if tc.wantStatus == probe.StatusTooLarge {
				if !strings.HasPrefix(got, tc.wantBanner) {
					t.Fatalf("banner %q, want prefix %q", got, tc.wantBanner)
				}
				return
			}
			if got != tc.wantBanner {
				t.Fatalf("banner %q, want %q", got, tc.wantBanner)
			}
		})
	}
}

func TestProbeLoopback(t *testing.T) {
	greeting := probetest.Fixture(t, "vsftpd-3.0.3-greeting.txt")
	quit := make(chan string, 1)
	tgt := probetest.Serve(t, func(c net.Conn) {
		_, _ = c.Write(greeting)
		line, _ := bufio.NewReader(c).ReadString('\n')
		quit <- line
	})
	s, err := Probe{}.Probe(t.Context(), &net.Dialer{}, tgt)
	if err != nil || s.Fields[probe.FieldFTPBanner] != "(vsFTPd 3.0.3)" {
		t.Fatalf("got %+v, %v", s, err)
	}
	if got := <-quit; got != "QUIT\r\n" {
		t.Fatalf("server got %q, want QUIT", got)
	}
}

func FuzzReadGreeting(f *testing.F) {
	for _, name := range []string{"vsftpd-3.0.3-greeting.txt", "axis-216fd-greeting.txt", "tplink-ftp-greeting.txt", "vsftpd-3.0.3-multiline-greeting.txt"} {
		f.Add(probetest.Fixture(f, name))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		g, read, err := ReadGreeting(bufio.NewReader(bytes.NewReader(in)))
		if len(read) > MaxGreeting {
			t.Fatalf("read %d bytes, over the cap", len(read))
		}
		if err == nil && !greetingCode(g.Code) {
			t.Fatalf("accepted code %d", g.Code)
		}
		if !bytes.HasPrefix(in, read) {
			t.Fatal("read is not a prefix of the input")
		}
	})
}
