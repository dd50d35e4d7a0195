package lan

import (
	"bytes"
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

// mdnsAnswer builds an mDNS response (RFC 6762 format) for one RTSP
// instance of a camera; no licence-compatible capture exists.
func mdnsAnswer(t testing.TB) []byte {
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{Response: true, Authoritative: true})
	_ = b.StartAnswers()
	inst := dnsmessage.MustNewName("AXIS M1065-LW - ACCC8E012345._rtsp._tcp.local.")
	h := func(name dnsmessage.Name) dnsmessage.ResourceHeader {
		return dnsmessage.ResourceHeader{Name: name, Class: dnsmessage.ClassINET, TTL: 120}
	}
	if err := b.PTRResource(h(dnsmessage.MustNewName("_rtsp._tcp.local.")), dnsmessage.PTRResource{PTR: inst}); err != nil {
		t.Fatal(err)
	}
	_ = b.SRVResource(h(inst), dnsmessage.SRVResource{Port: 554, Target: dnsmessage.MustNewName("axis-accc8e012345.local.")})
	_ = b.TXTResource(h(inst), dnsmessage.TXTResource{TXT: []string{"macaddress=ACCC8E012345", "model=M1065-LW"}})
	msg, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// responder answers every datagram with reply when match accepts it.
func responder(t *testing.T, addr string, match func([]byte) bool, reply []byte) netip.AddrPort {
	t.Helper()
	pc, err := net.ListenPacket("udp4", addr+":0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	go func() {
		buf := make([]byte, 4096)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if match(buf[:n]) {
				_, _ = pc.WriteTo(reply, from)
			}
		}
	}()
	return pc.LocalAddr().(*net.UDPAddr).AddrPort()
}

func TestDiscover(t *testing.T) {
	const host = "127.82.0.1"
	targets := map[Protocol]netip.AddrPort{
		WSDiscovery: responder(t, host, func(b []byte) bool { return bytes.Contains(b, []byte("NetworkVideoTransmitter")) },
			probetest.Fixture(t, "onvif-gsoap-probematches.xml")),
		SSDP: responder(t, host, func(b []byte) bool { return bytes.HasPrefix(b, []byte("M-SEARCH")) },
			probetest.Fixture(t, "axis-m1014-ssdp-msearch-response.txt")),
		SADP: responder(t, host, func(b []byte) bool { return bytes.Contains(b, []byte("<Types>inquiry</Types>")) },
			probetest.Fixture(t, "hikvision-ds2cd2042wd-sadp-inactive.xml")),
		DHIP: responder(t, host, func(b []byte) bool { return bytes.Contains(b, []byte("DHDiscover.search")) },
			dhipFrame(probetest.Fixture(t, "dahua-ipc-hfw1320s-dhip.json"))),
		MDNS: responder(t, host, func(b []byte) bool { return bytes.Contains(b, []byte("_rtsp")) }, mdnsAnswer(t)),
	}
	found, err := Discover(t.Context(), Options{Targets: targets, Wait: 500 * time.Millisecond})
	if err != nil {
		t.Fatalf("Discover: %v", err)
	}
	by := map[Protocol]Found{}
	for _, f := range found {
		if f.Address != netip.MustParseAddr(host) {
			t.Errorf("answer from %v", f.Address)
		}
		by[f.Protocol] = f
	}
	tests := []struct {
		proto Protocol
		check func(f Found) bool
	}{
		{WSDiscovery, func(f Found) bool {
			return f.Name == "PREDATOR" && f.Hardware == "HD_PREDATOR" && slices.Equal(f.XAddrs, []string{"SERVICE_URI"}) && len(f.Scopes) == 7
		}},
		{SSDP, func(f Found) bool {
			return f.DeviceType == "urn:axis-com:service:BasicService:1" && f.Location == "http://192.168.1.102:45895/rootdesc1.xml"
		}},
		{SADP, func(f Found) bool {
			return f.Model == "DS-2CD2042WD-I" && f.MAC == "C0:56:E3:12:34:56" && f.Firmware == "V5.4.5build 170124" &&
				f.Activated != nil && !*f.Activated && f.Ports["sdk"] == 8000
		}},
		{DHIP, func(f Found) bool {
			return f.Vendor == "Dahua" && f.Model == "IPC-HFW1320S" && f.Serial == "2K01234PAZ00001" && f.MAC == "3C:EF:8C:12:34:56" &&
				f.Ports["sdk"] == 37777 && f.Firmware == "2.420.0000.0.R"
		}},
		{MDNS, func(f Found) bool {
			return f.Name == "AXIS M1065-LW - ACCC8E012345._rtsp._tcp.local" && f.Ports["rtsp"] == 554 && f.MAC == "AC:CC:8E:01:23:45" && f.Model == "M1065-LW"
		}},
	}
	for _, tc := range tests {
		t.Run(string(tc.proto), func(t *testing.T) {
			f, ok := by[tc.proto]
			if !ok {
				t.Fatalf("no %s answer among %+v", tc.proto, found)
			}
			if !tc.check(f) {
				t.Errorf("%s answer %+v", tc.proto, f)
			}
		})
	}
	fs := Findings(found)
	if len(fs) != 1 || fs[0].ID != IDSADPInactive || fs[0].Checkpoint != finding.CheckAuth || fs[0].Address != netip.MustParseAddr(host) ||
		fs[0].Evidence["model"] != "DS-2CD2042WD-I" {
		t.Fatalf("findings %+v, want one %s on %s", fs, IDSADPInactive, host)
	}
}

