package cli

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/discover"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/fleet"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/scope"
	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/termsafe"
)

// maxSitesFile caps a --sites file (a line per site: 16 MiB is far more
// than any real fleet's list).
const maxSitesFile = 16 << 20

// runFleet dispatches "camwarden fleet enqueue|worker|status".
func runFleet(ctx context.Context, args []string, stdio IO) (int, error) {
	if len(args) == 0 {
		fleetUsage(stdio.Err)
		return ExitUsage, usagef("fleet: want enqueue, worker or status")
	}
	switch args[0] {
	case "enqueue":
		return runFleetEnqueue(ctx, args[1:], stdio)
	case "worker":
		return runFleetWorker(ctx, args[1:], stdio)
	case "status":
		return runFleetStatus(ctx, args[1:], stdio)
	case "-h", "--help", "help":
		fleetUsage(stdio.Out)
		return ExitOK, nil
	}
	fleetUsage(stdio.Err)
	return ExitUsage, usagef("fleet %q: want enqueue, worker or status", args[0])
}

func fleetUsage(w io.Writer) {
	fmt.Fprint(w, `Usage:
  camwarden fleet enqueue --postgres URL --sites FILE [scan flags]   queue one scan job per site
  camwarden fleet worker  --postgres URL --allow-scope TARGETS... [--concurrency N] [--max-rate N] [--max-per-host N] [--max-ports N]
  camwarden fleet status  --postgres URL

A sites file has one site per line: NAME TARGET... (a target written !TARGET is
excluded; # starts a comment). Workers scan only sites inside their --allow-scope,
and within their own --max-* limits whatever a job asks.
See docs/scale-out.md.
`)
}

// postgresURL is --postgres, defaulting to $CAMWARDEN_POSTGRES so that the
// password need not be on the command line.
func postgresURL(fs *flag.FlagSet) *string {
	return fs.String("postgres", os.Getenv("CAMWARDEN_POSTGRES"),
		"PostgreSQL `URL` of the fleet (default $CAMWARDEN_POSTGRES)")
}

func parseFleetFlags(fs *flag.FlagSet, args []string, url *string) (bool, error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return true, nil
		}
		return false, usageError{err}
	}
	if fs.NArg() > 0 {
		return false, usagef("unexpected argument %q", fs.Arg(0))
	}
	if *url == "" {
		return false, usagef("--postgres URL (or $CAMWARDEN_POSTGRES) is required")
	}
	return false, nil
}

func runFleetEnqueue(ctx context.Context, args []string, stdio IO) (int, error) {
	fs := newFlagSet("fleet enqueue", stdio.Err)
	url := postgresURL(fs)
	sitesFile := fs.String("sites", "", "`FILE` of sites, one per line: NAME TARGET... (!TARGET excludes)")
	ports := fs.String("p", portSpec(engine.DefaultPorts), "TCP ports to sweep")
	udp := fs.String("udp", portSpec(engine.DefaultUDPPorts), "UDP ports to probe; empty for none")
	rate := fs.Int("rate", discover.DefaultRate, "maximum new connections per second per site")
	perHost := fs.Int("per-host", discover.DefaultPerHost, "maximum concurrent connections to one host")
	probeTimeout := fs.Duration("probe-timeout", engine.DefaultProbeTimeout, "time limit for identifying one service")
	depth := fs.String("depth", "default", "password guessing depth: default, common, extended")
	noLogin := fs.Bool("no-login", false, "do not try any password")
	attempts := fs.Int("max-attempts", 5, "attempts per site before its job is discarded")
	if help, err := parseFleetFlags(fs, args, url); help || err != nil {
		return ExitUsage, err
	}
	if *sitesFile == "" {
		return ExitUsage, usagef("--sites FILE is required")
	}
	opts := fleet.ScanOptions{Rate: *rate, PerHost: *perHost, ProbeTimeout: *probeTimeout, Depth: *depth, NoLogin: *noLogin}
	var err error
	if opts.Ports, err = parsePorts(*ports); err != nil {
		return ExitUsage, usagef("-p: %v", err)
	}
	if strings.TrimSpace(*udp) != "" {
		if opts.UDPPorts, err = parsePorts(*udp); err != nil {
			return ExitUsage, usagef("--udp: %v", err)
		}
	}
	if _, err := creds.ParseDepth(*depth); err != nil {
		return ExitUsage, usagef("--depth: %v", err)
	}
	if *rate <= 0 || *perHost <= 0 || *attempts <= 0 {
		return ExitUsage, usagef("--rate, --per-host and --max-attempts must be positive")
	}
	data, err := readCapped(*sitesFile, maxSitesFile)
	if err != nil {
		return ExitUsage, usagef("--sites: %v", err)
	}
	sites, err := fleet.ParseSites(data)
	if err != nil {
		return ExitUsage, usageError{err}
	}
	q, err := fleet.Open(ctx, *url, newLogger(stdio.Err, false))
	if err != nil {
		return ExitError, err
	}
	defer q.Close()
	res, err := q.Enqueue(ctx, sites, opts, *attempts)
	if err != nil {
		return ExitError, err
	}
	dup := 0
	for _, r := range res {
		if r.Duplicate {
			dup++
			fmt.Fprintf(stdio.Out, "%s: already queued (job %d)\n", termsafe.Line(r.Site), r.JobID)
		}
	}
	fmt.Fprintf(stdio.Out, "%d sites queued, %d already waiting or running\n", len(res)-dup, dup)
	return ExitOK, nil
}

