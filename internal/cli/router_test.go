package cli

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/scope"
)

// routeTable is /proc/net/route with a default route via gw (little-endian hex).
func routeTable(gwHex string) func(string) ([]byte, error) {
	return func(string) ([]byte, error) {
		return []byte("Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n" +
			"eth0\t00000000\t" + gwHex + "\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"), nil
	}
}

func TestChooseGateway(t *testing.T) {
	sc, err := scope.Parse(t.Context(), []string{"127.78.73.0/24"}, scope.Options{})
	if err != nil {
		t.Fatal(err)
	}
	noRoute := func(string) ([]byte, error) { return []byte("Iface\tDestination\tGateway\tFlags\n"), nil }
	for _, tc := range []struct {
		name     string
		o        linkOptions
		gw, note string
	}{
		{"off", linkOptions{gateway: "off", readFile: routeTable("01494E7F")}, "", ""},
		{"unset (demo)", linkOptions{readFile: routeTable("01494E7F")}, "", ""},
		{"auto in scope", linkOptions{gateway: "auto", readFile: routeTable("01494E7F")}, "127.78.73.1", ""},
		// 10.79.1.1 is a parser input only: outside the scope, never dialled.
		{"auto outside scope", linkOptions{gateway: "auto", readFile: routeTable("01014F0A")}, "", "router 10.79.1.1 not asked for port mappings: it is outside the scan scope"},
		{"auto without default route", linkOptions{gateway: "auto", readFile: noRoute}, "", "no IPv4 default route"},
		{"explicit in scope", linkOptions{gateway: "127.78.73.9"}, "127.78.73.9", ""},
		{"explicit outside", linkOptions{gateway: "192.168.1.1"}, "", "add 192.168.1.1 to the targets"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gw, note := chooseGateway(tc.o, sc)
			if (tc.gw == "" && gw.IsValid()) || (tc.gw != "" && gw.String() != tc.gw) {
				t.Errorf("gateway %v, want %q", gw, tc.gw)
			}
			if (tc.note == "") != (note == "") || !strings.Contains(note, tc.note) {
				t.Errorf("note %q, want one containing %q", note, tc.note)
			}
		})
	}
}

func TestCheckGatewayFlag(t *testing.T) {
	for _, tc := range []struct {
		v  string
		ok bool
	}{{"auto", true}, {"off", true}, {"192.168.1.1", true}, {"fd00::1", true}, {"router.lan", false}, {"1.2.3", false}} {
		t.Run(tc.v, func(t *testing.T) {
			if err := checkGatewayFlag(tc.v); (err == nil) != tc.ok {
				t.Errorf("checkGatewayFlag(%q) = %v, want ok=%v", tc.v, err, tc.ok)
			}
		})
	}
}

// failDialer fails the test if anything is dialled.
type failDialer struct{ t *testing.T }

func (d failDialer) DialContext(_ context.Context, network, addr string) (net.Conn, error) {
	d.t.Errorf("dialled %s %s: the router outside the scope must not be asked", network, addr)
	return nil, errors.New("refused by test")
}

// TestAuditRouterOutsideScope checks that a router outside the scope is
// never contacted and that the note says how to include it.
func TestAuditRouterOutsideScope(t *testing.T) {
	sc, err := scope.Parse(t.Context(), []string{"127.78.73.0/24"}, scope.Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := linkOptions{gateway: "auto", readFile: routeTable("01014F0A")}
	o.igd.Dialer = failDialer{t}
	o.igd.ListenPacket = func(context.Context, string, string) (net.PacketConn, error) {
		t.Error("SSDP socket opened for a router outside the scope")
		return nil, errors.New("refused by test")
	}
	var w bytes.Buffer
	if fs := auditRouter(t.Context(), o, sc, nil, nil, &w); len(fs) != 0 {
		t.Errorf("findings %v", fs)
	}
	if got := w.String(); strings.Count(got, "\n") != 1 || !strings.Contains(got, "10.79.1.1 not asked") {
		t.Errorf("note %q, want one line naming 10.79.1.1", got)
	}
}
