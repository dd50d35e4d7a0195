//go:build integration

package integration

import (
	"context"
	"net"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
)

// The UPnP peer (miniupnpd) lives in network namespaces that
// scripts/peers/start-upnp.sh creates; its LAN side is reached only from
// camwarden-upnp-lan. Rather than setns() on locked OS threads (the engine
// dials from many goroutines), TestUPnP re-executes this very test binary
// under `ip netns exec camwarden-upnp-lan` (netns_child_test.go), so the
// whole pipeline, SSDP socket included, runs inside the namespace. The
// child is recognised by upnpChildEnv and refuses to scan unless the
// namespace's address is local.
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
	requireNetns(t, "start-upnp.sh", upnpClientNS)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	runNetnsChild(ctx, t, upnpClientNS, "TestUPnP", upnpChildEnv+"=1")
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
