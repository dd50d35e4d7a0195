package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/discover"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/login/rtspauth"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/scope"
)

// scanFlags are the options shared by scan and demo.
type scanFlags struct {
	ports, udpPorts string
	rate, perHost   int
	timeout         time.Duration
	probeTimeout    time.Duration
	format, output  string
	lang            string
	failOn          string
	verbose         bool
	depth           string
	credentials     string
	showSecrets     bool
	noAuth          bool
	evidenceDir     string
	rtspBudget      time.Duration
	wide            bool
}

func (f *scanFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.ports, "p", portSpec(engine.DefaultPorts), "TCP ports to sweep, e.g. 80,443,8000-8100")
	fs.StringVar(&f.udpPorts, "udp", portSpec(engine.DefaultUDPPorts), "UDP ports to probe (SNMP, SSDP); empty for none")
	fs.IntVar(&f.rate, "rate", discover.DefaultRate, "maximum new connections per second, over all hosts")
	fs.IntVar(&f.perHost, "per-host", discover.DefaultPerHost, "maximum concurrent connections to one host")
	fs.DurationVar(&f.timeout, "timeout", 0, "connect timeout (default: adapted from measured round-trip times)")
	fs.DurationVar(&f.probeTimeout, "probe-timeout", engine.DefaultProbeTimeout, "time limit for identifying one service")
	fs.StringVar(&f.format, "format", "table", "output format: "+reportFormats)
	fs.StringVar(&f.output, "o", "", "write the report to `FILE` instead of standard output")
	fs.StringVar(&f.lang, "lang", "", "report language: en or ja (default: from LANG)")
	fs.BoolVar(&f.wide, "wide", false, "table: show every column (type, firmware, services) instead of fitting 100 columns")
	fs.StringVar(&f.failOn, "fail-on", "", "exit with code 1 when a finding is at least this `SEVERITY` (info, low, medium, high, critical)")
	fs.BoolVar(&f.verbose, "v", false, "log every step to standard error")
	fs.StringVar(&f.depth, "depth", "default", "password guessing depth: default (factory defaults), common (+ weak passwords), extended")
	fs.StringVar(&f.credentials, "credentials", "", "`FILE` of passwords you set, to confirm they work, grade them and read model/firmware with them (never printed):\n"+
		"one per line, \"user:password\" for every device or \"ADDRESS user:password\" for one device (tried first, only there);\n"+
		"the user ends at the first ':', the password is the rest of the line (':' and spaces allowed); # starts a comment")
	fs.BoolVar(&f.showSecrets, "show-secrets", false, "print working passwords in clear in the report")
	fs.BoolVar(&f.noAuth, "no-login", false, "do not try any password (identification and passive checks only)")
	fs.DurationVar(&f.rtspBudget, "rtsp-budget", rtspauth.DefaultBudget, "time to look for an open RTSP stream route on one device (route dictionary on one connection)")
	fs.StringVar(&f.evidenceDir, "evidence-dir", "", "`DIR` for evidence files (stream descriptions, snapshots); default: next to -o, else none")
}

// checkOptions validates the check flags.
func (f *scanFlags) checkOptions() (checkOptions, error) {
	d, err := creds.ParseDepth(f.depth)
	if err != nil {
		return checkOptions{}, usagef("--depth: %v", err)
	}
	if f.rtspBudget <= 0 {
		return checkOptions{}, usagef("--rtsp-budget must be positive")
	}
	dir := f.evidenceDir
	if dir == "" && f.output != "" {
		dir = filepath.Dir(f.output)
	}
	return checkOptions{depth: d, credentials: f.credentials, showSecrets: f.showSecrets,
		artifactDir: dir, noAuth: f.noAuth, rtspBudget: f.rtspBudget}, nil
}

// exitCode maps a finished scan to the process exit code and, when
// --fail-on makes it 1, says why on w (standard error): a script's log
// should not have to guess.
func (f *scanFlags) exitCode(rep *report.Scan, w io.Writer) (int, error) {
	if rep.Interrupted {
		return ExitInterrupted, nil
	}
	if f.failOn != "" {
		sev, ok := finding.ParseSeverity(f.failOn)
		if !ok {
			return ExitUsage, usagef("--fail-on %q: want info, low, medium, high or critical", f.failOn)
		}
		if report.ShouldFail(rep, sev) {
			n := 0
			for _, p := range rep.Problems() {
				if p.Severity >= sev {
					n++
				}
			}
			fmt.Fprintf(w, "camwarden: exit %d: %d finding(s) at or above --fail-on %s (worst: %s)\n",
				ExitFindings, n, sev, report.MaxSeverity(rep))
			return ExitFindings, nil
		}
	}
	return ExitOK, nil
}

