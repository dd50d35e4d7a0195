package cli

import (
	"bytes"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/discover/lan"
	"github.com/camwarden/camwarden/internal/fingerprint"
	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/scope"
)

func TestCheckLANScope(t *testing.T) {
	for _, tc := range []struct {
		targets []string
		public  bool
		ok      bool
	}{
		{[]string{"192.168.1.0/24"}, false, true},
		{[]string{"10.1.0.0/16", "172.16.5.1"}, false, true},
		{[]string{"169.254.10.0/24"}, false, true},
		{[]string{"127.0.0.1"}, false, false},
		{[]string{"192.168.1.0/24", "100.64.0.1"}, false, false},
		{[]string{"192.168.1.5", "8.8.8.8"}, true, false},
		{[]string{"fd00::/120"}, false, false},
	} {
		t.Run(strings.Join(tc.targets, ","), func(t *testing.T) {
			sc, err := scope.Parse(t.Context(), tc.targets, scope.Options{AllowPublic: tc.public})
			if err != nil {
				t.Fatal(err)
			}
			err = checkLANScope(t.Context(), sc)
			if (err == nil) != tc.ok {
				t.Errorf("checkLANScope = %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !strings.Contains(err.Error(), "--lan-discovery") {
				t.Errorf("message %q does not name the flag", err)
			}
		})
	}
}

// TestDiscoverLANMerge runs the lab's discovery responders on loopback,
// discovers them by unicast (no multicast on loopback) and checks the
// merge into the scan: claims identify, the inactive SADP device yields
// AUTH-NONE-SADP-INACTIVE, a device outside the scope is only noted, and
// the neighbour table adds MAC and OUI vendor.
func TestDiscoverLANMerge(t *testing.T) {
	ds, err := lab.StartDiscovery(t.Context(), lab.DiscoveryOptions{Prefix: "127.78.74"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ds.Close() })
	addrOf := map[string]netip.Addr{}
	for _, d := range ds.Manifest().Devices {
		addrOf[d.Name] = netip.MustParseAddr(d.Address)
	}
	router, inactive := addrOf["buffalo-wsr1166dhp"], addrOf["hikvision-ipc-not-activated"]
	axis := addrOf["axis-m1014"]
	sc, err := scope.Parse(t.Context(), []string{"127.78.74.2-" + router.Prev().String()}, scope.Options{})
	if err != nil {
		t.Fatal(err)
	}
	arp := "IP address       HW type     Flags       HW address            Mask     Device\n" +
		axis.String() + "   0x1         0x2         ac:cc:8e:27:0a:d8     *        veth0\n"
	o := linkOptions{readFile: func(string) ([]byte, error) { return []byte(arp), nil }}
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		t.Fatal(err)
	}
	// The lab's responders live on loopback: discovery uses lo as the
	// scope's interface (unicast here; multicast only in the netns tests).
	o.interfaces = func() ([]lan.Interface, error) {
		return []lan.Interface{{Name: "lo", Index: lo.Index, Addr: netip.MustParsePrefix("127.78.74.1/24")}}, nil
	}
	o.lan = lan.Options{Wait: time.Second, Targets: map[lan.Protocol]netip.AddrPort{
		lan.WSDiscovery: netip.AddrPortFrom(addrOf["hikvision-ipc-current"], 3702),
		lan.SADP:        netip.AddrPortFrom(inactive, 37020),
		lan.DHIP:        netip.AddrPortFrom(addrOf["dahua-ipc"], 37810),
		lan.SSDP:        netip.AddrPortFrom(router, 1900),
	}, Protocols: []lan.Protocol{lan.WSDiscovery, lan.SADP, lan.DHIP, lan.SSDP}}
	var w bytes.Buffer
	res := discoverLAN(t.Context(), sc, o, nil, &w)
	if !strings.Contains(w.String(), "outside the scope, not contacted: "+router.String()+" (ssdp)") {
		t.Errorf("note does not list the router outside the scope:\n%s", w.String())
	}
	m, err := fingerprint.New()
	if err != nil {
		t.Fatal(err)
	}
	scanned := []device.Device{{Address: axis, Services: []probe.Service{{Port: 80, Transport: "tcp", Protocol: "http", Status: probe.StatusIdentified}}}}
	devs := res.merge(m, scanned)
	byAddr := map[netip.Addr]device.Device{}
	for _, d := range devs {
		byAddr[d.Address] = d
	}
	if len(devs) != 4 {
		t.Errorf("%d devices after merge, want 4 (3 discovered + 1 scanned): %+v", len(devs), devs)
	}
	for _, tc := range []struct {
		name, proto, vendor string
		port                uint16
	}{
		{"hikvision-ipc-current", "ws-discovery", "", 3702},
		{"hikvision-ipc-not-activated", "sadp", "Hikvision", 37020},
		{"dahua-ipc", "dhip", "Dahua", 37810},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, ok := byAddr[addrOf[tc.name]]
			if !ok {
				t.Fatalf("%s not merged", tc.name)
			}
			s := d.Service(tc.proto)
			if s == nil || s.Port != tc.port || s.Transport != "udp" {
				t.Errorf("service %s: %+v", tc.proto, d.Services)
			}
			if tc.vendor != "" && !strings.EqualFold(d.Vendor(), tc.vendor) {
				t.Errorf("vendor %q, want %q (identity %v)", d.Vendor(), tc.vendor, d.Identity)
			}
		})
	}
	if d := byAddr[axis]; d.Get(probe.AttrMAC) != "AC:CC:8E:27:0A:D8" || d.Vendor() != "Axis" || d.Service("http") == nil {
		t.Errorf("neighbour table not applied to %s: %+v", axis, d)
	}
	fs := res.findings()
	if len(fs) != 1 || fs[0].ID != lan.IDSADPInactive || fs[0].Address != inactive {
		t.Errorf("findings %+v, want one %s on %s", fs, lan.IDSADPInactive, inactive)
	}
}

