package ssh

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

// pipeDialer hands the probe one end of a net.Pipe and runs a fake server
// on the other: the fake reads the client's identification line and then
// writes reply; hang keeps the connection open afterwards.
type pipeDialer struct {
	reply []byte
	hang  bool
	got   chan string
}

func (d *pipeDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	client, server := net.Pipe()
	go func() {
		defer func() { _ = server.Close() }()
		line, _ := bufio.NewReader(server).ReadString('\n')
		d.got <- line
		_, _ = server.Write(d.reply)
		if d.hang {
			_, _ = io.Copy(io.Discard, server)
		}
	}()
	return client, nil
}

var target = probe.Target{Addr: netip.MustParseAddr("127.0.0.1"), Port: 22, Transport: "tcp"}

func TestProbe(t *testing.T) {
	tests := []struct {
		name       string
		reply      []byte
		hang       bool
		wantStatus probe.Status
		wantBanner string
		wantNoMtch bool
	}{
		{name: "openssh debian", reply: probetest.Fixture(t, "openssh-debian12-banner.txt"), wantStatus: probe.StatusIdentified, wantBanner: "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10"},
		{name: "dropbear", reply: probetest.Fixture(t, "dropbear-2015.67-banner.txt"), hang: true, wantStatus: probe.StatusIdentified, wantBanner: "SSH-2.0-dropbear_2015.67"},
		{name: "preamble lines allowed", reply: append([]byte("Welcome\r\nauthorised users only\r\n"), probetest.Fixture(t, "mikrotik-rosssh-banner.txt")...), wantStatus: probe.StatusIdentified, wantBanner: "SSH-2.0-ROSSSH"},
		{name: "http server is no match", reply: probetest.Fixture(t, "nginx-1.22-http401.txt"), wantNoMtch: true},
		{name: "over-long line", reply: []byte("SSH-2.0-" + strings.Repeat("A", 300) + "\r\n"), wantStatus: probe.StatusMalformed},
		{name: "endless preamble", reply: bytes.Repeat([]byte(strings.Repeat("x", 100)+"\r\n"), 200), hang: true, wantStatus: probe.StatusTooLarge},
		{name: "silent server", hang: true, wantStatus: probe.StatusTimeout},
		{name: "closed at once", wantStatus: probe.StatusRefused},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
			defer cancel()
			d := &pipeDialer{reply: tc.reply, hang: tc.hang, got: make(chan string, 1)}
			s, err := Probe{}.Probe(ctx, d, target)
			if sent := <-d.got; sent != ClientIdentification {
				t.Errorf("client sent %q, want %q", sent, ClientIdentification)
			}
			if tc.wantNoMtch {
				if !errors.Is(err, probe.ErrNoMatch) || s != nil {
					t.Fatalf("got %+v, %v; want ErrNoMatch", s, err)
				}
				return
			}
			if s == nil {
				t.Fatalf("nil service, err %v", err)
			}
			if s.Status != tc.wantStatus {
				t.Fatalf("status %q (err %v), want %q", s.Status, err, tc.wantStatus)
			}
			if (err == nil) != (tc.wantStatus == probe.StatusIdentified) {
				t.Fatalf("err = %v with status %q", err, s.Status)
			}
			if got := s.Fields[probe.FieldSSHBanner]; got != tc.wantBanner {
				t.Fatalf("banner %q, want %q", got, tc.wantBanner)
			}
			if s.Protocol != Protocol || s.Port != 22 || len(s.Trace) == 0 {
				t.Fatalf("service = %+v", s)
			}
		})
	}
}

func TestProbeLoopback(t *testing.T) {
	// A real sshd speaks first, before reading.
	tgt := probetest.Serve(t, probetest.Replay(probetest.Fixture(t, "openssh-debian12-banner.txt")))
	s, err := Probe{}.Probe(t.Context(), &net.Dialer{}, tgt)
	if err != nil || s.Fields[probe.FieldSSHBanner] != "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10" {
		t.Fatalf("got %+v, %v", s, err)
	}
}

func FuzzReadIdentification(f *testing.F) {
	for _, name := range []string{"openssh-debian12-banner.txt", "dropbear-2015.67-banner.txt", "mikrotik-rosssh-banner.txt", "nginx-1.22-http401.txt"} {
		f.Add(probetest.Fixture(f, name))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		banner, read, err := ReadIdentification(bufio.NewReader(bytes.NewReader(in)))
		if len(read) > MaxPreamble+MaxLineLen+1 {
			t.Fatalf("read %d bytes, over the cap", len(read))
		}
		if err == nil && (!strings.HasPrefix(banner, "SSH-") || len(banner) > MaxLineLen) {
			t.Fatalf("accepted banner %q", banner)
		}
	})
}
