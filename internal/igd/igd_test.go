package igd

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"
)

func auditFake(t *testing.T, f *fakeIGD, d *recordingDialer, max int) ([]Gateway, error) {
	t.Helper()
	return Audit(t.Context(), Options{
		Gateway: f.addr, SSDPPort: f.ssdpPort, NATPMP: true, NATPMPPort: f.pmpPort,
		Wait: 300 * time.Millisecond, Timeout: 2 * time.Second, MaxMappings: max, Dialer: d,
	})
}

func TestAuditMiniupnpd(t *testing.T) {
	tests := []struct {
		name    string
		entries int
		max     int
		// want: mappings listed and whether the cap was hit
		wantN         int
		wantTruncated bool
	}{
		// 3 generic entries (18081..18083) + the 5 TCP entries of the real
		// GetListOfPortMappings answer, of which 18081 is a duplicate.
		{"generic then v2 list", 3, 0, 7, false},
		{"no mappings, list adds the v2 ones", 0, 0, 5, false},
		{"endless table is capped", -1, 7, 7, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := startFake(t, "127.81.0.1", tc.entries)
			d := &recordingDialer{}
			gws, err := auditFake(t, f, d, tc.max)
			if err != nil {
				t.Fatalf("Audit: %v", err)
			}
			if len(gws) != 1 {
				t.Fatalf("%d gateways, want 1: %+v", len(gws), gws)
			}
			gw := gws[0]
			if gw.Address != f.addr || gw.ExternalIP != netip.MustParseAddr("11.79.1.2") {
				t.Errorf("address %v external %v, want %v and 11.79.1.2", gw.Address, gw.ExternalIP, f.addr)
			}
			if !IsV2(gw.ServiceType) || !strings.HasSuffix(gw.ControlURL, "/ctl/IPConn") {
				t.Errorf("service %q control %q", gw.ServiceType, gw.ControlURL)
			}
			if gw.Manufacturer != "camwarden-peers" || !strings.Contains(gw.DeviceType, "InternetGatewayDevice:2") {
				t.Errorf("description fields: %q %q", gw.Manufacturer, gw.DeviceType)
			}
			if len(gw.Mappings) != tc.wantN || gw.Truncated != tc.wantTruncated {
				t.Fatalf("%d mappings truncated=%v, want %d %v (errors %v)", len(gw.Mappings), gw.Truncated, tc.wantN, tc.wantTruncated, gw.Errors)
			}
			if tc.max == 0 && len(gw.Errors) != 0 {
				t.Errorf("errors: %v", gw.Errors)
			}
			m := gw.Mappings[0]
			if m.Gateway != f.addr || m.ExternalIP != gw.ExternalIP || m.Protocol != "tcp" || m.InternalPort != 8080 ||
				m.InternalClient != netip.MustParseAddr("10.79.1.103") || !m.Enabled || m.Lease < time.Hour {
				t.Errorf("first mapping %+v", m)
			}
			if n := gw.NATPMP; n == nil || !n.Speaks || !n.PCP || n.ExternalIP != gw.ExternalIP || n.Epoch != 0x432 {
				t.Errorf("nat-pmp %+v", n)
			}
			for _, a := range f.actions {
				name := strings.Trim(a[strings.LastIndex(a, "#")+1:], `"`)
				if !slices.Contains(ReadOnlyActions, name) {
					t.Errorf("sent a non read-only action %q", a)
				}
			}
			for _, dial := range d.all() {
				if !strings.Contains(dial, f.addr.String()+":") {
					t.Errorf("dialled %q, not the gateway", dial)
				}
			}
		})
	}
}

