// Package fleet runs camwarden over many sites on River, a PostgreSQL job
// queue: one durable "site" job per scope, any number of workers on any
// number of machines, retries, rescue of jobs whose worker died, and
// unique jobs so that a site is not queued twice. A worker runs the same
// scan pipeline as "camwarden scan" (injected as a ScanFunc) and saves the
// result in the postgres store in the same transaction that completes the
// job, so a site's scan is stored exactly once. See docs/scale-out.md.
package fleet

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/scope"
)

// JobKind is the River job kind of a site scan.
const JobKind = "camwarden_site_scan"

// Site is one place to audit: a name and a scope.
type Site struct {
	Name     string   `json:"name" river:"unique"`
	Targets  []string `json:"targets" river:"unique"`
	Excludes []string `json:"excludes,omitempty" river:"unique"`
}

// ScanOptions are the scan settings a job carries (the scan flags that
// make sense for an unattended worker).
type ScanOptions struct {
	Ports        []uint16      `json:"ports,omitempty"`     // empty: the engine's defaults
	UDPPorts     []uint16      `json:"udp_ports,omitempty"` // empty: none
	Rate         int           `json:"rate,omitempty"`      // connections/s, 0: default
	PerHost      int           `json:"per_host,omitempty"`
	ProbeTimeout time.Duration `json:"probe_timeout,omitempty"`
	Depth        string        `json:"depth,omitempty"` // password guessing depth, "" = default
	NoLogin      bool          `json:"no_login,omitempty"`
}

// SiteArgs are a site job's arguments; a job is unique by its site.
type SiteArgs struct {
	Site    Site        `json:"site" river:"unique"`
	Options ScanOptions `json:"options"`
}

// Kind returns JobKind.
func (SiteArgs) Kind() string { return JobKind }

// ScanFunc runs camwarden's scan pipeline (discovery, identification,
// checks) on a scope the worker has validated, and returns the report.
type ScanFunc func(ctx context.Context, sc *scope.Scope, opts ScanOptions) (*report.Scan, error)

// maxSitesLine caps one line of a sites file.
const maxSitesLine = 64 << 10

// ParseSites reads a sites file: one site per line, "NAME TARGET...",
// where a target prefixed with "!" is an exclusion; blank lines and
// lines starting with "#" are ignored. Names must be unique. Targets are
// not resolved here: every worker validates them against its own guard.
func ParseSites(data []byte) ([]Site, error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), maxSitesLine)
	var sites []Site
	seen := map[string]int{}
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		s := Site{Name: f[0]}
		for _, t := range f[1:] {
			switch {
			case strings.HasPrefix(t, "@"):
				return nil, fmt.Errorf("sites line %d: %q: @file targets are not allowed in a job (list the targets)", n, t)
			case strings.HasPrefix(t, "!") && len(t) > 1:
				s.Excludes = append(s.Excludes, t[1:])
			default:
				s.Targets = append(s.Targets, t)
			}
		}
		if len(s.Targets) == 0 {
			return nil, fmt.Errorf("sites line %d: site %q has no target", n, s.Name)
		}
		if prev, ok := seen[s.Name]; ok {
			return nil, fmt.Errorf("sites line %d: site %q already on line %d", n, s.Name, prev)
		}
		seen[s.Name] = n
		sites = append(sites, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read sites: %w", err)
	}
	if len(sites) == 0 {
		return nil, errors.New("read sites: no site")
	}
	return sites, nil
}
