package lab

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"sync"
)

// Discovery ports and groups the responders answer (the destinations
// camwarden's LAN discovery sends to).
var (
	WSDiscoveryGroup = netip.MustParseAddrPort("239.255.255.250:3702")
	SSDPGroup        = netip.MustParseAddrPort("239.255.255.250:1900")
	SADPGroup        = netip.MustParseAddrPort("239.255.255.250:37020")
	DHIPGroup        = netip.MustParseAddrPort("239.255.255.251:37810")
)

// Protocol names of discovery services in a discovery Manifest: the names
// `camwarden scan --lan-discovery` records (an SSDP answer is "upnp", the
// name the scan's udp/1900 probe uses).
const (
	ProtoWSDiscovery = "ws-discovery"
	ProtoSADP        = "sadp"
	ProtoDHIP        = "dhip"
	ProtoSSDP        = "upnp"
)

// PlantedSADP is the Planted key of a device's SADP activation state:
// "inactive" (no admin password yet: AUTH-NONE-SADP-INACTIVE) or "active".
const PlantedSADP = "auth.sadp"

// DiscoveryOptions configure StartDiscovery.
type DiscoveryOptions struct {
	// Prefix is the first three octets of the responders' addresses;
	// devices get .2 upwards in table order. It must be loopback or
	// private (RFC 1918), and the addresses must already be local.
	Prefix string
	// Interface, when set, is where the responders join the discovery
	// multicast groups. It must carry the responders' first address, so
	// that only an interface the caller configured for them (the veth of
	// a test's own network namespace) is ever joined. Empty = unicast only.
	Interface string
	// Logger receives debug records; nil discards them.
	Logger *slog.Logger
}

// Discovery is a running set of discovery responders: lab devices that
// answer WS-Discovery, SSDP, SADP and DHIP. Close stops it.
type Discovery struct {
	manifest Manifest
	logger   *slog.Logger
	wg       sync.WaitGroup
	mu       sync.Mutex
	closers  []func() error
	// byGroup lists, per multicast group, the device sockets that answer.
	byGroup map[netip.AddrPort][]*responder
}

// responder is one device's socket for one protocol.
type responder struct {
	conn   net.PacketConn
	answer func(req []byte) [][]byte
}

