package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"slices"
	"strings"

	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/discover/lan"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/fingerprint"
	"github.com/camwarden/camwarden/internal/igd"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/scope"
	"github.com/camwarden/camwarden/internal/termsafe"
)

// linkOptions are the scan's steps on the local link, beyond the TCP/UDP
// scan of the targets: the router audit (--gateway) and LAN discovery
// (--lan-discovery). The zero value does neither (camwarden demo).
type linkOptions struct {
	gateway      string // "auto", "off", "" (= off) or the router's address
	lanDiscovery bool
	// readFile reads the route and neighbour tables (os.ReadFile).
	readFile func(string) ([]byte, error)
	// lan and igd carry test overrides (unicast targets, ports, waits).
	lan lan.Options
	igd igd.Options
	// interfaces lists this machine's interfaces (nil: lan.Interfaces).
	interfaces func() ([]lan.Interface, error)
}

// lanInterfaces returns the interfaces LAN discovery may use: those whose
// network holds part of the scope. None is a usage error: discovery then
// sends nothing at all, rather than on the default route's interface.
func lanInterfaces(o linkOptions, sc *scope.Scope) ([]lan.Interface, error) {
	list := o.interfaces
	if list == nil {
		list = lan.Interfaces
	}
	all, err := list()
	if err != nil {
		return nil, fmt.Errorf("--lan-discovery: %w", err)
	}
	ifs := lan.Select(all, sc.Overlaps)
	if len(ifs) == 0 {
		var on []string
		for _, i := range all {
			on = append(on, i.String())
		}
		where := "no network interface with an IPv4 address"
		if len(on) > 0 {
			where = "interfaces " + strings.Join(on, ", ")
		}
		return nil, usagef("--lan-discovery: no network interface of this machine is on the scanned networks (this machine has %s); "+
			"discovery sends multicast only on the scanned networks' own link. Scan from a machine on that network, or without --lan-discovery", where)
	}
	return ifs, nil
}

// maxLANScope bounds the scope that --lan-discovery accepts: a /8 at most.
const maxLANScope = 1 << 24

// checkLANScope refuses LAN discovery unless every target is an IPv4
// private (RFC 1918) or link-local address: discovery sends multicast on
// the local link, which belongs only on networks the user may audit.
// Loopback and CGNAT (the provider's network) are refused.
func checkLANScope(ctx context.Context, sc *scope.Scope) error {
	if sc.Size() > maxLANScope {
		return usagef("--lan-discovery: the scope has %d addresses; LAN discovery is for local networks (at most a /8)", sc.Size())
	}
	var bad netip.Addr
	err := sc.Walk(ctx, func(t scope.Target) bool {
		a := t.Addr
		if !a.Is4() || !(a.IsPrivate() || a.IsLinkLocalUnicast()) {
			bad = a
			return false
		}
		return true
	})
	if err != nil {
		return fmt.Errorf("check lan discovery scope: %w", err)
	}
	if bad.IsValid() {
		return usagef("--lan-discovery sends multicast on the local link and is allowed only when every target is a private (10/8, 172.16/12, 192.168/16) or link-local IPv4 address; %s is not. Scan it without --lan-discovery", bad)
	}
	return nil
}

// lanResult is what LAN discovery found inside the scope.
type lanResult struct {
	found      []lan.Found // answers from addresses the scope permits
	neighbours map[netip.Addr]lan.Neighbour
}

// discoverLAN runs LAN discovery (WS-Discovery, SSDP, SADP, DHIP, mDNS)
// and reads the neighbour table. Answers from outside the scope are only
// listed in a note on w: nothing is ever sent to them.
func discoverLAN(ctx context.Context, sc *scope.Scope, o linkOptions, logger *slog.Logger, w io.Writer) *lanResult {
	res := &lanResult{neighbours: map[netip.Addr]lan.Neighbour{}}
	opts := o.lan
	opts.Logger = logger
	ifs, err := lanInterfaces(o, sc)
	if err != nil {
		fmt.Fprintf(w, "lan discovery: nothing sent: %v\n", err)
		return res
	}
	opts.Interfaces = ifs
	names := make([]string, len(ifs))
	for i, ifc := range ifs {
		names[i] = ifc.String()
	}
	fmt.Fprintf(w, "lan discovery: sending and listening on %s only\n", strings.Join(names, ", "))
	found, err := lan.Discover(ctx, opts)
	if err != nil {
		fmt.Fprintf(w, "lan discovery: nothing sent: %v\n", err)
	}
	var outside []string
	for _, f := range found {
		if sc.Permits(f.Address) {
			res.found = append(res.found, f)
			continue
		}
		desc := f.Address.String() + " (" + termsafe.Line(strings.TrimSpace(string(f.Protocol)+" "+strings.TrimSpace(f.Vendor+" "+f.Model))) + ")"
		if !slices.Contains(outside, desc) {
			outside = append(outside, desc)
		}
	}
	fmt.Fprintf(w, "lan discovery: %d answers from %d devices in the scope\n", len(res.found), countAddrs(res.found))
	if len(outside) > 0 {
		fmt.Fprintf(w, "lan discovery: answers from outside the scope, not contacted: %s\n", strings.Join(outside, ", "))
	}
	if o.readFile == nil {
		return res
	}
	ouis, err := lan.LoadOUIs()
	if err != nil {
		fmt.Fprintf(w, "lan discovery: no OUI vendors: %v\n", err)
	}
	ns, err := lan.Neighbours(o.readFile, ouis)
	if err != nil {
		fmt.Fprintf(w, "lan discovery: no MAC addresses: %v\n", err)
	}
	for _, n := range ns {
		if sc.Permits(n.Address) {
			res.neighbours[n.Address] = n
		}
	}
	return res
}