func TestFindingsActivated(t *testing.T) {
	yes := true
	found := []Found{{Address: netip.MustParseAddr("127.82.0.2"), Protocol: SADP, Activated: &yes},
		{Address: netip.MustParseAddr("127.82.0.3"), Protocol: SADP}}
	if fs := Findings(found); len(fs) != 0 {
		t.Fatalf("findings for activated/unknown devices: %+v", fs)
	}
}

func TestClaims(t *testing.T) {
	f := Found{Protocol: DHIP, Vendor: "Dahua", Model: "IPC-HFW1320S", MAC: "3C:EF:8C:12:34:56"}
	s := f.Service()
	if s.Port != 37810 || s.Transport != "udp" || s.Protocol != "dhip" || len(s.Claims) != 3 {
		t.Fatalf("service %+v", s)
	}
	if s.Claims[0].Attr != probe.AttrVendor || s.Claims[0].Source != "dhip discovery" {
		t.Errorf("claim %+v", s.Claims[0])
	}
}

func TestParseARP(t *testing.T) {
	const arp = "IP address       HW type     Flags       HW address            Mask     Device\n" +
		"10.80.1.20       0x1         0x2         c0:56:e3:12:34:56     *        eth0\n" +
		"10.80.1.21       0x1         0x0         00:00:00:00:00:00     *        eth0\n" +
		"10.80.1.22       0x1         0x2         3c:ef:8c:12:34:56     *        eth0\n" +
		"bogus line\n"
	ouis, err := LoadOUIs()
	if err != nil {
		t.Fatalf("LoadOUIs: %v", err)
	}
	ns, err := Neighbours(func(string) ([]byte, error) { return []byte(arp), nil }, ouis)
	if err != nil || len(ns) != 2 {
		t.Fatalf("neighbours %+v err %v", ns, err)
	}
	tests := []struct{ mac, vendor string }{{"C0:56:E3:12:34:56", "Hikvision"}, {"3C:EF:8C:12:34:56", "Dahua"}}
	for i, tc := range tests {
		t.Run(tc.mac, func(t *testing.T) {
			if ns[i].MAC != tc.mac || ns[i].Vendor != tc.vendor || ns[i].Device != "eth0" {
				t.Errorf("neighbour %+v, want %s %s", ns[i], tc.mac, tc.vendor)
			}
		})
	}
}

func TestRequests(t *testing.T) {
	if b := DHIPSearch(); len(b) != 32+int(b[16]) || !bytes.Equal(b[4:8], []byte("DHIP")) {
		t.Errorf("dhip frame % x", b[:32])
	}
	var p dnsmessage.Parser
	if _, err := p.Start(MDNSQuery()); err != nil {
		t.Errorf("mdns query: %v", err)
	}
	qs, err := p.AllQuestions()
	if err != nil || len(qs) != len(MDNSServices) {
		t.Errorf("mdns questions %v %v", qs, err)
	}
	if bytes.Equal(WSDProbe(), WSDProbe()) {
		t.Errorf("ws-discovery probes reuse a MessageID")
	}
}