// StartDiscovery binds each discovery device's sockets on its own address
// (unicast requests are answered there) and, with Interface set, one
// socket per multicast group whose requests every device speaking that
// protocol answers from its own address.
func StartDiscovery(ctx context.Context, opts DiscoveryOptions) (*Discovery, error) {
	first, err := discoveryPrefix(opts.Prefix)
	if err != nil {
		return nil, err
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	ds := &Discovery{logger: logger, byGroup: map[netip.AddrPort][]*responder{},
		manifest: Manifest{Schema: ManifestSchema, Range: opts.Prefix + ".0/24"}}
	addr := first
	for _, def := range discoveryTable() {
		spec, err := ds.startDevice(ctx, def, addr)
		if err != nil {
			_ = ds.Close()
			return nil, fmt.Errorf("lab discovery %s: %w", def.Name, err)
		}
		ds.manifest.Devices = append(ds.manifest.Devices, spec)
		addr = addr.Next()
	}
	if opts.Interface != "" {
		if err := ds.joinGroups(opts.Interface, first); err != nil {
			_ = ds.Close()
			return nil, err
		}
	}
	return ds, nil
}

// discoveryPrefix checks a prefix and returns its .2 address.
func discoveryPrefix(prefix string) (netip.Addr, error) {
	a, err := netip.ParseAddr(prefix + ".2")
	if err != nil || !a.Is4() || !(a.IsLoopback() || a.IsPrivate()) {
		return netip.Addr{}, fmt.Errorf("lab discovery prefix %q: must be three octets of a loopback or private IPv4 /24", prefix)
	}
	return a, nil
}

// Manifest returns the discovery devices: identity, the discovery services
// each answers and the planted SADP state.
func (ds *Discovery) Manifest() Manifest { return ds.manifest }

// Close stops every responder and waits for them.
func (ds *Discovery) Close() error {
	ds.mu.Lock()
	closers := ds.closers
	ds.closers = nil
	ds.mu.Unlock()
	var errs []error
	for _, c := range closers {
		if err := c(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	ds.wg.Wait()
	return errors.Join(errs...)
}

func (ds *Discovery) startDevice(ctx context.Context, def discoveryDef, addr netip.Addr) (DeviceSpec, error) {
	d := discoveryDevice(def, addr)
	spec := DeviceSpec{Name: def.Name, Address: addr.String(), Type: def.Type, Vendor: def.Vendor,
		Model: def.Model, Firmware: def.Firmware, Planted: map[string]string{}}
	for _, p := range def.protocols() {
		r, err := ds.bind(ctx, netip.AddrPortFrom(addr, p.group.Port()), func(req []byte) [][]byte { return p.answer(req, d) })
		if err != nil {
			return spec, err
		}
		ds.byGroup[p.group] = append(ds.byGroup[p.group], r)
		spec.Services = append(spec.Services, ServiceSpec{Port: p.group.Port(), Transport: "udp", Protocol: p.name})
	}
	if def.SADPActivated != nil {
		spec.Planted[PlantedSADP] = map[bool]string{true: "active", false: "inactive"}[*def.SADPActivated]
	}
	sortServices(spec.Services)
	return spec, nil
}

// bind opens a device's unicast socket and answers what arrives on it.
func (ds *Discovery) bind(ctx context.Context, ap netip.AddrPort, answer func([]byte) [][]byte) (*responder, error) {
	lc := net.ListenConfig{Control: reuseAddr}
	pc, err := lc.ListenPacket(ctx, "udp4", ap.String())
	if err != nil {
		return nil, fmt.Errorf("listen udp %s: %w", ap, err)
	}
	r := &responder{conn: pc, answer: answer}
	ds.serve(pc, func(req []byte, from net.Addr) { ds.reply(r, req, from) })
	return r, nil
}

// serve reads datagrams (capped at 2 KiB) until the socket is closed.
func (ds *Discovery) serve(pc net.PacketConn, handle func(req []byte, from net.Addr)) {
	ds.mu.Lock()
	ds.closers = append(ds.closers, pc.Close)
	ds.mu.Unlock()
	ds.wg.Go(func() {
		buf := make([]byte, 2048)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			handle(buf[:n], from)
		}
	})
}

// reply sends a device's answers from its own socket.
func (ds *Discovery) reply(r *responder, req []byte, to net.Addr) {
	for _, out := range r.answer(req) {
		if _, err := r.conn.WriteTo(out, to); err != nil {
			ds.logger.Debug("lab discovery reply", "from", r.conn.LocalAddr(), "to", to, "err", err)
		}
	}
}

// joinGroups listens on every group some device answers, on ifname only,
// after checking that ifname carries the responders' first address. Go
// binds a group socket to the wildcard address of the port, so a unicast
// request to a local address without its own responder is answered by
// every device of that protocol, as the group request is.
func (ds *Discovery) joinGroups(ifname string, first netip.Addr) error {
	ifi, err := net.InterfaceByName(ifname)
	if err != nil {
		return fmt.Errorf("lab discovery interface %q: %w", ifname, err)
	}
	addrs, err := ifi.Addrs()
	if err != nil {
		return fmt.Errorf("lab discovery interface %q addresses: %w", ifname, err)
	}
	if !carries(addrs, first) {
		return fmt.Errorf("lab discovery: refusing to join multicast groups on %s: it does not carry %s", ifname, first)
	}
	for group, rs := range ds.byGroup {
		pc, err := net.ListenMulticastUDP("udp4", ifi, net.UDPAddrFromAddrPort(group))
		if err != nil {
			return fmt.Errorf("join %s on %s: %w", group, ifname, err)
		}
		ds.serve(pc, func(req []byte, from net.Addr) {
			for _, r := range rs {
				ds.reply(r, req, from)
			}
		})
	}
	return nil
}

func carries(addrs []net.Addr, want netip.Addr) bool {
	for _, a := range addrs {
		if p, err := netip.ParsePrefix(a.String()); err == nil && p.Addr() == want {
			return true
		}
	}
	return false
}

// discoveryDevice builds the running device whose variables the answer
// templates use.
func discoveryDevice(def discoveryDef, addr netip.Addr) *device {
	d := &device{def: def.deviceDef, addr: addr, vars: map[string]string{
		"VENDOR": def.Vendor, "MODEL": def.Model, "FIRMWARE": def.Firmware,
		"SERIAL": def.Serial, "HARDWARE": def.Hardware, "ADDR": addr.String(),
		"HOSTNAME": def.Hostname,
	}}
	for k, v := range def.Extra {
		d.vars[k] = v
	}
	d.vars["MAC"] = def.MAC
	d.vars["ACTIVATED"] = strconv.FormatBool(def.SADPActivated != nil && *def.SADPActivated)
	return d
}
