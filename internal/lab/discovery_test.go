package lab

import (
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/discover/lan"
	"github.com/camwarden/camwarden/internal/probe/upnp"
)

// discoveryRequests are camwarden's own requests and parsers, per
// manifest protocol name.
var discoveryRequests = map[string]struct {
	request func() []byte
	parse   func(netip.Addr, []byte) ([]lan.Found, error)
}{
	ProtoWSDiscovery: {lan.WSDProbe, lan.ParseProbeMatches},
	ProtoSSDP:        {func() []byte { return []byte(upnp.MSearch) }, lan.ParseSSDP},
	ProtoSADP:        {lan.SADPProbe, lan.ParseSADP},
	ProtoDHIP:        {lan.DHIPSearch, lan.ParseDHIP},
}

// TestDiscoveryAnswers sends each manifest service camwarden's request by
// unicast on loopback and checks that the answer parses and states the
// device's identity (and the planted SADP activation state).
func TestDiscoveryAnswers(t *testing.T) {
	ds, err := StartDiscovery(t.Context(), DiscoveryOptions{Prefix: "127.78.70"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ds.Close() })
	m := ds.Manifest()
	if len(m.Devices) < 6 {
		t.Fatalf("%d discovery devices", len(m.Devices))
	}
	seen := map[string]int{}
	for _, d := range m.Devices {
		for _, s := range d.Services {
			seen[s.Protocol]++
			t.Run(d.Name+"/"+s.Protocol, func(t *testing.T) {
				addr := netip.MustParseAddr(d.Address)
				found := exchangeOnce(t, netip.AddrPortFrom(addr, s.Port), s.Protocol)
				if len(found) == 0 || found[0].Address != addr {
					t.Fatalf("answers %+v, want one from %s", found, addr)
				}
				f := found[0]
				switch s.Protocol {
				case ProtoSADP:
					want := d.Planted[PlantedSADP] == "active"
					if f.Model != d.Model || f.Firmware == "" || f.Activated == nil || *f.Activated != want {
						t.Errorf("sadp %+v, want model %s activated %v", f, d.Model, want)
					}
				case ProtoDHIP:
					if f.Model != d.Model || f.Vendor != d.Vendor || f.Firmware != d.Firmware || f.MAC == "" {
						t.Errorf("dhip %+v, want %s %s %s", f, d.Vendor, d.Model, d.Firmware)
					}
				case ProtoWSDiscovery:
					if f.Model != d.Model || f.Name != d.Vendor || !slices.Contains(f.XAddrs, "http://"+d.Address+"/onvif/device_service") {
						t.Errorf("ws-discovery %+v, want hardware %s name %s", f, d.Model, d.Vendor)
					}
				case ProtoSSDP:
					if f.Location == "" || f.Name == "" {
						t.Errorf("ssdp %+v: no location or server", f)
					}
				}
			})
		}
	}
	for _, p := range []string{ProtoWSDiscovery, ProtoSSDP, ProtoSADP, ProtoDHIP} {
		if seen[p] == 0 {
			t.Errorf("no discovery device answers %s", p)
		}
	}
	var inactive int
	for _, d := range m.Devices {
		if d.Planted[PlantedSADP] == "inactive" {
			inactive++
		}
	}
	if inactive != 1 {
		t.Errorf("%d devices planted %s=inactive, want 1", inactive, PlantedSADP)
	}
}

// TestDiscoveryIgnoresOtherRequests checks that responders stay silent on
// requests of another protocol or garbage.
func TestDiscoveryIgnoresOtherRequests(t *testing.T) {
	for _, tc := range []struct {
		name string
		req  []byte
		ans  func([]byte, *device) [][]byte
	}{
		{"wsd gets sadp", lan.SADPProbe(), answerWSD},
		{"wsd gets doctype", []byte(`<!DOCTYPE x [<!ENTITY a "b">]><Envelope/>`), answerWSD},
		{"sadp gets wsd", lan.WSDProbe(), answerSADP},
		{"dhip gets short", []byte("DHIP"), answerDHIP},
		{"dhip gets other method", append(lan.DHIPSearch()[:32:32], `{"method":"configManager.getConfig"}`...), answerDHIP},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := discoveryDevice(discoveryTable()[0], netip.MustParseAddr("127.78.70.2"))
			if out := tc.ans(tc.req, d); len(out) != 0 {
				t.Errorf("answered %q", out)
			}
		})
	}
}

// TestDiscoveryRefusesPublicPrefix checks the address guard and the
// interface guard.
func TestDiscoveryRefusesPublicPrefix(t *testing.T) {
	for _, p := range []string{"8.8.8", "", "127.78", "224.0.0"} {
		if _, err := StartDiscovery(t.Context(), DiscoveryOptions{Prefix: p}); err == nil {
			t.Errorf("prefix %q accepted", p)
		}
	}
	if _, err := StartDiscovery(t.Context(), DiscoveryOptions{Prefix: "127.78.71", Interface: "camwarden-no-such-if"}); err == nil {
		t.Error("unknown interface accepted")
	}
}

func exchangeOnce(t *testing.T, to netip.AddrPort, proto string) []lan.Found {
	t.Helper()
	rq := discoveryRequests[proto]
	c, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.MustParseAddrPort("127.0.0.1:0")))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.WriteTo(rq.request(), net.UDPAddrFromAddrPort(to)); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(3 * time.Second))
	buf := make([]byte, 16<<10)
	n, from, err := c.ReadFromUDP(buf)
	if err != nil {
		t.Fatalf("no answer from %s: %v", to, err)
	}
	found, err := rq.parse(from.AddrPort().Addr().Unmap(), buf[:n])
	if err != nil {
		t.Fatalf("answer does not parse: %v\n%s", err, buf[:n])
	}
	return found
}
