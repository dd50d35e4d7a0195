// Package lab runs simulated network cameras, NVRs and routers on loopback
// addresses for `camwarden demo`, tests and benchmarks. Every device answers
// the protocols camwarden probes (HTTP, ONVIF, RTSP, telnet, SSH, FTP, SNMP,
// SSDP, vendor SDK ports) with responses taken from real recorded captures
// (see responses/SOURCES.md), and the Manifest it returns is the ground
// truth a correct scan must reproduce.
//
// Each device listens on its own 127.x address, never on a wildcard socket.
// The usual camera ports (21, 23, 80, 161, 554) are below 1024, so Start
// needs root or CAP_NET_BIND_SERVICE.
package lab

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
)

// DefaultPrefix is the /24 prefix the lab uses when Options.Prefix is empty.
const DefaultPrefix = "127.77.0"

// Options configures Start.
type Options struct {
	// Prefix is the first three octets of the lab's addresses, e.g.
	// "127.78.0"; devices get .2 upwards and .1 is left free. It must be in
	// 127.0.0.0/8.
	Prefix string
	// Logger receives connection-level debug logs; nil discards them.
	Logger *slog.Logger
	// Hostile also starts the misbehaving peers of the robustness test, at
	// addresses after the last device, listed in Manifest.Hostile.
	Hostile bool
	// Unprivileged moves every port below 1024 to UnprivilegedPort(port)
	// (80 -> 40080), so that the lab runs without root; the manifest and
	// every URL a device states follow.
	Unprivileged bool
}

// UnprivilegedBase is added to the ports below 1024 in an unprivileged lab.
const UnprivilegedBase = 40000

// UnprivilegedPort is where an unprivileged lab serves port p.
func UnprivilegedPort(p uint16) uint16 {
	if p < 1024 {
		return UnprivilegedBase + p
	}
	return p
}

// Lab is a running set of simulated devices. Close stops it.
type Lab struct {
	manifest Manifest
	logger   *slog.Logger
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup

	mu      sync.Mutex
	closers []func() error
	conns   map[net.Conn]struct{}
	auth    map[netip.Addr]*authModel
	// port maps a device's standard port to the one served (identity,
	// or UnprivilegedPort).
	port func(uint16) uint16
	// accepted counts the TCP connections each device accepted.
	accepted map[netip.Addr]int
	devices  map[netip.Addr]*device
}

