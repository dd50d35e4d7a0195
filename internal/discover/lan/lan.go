// Package lan discovers devices on the local link by the protocols cameras
// answer without a TCP scan: WS-Discovery (ONVIF), SSDP, Hikvision SADP,
// Dahua DHIP and mDNS, plus MAC addresses from the neighbour table. It is
// opt-in: it sends multicast, which belongs only on networks the user may
// audit. Every request is a read-only discovery probe.
package lan

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"reflect"
	"slices"
	"sync"
	"time"
)

// Protocol names a discovery protocol.
type Protocol string

// Discovery protocols.
const (
	WSDiscovery Protocol = "ws-discovery"
	SSDP        Protocol = "ssdp"
	SADP        Protocol = "sadp"
	DHIP        Protocol = "dhip"
	MDNS        Protocol = "mdns"
)

// Protocols lists every protocol Discover speaks, in order.
var Protocols = []Protocol{WSDiscovery, SSDP, SADP, DHIP, MDNS}

// Groups are the multicast destinations of each protocol.
var Groups = map[Protocol]netip.AddrPort{
	WSDiscovery: netip.MustParseAddrPort("239.255.255.250:3702"),
	SSDP:        netip.MustParseAddrPort("239.255.255.250:1900"),
	SADP:        netip.MustParseAddrPort("239.255.255.250:37020"),
	DHIP:        netip.MustParseAddrPort("239.255.255.251:37810"),
	MDNS:        netip.MustParseAddrPort("224.0.0.251:5353"),
}

// Caps on device input.
const (
	DefaultWait = 3 * time.Second
	maxDatagram = 16 << 10
	maxAnswers  = 512
	maxField    = 256
)

// ErrMalformed is returned by the parsers for an answer they cannot read.
var ErrMalformed = errors.New("lan: malformed answer")

// Options configure Discover.
type Options struct {
	// Protocols to use (nil = all).
	Protocols []Protocol
	// Targets overrides a protocol's destination (tests send unicast to a
	// loopback fake). Unset protocols use Groups.
	Targets map[Protocol]netip.AddrPort
	// Interfaces are the only interfaces discovery sends and listens on:
	// each exchange binds the interface's address and pins its multicast
	// to it. A multicast destination without Interfaces is refused
	// (ErrNoInterface); unicast Targets may go without.
	Interfaces []Interface
	// Wait is how long answers are collected (default DefaultWait).
	Wait time.Duration
	// ListenPacket opens the sockets (nil = net.ListenConfig).
	ListenPacket func(ctx context.Context, network, address string) (net.PacketConn, error)
	// Logger receives debug records (nil = discard).
	Logger *slog.Logger
}

// Found is one device's answer to one protocol.
type Found struct {
	Address    netip.Addr        `json:"address"` // source of the answer
	Protocol   Protocol          `json:"protocol"`
	Vendor     string            `json:"vendor,omitempty"`
	Model      string            `json:"model,omitempty"`
	Firmware   string            `json:"firmware,omitempty"`
	Serial     string            `json:"serial,omitempty"`
	MAC        string            `json:"mac,omitempty"` // upper-case, colon separated
	Name       string            `json:"name,omitempty"`
	Hardware   string            `json:"hardware,omitempty"`
	DeviceType string            `json:"device_type,omitempty"`
	XAddrs     []string          `json:"xaddrs,omitempty"` // WS-Discovery service addresses
	Scopes     []string          `json:"scopes,omitempty"`
	Endpoint   string            `json:"endpoint,omitempty"` // WS-Discovery EndpointReference address
	Location   string            `json:"location,omitempty"` // SSDP description URL
	Activated  *bool             `json:"activated,omitempty"`
	Ports      map[string]uint16 `json:"ports,omitempty"` // service name -> port the device states
}

// parser turns one datagram from addr into findings.
type parser func(from netip.Addr, b []byte) ([]Found, error)

type protocolSpec struct {
	request func() []byte
	parse   parser
}