func TestAuditRefusesOtherHosts(t *testing.T) {
	tests := []struct {
		name     string
		location func(f *fakeIGD) string
		desc     func(b string) string
		wantErr  error  // from Audit
		wantStep string // in Gateway.Errors
	}{
		{name: "location on another host", wantErr: ErrNoGateway,
			location: func(f *fakeIGD) string { return "http://127.81.0.99:5000/rootDesc.xml" }},
		{name: "location by name", wantErr: ErrNoGateway,
			location: func(f *fakeIGD) string { return "http://router.invalid:5000/rootDesc.xml" }},
		{name: "control url on the external address", wantStep: "control url",
			desc: func(b string) string {
				return strings.Replace(b, "<controlURL>/ctl/IPConn<", "<controlURL>http://11.79.1.2:5000/ctl/IPConn<", 1)
			}},
		{name: "doctype in description", wantStep: "description",
			desc: func(b string) string {
				return strings.Replace(b, `<?xml version="1.0"?>`, `<?xml version="1.0"?><!DOCTYPE root [<!ENTITY a "aaaa">]>`, 1)
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := startFake(t, "127.81.0.2", 1)
			f.mu.Lock()
			if tc.location != nil {
				f.location = tc.location(f)
			}
			if tc.desc != nil {
				f.desc = []byte(tc.desc(string(f.desc)))
			}
			f.mu.Unlock()
			d := &recordingDialer{}
			gws, err := Audit(t.Context(), Options{Gateway: f.addr, SSDPPort: f.ssdpPort,
				Wait: 200 * time.Millisecond, Timeout: time.Second, Dialer: d})
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err %v, want %v", err, tc.wantErr)
				}
			} else if err != nil || len(gws) != 1 || len(gws[0].Errors) == 0 ||
				!strings.HasPrefix(gws[0].Errors[0], tc.wantStep) || len(gws[0].Mappings) != 0 {
				t.Fatalf("gateways %+v err %v, want one failing at %q", gws, err, tc.wantStep)
			}
			for _, dial := range d.all() {
				if !strings.Contains(dial, f.addr.String()+":") {
					t.Errorf("dialled %q, not the gateway", dial)
				}
			}
		})
	}
}

func TestClientRefusesExternal(t *testing.T) {
	gw := netip.MustParseAddr("127.81.0.3")
	c := newClient(Options{}.withDefaults(), gw)
	c.forbid(netip.MustParseAddr("11.79.1.2"))
	for _, addr := range []string{"11.79.1.2:80", "127.81.0.4:80", "router:80"} {
		if _, err := c.dial(t.Context(), "tcp", addr); !errors.Is(err, ErrForbidden) {
			t.Errorf("dial %s: %v, want ErrForbidden", addr, err)
		}
	}
	conn := &connection{client: c, service: "urn:schemas-upnp-org:service:WANIPConnection:1"}
	for _, action := range []string{"AddPortMapping", "DeletePortMapping", "AddAnyPortMapping", "SetConnectionType"} {
		if err := conn.call(t.Context(), action, nil, nil); !errors.Is(err, ErrNotReadOnly) {
			t.Errorf("call %s: %v, want ErrNotReadOnly", action, err)
		}
	}
}

func TestNATPMPOnly(t *testing.T) {
	// No IGD answers on SSDP (nothing listens there), but NAT-PMP does.
	f := startFake(t, "127.81.0.5", 0)
	gws, err := Audit(t.Context(), Options{Gateway: f.addr, SSDPPort: 9, NATPMP: true, NATPMPPort: f.pmpPort,
		Wait: 100 * time.Millisecond, Timeout: time.Second})
	if err != nil || len(gws) != 1 || gws[0].ExternalIP != netip.MustParseAddr("11.79.1.2") || gws[0].NATPMP == nil {
		t.Fatalf("gateways %+v err %v", gws, err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Audit(ctx, Options{Gateway: f.addr, SSDPPort: f.ssdpPort}); err == nil {
		t.Errorf("cancelled Audit returned no error")
	}
}

func TestParseRouteTable(t *testing.T) {
	const head = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
	tests := []struct {
		name, table string
		want        string
	}{
		{"default via 192.0.2.1", head + "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n", "192.0.2.1"},
		{"netns default via 10.79.1.1", head + "eth0\t0A4F010A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\neth0\t00000000\t014F0A0A\t0003\t0\t0\t0\t00000000\t0\t0\t0\n", "10.10.79.1"},
		{"route down", head + "eth0\t00000000\t010200C0\t0002\t0\t0\t0\t00000000\t0\t0\t0\n", ""},
		{"no default", head + "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n", ""},
		{"garbage", "x\n\x00\x01 00000000 zz 3\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseRouteTable([]byte(tc.table))
			if tc.want == "" {
				if !errors.Is(err, ErrNoDefaultRoute) {
					t.Fatalf("got %v %v, want ErrNoDefaultRoute", got, err)
				}
				return
			}
			if err != nil || got != netip.MustParseAddr(tc.want) {
				t.Fatalf("got %v %v, want %s", got, err, tc.want)
			}
		})
	}
}
