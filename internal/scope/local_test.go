package scope

import (
	"net/netip"
	"slices"
	"testing"
)

func TestLocalIPv4Networks(t *testing.T) {
	p := netip.MustParsePrefix
	in := []netip.Prefix{
		p("192.168.1.23/24"),
		p("127.0.0.1/8"),
		p("fe80::1/64"),
		p("10.20.0.5/16"),
		p("192.168.1.99/24"),
		p("::ffff:172.17.0.2/16"), // mapped form: 16 bits of an IPv4 mask
		netip.PrefixFrom(netip.MustParseAddr("::ffff:172.18.0.2"), 112),
		p("0.0.0.0/0"),
		p("192.0.2.15/24"),   // TEST-NET-1, documentation: never proposed as "your network"
		p("203.0.113.7/24"),  // TEST-NET-3
		p("8.8.4.4/24"),      // public
		p("100.100.1.2/10"),  // CGNAT: allowed
		p("169.254.10.3/16"), // link-local: allowed
		p("172.16.0.1/11"),   // straddles 172.16/12: partly public
	}
	want := []netip.Prefix{p("10.20.0.0/16"), p("100.64.0.0/10"), p("169.254.0.0/16"), p("172.17.0.0/16"), p("192.168.1.0/24")}
	if got := localIPv4Networks(in); !slices.Equal(got, want) {
		t.Fatalf("localIPv4Networks = %v, want %v", got, want)
	}
}

func TestLocalNetworks(t *testing.T) {
	got, err := LocalNetworks()
	if err != nil {
		t.Fatalf("LocalNetworks: %v", err)
	}
	t.Logf("local networks: %v", got)
	for _, pf := range got {
		if !pf.Addr().Is4() || pf.Addr().IsLoopback() || pf != pf.Masked() {
			t.Errorf("LocalNetworks returned %v: want masked, non-loopback IPv4", pf)
		}
	}
}