func runFleetWorker(ctx context.Context, args []string, stdio IO) (int, error) {
	fs := newFlagSet("fleet worker", stdio.Err)
	url := postgresURL(fs)
	host, _ := os.Hostname()
	var allow stringList
	cfg := fleet.WorkerConfig{}
	fs.StringVar(&cfg.ID, "id", fmt.Sprintf("%s-%d", cmp.Or(host, "worker"), os.Getpid()), "this worker's name in the queue")
	fs.IntVar(&cfg.Concurrency, "concurrency", 1, "sites scanned at once")
	fs.Var(&allow, "allow-scope", "targets this worker may scan (required; repeatable, @file allowed); a site with any address outside is refused")
	fs.IntVar(&cfg.Limits.MaxRate, "max-rate", fleet.DefaultMaxRate, "most new connections per second a job may ask for (higher is lowered)")
	fs.IntVar(&cfg.Limits.MaxPerHost, "max-per-host", fleet.DefaultMaxPerHost, "most connections to one host a job may ask for (higher is lowered)")
	fs.IntVar(&cfg.Limits.MaxPorts, "max-ports", fleet.DefaultMaxPorts, "most TCP and UDP ports a job may list (more: the job is refused)")
	fs.DurationVar(&cfg.Limits.MaxProbeTimeout, "max-probe-timeout", fleet.DefaultMaxProbeTimeout, "longest probe timeout a job may ask for (longer is lowered)")
	fs.BoolVar(&cfg.Guard.AllowPublic, "allow-public", false, "accept sites with public addresses (only ones you are authorised to audit)")
	fs.Uint64Var(&cfg.Guard.MaxAddresses, "max-addresses", fleet.DefaultMaxAddresses, "largest site scope accepted")
	fs.DurationVar(&cfg.JobTimeout, "job-timeout", 30*time.Minute, "cancel a site scan that runs longer (it is retried)")
	fs.DurationVar(&cfg.RescueAfter, "rescue-after", 0, "retry a site whose worker vanished after this long (default job-timeout + 5m)")
	verbose := fs.Bool("v", false, "log every step to standard error")
	if help, err := parseFleetFlags(fs, args, url); help || err != nil {
		return ExitUsage, err
	}
	if cfg.Concurrency <= 0 {
		return ExitUsage, usagef("--concurrency must be positive")
	}
	if cfg.Limits.MaxRate <= 0 || cfg.Limits.MaxPerHost <= 0 || cfg.Limits.MaxPorts <= 0 || cfg.Limits.MaxProbeTimeout <= 0 {
		return ExitUsage, usagef("--max-rate, --max-per-host, --max-ports and --max-probe-timeout must be positive")
	}
	if len(allow) == 0 {
		return ExitUsage, usagef("%v, e.g. --allow-scope 10.20.0.0/16 (the worker refuses to start without it)", fleet.ErrNoAllowScope)
	}
	sc, err := scope.Parse(ctx, allow, scope.Options{AllowPublic: cfg.Guard.AllowPublic})
	if err != nil {
		return ExitUsage, usagef("--allow-scope: %v", err)
	}
	cfg.Guard.Allow = sc
	log := fleetLogger(stdio.Err, *verbose)
	cfg.Logger = log
	q, err := fleet.Open(ctx, *url, log)
	if err != nil {
		return ExitError, err
	}
	defer q.Close()
	cfg.Scan = fleetScan(stdio.Err, *verbose, q.Store())
	if err := q.RunWorker(ctx, cfg); err != nil {
		return ExitError, err
	}
	return ExitOK, nil
}

