// Package probetest runs fake devices on loopback for the tests of probes,
// logins and checks, in the manner of net/http/httptest: a TCP listener or
// UDP socket on 127.0.0.1 runs a handler per connection (or per datagram),
// the caller gets back the probe.Target to aim at, and t.Cleanup closes the
// listener, closes the connections still open and waits for the handlers.
//
// Fixture reads the real capture a fake device replays from testdata/.
// Nothing here dials: the code under test does, with its own dialer.
package probetest

import (
	"bytes"
	"io"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
)

// ConnDeadline bounds the I/O of every accepted connection, so a handler
// waiting on a client that never writes or closes ends on its own.
const ConnDeadline = 10 * time.Second

// MaxDatagram is the largest request datagram ServeUDP reads.
const MaxDatagram = 64 << 10

// loopback is the address every fake device listens on.
var loopback = netip.MustParseAddr("127.0.0.1")

// Serve starts a TCP listener on 127.0.0.1 and runs handler on each
// accepted connection in its own goroutine, with ConnDeadline set; the
// connection is closed when handler returns. It returns the listener's
// target (Transport "tcp").
func Serve(t testing.TB, handler func(net.Conn)) probe.Target {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(loopback.String(), "0"))
	if err != nil {
		t.Fatalf("probetest: listen: %v", err)
	}
	s := &server{conns: map[net.Conn]struct{}{}}
	s.wg.Go(func() { s.accept(ln, handler) })
	t.Cleanup(func() {
		_ = ln.Close()
		s.closeAll()
		s.wait(t)
	})
	return targetOf(t, ln.Addr().String(), "tcp")
}

// server tracks the connections and handlers of one Serve listener.
type server struct {
	wg     sync.WaitGroup
	mu     sync.Mutex
	closed bool
	conns  map[net.Conn]struct{}
}

func (s *server) accept(ln net.Listener, handler func(net.Conn)) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		if !s.track(c) {
			_ = c.Close()
			return
		}
		go func() {
			defer s.wg.Done() // Add was done by track, under the lock
			defer s.untrack(c)
			_ = c.SetDeadline(time.Now().Add(ConnDeadline))
			handler(c)
		}()
	}
}

func (s *server) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	// Counted under the lock that closeAll takes, so no Add can race
	// with the Wait that follows closeAll.
	s.wg.Add(1)
	return true
}

func (s *server) untrack(c net.Conn) {
	_ = c.Close()
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

func (s *server) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for c := range s.conns {
		_ = c.Close()
	}
}

// wait waits for the handlers; one stuck on something other than its
// connection (a full channel, say) is reported instead of hanging the test.
func (s *server) wait(t testing.TB) {
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(ConnDeadline):
		t.Errorf("probetest: a handler is still running %v after the test", ConnDeadline)
	}
}

// Replay returns a handler that writes reply, then reads and discards what
// the client sends until it closes (or the deadline passes), like a device
// that speaks first and waits.
func Replay(reply []byte) func(net.Conn) {
	return func(c net.Conn) {
		_, _ = c.Write(reply)
		_, _ = io.Copy(io.Discard, c)
	}
}

// ServeUDP starts a UDP socket on 127.0.0.1 and calls answer with each
// datagram it receives (a copy, at most MaxDatagram bytes); every datagram
// answer returns is sent back to the sender, none for a silent device. It
// returns the socket's target (Transport "udp").
func ServeUDP(t testing.TB, answer func(req []byte) [][]byte) probe.Target {
	t.Helper()
	pc, err := net.ListenPacket("udp", net.JoinHostPort(loopback.String(), "0"))
	if err != nil {
		t.Fatalf("probetest: listen udp: %v", err)
	}
	s := &server{}
	s.wg.Go(func() {
		buf := make([]byte, MaxDatagram)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			for _, out := range answer(bytes.Clone(buf[:n])) {
				_, _ = pc.WriteTo(out, from)
			}
		}
	})
	t.Cleanup(func() {
		_ = pc.Close()
		s.wait(t)
	})
	return targetOf(t, pc.LocalAddr().String(), "udp")
}

// Closed returns a target on 127.0.0.1 where nothing listens for transport
// ("tcp" or "udp"): a port that was just bound and released, so the kernel
// answers a TCP connect with RST and a UDP datagram with ICMP unreachable.
func Closed(t testing.TB, transport string) probe.Target {
	t.Helper()
	addr := net.JoinHostPort(loopback.String(), "0")
	var c io.Closer
	var local string
	switch transport {
	case "tcp":
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("probetest: listen: %v", err)
		}
		c, local = ln, ln.Addr().String()
	case "udp":
		pc, err := net.ListenPacket("udp", addr)
		if err != nil {
			t.Fatalf("probetest: listen udp: %v", err)
		}
		c, local = pc, pc.LocalAddr().String()
	default:
		t.Fatalf("probetest: unknown transport %q", transport)
	}
	tg := targetOf(t, local, transport)
	_ = c.Close()
	return tg
}

// URLTarget returns the TCP target of a server URL such as an
// httptest.Server's ("http://127.0.0.1:port").
func URLTarget(t testing.TB, rawURL string) probe.Target {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatalf("probetest: %v", err)
	}
	return targetOf(t, u.Host, "tcp")
}

func targetOf(t testing.TB, hostPort, transport string) probe.Target {
	t.Helper()
	ap, err := netip.ParseAddrPort(hostPort)
	if err != nil {
		t.Fatalf("probetest: address %q: %v", hostPort, err)
	}
	return probe.Target{Addr: ap.Addr(), Port: ap.Port(), Transport: transport}
}

// Fixture returns testdata/<name> of the package under test: the real
// capture a fake device replays. A missing file fails the test.
func Fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("probetest: fixture: %v", err)
	}
	return b
}
