// Package engine runs a scan: it walks the scope, sweeps TCP ports with
// internal/discover, identifies every open port with the registered probes
// (hinted by port, then fallbacks, then layered protocols), runs the UDP
// probes on live hosts and hands the services to an Identify function that
// builds each Device. Concurrency, rate limits, deadlines and panic
// recovery live here and nowhere else.
package engine

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/discover"
	"github.com/camwarden/camwarden/internal/probe"
	_ "github.com/camwarden/camwarden/internal/probe/all" // registers every protocol probe
	"github.com/camwarden/camwarden/internal/scope"
)

// DefaultPorts are the TCP ports swept when Config.Ports and
// Config.UDPPorts are both empty: web, RTSP, remote shells and the vendor
// SDK ports of cameras, NVRs and routers.
var DefaultPorts = []uint16{21, 22, 23, 80, 81, 88, 443, 554, 2323, 5000, 8000, 8080, 8081,
	8443, 8554, 8899, 9000, 9527, 10554, 34567, 37777, 49152}

// DefaultUDPPorts are probed (SNMP, SSDP) when Config.Ports and
// Config.UDPPorts are both empty.
var DefaultUDPPorts = []uint16{161, 1900}

// UDPAllHostsMax is the largest scope whose every address gets the UDP
// probes even without an open TCP port; such hosts get QuietUDPTimeout.
const UDPAllHostsMax = 4096

// QuietUDPTimeout bounds a UDP probe of a host that showed no open TCP
// port: a live UDP-only device answers in milliseconds on a LAN, and an
// empty address must not cost a full probe timeout.
const QuietUDPTimeout = 1500 * time.Millisecond

// Defaults for zero Config fields.
const (
	DefaultProbeTimeout = 5 * time.Second
	// DefaultHostWorkers is how many hosts are identified at once.
	DefaultHostWorkers = 64
	// abandonGrace is how long a probe may take to return after its
	// deadline (its connections are closed at the deadline) before the
	// engine gives up on it.
	abandonGrace = 250 * time.Millisecond
)

// Config says what to scan and how hard.
type Config struct {
	Scope *scope.Scope
	// Ports are swept over TCP; UDPPorts get the registered UDP probes on
	// every live host. When both are empty the defaults are used.
	Ports    []uint16
	UDPPorts []uint16
	// Rate limits new connections per second, sweep and probes together;
	// 0 selects discover.DefaultRate, negative means unlimited.
	Rate int
	// PerHost caps concurrent connections to one host (sweep and probes).
	PerHost int
	// Throttle, when set, is the rate limiter shared with the stages
	// after the scan (checks, router audit), which dial through
	// Throttle.Dialer; nil makes one from Rate and PerHost.
	Throttle *Throttle
	// ConnectTimeout fixes the sweep's connect timeout; 0 adapts it to
	// measured round-trip times.
	ConnectTimeout time.Duration
	// ProbeTimeout bounds every probe call; 0 selects DefaultProbeTimeout.
	ProbeTimeout time.Duration
	// Workers caps concurrent sweep connections; 0 selects
	// discover.DefaultWorkers. At most min(Workers, DefaultHostWorkers)
	// hosts are identified at once.
	Workers int
	// Dialer opens every connection; nil selects a net.Dialer.
	Dialer probe.Dialer
	// PortHints names, for a port that is not its protocol's usual one,
	// the usual port whose probes it gets first (40080: 80 for a lab
	// moved to high ports, `demo --unprivileged`).
	PortHints map[uint16]uint16
	Logger    *slog.Logger
	// Progress, when set, is called about ten times a second and once at
	// the end.
	Progress func(Progress)
	// Identify builds a Device from a host's services; nil builds a
	// minimal Device with only Address, Hostname and Services.
	Identify func(addr netip.Addr, hostname string, services []probe.Service) device.Device
}

// Result is what a scan found.
type Result struct {
	Devices     []device.Device // sorted by address
	Started     time.Time
	Finished    time.Time
	Interrupted bool // the context ended before the scan finished
	Stats       Stats
}

// Stats counts what a scan did.
type Stats struct {
	Addresses     uint64 // addresses swept (or, for UDP only, walked)
	Attempts      uint64 // TCP connection attempts of the sweep
	Open          uint64 // open TCP ports
	Closed        uint64 // refused TCP ports
	Filtered      uint64 // TCP ports that did not answer
	Errors        uint64 // local connect failures
	Skipped       uint64 // addresses the scope guard refused
	Hosts         uint64 // hosts identified (had an open port, or UDP only)
	Probes        uint64 // probe calls
	ProbeTimeouts uint64 // probe calls that ended in a timeout
	ProbePanics   uint64 // probe calls that panicked (recovered)
	SRTT          time.Duration
}

type scanner struct {
	cfg          Config
	log          *slog.Logger
	probeDialer  *guardDialer
	probeTimeout time.Duration
	perHost      int
	specs        []probe.Spec
	udpPorts     []uint16
	total        uint64
	started      time.Time

	done, skipped, hosts, probes, timeouts, panics atomic.Uint64
	attempts                                       atomic.Uint64 // sweep attempts so far, for progress

	mu      sync.Mutex
	devices []device.Device
}

