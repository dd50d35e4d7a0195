package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	catalogfw "github.com/camwarden/camwarden/internal/catalog/firmware"
	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/check/auth"
	"github.com/camwarden/camwarden/internal/check/exposure"
	"github.com/camwarden/camwarden/internal/check/firmware"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/fingerprint"
	"github.com/camwarden/camwarden/internal/password"
	"github.com/camwarden/camwarden/internal/probe"
	_ "github.com/camwarden/camwarden/internal/probe/all" // register every protocol probe
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/termsafe"
)

// checkOptions choose and tune the checks that run after identification.
type checkOptions struct {
	depth       creds.Depth
	credentials string // --credentials FILE: the administrator's own passwords
	showSecrets bool
	artifactDir string        // where evidence files (SDP, snapshots) go
	noAuth      bool          // identification and passive checks only
	link        linkOptions   // --gateway, --lan-discovery (router.go, lan.go)
	rtspBudget  time.Duration // --rtsp-budget: RTSP route discovery per device; 0 is the default
	// logins keeps failed logins across scans (the history store, also
	// with --no-history); nil keeps them for this run only (the demo's
	// lab is new every run).
	logins store.LoginLog
}

// scanAndReport runs discovery, identification and the checks, and
// returns the report document.
func scanAndReport(ctx context.Context, cfg engine.Config, opt checkOptions, stderr io.Writer) (*report.Scan, error) {
	m, err := fingerprint.New()
	if err != nil {
		return nil, fmt.Errorf("load fingerprints: %w", err)
	}
	fwCat, err := loadFirmwareCatalog(stderr)
	if err != nil {
		return nil, err
	}
	checkers, err := buildCheckers(opt, fwCat, m)
	if err != nil {
		return nil, err
	}
	cfg.Identify = m.Identify
	// One rate limit and per-host cap for every stage: the sweep and the
	// probes (engine), then the checks and the router audit.
	if cfg.Throttle == nil {
		cfg.Throttle = engine.NewThrottle(cfg.Rate, cfg.PerHost)
	}
	var base probe.Dialer = &net.Dialer{Timeout: 5 * time.Second}
	if cfg.Dialer != nil {
		base = cfg.Dialer
	}
	dialer := cfg.Throttle.Dialer(base, cfg.Scope)
	var local *lanResult
	if opt.link.lanDiscovery {
		local = discoverLAN(ctx, cfg.Scope, opt.link, cfg.Logger, stderr)
	}
	res, err := engine.Scan(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if res.Interrupted && cfg.Progress != nil {
		fmt.Fprintln(stderr) // the bar ends its line only when the sweep completes
		fmt.Fprintln(stderr, "interrupted: reporting what was found so far")
	}
	res.Devices = local.merge(m, res.Devices)
	ledger := engine.NewLedger(opt.logins, time.Now, cfg.Logger)
	if err := ledger.Prune(ctx); err != nil {
		cfg.Logger.Debug("old login failures not pruned", "error", err)
	}
	env := &check.Env{
		Dialer:      dialer,
		Logger:      cfg.Logger,
		Now:         time.Now,
		Evidence:    check.NewEvidence(opt.artifactDir),
		ShowSecrets: opt.showSecrets,
		Logins:      ledger,
	}
	findings := check.Run(ctx, env, checkers, res.Devices, cfg.PerHost)
	for _, n := range ledger.Notes() {
		fmt.Fprintln(stderr, n)
	}
	findings = append(findings, local.findings()...)
	if opt.link.igd.Dialer == nil {
		opt.link.igd.Dialer = dialer
	} else { // a test's fake router, throttled all the same
		opt.link.igd.Dialer = cfg.Throttle.Dialer(opt.link.igd.Dialer, cfg.Scope)
	}
	findings = append(findings, auditRouter(ctx, opt.link, cfg.Scope, res.Devices, cfg.Logger, stderr)...)
	rep := &report.Scan{
		Schema:      report.SchemaV1,
		Tool:        report.Tool{Name: "camwarden", Version: Version, CatalogDate: fwCat.Date},
		Scope:       cfg.Scope.String(),
		Started:     res.Started.UTC(),
		Finished:    time.Now().UTC(),
		Interrupted: res.Interrupted || ctx.Err() != nil,
		Stats: report.Stats{
			Addresses: res.Stats.Addresses, Attempts: res.Stats.Attempts, OpenPorts: res.Stats.Open,
		},
		Findings: findings,
		Checked:  checkedPoints(opt),
	}
	for _, d := range res.Devices {
		rep.Devices = append(rep.Devices, report.FromDevice(d))
	}
	rep.Normalize()
	return rep, nil
}

// loadFirmwareCatalog returns the newest installed firmware catalogue (or
// the embedded one) and prints its date, warning when it is stale, and
// which one is active when an installed one is in use or was set aside.
func loadFirmwareCatalog(stderr io.Writer) (*catalogfw.Catalog, error) {
	dir, _ := catalogfw.ConfigDir()
	now := time.Now()
	cat, origin, err := catalogfw.LoadActive(dir, now)
	if cat == nil {
		return nil, fmt.Errorf("load firmware catalogue: %w", err)
	}
	if err != nil {
		fmt.Fprintf(stderr, "warning: installed firmware catalogue ignored: %s\n", termsafe.Line(err.Error()))
	}
	if origin != catalogfw.Embedded {
		fmt.Fprintf(stderr, "firmware catalogue in use: %s (installed with `camwarden catalog update`)\n", origin)
	}
	if _, err := firmware.WriteFreshness(stderr, cat, now); err != nil {
		return nil, err
	}
	return cat, nil
}

// checkedPoints lists the checkpoints whose checks ran, so that the
// scorecard tells "passed" from "not run".
func checkedPoints(opt checkOptions) []finding.Checkpoint {
	if opt.noAuth {
		return []finding.Checkpoint{finding.CheckFirmware, finding.CheckExposure}
	}
	return []finding.Checkpoint{finding.CheckAuth, finding.CheckFirmware, finding.CheckExposure}
}

// buildCheckers returns the checks in pipeline order: the authentication
// check, the identity refresh (what it read after login joins the
// device's identity), then the firmware and exposure checks, which see the
// refreshed device.
func buildCheckers(opt checkOptions, fwCat *catalogfw.Catalog, m *fingerprint.Matcher) ([]check.Checker, error) {
	checkers := []check.Checker{firmware.NewChecker(fwCat), exposure.New()}
	if opt.noAuth {
		return checkers, nil
	}
	credCat, err := creds.Default()
	if err != nil {
		return nil, fmt.Errorf("load credential catalogue: %w", err)
	}
	ao := auth.Options{
		Depth:      opt.depth,
		Catalogue:  credCat,
		Grade:      func(pw string) string { return password.Grade(pw, credCat).Verdict.String() }, // the verdict only, no length or classes
		RTSPBudget: opt.rtspBudget,
	}
	if opt.credentials != "" {
		f, err := os.Open(opt.credentials)
		if err != nil {
			return nil, usageError{fmt.Errorf("--credentials: %w", err)}
		}
		defer f.Close()
		ao.Credentials = f
	}
	a, err := auth.New(ao)
	if err != nil {
		return nil, fmt.Errorf("authentication check: %w", err)
	}
	refresh := check.Step{Label: "identity refresh", Apply: func(d *device.Device) { m.Refresh(d) }}
	return append([]check.Checker{a, refresh}, checkers...), nil
}
