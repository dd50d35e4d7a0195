// Package discover is camwarden's TCP connect sweep: it streams addresses,
// tries each port with a global rate limit, a per-host concurrency cap,
// bounded workers and a connect timeout adapted from measured round trips,
// and reports open ports per host. Memory stays bounded by the number of
// hosts in flight, never by the size of the range.
package discover

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/time/rate"

	"github.com/camwarden/camwarden/internal/probe"
)

// Defaults used when a Config field is zero.
const (
	DefaultRate    = 2000 // connection attempts per second, over all hosts
	DefaultPerHost = 8    // concurrent connection attempts to one host
	DefaultWorkers = 1024 // concurrent connection attempts in all
)

// Host is one address to sweep, with the name the user gave for it.
type Host struct {
	Addr     netip.Addr
	Hostname string
}

// Walker streams the hosts to sweep, in order, to fn until fn returns
// false or ctx ends. scope.Scope.Walk has this shape once adapted.
type Walker func(ctx context.Context, fn func(Host) bool) error

// PortState is what a connection attempt found.
type PortState uint8

// Port states.
const (
	StateOpen     PortState = iota + 1 // connect succeeded
	StateClosed                        // refused (RST)
	StateFiltered                      // no answer before the timeout, or unreachable
	StateError                         // local failure (no ports, no descriptors...)
)

var stateNames = [...]string{"", "open", "closed", "filtered", "error"}

// String returns the lower-case name of the state.
func (s PortState) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "state(" + strconv.Itoa(int(s)) + ")"
}

// OpenPort is one port that accepted a connection, with the connect time.
type OpenPort struct {
	Port uint16
	RTT  time.Duration
}

// HostResult is what the sweep learned about one host.
type HostResult struct {
	Host Host
	Open []OpenPort // in the order of Config.Ports
	// RTT samples of this host: connects that completed (open or refused).
	Samples int
	MinRTT  time.Duration
	SRTT    time.Duration
	// Complete is false when the sweep was cancelled before every port of
	// this host was tried.
	Complete bool
}

// Config tunes a sweep. Zero values select the defaults.
type Config struct {
	Ports []uint16
	// Rate limits connection attempts per second over all hosts;
	// 0 selects DefaultRate and a negative value means no limit.
	Rate int
	// Limiter, when set, is used instead of Rate, so that the engine can
	// share one budget between the sweep and the probes.
	Limiter *rate.Limiter
	PerHost int
	Workers int
	// ConnectTimeout, when positive, is used for every attempt. Otherwise
	// the timeout adapts to measured round trips between MinTimeout and
	// MaxTimeout.
	ConnectTimeout time.Duration
	MaxTimeout     time.Duration
	// Dialer opens the connections; nil selects a net.Dialer with
	// SO_LINGER 0.
	Dialer probe.Dialer
	Logger *slog.Logger
	// Attempted, when set, is incremented at every finished connection
	// attempt, as it happens, for a progress display.
	Attempted *atomic.Uint64
}

// Stats counts what a sweep did.
type Stats struct {
	Addresses uint64 // hosts fully or partly swept
	Attempts  uint64 // connection attempts made
	Open      uint64
	Closed    uint64
	Filtered  uint64
	Errors    uint64
	SRTT      time.Duration // smoothed round-trip time over all hosts
}

type counters struct {
	addresses, attempts, open, closed, filtered, errors atomic.Uint64
}

type sweeper struct {
	cfg     Config
	ports   []uint16
	perHost int
	limiter *rate.Limiter
	workers chan struct{}
	hosts   chan struct{}
	rtt     *rttEstimator
	dialer  probe.Dialer
	log     *slog.Logger
	onHost  func(HostResult)
	n       counters
}