// TestLANServiceSSDP checks that an SSDP answer joins as the scan's "upnp"
// service and is not added twice.
func TestLANServiceSSDP(t *testing.T) {
	a := netip.MustParseAddr("127.78.74.50")
	f := lan.Found{Address: a, Protocol: lan.SSDP, Name: "MiniUPnPd/2.3.1", Location: "http://127.78.74.50:5000/rootDesc.xml"}
	res := &lanResult{found: []lan.Found{f, f}}
	m, err := fingerprint.New()
	if err != nil {
		t.Fatal(err)
	}
	devs := res.merge(m, []device.Device{{Address: a, Services: []probe.Service{{Port: 1900, Transport: "udp", Protocol: "upnp"}}}})
	if len(devs) != 1 || len(devs[0].Services) != 1 {
		t.Errorf("merged %+v, want one device with one upnp service", devs)
	}
	if s := lanService(f); s.Protocol != "upnp" || s.Port != 1900 || s.Fields[probe.FieldUPnPLocation] != f.Location {
		t.Errorf("lanService = %+v", s)
	}
}

// TestLANInterfacesFollowTheScope: LAN discovery uses only the interfaces
// whose network holds part of the scope, and refuses when none does
// (issue 10 item 5), before anything is sent.
func TestLANInterfacesFollowTheScope(t *testing.T) {
	ifs := []lan.Interface{
		{Name: "eth0", Index: 2, Addr: netip.MustParsePrefix("192.168.1.20/24")}, // default route side
		{Name: "eth1", Index: 3, Addr: netip.MustParsePrefix("10.81.1.100/24")},
		{Name: "eth1", Index: 3, Addr: netip.MustParsePrefix("10.81.1.101/24")}, // same network twice
	}
	o := linkOptions{interfaces: func() ([]lan.Interface, error) { return ifs, nil }}
	for _, tc := range []struct {
		targets []string
		want    []string
	}{
		{[]string{"10.81.1.0/24"}, []string{"eth1 (10.81.1.100/24)"}},
		{[]string{"10.81.1.5", "192.168.1.0/25"}, []string{"eth0 (192.168.1.20/24)", "eth1 (10.81.1.100/24)"}},
		{[]string{"10.81.2.0/24"}, nil},
	} {
		t.Run(strings.Join(tc.targets, ","), func(t *testing.T) {
			sc, err := scope.Parse(t.Context(), tc.targets, scope.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := lanInterfaces(o, sc)
			var names []string
			for _, i := range got {
				names = append(names, i.String())
			}
			if strings.Join(names, ";") != strings.Join(tc.want, ";") {
				t.Errorf("interfaces %v, want %v", names, tc.want)
			}
			if tc.want == nil && (err == nil || !strings.Contains(err.Error(), "no network interface of this machine is on the scanned networks")) {
				t.Errorf("error %v, want a refusal naming the reason", err)
			}
		})
	}
}
