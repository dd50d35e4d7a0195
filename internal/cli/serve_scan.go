package cli

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/discover"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/fleet"
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
		o, err := siteOptions(s)
		if err != nil {
			return nil, err
		}
		depth, err := creds.ParseDepth(orDefault(o.Depth, "default"))
		if err != nil {
			return nil, fmt.Errorf("site %s: %w", s.Name, err)
		}
		out := io.Discard
		if verbose {
			out = stderr
		}
		opt := checkOptions{depth: depth, credentials: s.Credentials, link: linkOptions{gateway: "auto", readFile: os.ReadFile}}
		return scanAndReport(ctx, jobConfig(sc, o, newLogger(out, verbose)), opt, out)
	}
}

// siteOptions are the scan options of a site's audit, the same whether
// serve runs it (siteScanner) or fleet workers do (fleetDispatcher): the
// site's ports and depth, and scan's UDP ports; rate, per-host limit and
// probe timeout are left to the defaults (jobConfig, fleet.Limits).
func siteOptions(s servedb.Site) (fleet.ScanOptions, error) {
	o := fleet.ScanOptions{UDPPorts: engine.DefaultUDPPorts, Depth: s.Depth}
	if s.Ports != "" {
		ports, err := parsePorts(s.Ports)
		if err != nil {
			return o, fmt.Errorf("site %s ports: %w", s.Name, err)
		}
		o.Ports = ports
	}
	return o, nil
}

// jobConfig is the engine configuration of a site's or a fleet job's
// scan options, with scan's defaults for what they leave unset.
func jobConfig(sc *scope.Scope, o fleet.ScanOptions, log *slog.Logger) engine.Config {
	cfg := engine.Config{
		Scope: sc, Ports: o.Ports, UDPPorts: o.UDPPorts,
		Rate: cmp.Or(o.Rate, discover.DefaultRate), PerHost: cmp.Or(o.PerHost, discover.DefaultPerHost),
		ProbeTimeout: cmp.Or(o.ProbeTimeout, engine.DefaultProbeTimeout),
		Logger:       log,
	}
	if len(cfg.Ports) == 0 {
		cfg.Ports = engine.DefaultPorts
	}
	return cfg
}

// siteQueue is where fleetDispatcher queues audits (a *fleet.Queue).
type siteQueue interface {
	Enqueue(ctx context.Context, sites []fleet.Site, opts fleet.ScanOptions, maxAttempts int) ([]fleet.Enqueued, error)
}

// fleetDispatcher queues a site's audit as a River job for fleet workers.
type fleetDispatcher struct{ q siteQueue }

// Enqueue implements serve.Dispatcher.
func (d fleetDispatcher) Enqueue(ctx context.Context, s servedb.Site) (int64, error) {
	o, err := siteOptions(s)
	if err != nil {
		return 0, err
	}
	res, err := d.q.Enqueue(ctx, []fleet.Site{{Name: s.Name, Targets: s.Targets, Excludes: s.Excludes}}, o, 3)
	if err != nil {
		return 0, err
	}
	return res[0].JobID, nil
}

// CheckSite validates a site as "camwarden site add" and the dashboard
// do (scan's scope guard, schedule, depth, ports, credentials file);
// fleet is set when fleet workers run the audits. Exported for the
// end-to-end tests.
func CheckSite(ctx context.Context, s servedb.Site, fleet bool) error {
	return checkSite(ctx, s, fleet)
}