var specs = map[Protocol]protocolSpec{
	WSDiscovery: {WSDProbe, ParseProbeMatches},
	SSDP:        {ssdpRequest, ParseSSDP},
	SADP:        {SADPProbe, ParseSADP},
	DHIP:        {DHIPSearch, ParseDHIP},
	MDNS:        {MDNSQuery, ParseMDNS},
}

// Discover sends each protocol's probe on each of opts.Interfaces and
// collects answers for opts.Wait, all at once. Answers that do not parse
// are dropped (and logged), an answer heard on two interfaces counts
// once; the error is non-nil only when nothing could be sent.
func Discover(ctx context.Context, opts Options) ([]Found, error) {
	opts = opts.withDefaults()
	var (
		mu    sync.Mutex
		found []Found
		errs  []error
		wg    sync.WaitGroup
		tried int
	)
	ifaces := opts.Interfaces
	if len(ifaces) == 0 {
		ifaces = []Interface{{}} // unicast Targets only: the wildcard socket
	}
	for _, p := range opts.Protocols {
		for _, ifc := range ifaces {
			tried++
			wg.Go(func() {
				got, err := exchange(ctx, opts, p, ifc)
				mu.Lock()
				defer mu.Unlock()
				found = append(found, got...)
				if err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", p, err))
				}
			})
		}
	}
	wg.Wait()
	slices.SortStableFunc(found, func(a, b Found) int {
		if c := a.Address.Compare(b.Address); c != 0 {
			return c
		}
		return slices.Index(Protocols, a.Protocol) - slices.Index(Protocols, b.Protocol)
	})
	if len(opts.Interfaces) > 1 { // the same answer heard on two interfaces counts once
		var uniq []Found
		for _, f := range found {
			if !slices.ContainsFunc(uniq, func(u Found) bool { return reflect.DeepEqual(u, f) }) {
				uniq = append(uniq, f)
			}
		}
		found = uniq
	}
	if len(errs) == tried && len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return found, nil
}

// exchange sends one protocol's request from ifc (none: the wildcard
// socket, unicast only) and reads answers until the wait ends.
func exchange(ctx context.Context, opts Options, p Protocol, ifc Interface) ([]Found, error) {
	spec, ok := specs[p]
	if !ok {
		return nil, fmt.Errorf("unknown protocol %q", p)
	}
	dst, ok := opts.Targets[p]
	if !ok {
		dst = Groups[p]
	}
	bind := "0.0.0.0:0"
	switch {
	case ifc.Addr.IsValid():
		bind = netip.AddrPortFrom(ifc.Addr.Addr(), 0).String()
	case dst.Addr().IsMulticast():
		return nil, fmt.Errorf("send to %s: %w", dst, ErrNoInterface)
	}
	conn, err := opts.ListenPacket(ctx, "udp4", bind)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	defer func() { _ = conn.Close() }()
	if ifc.Addr.IsValid() {
		if err := pin(conn, ifc); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Wait)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	if _, err := conn.WriteTo(spec.request(), net.UDPAddrFromAddrPort(dst)); err != nil {
		return nil, fmt.Errorf("send to %s: %w", dst, err)
	}
	var out []Found
	buf := make([]byte, maxDatagram)
	for n := 0; n < maxAnswers; n++ {
		k, from, err := conn.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, os.ErrDeadlineExceeded) {
				return out, nil
			}
			return out, fmt.Errorf("read: %w", err)
		}
		ua, ok := from.(*net.UDPAddr)
		if !ok {
			continue
		}
		src := ua.AddrPort().Addr().Unmap()
		got, err := spec.parse(src, buf[:k])
		if err != nil {
			opts.Logger.DebugContext(ctx, "lan answer dropped", "protocol", p, "from", src, "err", err)
			continue
		}
		out = append(out, got...)
	}
	return out, nil
}

func (o Options) withDefaults() Options {
	if len(o.Protocols) == 0 {
		o.Protocols = Protocols
	}
	if o.Wait <= 0 {
		o.Wait = DefaultWait
	}
	if o.ListenPacket == nil {
		lc := &net.ListenConfig{}
		o.ListenPacket = lc.ListenPacket
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}