// portSpec writes ports in the syntax of -p and --udp (the flags'
// defaults are the engine's).
func portSpec(ports []uint16) string {
	parts := make([]string, len(ports))
	for i, p := range ports {
		parts[i] = fmt.Sprint(p)
	}
	return strings.Join(parts, ",")
}

// engineConfig validates the flags and turns them into an engine config.
func (f *scanFlags) engineConfig(sc *scope.Scope, stdio IO) (engine.Config, error) {
	if !validFormat(f.format) {
		return engine.Config{}, usagef("--format %q: want %s", f.format, reportFormats)
	}
	if f.failOn != "" {
		if _, ok := finding.ParseSeverity(f.failOn); !ok {
			return engine.Config{}, usagef("--fail-on %q: want info, low, medium, high or critical", f.failOn)
		}
	}
	ports, err := parsePorts(f.ports)
	if err != nil {
		return engine.Config{}, usagef("-p: %v", err)
	}
	var udp []uint16
	if strings.TrimSpace(f.udpPorts) != "" {
		if udp, err = parsePorts(f.udpPorts); err != nil {
			return engine.Config{}, usagef("--udp: %v", err)
		}
	}
	if f.rate <= 0 || f.perHost <= 0 {
		return engine.Config{}, usagef("--rate and --per-host must be positive")
	}
	cfg := engine.Config{
		Scope: sc, Ports: ports, UDPPorts: udp, Rate: f.rate, PerHost: f.perHost,
		ConnectTimeout: f.timeout, ProbeTimeout: f.probeTimeout,
		Logger: newLogger(stdio.Err, f.verbose),
	}
	if stdio.ErrTerminal && !f.verbose {
		cfg.Progress = engine.ProgressBar(stdio.Err)
	}
	return cfg, nil
}

func runScan(ctx context.Context, args []string, stdio IO) (int, error) {
	fs := newFlagSet("scan", stdio.Err)
	var f scanFlags
	f.register(fs)
	var excludes stringList
	var excludeFile string
	var allowPublic, yes bool
	fs.Var(&excludes, "exclude", "target never to scan (repeatable; same syntax as targets)")
	fs.StringVar(&excludeFile, "exclude-file", "", "file of targets never to scan")
	var db string
	var noHistory bool
	fs.StringVar(&db, "db", "", "`PATH` of the history store (default: $XDG_DATA_HOME/camwarden/camwarden.db)")
	fs.BoolVar(&noHistory, "no-history", false, "do not save this scan in the history store (failed logins are still kept there, so that repeated scans never lock an account)")
	fs.BoolVar(&allowPublic, "allow-public", false, "allow public (internet) addresses: only hosts you are authorised to audit")
	fs.BoolVar(&yes, "yes", false, "scan a scope larger than a /16 without asking (needed when there is no terminal to ask on)")
	link := linkOptions{readFile: os.ReadFile}
	fs.StringVar(&link.gateway, "gateway", "auto", "router whose UPnP/NAT-PMP port mappings are read (read-only): auto (default route), an `ADDR`, or off; asked only when inside the scope")
	fs.BoolVar(&link.lanDiscovery, "lan-discovery", false, "also discover devices by WS-Discovery, SSDP, SADP, DHIP and mDNS multicast on the local link (private networks only)")
	fs.Usage = func() { scanUsage(fs) }
	targets, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK, nil
		}
		return ExitUsage, err
	}
	if err := f.validate(fs); err != nil {
		return ExitUsage, err
	}
	if err := checkGatewayFlag(link.gateway); err != nil {
		return ExitUsage, err
	}
	if excludeFile != "" {
		excludes = append(excludes, "@"+excludeFile)
	}
	if len(targets) == 0 {
		if targets, err = proposeLocal(stdio); err != nil {
			return ExitUsage, err
		}
	}
	sc, err := scope.Parse(ctx, targets, scope.Options{
		Excludes: excludes, AllowPublic: allowPublic,
	})
	if err != nil {
		if ctx.Err() != nil {
			return ExitInterrupted, errors.New("interrupted while reading the targets; nothing was scanned")
		}
		return ExitUsage, usageError{err}
	}
	cfg, err := f.engineConfig(sc, stdio)
	if err != nil {
		return ExitUsage, err
	}
	opt, err := f.checkOptions()
	if err != nil {
		return ExitUsage, err
	}
	if err := confirmScope(stdio, scopeEstimate{addresses: sc.Size(), ports: len(cfg.Ports), rate: cfg.Rate}, yes); err != nil {
		return ExitUsage, err
	}
	if link.lanDiscovery {
		if err := checkLANScope(ctx, sc); err != nil {
			return ExitUsage, err
		}
		if _, err := lanInterfaces(link, sc); err != nil {
			return ExitUsage, err
		}
	}
	opt.link = link
	if !opt.noAuth {
		logins, err := openLoginLog(ctx, db)
		if err != nil {
			return ExitError, err
		}
		defer logins.Close()
		opt.logins = logins
	}
	rep, err := scanAndReport(ctx, cfg, opt, stdio.Err)
	if err != nil {
		return ExitError, err
	}
	if err := emit(rep, &f, stdio); err != nil {
		return ExitError, err
	}
	if !noHistory {
		if err := remember(ctx, db, rep, stdio); err != nil {
			return ExitError, err
		}
	}
	return f.exitCode(rep, stdio.Err)
}

