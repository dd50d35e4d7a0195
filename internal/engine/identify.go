package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/discover"
	"github.com/camwarden/camwarden/internal/probe"
)

// Protocol and error of an open port no probe recognised.
const protocolUnknown = "unknown"

// identifyHost probes every open TCP port and every UDP port of one host,
// at most PerHost at a time, and records the resulting Device.
func (s *scanner) identifyHost(ctx context.Context, h discover.HostResult) {
	s.hosts.Add(1)
	var (
		mu       sync.Mutex
		services []probe.Service
		wg       sync.WaitGroup
		sem      = make(chan struct{}, s.perHost)
	)
	run := func(t probe.Target, f func(context.Context, probe.Target) []probe.Service) {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
			}
			got := f(ctx, t)
			mu.Lock()
			services = append(services, got...)
			mu.Unlock()
		})
	}
	for _, p := range h.Open {
		run(probe.Target{Addr: h.Host.Addr, Port: p.Port, Transport: "tcp", Hostname: h.Host.Hostname}, s.identifyTCP)
	}
	if ctx.Err() == nil {
		udp := s.identifyUDP
		if len(h.Open) == 0 {
			udp = func(ctx context.Context, t probe.Target) []probe.Service {
				ctx, cancel := context.WithTimeout(ctx, min(QuietUDPTimeout, s.probeTimeout))
				defer cancel()
				return s.identifyUDP(ctx, t)
			}
		}
		for _, p := range s.udpPorts {
			run(probe.Target{Addr: h.Host.Addr, Port: p, Transport: "udp", Hostname: h.Host.Hostname}, udp)
		}
	}
	wg.Wait()
	if len(services) == 0 {
		return
	}
	sortServices(services)
	d := device.Device{Address: h.Host.Addr, Hostname: h.Host.Hostname, Services: services}
	if s.cfg.Identify != nil {
		d = s.cfg.Identify(h.Host.Addr, h.Host.Hostname, services)
	}
	if d.Status == "" {
		d.Status = summarise(services)
	}
	s.addDevice(d)
}

// identifyTCP names the protocol on one open TCP port: the probes hinted
// for the port first, then the fallbacks in order; the first that
// identifies wins. Layered probes then run over what was identified.
func (s *scanner) identifyTCP(ctx context.Context, t probe.Target) []probe.Service {
	var out []probe.Service
	var failure *probe.Service
	tried := map[string]bool{}
	lastTimeout := false
	// A failure (timeout, malformed...) is kept only from a probe hinted
	// for the port: fallbacks guess, and their failures say nothing.
	try := func(spec probe.Spec, hinted bool) *probe.Service {
		tried[spec.Probe.Name()] = true
		svc := s.runProbe(ctx, spec, t)
		lastTimeout = svc != nil && svc.Status == probe.StatusTimeout
		switch {
		case svc == nil:
			return nil
		case svc.Status == probe.StatusIdentified:
			return svc
		case svc.Status == probe.StatusPanic:
			out = append(out, *svc) // always kept: it explains a gap
		case hinted && failure == nil:
			failure = svc
		}
		return nil
	}
	var found *probe.Service
	for _, spec := range s.specs {
		if found == nil && ctx.Err() == nil && spec.Transport == "tcp" && spec.Over == "" && slices.Contains(spec.Ports, s.hint(t.Port)) {
			found = try(spec, true)
		}
	}
	// A peer that let the probe of its own port's protocol time out is
	// silent or stalling: every fallback would wait just as long, so none
	// is tried. Without a hint, fallbacks stop after two time-outs in a
	// row. A port that accepts and never answers costs one or two probe
	// timeouts, not one per protocol.
	silent := failure != nil && failure.Status == probe.StatusTimeout
	timeouts := 0
	for _, spec := range s.specs {
		if found == nil && !silent && ctx.Err() == nil && spec.Transport == "tcp" && spec.Over == "" && spec.Fallback && !tried[spec.Probe.Name()] {
			found = try(spec, false)
			if lastTimeout {
				timeouts++
			} else {
				timeouts = 0
			}
			silent = timeouts >= 2
		}
	}
	switch {
	case found != nil:
		out = append(out, *found)
		out = append(out, s.layered(ctx, *found, t)...)
	case ctx.Err() != nil:
		out = append(out, probe.Service{Port: t.Port, Transport: t.Transport, Protocol: protocolUnknown,
			Status: probe.StatusOpen, Error: "scan interrupted before identification"})
	case failure != nil:
		out = append(out, *failure)
	case len(out) > 0: // a recovered panic already stands for the port
	default:
		out = append(out, probe.Service{Port: t.Port, Transport: t.Transport, Protocol: protocolUnknown, Status: probe.StatusOpen})
	}
	return out
}

// hint is the port whose registered probes port gets (Config.PortHints).
func (s *scanner) hint(port uint16) uint16 {
	if h, ok := s.cfg.PortHints[port]; ok {
		return h
	}
	return port
}

// identifyUDP runs the UDP probes registered for the port. UDP silence is
// normal, so only identified services (and recovered panics) are kept.
func (s *scanner) identifyUDP(ctx context.Context, t probe.Target) []probe.Service {
	var out []probe.Service
	for _, spec := range s.specs {
		if ctx.Err() != nil || spec.Transport != "udp" || spec.Over != "" || !slices.Contains(spec.Ports, s.hint(t.Port)) {
			continue
		}
		svc := s.runProbe(ctx, spec, t)
		if svc == nil {
			continue
		}
		if svc.Status == probe.StatusPanic {
			out = append(out, *svc)
		}
		if svc.Status == probe.StatusIdentified {
			out = append(out, *svc)
			return append(out, s.layered(ctx, *svc, t)...)
		}
	}
	return out
}

