package scope

import (
	"fmt"
	"net"
	"net/netip"
	"slices"
)

// LocalNetworks returns the IPv4 networks of this machine's up, non-loopback
// interfaces, masked, sorted and deduplicated. The CLI proposes them when no
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

// localIPv4Networks keeps the IPv4, non-loopback, non-unspecified prefixes,
// masks them, and returns them sorted without duplicates. An IPv4 address
// carried in a 16-byte mask (bits > 32) is not a valid IPv4 prefix and is
// dropped.
func localIPv4Networks(in []netip.Prefix) []netip.Prefix {
	var out []netip.Prefix
	for _, p := range in {
		a := p.Addr().Unmap()
		if !a.Is4() || a.IsLoopback() || a.IsUnspecified() || p.Bits() < 0 || p.Bits() > 32 {
			continue
		}
		out = append(out, netip.PrefixFrom(a, p.Bits()).Masked())
	}
	slices.SortFunc(out, func(x, y netip.Prefix) int {
		if c := x.Addr().Compare(y.Addr()); c != 0 {
			return c
		}
		return x.Bits() - y.Bits()
	})
	return slices.Compact(out)
}
