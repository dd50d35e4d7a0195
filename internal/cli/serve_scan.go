package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/scope"
	"github.com/camwarden/camwarden/internal/serve"
	"github.com/camwarden/camwarden/internal/store/servedb"
)

// SiteScanner returns the audit a serve process runs for a site: the
// pipeline of "camwarden scan" (scanAndReport) on the site's targets and
// exclusions with scan's default rate, per-host limit and timeouts, the
// site's ports, depth and credentials file. Progress goes to stderr only
// when verbose. It is exported for the end-to-end tests, which assemble
// serve around a lab.
func SiteScanner(stderr io.Writer, verbose bool) serve.ScanFunc { return siteScanner(stderr, verbose) }

func siteScanner(stderr io.Writer, verbose bool) serve.ScanFunc {
	return func(ctx context.Context, s servedb.Site) (*report.Scan, error) {
		sc, err := scope.Parse(ctx, s.Targets, scope.Options{Excludes: s.Excludes, AllowPublic: s.AllowPublic})
		if err != nil {
			return nil, fmt.Errorf("site %s: %w", s.Name, err)
		}
		ports := engine.DefaultPorts
		if s.Ports != "" {
			if ports, err = parsePorts(s.Ports); err != nil {
				return nil, fmt.Errorf("site %s ports: %w", s.Name, err)
			}
		}
		depth, err := creds.ParseDepth(orDefault(s.Depth, "default"))
		if err != nil {
			return nil, fmt.Errorf("site %s: %w", s.Name, err)
		}
		out := io.Discard
		if verbose {
			out = stderr
		}
		cfg := engine.Config{Scope: sc, Ports: ports, UDPPorts: []uint16{161, 1900}, Rate: 2000, PerHost: 8,
			ProbeTimeout: 5 * time.Second, Logger: newLogger(out, verbose)}
		opt := checkOptions{depth: depth, credentials: s.Credentials, link: linkOptions{gateway: "auto", readFile: os.ReadFile}}
		return scanAndReport(ctx, cfg, opt, out)
	}
}

// CheckSite validates a site as "camwarden site add" and the dashboard
// do (scan's scope guard, schedule, depth, ports, credentials file);
// fleet is set when fleet workers run the audits. Exported for the
// end-to-end tests.
func CheckSite(ctx context.Context, s servedb.Site, fleet bool) error {
	return checkSite(ctx, s, fleet)
}