func countAddrs(found []lan.Found) int {
	seen := map[netip.Addr]bool{}
	for _, f := range found {
		seen[f.Address] = true
	}
	return len(seen)
}

// lanService is a discovery answer as a device service. Protocol names:
// "ws-discovery" (udp/3702), "sadp" (udp/37020), "dhip" (udp/37810),
// "mdns" (udp/5353); an SSDP answer is "upnp" on udp/1900, the name the
// scan's own SSDP probe uses, so the two never count twice.
func lanService(f lan.Found) probe.Service {
	s := f.Service()
	if f.Protocol == lan.SSDP {
		s.Protocol = "upnp"
		s.SetField(probe.FieldUPnPServer, f.Name)
		s.SetField(probe.FieldUPnPLocation, f.Location)
		s.SetField(probe.FieldUPnPST, f.DeviceType)
	}
	return s
}

// merge adds the discovery services to the scanned devices (and the
// devices only discovery found), identifies them again so that their
// claims count, and fills MAC and OUI vendor from the neighbour table.
func (r *lanResult) merge(m *fingerprint.Matcher, devices []device.Device) []device.Device {
	if r == nil {
		return devices
	}
	byAddr := map[netip.Addr][]probe.Service{}
	for _, f := range r.found {
		s := lanService(f)
		if !slices.ContainsFunc(byAddr[f.Address], func(o probe.Service) bool { return sameService(o, s) }) {
			byAddr[f.Address] = append(byAddr[f.Address], s)
		}
	}
	out := make([]device.Device, 0, len(devices)+len(byAddr))
	for _, d := range devices {
		extra, ok := byAddr[d.Address]
		delete(byAddr, d.Address)
		if ok {
			svcs := slices.Clone(d.Services)
			for _, s := range extra {
				if !slices.ContainsFunc(svcs, func(o probe.Service) bool { return sameService(o, s) }) {
					svcs = append(svcs, s)
				}
			}
			d = m.Identify(d.Address, d.Hostname, svcs)
		}
		out = append(out, d)
	}
	for addr, svcs := range byAddr {
		out = append(out, m.Identify(addr, "", svcs))
	}
	slices.SortFunc(out, func(a, b device.Device) int { return a.Address.Compare(b.Address) })
	for i := range out {
		r.addNeighbour(&out[i])
	}
	return out
}

func sameService(a, b probe.Service) bool {
	return a.Port == b.Port && a.Transport == b.Transport && a.Protocol == b.Protocol
}

// addNeighbour records the MAC (and its OUI vendor when nothing else named
// one) of a device that shares the link.
func (r *lanResult) addNeighbour(d *device.Device) {
	n, ok := r.neighbours[d.Address]
	if !ok {
		return
	}
	if d.Identity == nil {
		d.Identity = map[string]device.Attribute{}
	}
	if d.Get(probe.AttrMAC) == "" {
		d.Identity[probe.AttrMAC] = device.Attribute{Value: n.MAC, Source: "neighbour table (" + n.Device + ")", Confidence: 0.9}
	}
	if d.Get(probe.AttrVendor) == "" && n.Vendor != "" {
		d.Identity[probe.AttrVendor] = device.Attribute{Value: n.Vendor, Source: "MAC " + n.MAC + " OUI (IEEE assignment)", Confidence: 0.3}
	}
}

// findings are what discovery alone proves (AUTH-NONE-SADP-INACTIVE).
func (r *lanResult) findings() []finding.Finding {
	if r == nil {
		return nil
	}
	return lan.Findings(r.found)
}
