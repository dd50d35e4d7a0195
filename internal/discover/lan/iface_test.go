package lan

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"
)

// TestDiscoverMulticastNeedsInterface: multicast never goes out without
// an interface named for it (it would leave by the default route's).
func TestDiscoverMulticastNeedsInterface(t *testing.T) {
	opened := 0
	_, err := Discover(t.Context(), Options{Wait: 50 * time.Millisecond,
		ListenPacket: func(context.Context, string, string) (net.PacketConn, error) {
			opened++
			return nil, errors.New("refused by test")
		}})
	if !errors.Is(err, ErrNoInterface) || opened != 0 {
		t.Errorf("Discover = %v with %d sockets opened; want ErrNoInterface and none", err, opened)
	}
}

// TestDiscoverBindsTheInterface: each exchange binds the interface's own
// address (its answers come back there only) and pins multicast to it.
func TestDiscoverBindsTheInterface(t *testing.T) {
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		t.Fatal(err)
	}
	var binds []string
	lc := &net.ListenConfig{}
	_, err = Discover(t.Context(), Options{
		Protocols:  []Protocol{SSDP},
		Targets:    map[Protocol]netip.AddrPort{SSDP: netip.MustParseAddrPort("127.83.0.9:9")},
		Interfaces: []Interface{{Name: "lo", Index: lo.Index, Addr: netip.MustParsePrefix("127.83.0.1/24")}},
		Wait:       50 * time.Millisecond,
		ListenPacket: func(ctx context.Context, network, addr string) (net.PacketConn, error) {
			binds = append(binds, addr)
			return lc.ListenPacket(ctx, network, addr)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(binds) != 1 || binds[0] != "127.83.0.1:0" {
		t.Errorf("bound %v, want the interface's address 127.83.0.1:0", binds)
	}
}

func TestSelect(t *testing.T) {
	ifs := []Interface{
		{Name: "a", Addr: netip.MustParsePrefix("10.0.1.5/24")},
		{Name: "b", Addr: netip.MustParsePrefix("10.0.2.5/24")},
		{Name: "a2", Addr: netip.MustParsePrefix("10.0.1.6/24")},
	}
	got := Select(ifs, func(p netip.Prefix) bool { return p == netip.MustParsePrefix("10.0.1.0/24") })
	if len(got) != 1 || got[0].Name != "a" {
		t.Errorf("Select = %v, want [a]", got)
	}
}
