//go:build integration

// Package integration scans the real Debian servers that scripts/peers starts
// (see scripts/peers/README.md) with camwarden's whole pipeline: scope.Parse,
// engine.Scan with every registered probe, and fingerprint.Identify. The
// tests start nothing themselves; a peer that does not answer fails the test
// with the script that starts it. Run: go test -tags integration ./test/integration/...
package integration

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/fingerprint"
	"github.com/camwarden/camwarden/internal/probe"
	_ "github.com/camwarden/camwarden/internal/probe/all" // registers every protocol probe
	"github.com/camwarden/camwarden/internal/scope"
)

// peer is one server started by scripts/peers/start-all.sh.
type peer struct {
	name      string // what it is, for messages
	addr      string
	port      uint16
	transport string // "tcp" or "udp"
	script    string // the script that starts it
}

// hostPeers are the peers in the host namespace (scripts/peers/README.md).
var hostPeers = []peer{
	{"lighttpd App-webs/ Digest", "127.79.0.1", 80, "tcp", "start-lighttpd.sh 127.79.0.1 80"},
	{"nginx Basic", "127.79.0.2", 80, "tcp", "start-nginx.sh 127.79.0.2 80 basic"},
	{"gst-rtsp-server Basic+Digest", "127.79.0.3", 554, "tcp", "start-rtsp.sh 127.79.0.3 554 both"},
	{"gst-rtsp-server Digest", "127.79.0.4", 554, "tcp", "start-rtsp.sh 127.79.0.4 554 digest"},
	{"gst-rtsp-server open", "127.79.0.5", 554, "tcp", "start-rtsp.sh 127.79.0.5 554 none"},
	{"busybox telnetd", "127.79.0.6", 23, "tcp", "start-telnet.sh 127.79.0.6 23"},
	{"OpenSSH sshd", "127.79.0.7", 22, "tcp", "start-ssh.sh 127.79.0.7 22"},
	{"vsftpd anonymous", "127.79.0.8", 21, "tcp", "start-ftp.sh 127.79.0.8 21"},
	{"net-snmp snmpd", "127.79.0.9", 161, "udp", "start-snmp.sh 127.79.0.9 161"},
	{"nginx 200-to-everything", "127.79.0.10", 80, "tcp", "start-nginx.sh 127.79.0.10 80 all200"},
}

// peerWait bounds how long a peer may take to answer before the test fails.
const peerWait = 5 * time.Second

// requirePeers fails the test, naming the peer and its start script, unless
// every peer answers within peerWait. It polls; it never sleeps blindly.
func requirePeers(t *testing.T, peers []peer) {
	t.Helper()
	for _, p := range peers {
		if err := pollPeer(t.Context(), p); err != nil {
			t.Fatalf("peer %q at %s:%d/%s is not answering (%v): start the peers with "+
				"scripts/peers/start-all.sh (this one: scripts/peers/%s)", p.name, p.addr, p.port, p.transport, err, p.script)
		}
	}
}

func pollPeer(ctx context.Context, p peer) error {
	ctx, cancel := context.WithTimeout(ctx, peerWait)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		err := answerOnce(ctx, p)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return err
		case <-tick.C:
		}
	}
}

// answerOnce makes one real exchange: a TCP connect, or an SNMP v2c GET of
// sysDescr.0 for the UDP peer (a UDP "connect" proves nothing).
func answerOnce(ctx context.Context, p peer) error {
	if p.transport == "tcp" {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(p.addr, fmt.Sprint(p.port)))
		if err != nil {
			return err
		}
		return c.Close()
	}
	g := &gosnmp.GoSNMP{Target: p.addr, Port: p.port, Community: "public", Version: gosnmp.Version2c,
		Timeout: 500 * time.Millisecond, Retries: 0, Context: ctx}
	if err := g.Connect(); err != nil {
		return err
	}
	defer g.Conn.Close()
	_, err := g.Get([]string{"1.3.6.1.2.1.1.1.0"})
	return err
}