// fleetLogger logs the worker's progress (a line per site) at info level,
// every step with -v.
func fleetLogger(w io.Writer, verbose bool) *slog.Logger {
	lvl := slog.LevelInfo
	if verbose {
		lvl = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: lvl}))
}

// fleetScan is the worker's scan: the pipeline of "camwarden scan" with
// the job's options; the router's mappings are not read (--gateway off)
// and no LAN multicast is sent. Failed logins are kept in the fleet's
// store, so that workers and repeated jobs share each device's budget.
func fleetScan(stderr io.Writer, verbose bool, logins store.LoginLog) fleet.ScanFunc {
	return func(ctx context.Context, sc *scope.Scope, o fleet.ScanOptions) (*report.Scan, error) {
		depth, err := creds.ParseDepth(cmp.Or(o.Depth, "default"))
		if err != nil {
			return nil, fmt.Errorf("job depth: %w", err)
		}
		cfg := jobConfig(sc, o, newLogger(stderr, verbose))
		opt := checkOptions{depth: depth, noAuth: o.NoLogin, link: linkOptions{gateway: "off", readFile: os.ReadFile}, logins: logins}
		return scanAndReport(ctx, cfg, opt, io.Discard)
	}
}

func runFleetStatus(ctx context.Context, args []string, stdio IO) (int, error) {
	fs := newFlagSet("fleet status", stdio.Err)
	url := postgresURL(fs)
	if help, err := parseFleetFlags(fs, args, url); help || err != nil {
		return ExitUsage, err
	}
	q, err := fleet.Open(ctx, *url, newLogger(stdio.Err, false))
	if err != nil {
		return ExitError, err
	}
	defer q.Close()
	st, err := q.Status(ctx)
	if err != nil {
		return ExitError, err
	}
	writeFleetStatus(stdio.Out, st)
	return ExitOK, nil
}

// jobStates are River's job states in the order a job goes through them.
var jobStates = []string{"pending", "scheduled", "available", "running", "retryable", "completed", "cancelled", "discarded"}

func writeFleetStatus(w io.Writer, st *fleet.Status) {
	fmt.Fprint(w, "jobs:")
	for _, s := range jobStates {
		fmt.Fprintf(w, " %s %d", s, st.Jobs[s])
	}
	fmt.Fprintf(w, "\nsites scanned: %d\n", len(st.Sites))
	if len(st.Sites) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SITE\tSCANS\tLAST\tFINISHED\tWORKER\tDEVICES\tCRITICAL\tHIGH\tMEDIUM\tLOW\tINFO")
	for _, s := range st.Sites {
		b := s.BySeverity
		fmt.Fprintf(tw, "%s\t%d\t#%d\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\n", termsafe.Line(s.Site), s.Scans, s.LastScan,
			s.Finished.UTC().Format(time.RFC3339), termsafe.Line(s.Worker), s.Devices, b[finding.SevCritical], b[finding.SevHigh],
			b[finding.SevMedium], b[finding.SevLow], b[finding.SevInfo])
	}
	_ = tw.Flush()
}
