package scope

import (
	"net/netip"
	"testing"
)

func TestPermits(t *testing.T) {
	tests := []struct {
		name     string
		targets  []string
		excludes []string
		public   bool
		addr     string
		want     bool
	}{
		{"in cidr", []string{"127.77.0.0/24"}, nil, false, "127.77.0.9", true},
		{"outside cidr", []string{"127.77.0.0/24"}, nil, false, "127.77.1.9", false},
		{"excluded", []string{"127.77.0.0/24"}, []string{"127.77.0.9"}, false, "127.77.0.9", false},
		{"next to exclusion", []string{"127.77.0.0/24"}, []string{"127.77.0.9"}, false, "127.77.0.10", true},
		{"mapped form of a target", []string{"127.77.0.0/24"}, nil, false, "::ffff:127.77.0.9", true},
		{"zoned link-local", []string{"fe80::1"}, nil, false, "fe80::1%eth0", true},
		{"ipv6 in range", []string{"fd00::1-fd00::ff"}, nil, false, "fd00::80", true},
		{"ipv6 past range", []string{"fd00::1-fd00::ff"}, nil, false, "fd00::100", false},
		{"public in scope with flag", []string{"192.0.2.0/24"}, nil, true, "192.0.2.7", true},
		{"public out of scope with flag", []string{"192.0.2.0/24"}, nil, true, "192.0.3.7", false},
		{"public never without flag", []string{"10.0.0.1"}, nil, false, "8.8.8.8", false},
		{"multicast never", []string{"10.0.0.1"}, nil, true, "224.0.0.251", false},
		{"broadcast never", []string{"10.0.0.1"}, nil, true, "255.255.255.255", false},
		{"unspecified never", []string{"10.0.0.1"}, nil, true, "0.0.0.0", false},
		{"invalid address", []string{"10.0.0.1"}, nil, false, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions()
			opts.Excludes = tt.excludes
			opts.AllowPublic = tt.public
			s, err := Parse(t.Context(), tt.targets, opts)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var a netip.Addr
			if tt.addr != "" {
				a = netip.MustParseAddr(tt.addr)
			}
			if got := s.Permits(a); got != tt.want {
				t.Fatalf("Permits(%s) = %v, want %v", tt.addr, got, tt.want)
			}
		})
	}
	var nilScope *Scope
	if nilScope.Permits(netip.MustParseAddr("127.0.0.1")) {
		t.Errorf("nil scope permits an address")
	}
	if nilScope.Size() != 0 || nilScope.String() != "empty scope" {
		t.Errorf("nil scope: Size %d, String %q", nilScope.Size(), nilScope.String())
	}
	if err := nilScope.Walk(t.Context(), func(Target) bool {
		t.Errorf("nil scope yielded a target")
		return true
	}); err != nil {
		t.Errorf("nil scope Walk: %v", err)
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		name     string
		targets  []string
		excludes []string
		want     string
	}{
		{"one cidr one exclusion", []string{"127.77.0.0/24"}, []string{"127.77.0.1"}, "127.77.0.0/24 minus 1 exclusion"},
		{"two exclusions", []string{"127.77.0.0/24"}, []string{"127.77.0.1,127.77.0.2"}, "127.77.0.0/24 minus 2 exclusions"},
		{"no exclusions", []string{"10.0.0.1", "nvr.lan"}, nil, "10.0.0.1, nvr.lan"},
		{"many targets", []string{"10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4,10.0.0.5"}, nil, "10.0.0.1, 10.0.0.2, 10.0.0.3 and 2 more"},
		{"file tokens", []string{"@hosts.txt"}, []string{"@exclude.txt"}, "127.77.0.1, 127.77.0.5-6, 127.77.0.9 and 1 more minus 1 exclusion"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions()
			opts.Excludes = tt.excludes
			s, err := Parse(t.Context(), tt.targets, opts)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := s.String(); got != tt.want {
				t.Fatalf("String = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSize(t *testing.T) {
	const max = ^uint64(0)
	tests := []struct {
		name     string
		targets  []string
		excludes []string
		want     uint64
	}{
		{"slash 8", []string{"10.0.0.0/8"}, nil, 1 << 24},
		{"all rfc1918", []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"}, nil, 1<<24 + 1<<20 + 1<<16},
		{"overlap counted once", []string{"10.0.0.0/8", "10.1.0.0/16"}, nil, 1 << 24},
		{"minus exclusion", []string{"10.0.0.0/8"}, []string{"10.0.0.0/9"}, 1 << 23},
		{"ipv6 /65", []string{"fd00::/65"}, nil, 1 << 63},
		{"ipv6 /64 saturates", []string{"fd00::/64"}, nil, max},
		{"two /65 saturate", []string{"fd00::/65", "fd01::/65"}, nil, max},
		{"/64 minus one", []string{"fd00::/64"}, []string{"fd00::"}, max},
		{"/64 minus two", []string{"fd00::/64"}, []string{"fd00::-fd00::1"}, max - 1},
		{"all excluded", []string{"10.0.0.0/24"}, []string{"10.0.0.0/8"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions()
			opts.Excludes = tt.excludes
			s, err := Parse(t.Context(), tt.targets, opts)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := s.Size(); got != tt.want {
				t.Fatalf("Size = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestMergeSubtractEdges(t *testing.T) {
	top := maxU128
	tests := []struct {
		name string
		a, b []interval
		want []interval
	}{
		{"adjacent merge", []interval{{v4, u128{0, 1}, u128{0, 2}}, {v4, u128{0, 3}, u128{0, 4}}}, nil,
			[]interval{{v4, u128{0, 1}, u128{0, 4}}}},
		{"families never merge", []interval{{v6, u128{0, 0}, u128{0, 5}}, {v4, u128{0, 1}, u128{0, 2}}}, nil,
			[]interval{{v4, u128{0, 1}, u128{0, 2}}, {v6, u128{0, 0}, u128{0, 5}}}},
		{"top of v6 space", []interval{{v6, top.prev(), top}, {v6, top, top}}, nil,
			[]interval{{v6, top.prev(), top}}},
		{"carry across 64 bits", []interval{{v6, u128{0, ^uint64(0)}, u128{0, ^uint64(0)}}, {v6, u128{1, 0}, u128{1, 0}}}, nil,
			[]interval{{v6, u128{0, ^uint64(0)}, u128{1, 0}}}},
		{"subtract top", []interval{{v6, top.prev(), top}}, []interval{{v6, top, top}},
			[]interval{{v6, top.prev(), top.prev()}}},
		{"subtract bottom", []interval{{v4, u128{0, 0}, u128{0, 3}}}, []interval{{v4, u128{0, 0}, u128{0, 0}}},
			[]interval{{v4, u128{0, 1}, u128{0, 3}}}},
		{"one exclusion spans two targets", []interval{{v4, u128{0, 1}, u128{0, 3}}, {v4, u128{0, 5}, u128{0, 7}}},
			[]interval{{v4, u128{0, 3}, u128{0, 5}}},
			[]interval{{v4, u128{0, 1}, u128{0, 2}}, {v4, u128{0, 6}, u128{0, 7}}}},
		{"v4 exclusion leaves v6 alone", []interval{{v4, u128{0, 1}, u128{0, 1}}, {v6, u128{0, 1}, u128{0, 1}}},
			[]interval{{v4, u128{0, 0}, u128{0, 9}}},
			[]interval{{v6, u128{0, 1}, u128{0, 1}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := subtract(merge(tt.a), merge(tt.b))
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}