// scanConfig is the pipeline configuration shared by the tests.
type scanConfig struct {
	targets  []string
	tcpPorts []uint16
	udpPorts []uint16
}

// scan runs scope.Parse -> engine.Scan (registered probes) -> fingerprint and
// returns the devices by address, failing the test on any pipeline error.
func scan(t *testing.T, sc scanConfig) map[netip.Addr]device.Device {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	sp, err := scope.Parse(ctx, sc.targets, scope.Options{})
	if err != nil {
		t.Fatalf("scope.Parse(%q): %v", sc.targets, err)
	}
	m, err := fingerprint.New()
	if err != nil {
		t.Fatalf("fingerprint.New: %v", err)
	}
	if len(probe.Registered()) == 0 {
		t.Fatal("no probe registered: internal/probe/all imports nothing")
	}
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	start := time.Now()
	res, err := engine.Scan(ctx, engine.Config{
		Scope:        sp,
		Ports:        sc.tcpPorts,
		UDPPorts:     sc.udpPorts,
		ProbeTimeout: 15 * time.Second,
		Logger:       log,
		Identify:     m.Identify,
	})
	if err != nil {
		t.Fatalf("engine.Scan(%q): %v", sc.targets, err)
	}
	if res.Interrupted {
		t.Fatalf("engine.Scan(%q) was interrupted", sc.targets)
	}
	t.Logf("scan of %v, tcp %v, udp %v: %d devices in %v (stats %+v)",
		sc.targets, sc.tcpPorts, sc.udpPorts, len(res.Devices), time.Since(start).Round(time.Millisecond), res.Stats)
	out := make(map[netip.Addr]device.Device, len(res.Devices))
	for _, d := range res.Devices {
		out[d.Address] = d
	}
	return out
}

// service returns the identified service of proto on port, failing the test
// with everything the device reported when there is none.
func service(t *testing.T, d device.Device, proto string, port uint16) probe.Service {
	t.Helper()
	for _, s := range d.Services {
		if s.Protocol == proto && s.Port == port {
			if s.Status != probe.StatusIdentified {
				t.Fatalf("%s %s/%d: status %q, error %q; fields %v", d.Address, proto, port, s.Status, s.Error, s.Fields)
			}
			return s
		}
	}
	t.Fatalf("%s: no %s service on port %d; services: %s", d.Address, proto, port, describe(d))
	return probe.Service{}
}

// describe summarises a device's services for failure messages.
func describe(d device.Device) string {
	var b strings.Builder
	for _, s := range d.Services {
		fmt.Fprintf(&b, "[%s %d/%s %s fields=%v err=%q] ", s.Protocol, s.Port, s.Transport, s.Status, s.Fields, s.Error)
	}
	if b.Len() == 0 {
		return "none"
	}
	return b.String()
}

// field fails the test unless the service's field key satisfies ok.
func field(t *testing.T, s probe.Service, key, want string, ok func(got, want string) bool) {
	t.Helper()
	if got := s.Fields[key]; !ok(got, want) {
		t.Errorf("%s/%d field %s = %q, want %q (all fields %v)", s.Protocol, s.Port, key, got, want, s.Fields)
	}
}

func equal(got, want string) bool     { return got == want }
func hasPrefix(got, want string) bool { return strings.HasPrefix(got, want) }
func contains(got, want string) bool  { return strings.Contains(got, want) }
func containsFold(got, want string) bool {
	return strings.Contains(strings.ToLower(got), strings.ToLower(want))
}

// peersAt returns the host peers at the given addresses.
func peersAt(t *testing.T, addrs ...string) []peer {
	t.Helper()
	var out []peer
	for _, a := range addrs {
		for _, p := range hostPeers {
			if p.addr == a {
				out = append(out, p)
			}
		}
	}
	if len(out) != len(addrs) {
		t.Fatalf("no peer in hostPeers for some of %v", addrs)
	}
	return out
}