// Scan runs the scan described by cfg. When ctx ends it stops dialling,
// abandons probes in flight within about a quarter of a second and returns
// what it found so far with Interrupted set and no error.
func Scan(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Scope == nil {
		return nil, errors.New("engine: no scope to scan")
	}
	if len(cfg.Ports) == 0 && len(cfg.UDPPorts) == 0 {
		cfg.Ports, cfg.UDPPorts = DefaultPorts, DefaultUDPPorts
	}
	s := newScanner(cfg)
	if cfg.Throttle == nil {
		cfg.Throttle = NewThrottle(cfg.Rate, cfg.PerHost)
	}
	limiter := cfg.Throttle.limiter
	s.probeDialer = newGuardDialer(cfg.Dialer, cfg.Scope, limiter)

	queue := make(chan discover.HostResult, 2*DefaultHostWorkers)
	var workers sync.WaitGroup
	for range min(cmp.Or(cfg.Workers, discover.DefaultWorkers), DefaultHostWorkers) {
		workers.Go(func() {
			for h := range queue {
				s.identifyHost(ctx, h)
			}
		})
	}
	stopProgress := s.startProgress(ctx)
	// A host with no open TCP port may still answer UDP (an SNMP-only
	// switch or printer). Small scopes ask every address over UDP, with a
	// short wait; larger ones only the hosts the TCP sweep found alive.
	udpAll := len(cfg.UDPPorts) > 0 && s.total <= UDPAllHostsMax
	enqueue := func(h discover.HostResult) {
		s.done.Add(1)
		if len(h.Open) == 0 && len(cfg.Ports) > 0 && !udpAll {
			return
		}
		select {
		case queue <- h:
		case <-ctx.Done():
			s.identifyHost(ctx, h) // records the open ports without probing
		}
	}
	var sweep discover.Stats
	var err error
	if len(cfg.Ports) > 0 {
		sweep, err = discover.Sweep(ctx, discover.Config{
			Ports: cfg.Ports, Limiter: limiter, PerHost: cfg.PerHost, Workers: cfg.Workers,
			ConnectTimeout: cfg.ConnectTimeout, Dialer: cfg.Dialer, Logger: s.log,
			Attempted: &s.attempts,
		}, s.walker(), enqueue)
	} else {
		err = s.walker()(ctx, func(h discover.Host) bool {
			enqueue(discover.HostResult{Host: h, Complete: true})
			return ctx.Err() == nil
		})
	}
	close(queue)
	workers.Wait()
	stopProgress()
	res := s.result(sweep)
	switch {
	case ctx.Err() != nil:
		res.Interrupted = true
		s.log.Info("scan interrupted", "swept", res.Stats.Addresses, "devices", len(res.Devices))
	case err != nil:
		return res, err
	}
	return res, nil
}

func newScanner(cfg Config) *scanner {
	s := &scanner{
		cfg: cfg, log: cfg.Logger, udpPorts: cfg.UDPPorts,
		probeTimeout: cmp.Or(cfg.ProbeTimeout, DefaultProbeTimeout),
		perHost:      cmp.Or(max(cfg.PerHost, 0), discover.DefaultPerHost),
		specs:        probe.Registered(),
		total:        cfg.Scope.Size(),
		started:      time.Now(),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// walker adapts scope.Walk and applies the guard to every address.
func (s *scanner) walker() discover.Walker {
	return func(ctx context.Context, fn func(discover.Host) bool) error {
		return s.cfg.Scope.Walk(ctx, func(t scope.Target) bool {
			if !s.cfg.Scope.Permits(t.Addr) {
				s.skipped.Add(1)
				s.log.Warn("address refused by the scope guard", "addr", t.Addr)
				return true
			}
			return fn(discover.Host{Addr: t.Addr, Hostname: t.Hostname})
		})
	}
}

func (s *scanner) addDevice(d device.Device) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.devices = append(s.devices, d)
}

func (s *scanner) deviceCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.devices)
}

func (s *scanner) result(sweep discover.Stats) *Result {
	s.mu.Lock()
	devs := slices.Clone(s.devices)
	s.mu.Unlock()
	slices.SortFunc(devs, func(a, b device.Device) int { return a.Address.Compare(b.Address) })
	return &Result{
		Devices: devs, Started: s.started, Finished: time.Now(),
		Stats: Stats{
			Addresses: s.done.Load(), Attempts: sweep.Attempts, Open: sweep.Open,
			Closed: sweep.Closed, Filtered: sweep.Filtered, Errors: sweep.Errors,
			Skipped: s.skipped.Load(), Hosts: s.hosts.Load(), Probes: s.probes.Load(),
			ProbeTimeouts: s.timeouts.Load(), ProbePanics: s.panics.Load(), SRTT: sweep.SRTT,
		},
	}
}
