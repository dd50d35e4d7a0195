package lan

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"

	"golang.org/x/net/ipv4"
)

// Interface is one IPv4 address of a local network interface: where
// discovery may send and listen.
type Interface struct {
	Name  string
	Index int
	Addr  netip.Prefix // the interface's address with its prefix length
}

// Network is the interface's network (its address masked).
func (i Interface) Network() netip.Prefix { return i.Addr.Masked() }

func (i Interface) String() string { return i.Name + " (" + i.Addr.String() + ")" }

// ErrNoInterface is returned when multicast would have to go out without
// an interface named for it.
var ErrNoInterface = errors.New("lan: no interface to send multicast on")

// Interfaces lists the IPv4 addresses of this machine's interfaces that
// are up, not loopback and multicast-capable.
func Interfaces() ([]Interface, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("list interfaces: %w", err)
	}
	var out []Interface
	for _, ifc := range ifs {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 || ifc.Flags&net.FlagMulticast == 0 {
			continue
		}
		addrs, err := ifc.Addrs()
		if err != nil {
			return nil, fmt.Errorf("addresses of %s: %w", ifc.Name, err)
		}
		for _, a := range addrs {
			ipn, ok := a.(*net.IPNet)
			if !ok {
				continue
			}
			ip, ok := netip.AddrFromSlice(ipn.IP)
			ones, bits := ipn.Mask.Size()
			if !ok || !ip.Unmap().Is4() {
				continue
			}
			if bits == 128 {
				ones -= 96
			}
			out = append(out, Interface{Name: ifc.Name, Index: ifc.Index, Addr: netip.PrefixFrom(ip.Unmap(), ones)})
		}
	}
	return out, nil
}

// Select keeps the interfaces whose network intersects the scope
// (overlaps reports whether a network does), in order, once per network.
func Select(ifs []Interface, overlaps func(netip.Prefix) bool) []Interface {
	var out []Interface
	for _, i := range ifs {
		if !i.Addr.IsValid() || !overlaps(i.Network()) {
			continue
		}
		if slices.ContainsFunc(out, func(o Interface) bool { return o.Network() == i.Network() }) {
			continue
		}
		out = append(out, i)
	}
	return out
}

// pin makes conn send its multicast out of ifc only, so that the kernel
// never picks the default route's interface.
func pin(conn net.PacketConn, ifc Interface) error {
	p := ipv4.NewPacketConn(conn)
	if err := p.SetMulticastInterface(&net.Interface{Index: ifc.Index, Name: ifc.Name}); err != nil {
		return fmt.Errorf("send multicast on %s only: %w", ifc, err)
	}
	return nil
}