// Start binds every device's services on its own address and returns when
// all listeners are up. If any port is busy, it stops what it started and
// returns an error naming address:port.
func Start(ctx context.Context, opts Options) (*Lab, error) {
	prefix := opts.Prefix
	if prefix == "" {
		prefix = DefaultPrefix
	}
	if err := checkPrefix(prefix); err != nil {
		return nil, err
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	lctx, cancel := context.WithCancel(ctx)
	l := &Lab{
		logger: logger, ctx: lctx, cancel: cancel,
		conns: map[net.Conn]struct{}{}, auth: map[netip.Addr]*authModel{}, accepted: map[netip.Addr]int{},
		devices:  map[netip.Addr]*device{},
		manifest: Manifest{Schema: ManifestSchema, Range: prefix + ".0/24"},
		port:     func(p uint16) uint16 { return p },
	}
	if opts.Unprivileged {
		l.port = UnprivilegedPort
	}
	defs := deviceTable()
	for i, def := range defs {
		addr := netip.MustParseAddr(prefix + "." + strconv.Itoa(2+i))
		if err := l.startDevice(def, addr); err != nil {
			_ = l.Close()
			return nil, fmt.Errorf("lab start %s: %w", def.Name, err)
		}
	}
	if opts.Hostile {
		first := netip.MustParseAddr(prefix + "." + strconv.Itoa(2+len(defs)))
		if err := l.startHostile(first); err != nil {
			_ = l.Close()
			return nil, fmt.Errorf("lab start hostile peers: %w", err)
		}
	}
	return l, nil
}

func checkPrefix(prefix string) error {
	a, err := netip.ParseAddr(prefix + ".1")
	if err != nil || !a.Is4() || !netip.MustParsePrefix("127.0.0.0/8").Contains(a) {
		return fmt.Errorf("lab prefix %q: must be three octets inside 127.0.0.0/8", prefix)
	}
	return nil
}

// Manifest returns the ground truth of the running lab.
func (l *Lab) Manifest() Manifest { return l.manifest }

// Failures returns the failed login attempts per protocol ("http", "rtsp",
// "onvif", "telnet") a device has seen, or nil for an unknown address.
func (l *Lab) Failures(addr netip.Addr) map[string]int {
	l.mu.Lock()
	a := l.auth[addr]
	l.mu.Unlock()
	if a == nil {
		return nil
	}
	return a.snapshot()
}

// Close stops every listener and connection and waits for the lab's
// goroutines to end.
func (l *Lab) Close() error {
	l.cancel()
	l.mu.Lock()
	closers := l.closers
	l.closers = nil
	for c := range l.conns {
		_ = c.Close()
	}
	l.mu.Unlock()
	var errs []error
	for _, c := range closers {
		if err := c(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	l.wg.Wait()
	return errors.Join(errs...)
}

func (l *Lab) addCloser(f func() error) {
	l.mu.Lock()
	l.closers = append(l.closers, f)
	l.mu.Unlock()
}

// listenTCP binds addr:port, wrapping a busy port in an error that names it.
func (l *Lab) listenTCP(addr netip.Addr, port uint16) (net.Listener, error) {
	ap := netip.AddrPortFrom(addr, l.port(port)).String()
	var lc net.ListenConfig
	ln, err := lc.Listen(l.ctx, "tcp4", ap)
	if err != nil {
		return nil, fmt.Errorf("listen tcp %s: %w", ap, err)
	}
	l.addCloser(ln.Close)
	return ln, nil
}

// serveTCP accepts connections on addr:port and runs handle for each in a
// tracked goroutine; Close closes the connection and waits.
func (l *Lab) serveTCP(addr netip.Addr, port uint16, handle func(ctx context.Context, c net.Conn)) error {
	ln, err := l.listenTCP(addr, port)
	if err != nil {
		return err
	}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if !l.track(addr, c) {
				_ = c.Close()
				return
			}
			l.wg.Add(1)
			go func() {
				defer l.wg.Done()
				defer l.untrack(c)
				handle(l.ctx, c)
			}()
		}
	}()
	return nil
}

func (l *Lab) track(addr netip.Addr, c net.Conn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ctx.Err() != nil {
		return false
	}
	l.accepted[addr]++
	l.conns[c] = struct{}{}
	return true
}

func (l *Lab) countAccepted(addr netip.Addr) {
	l.mu.Lock()
	l.accepted[addr]++
	l.mu.Unlock()
}

func (l *Lab) untrack(c net.Conn) {
	_ = c.Close()
	l.mu.Lock()
	delete(l.conns, c)
	l.mu.Unlock()
}

// serveUDP reads datagrams on addr:port and answers each with reply, which
// returns the datagrams to send back (none to stay silent).
func (l *Lab) serveUDP(addr netip.Addr, port uint16, reply func(req []byte) [][]byte) error {
	ap := netip.AddrPortFrom(addr, l.port(port)).String()
	var lc net.ListenConfig
	pc, err := lc.ListenPacket(l.ctx, "udp4", ap)
	if err != nil {
		return fmt.Errorf("listen udp %s: %w", ap, err)
	}
	l.addCloser(pc.Close)
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		buf := make([]byte, 2048) // capped: larger datagrams are truncated
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			for _, out := range reply(buf[:n]) {
				if _, err := pc.WriteTo(out, from); err != nil {
					l.logger.Debug("lab udp reply", "addr", ap, "err", err)
				}
			}
		}
	}()
	return nil
}

func newSecret() [16]byte {
	var s [16]byte
	_, _ = rand.Read(s[:])
	return s
}

// substitute fills the {{...}} placeholders of a response template.
func substitute(tmpl string, vars map[string]string) string {
	pairs := make([]string, 0, 2*len(vars))
	for k, v := range vars {
		pairs = append(pairs, "{{"+k+"}}", v)
	}
	return strings.NewReplacer(pairs...).Replace(tmpl)
}
