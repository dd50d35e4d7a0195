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
	o.Rate = bound("rate", o.Rate, jobDefaultRate, l.MaxRate, refuse, &notes)
	o.PerHost = bound("per-host", o.PerHost, jobDefaultPerHost, l.MaxPerHost, refuse, &notes)
	o.ProbeTimeout = bound("probe timeout", o.ProbeTimeout, jobDefaultProbeTimeout, l.MaxProbeTimeout, refuse, &notes)
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

// bound checks one option of a job against the worker's limit: a
// negative value is refused, an unset one (0) gets def but never more
// than limit, and one above limit is lowered to it with a note.
func bound[T int | time.Duration](name string, v, def, limit T, refuse func(string, ...any), notes *[]string) T {
	switch {
	case v < 0:
		refuse("%s %v is negative", name, v)
	case v == 0:
		return min(def, limit)
	case v > limit:
		*notes = append(*notes, fmt.Sprintf("%s %v lowered to this worker's limit %v", name, v, limit))
		return limit
	}
	return v
}

func uniquePorts(p []uint16) []uint16 {
	if len(p) == 0 {
		return nil
	}
	p = slices.Clone(p)
	slices.Sort(p)
	return slices.Compact(p)
}
