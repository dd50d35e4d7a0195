package fleet

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/creds"
)

// Defaults of a worker's Limits.
const (
	DefaultMaxRate         = 2000
	DefaultMaxPerHost      = 8
	DefaultMaxPorts        = 1024
	DefaultMaxProbeTimeout = 30 * time.Second
	// jobDefaultRate, jobDefaultPerHost and jobDefaultProbeTimeout are
	// what a job that leaves an option unset gets (as camwarden scan).
	jobDefaultRate         = 2000
	jobDefaultPerHost      = 8
	jobDefaultProbeTimeout = 5 * time.Second
)

// Limits are a worker's own bounds on what a job may ask for. The queue
// is not trusted: a job whose options make no sense (a negative rate, a
// port 0, an unknown depth, more ports than MaxPorts) is refused, and one
// that asks for more than the worker allows is clamped to it.
type Limits struct {
	MaxRate         int           // new connections per second; 0: DefaultMaxRate
	MaxPerHost      int           // connections open at once to one host; 0: DefaultMaxPerHost
	MaxPorts        int           // TCP and UDP ports of one job together; 0: DefaultMaxPorts
	MaxProbeTimeout time.Duration // 0: DefaultMaxProbeTimeout
}

func (l Limits) withDefaults() Limits {
	l.MaxRate = cmp.Or(max(l.MaxRate, 0), DefaultMaxRate)
	l.MaxPerHost = cmp.Or(max(l.MaxPerHost, 0), DefaultMaxPerHost)
	l.MaxPorts = cmp.Or(max(l.MaxPorts, 0), DefaultMaxPorts)
	l.MaxProbeTimeout = cmp.Or(max(l.MaxProbeTimeout, 0), DefaultMaxProbeTimeout)
	return l
}

// Apply validates a job's options against l and returns the options to
// scan with, and a note for each option that was clamped. A refused job's
// error wraps ErrRefused (the job is cancelled, never retried).
func (l Limits) Apply(o ScanOptions) (ScanOptions, []string, error) {
	l = l.withDefaults()
	var errs []error
	var notes []string
	refuse := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	clamp := func(name string, got, limit any) {
		notes = append(notes, fmt.Sprintf("%s %v lowered to this worker's limit %v", name, got, limit))
	}
	switch {
	case o.Rate < 0:
		refuse("rate %d is negative", o.Rate)
	case o.Rate == 0:
		o.Rate = min(jobDefaultRate, l.MaxRate)
	case o.Rate > l.MaxRate:
		clamp("rate", o.Rate, l.MaxRate)
		o.Rate = l.MaxRate
	}
	switch {
	case o.PerHost < 0:
		refuse("per-host %d is negative", o.PerHost)
	case o.PerHost == 0:
		o.PerHost = min(jobDefaultPerHost, l.MaxPerHost)
	case o.PerHost > l.MaxPerHost:
		clamp("per-host", o.PerHost, l.MaxPerHost)
		o.PerHost = l.MaxPerHost
	}
	switch {
	case o.ProbeTimeout < 0:
		refuse("probe timeout %s is negative", o.ProbeTimeout)
	case o.ProbeTimeout == 0:
		o.ProbeTimeout = min(jobDefaultProbeTimeout, l.MaxProbeTimeout)
	case o.ProbeTimeout > l.MaxProbeTimeout:
		clamp("probe timeout", o.ProbeTimeout, l.MaxProbeTimeout)
		o.ProbeTimeout = l.MaxProbeTimeout
	}
	o.Ports, o.UDPPorts = uniquePorts(o.Ports), uniquePorts(o.UDPPorts)
	if slices.Contains(o.Ports, 0) || slices.Contains(o.UDPPorts, 0) {
		refuse("port 0 is not a port")
	}
	if n := len(o.Ports) + len(o.UDPPorts); n > l.MaxPorts {
		refuse("%d ports, this worker scans at most %d per site (--max-ports)", n, l.MaxPorts)
	}
	if _, err := creds.ParseDepth(cmp.Or(o.Depth, "default")); err != nil {
		refuse("depth: %v", err)
	}
	if len(errs) > 0 {
		return ScanOptions{}, nil, fmt.Errorf("job options: %w: %w", ErrRefused, errors.Join(errs...))
	}
	return o, notes, nil
}

func uniquePorts(p []uint16) []uint16 {
	if len(p) == 0 {
		return nil
	}
	p = slices.Clone(p)
	slices.Sort(p)
	return slices.Compact(p)
}