// layered runs the probes registered Over the identified protocol on the
// same port and keeps those that identify (and recovered panics).
func (s *scanner) layered(ctx context.Context, base probe.Service, t probe.Target) []probe.Service {
	var out []probe.Service
	for _, spec := range s.specs {
		if ctx.Err() != nil || spec.Over == "" || spec.Over != base.Protocol {
			continue
		}
		if svc := s.runProbe(ctx, spec, t); svc != nil &&
			(svc.Status == probe.StatusIdentified || svc.Status == probe.StatusPanic) {
			out = append(out, *svc)
		}
	}
	return out
}

// errAbandoned is recorded when a probe ignored its deadline.
var errAbandoned = errors.New("probe did not return after its deadline; abandoned")

type probeOutcome struct {
	svc *probe.Service
	err error
}

// runProbe calls one probe with ProbeTimeout, under recover. It returns nil
// when the peer does not speak the protocol. A probe that overruns its
// deadline has its connections closed and is abandoned after a grace period.
func (s *scanner) runProbe(ctx context.Context, spec probe.Spec, t probe.Target) *probe.Service {
	s.probes.Add(1)
	name := spec.Probe.Name()
	pctx, cancel := context.WithTimeout(ctx, s.probeTimeout)
	defer cancel()
	cd := &callDialer{base: s.probeDialer}
	defer cd.closeAll()
	ch := make(chan probeOutcome, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				ch <- probeOutcome{&probe.Service{Port: t.Port, Transport: t.Transport, Protocol: name,
					Status: probe.StatusPanic, Error: fmt.Sprintf("probe %s panicked: %v", name, r)}, nil}
			}
		}()
		svc, err := spec.Probe.Probe(pctx, cd, t)
		ch <- probeOutcome{svc, err}
	}()
	var o probeOutcome
	select {
	case o = <-ch:
	case <-pctx.Done():
		cd.closeAll()
		select {
		case o = <-ch:
		case <-ctx.Done(): // scan cancelled: do not wait for the grace period
			o = probeOutcome{nil, fmt.Errorf("probe %s %s: %w", name, t.Address(), ctx.Err())}
		case <-time.After(abandonGrace):
			o = probeOutcome{nil, fmt.Errorf("probe %s %s: %w", name, t.Address(), errAbandoned)}
		}
		if ctx.Err() == nil { // the probe overran ProbeTimeout: that is a timeout
			o = overran(o, name, t)
		}
	}
	return s.outcome(spec, t, o)
}

// overran marks the outcome of a probe that did not finish by its deadline
// as a timeout, whatever error closing its connections produced.
func overran(o probeOutcome, name string, t probe.Target) probeOutcome {
	switch {
	case errors.Is(o.err, probe.ErrNoMatch):
	case o.svc == nil:
		o.err = fmt.Errorf("probe %s %s: %w (%w)", name, t.Address(), context.DeadlineExceeded, o.err)
	case o.svc.Status != probe.StatusIdentified && o.svc.Status != probe.StatusPanic:
		o.svc.Status = probe.StatusTimeout
	}
	return o
}

// outcome normalises what a probe returned and logs it.
func (s *scanner) outcome(spec probe.Spec, t probe.Target, o probeOutcome) *probe.Service {
	name := spec.Probe.Name()
	if errors.Is(o.err, probe.ErrNoMatch) || (o.svc == nil && o.err == nil) {
		return nil
	}
	svc := o.svc
	if svc == nil {
		svc = probe.Failed(t, name, o.err)
	}
	svc.Port, svc.Transport = t.Port, t.Transport
	svc.Protocol = cmp.Or(svc.Protocol, name)
	if svc.Error == "" && o.err != nil {
		svc.Error = o.err.Error()
	}
	switch svc.Status {
	case probe.StatusPanic:
		s.panics.Add(1)
		s.log.Error("probe panicked; recovered", "probe", name, "target", t.Address(), "err", svc.Error)
	case probe.StatusTimeout:
		s.timeouts.Add(1)
		s.log.Debug("probe timed out", "probe", name, "target", t.Address(), "err", svc.Error)
	case probe.StatusIdentified:
		s.log.Debug("identified", "probe", name, "target", t.Address(), "protocol", svc.Protocol)
	default:
		s.log.Debug("probe failed", "probe", name, "target", t.Address(), "status", svc.Status, "err", svc.Error)
	}
	return svc
}

// sortServices orders services by port, transport and protocol.
func sortServices(ss []probe.Service) {
	slices.SortStableFunc(ss, func(a, b probe.Service) int {
		return cmp.Or(cmp.Compare(a.Port, b.Port), cmp.Compare(a.Transport, b.Transport),
			cmp.Compare(a.Protocol, b.Protocol))
	})
}

// summarise says which services did not finish, e.g. "1 panic, 2 timeout".
func summarise(ss []probe.Service) string {
	counts := map[probe.Status]int{}
	for _, s := range ss {
		if s.Status != probe.StatusIdentified && s.Status != probe.StatusOpen {
			counts[s.Status]++
		}
	}
	parts := make([]string, 0, len(counts))
	for st, n := range counts {
		parts = append(parts, fmt.Sprintf("%d %s", n, st))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