// Sweep tries every port of cfg.Ports on every host walk yields and calls
// onHost once per swept host (also hosts with nothing open) as soon as the
// host is done. onHost is called from many goroutines at once and must be
// safe for concurrent use; a slow onHost slows the sweep down (that is the
// back-pressure that keeps memory bounded). When ctx ends, Sweep stops
// dialling, reports the hosts in flight as incomplete and returns ctx.Err().
func Sweep(ctx context.Context, cfg Config, walk Walker, onHost func(HostResult)) (Stats, error) {
	s := newSweeper(cfg, onHost)
	var wg sync.WaitGroup
	werr := walk(ctx, func(h Host) bool {
		select {
		case s.hosts <- struct{}{}:
		case <-ctx.Done():
			return false
		}
		wg.Go(func() {
			defer func() { <-s.hosts }()
			s.sweepHost(ctx, h)
		})
		return ctx.Err() == nil
	})
	wg.Wait()
	st := s.stats()
	if err := ctx.Err(); err != nil {
		return st, err
	}
	if werr != nil {
		return st, fmt.Errorf("walk targets: %w", werr)
	}
	return st, nil
}

func newSweeper(cfg Config, onHost func(HostResult)) *sweeper {
	s := &sweeper{cfg: cfg, ports: cfg.Ports, onHost: onHost, log: cfg.Logger, dialer: cfg.Dialer}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.dialer == nil {
		s.dialer = newSweepDialer()
	}
	s.perHost = cmp0(cfg.PerHost, DefaultPerHost)
	workers := cmp0(cfg.Workers, DefaultWorkers)
	s.limiter = cfg.Limiter
	if s.limiter == nil {
		s.limiter = NewLimiter(cfg.Rate)
	}
	// Enough hosts in flight to keep every worker busy. When a host has
	// more ports than PerHost, hosts near their end have fewer ports left
	// than PerHost, so twice as many are admitted; when every port of a
	// host runs at once (one port: the sweep of a large range) exactly
	// enough, so that no attempt parks on the worker semaphore.
	par := max(1, min(s.perHost, len(s.ports)))
	slots := (workers + par - 1) / par
	if len(s.ports) > s.perHost {
		slots *= 2
	}
	s.workers = make(chan struct{}, workers)
	s.hosts = make(chan struct{}, slots)
	ceil := cfg.MaxTimeout
	if ceil <= 0 {
		ceil = DefaultMaxTimeout
	}
	s.rtt = newRTTEstimator(min(MinTimeout, ceil), ceil)
	return s
}

// NewLimiter returns the token bucket used for a rate of connection
// attempts per second: 0 selects DefaultRate, negative means unlimited.
// The burst is a hundredth of a second's worth, so attempts are spread out.
func NewLimiter(perSecond int) *rate.Limiter {
	switch {
	case perSecond < 0:
		return rate.NewLimiter(rate.Inf, 1)
	case perSecond == 0:
		perSecond = DefaultRate
	}
	return rate.NewLimiter(rate.Limit(perSecond), max(1, perSecond/100))
}

