package scope

import (
	"fmt"
	"net"
	"net/netip"
	"slices"
)

// LocalNetworks returns the private IPv4 networks of this machine's up,
// non-loopback interfaces (the ones a scan may name without
// --allow-public), masked, sorted and deduplicated. The CLI proposes them when no
// target is given; nothing here sends any traffic.
func LocalNetworks() ([]netip.Prefix, error) {
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("list interfaces: %w", err)
	}
	var prefixes []netip.Prefix
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, err := ifc.Addrs()
		if err != nil {
			return nil, fmt.Errorf("addresses of interface %s: %w", ifc.Name, err)
		}
		for _, a := range addrs {
			ipnet, ok := a.(*net.IPNet)
			if !ok {
				continue
			}
			ip, ok := netip.AddrFromSlice(ipnet.IP)
			if !ok {
				continue
			}
			ones, bits := ipnet.Mask.Size()
			if bits == 128 && ip.Is4In6() {
				ones -= 96 // IPv4 address with a 16-byte mask
			}
			prefixes = append(prefixes, netip.PrefixFrom(ip.Unmap(), ones))
		}
	}
	return localIPv4Networks(prefixes), nil
}

// localIPv4Networks keeps the IPv4, non-loopback, non-unspecified prefixes
// that the guard allows without --allow-public (private, link-local,
// CGNAT: never a public or documentation range such as 192.0.2.0/24),
// masks them, and returns them sorted without duplicates. An IPv4 address
// carried in a 16-byte mask (bits > 32) is not a valid IPv4 prefix and is
// dropped.
func localIPv4Networks(in []netip.Prefix) []netip.Prefix {
	guard := newGuardTable()
	var out []netip.Prefix
	for _, p := range in {
		a := p.Addr().Unmap()
		if !a.Is4() || a.IsLoopback() || a.IsUnspecified() || p.Bits() < 0 || p.Bits() > 32 {
			continue
		}
		m := netip.PrefixFrom(a, p.Bits()).Masked()
		if check(guard, prefixInterval(m), false) != "" {
			continue
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(x, y netip.Prefix) int {
		if c := x.Addr().Compare(y.Addr()); c != 0 {
			return c
		}
		return x.Bits() - y.Bits()
	})
	return slices.Compact(out)
}
