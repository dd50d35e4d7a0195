//go:build integration

package integration

import (
	"bytes"
	"context"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
)

// The UPnP peer (miniupnpd) lives in network namespaces that
// scripts/peers/start-upnp.sh creates; its LAN side is reached only from
// camwarden-upnp-lan. Rather than setns() on locked OS threads (the engine
// dials from many goroutines), TestUPnP re-executes this very test binary
// under `ip netns exec camwarden-upnp-lan`, so the whole pipeline, SSDP
// socket included, runs inside the namespace. The child is recognised by
// upnpChildEnv and refuses to scan unless the namespace's address is local.
const (
	upnpClientNS = "camwarden-upnp-lan"
	upnpChildEnv = "CAMWARDEN_UPNP_CHILD"
	upnpRouter   = "10.79.1.1"
	upnpClient   = "10.79.1.100"
)

// TestUPnP checks SSDP and description identification of miniupnpd.
func TestUPnP(t *testing.T) {
	if os.Getenv(upnpChildEnv) == "1" {
		upnpInsideNamespace(t)
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("find test binary: %v", err)
	}
	ns, err := exec.CommandContext(t.Context(), "ip", "netns", "list").Output()
	if err != nil || !bytes.Contains(ns, []byte(upnpClientNS)) {
		t.Fatalf("network namespace %s missing (err %v): start the UPnP peer with scripts/peers/start-upnp.sh "+
			"(or scripts/peers/start-all.sh)", upnpClientNS, err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", "netns", "exec", upnpClientNS, exe,
		"-test.run=^TestUPnP$", "-test.v", "-test.count=1", "-test.timeout=3m")
	cmd.Env = append(os.Environ(), upnpChildEnv+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("child test inside %s:\n%s", upnpClientNS, out)
	if err != nil {
		t.Fatalf("UPnP scan inside %s failed: %v", upnpClientNS, err)
	}
	if !bytes.Contains(out, []byte("--- PASS: TestUPnP")) {
		t.Fatalf("child test did not report a pass")
	}
}

// upnpInsideNamespace runs in the child, inside camwarden-upnp-lan.
func upnpInsideNamespace(t *testing.T) {
	if !hasLocalAddr(t, upnpClient) {
		t.Fatalf("child is not inside %s (no local %s): refusing to scan", upnpClientNS, upnpClient)
	}
	requirePeers(t, []peer{{"miniupnpd HTTP", upnpRouter, 5000, "tcp", "start-upnp.sh"}})
	devices := scan(t, scanConfig{
		targets:  []string{upnpRouter},
		tcpPorts: []uint16{5000},
		udpPorts: []uint16{1900},
	})
	d, ok := devices[netip.MustParseAddr(upnpRouter)]
	if !ok {
		t.Fatalf("%s not in the scan result (%d devices)", upnpRouter, len(devices))
	}
	s := service(t, d, "upnp", 1900)
	if s.Transport != "udp" {
		t.Errorf("upnp transport %q, want udp", s.Transport)
	}
	field(t, s, probe.FieldUPnPLocation, "http://"+upnpRouter+":5000/rootDesc.xml", equal)
	field(t, s, probe.FieldUPnPServer, "MiniUPnPd/2.3.1", containsFold)
	field(t, s, probe.FieldUPnPManufacturer, "camwarden-peers", equal)
	field(t, s, probe.FieldUPnPFriendlyName, "camwarden test IGD (miniupnpd)", equal)
	field(t, s, probe.FieldUPnPDeviceType, "InternetGatewayDevice", contains)
	field(t, s, probe.FieldUPnPSerial, "CWIGD0079", equal)
	if d.Kind() != "router" {
		t.Errorf("kind %q, want router (identity %v)", d.Kind(), d.Identity)
	}
}

func hasLocalAddr(t *testing.T, want string) bool {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatalf("list interface addresses: %v", err)
	}
	for _, a := range addrs {
		if strings.HasPrefix(a.String(), want+"/") {
			return true
		}
	}
	return false
}