// saveTimeout bounds saving a scan to the history store. The save runs
// on a context that survives Ctrl-C, so that an interrupted scan's
// partial results are kept as the README promises.
const saveTimeout = 10 * time.Second

// remember saves the scan in the store so that `camwarden history` can
// show each device over time, and says where it went. It saves even when
// ctx was cancelled (an interrupted scan is saved as partial), within
// saveTimeout.
func remember(ctx context.Context, db string, rep *report.Scan, stdio IO) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), saveTimeout)
	defer cancel()
	id, err := saveScan(ctx, db, rep)
	if err != nil {
		return fmt.Errorf("save scan to history: %w", err)
	}
	path, _ := storePath(db)
	partial := ""
	if rep.Interrupted {
		partial = " (partial: the scan was interrupted)"
	}
	fmt.Fprintf(stdio.Err, "saved as scan #%d%s in %s (camwarden history --since-last shows what changed)\n", id, partial, path)
	return nil
}

func scanUsage(fs *flag.FlagSet) {
	w := fs.Output()
	fmt.Fprint(w, `Usage: camwarden scan [flags] TARGET...

Targets: 192.168.1.10, 192.168.1.0/24, 192.168.1.10-50, 192.168.1.10-192.168.2.20,
fd00::/120, cam.local, @file (one target per line). Private, loopback,
link-local and CGNAT ranges are allowed; public addresses need --allow-public.
With no target, camwarden proposes the networks this machine is on and asks.

Flags:
`)
	fs.PrintDefaults()
}

// proposeLocal offers the machine's own networks when no target was given.
// Without a terminal to ask on, it refuses: scanning must be explicit.
func proposeLocal(stdio IO) ([]string, error) {
	nets, err := scope.LocalNetworks()
	if err != nil || len(nets) == 0 {
		return nil, usagef("no target given and no private network found on this machine: name the addresses to scan, e.g. camwarden scan 192.168.1.0/24")
	}
	list := make([]string, len(nets))
	for i, n := range nets {
		list[i] = n.String()
	}
	if !stdio.InTerminal {
		return nil, usagef("no target given. This machine is on %s; to audit it, run: camwarden scan %s (refusing to guess without a terminal to confirm on)",
			strings.Join(list, ", "), strings.Join(list, " "))
	}
	fmt.Fprintf(stdio.Err, "No target given. This machine is on: %s\nScan these networks? Only scan networks you own or may audit. [y/N] ",
		strings.Join(list, ", "))
	line, _ := bufio.NewReader(stdio.In).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
		return nil, usagef("nothing scanned")
	}
	return list, nil
}

// emit writes the report in the chosen format to -o FILE or stdout.
func emit(rep *report.Scan, sf *scanFlags, stdio IO) error {
	o := renderOptions{format: sf.format, lang: sf.lang, wide: sf.wide}
	if sf.output == "" {
		o.color = stdio.OutTerminal
		return render(stdio.Out, rep, o)
	}
	f, err := createReport(sf.output, reportFileMode(rep))
	if err != nil {
		return err
	}
	o.dir = filepath.Dir(sf.output)
	if err := render(f, rep, o); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func validFormat(f string) bool {
	switch f {
	case "table", "json", "csv", "md", "markdown", "html":
		return true
	}
	return false
}