func cmp0(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// hostState is the per-host bookkeeping while the host is in flight.
type hostState struct {
	next     atomic.Int32
	mu       sync.Mutex
	res      HostResult
	open     map[uint16]time.Duration
	filtered []uint16 // ports that timed out on the first try
}

func (s *sweeper) sweepHost(ctx context.Context, h Host) {
	hs := &hostState{res: HostResult{Host: h}}
	par := min(s.perHost, len(s.ports))
	var wg sync.WaitGroup
	for range par - 1 {
		wg.Go(func() { s.portLoop(ctx, hs) })
	}
	s.portLoop(ctx, hs)
	wg.Wait()
	s.retryFiltered(ctx, hs)
	s.n.addresses.Add(1)
	res := hs.res
	res.Complete = ctx.Err() == nil
	for _, p := range s.ports { // report in the order of Config.Ports
		if rtt, ok := hs.open[p]; ok {
			res.Open = append(res.Open, OpenPort{Port: p, RTT: rtt})
		}
	}
	if s.onHost != nil {
		s.onHost(res)
	}
}

func (s *sweeper) portLoop(ctx context.Context, hs *hostState) {
	for ctx.Err() == nil {
		i := int(hs.next.Add(1) - 1)
		if i >= len(s.ports) {
			return
		}
		if st := s.attempt(ctx, hs, s.ports[i], 0); st == StateFiltered {
			hs.mu.Lock()
			hs.filtered = append(hs.filtered, s.ports[i])
			hs.mu.Unlock()
		}
	}
}

// retryFiltered tries once more, with the longest timeout, the ports of a
// host that answered on another port but not on these: a live host that
// drops one SYN (or a scanner starved of CPU) must not hide an open port.
// Hosts that answered nothing are not retried, so silent ranges stay cheap.
func (s *sweeper) retryFiltered(ctx context.Context, hs *hostState) {
	if hs.res.Samples == 0 {
		s.n.filtered.Add(uint64(len(hs.filtered)))
		return
	}
	for _, p := range hs.filtered {
		if ctx.Err() != nil {
			return
		}
		if st := s.attempt(ctx, hs, p, s.rtt.ceil); st == StateFiltered {
			s.n.filtered.Add(1)
		}
	}
}

// attempt makes one connection attempt under the worker and rate limits;
// timeout 0 selects the configured or adaptive timeout. It returns 0 when
// ctx ended first.
func (s *sweeper) attempt(ctx context.Context, hs *hostState, port uint16, timeout time.Duration) PortState {
	select {
	case s.workers <- struct{}{}:
	case <-ctx.Done():
		return 0
	}
	defer func() { <-s.workers }()
	if err := s.limiter.Wait(ctx); err != nil {
		return 0 // cancelled, or a wait longer than ctx allows
	}
	hs.mu.Lock()
	hostSRTT := hs.res.SRTT
	hs.mu.Unlock()
	if timeout <= 0 {
		timeout = s.cfg.ConnectTimeout
	}
	if timeout <= 0 {
		timeout = s.rtt.timeout(hostSRTT)
	}
	dctx, cancel := context.WithTimeout(ctx, timeout)
	addr := net.JoinHostPort(hs.res.Host.Addr.String(), strconv.Itoa(int(port)))
	start := time.Now()
	conn, err := s.dialer.DialContext(dctx, "tcp", addr)
	rtt := since(start)
	cancel()
	if conn != nil {
		closeQuick(conn)
	}
	if err != nil && ctx.Err() != nil {
		return 0 // aborted by the caller: no verdict on this port
	}
	s.n.attempts.Add(1)
	if s.cfg.Attempted != nil {
		s.cfg.Attempted.Add(1)
	}
	st := classify(err)
	switch st {
	case StateOpen:
		s.n.open.Add(1)
		s.rtt.add(rtt)
		hs.record(port, st, rtt)
		s.log.Debug("open", "addr", addr, "rtt", rtt)
	case StateClosed:
		s.n.closed.Add(1)
		s.rtt.add(rtt)
		hs.record(port, st, rtt)
	case StateFiltered: // counted by the caller once final
	default:
		s.n.errors.Add(1)
		s.log.Debug("connect failed", "addr", addr, "err", err)
	}
	return st
}

func (hs *hostState) record(port uint16, st PortState, rtt time.Duration) {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	r := &hs.res
	r.Samples++
	if r.MinRTT == 0 || rtt < r.MinRTT {
		r.MinRTT = rtt
	}
	if r.SRTT == 0 {
		r.SRTT = rtt
	} else {
		r.SRTT = (7*r.SRTT + rtt) / 8
	}
	if st == StateOpen {
		if hs.open == nil {
			hs.open = make(map[uint16]time.Duration)
		}
		hs.open[port] = rtt
	}
}

// classify maps a dial error to a port state: refused is closed, a timeout
// or an unreachable host is filtered, anything else is a local error.
func classify(err error) PortState {
	var ne net.Error
	switch {
	case err == nil:
		return StateOpen
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET):
		return StateClosed
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout(),
		errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return StateFiltered
	default:
		return StateError
	}
}

func (s *sweeper) stats() Stats {
	return Stats{
		Addresses: s.n.addresses.Load(), Attempts: s.n.attempts.Load(),
		Open: s.n.open.Load(), Closed: s.n.closed.Load(),
		Filtered: s.n.filtered.Load(), Errors: s.n.errors.Load(),
		SRTT: s.rtt.smoothed(),
	}
}
