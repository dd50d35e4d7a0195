package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strings"
	"syscall"

	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/scope"
)

// runDemo starts the built-in lab on loopback, scans it, prints the result,
// writes the report files and compares what was found with the lab's
// manifest: the main job on a fresh machine, with no set-up.
func runDemo(ctx context.Context, args []string, stdio IO) (int, error) {
	fs := newFlagSet("demo", stdio.Err)
	var f scanFlags
	f.register(fs)
	prefix := fs.String("prefix", "127.77.0", "first three octets of the lab's loopback /24")
	outDir := fs.String("out", "camwarden-demo", "directory for the report files")
	db := fs.String("db", "", "also save the scan in the history store at `PATH` (the demo saves nothing by default)")
	unprivileged := fs.Bool("unprivileged", false, "run the lab on high ports (40000 + port for ports below 1024), so that no root is needed")
	if _, err := parseInterspersed(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK, nil
		}
		return ExitUsage, err
	}
	if err := f.validate(fs); err != nil {
		return ExitUsage, err
	}
	if err := checkLabPrefix(*prefix); err != nil {
		return ExitUsage, err
	}
	l, err := lab.Start(ctx, lab.Options{Prefix: *prefix, Logger: newLogger(stdio.Err, f.verbose), Unprivileged: *unprivileged})
	if err != nil {
		return ExitError, labStartError("demo", err)
	}
	defer l.Close()
	man := l.Manifest()
	fmt.Fprintf(stdio.Err, "lab: %d simulated devices on %s\n", len(man.Devices), man.Range)
	fmt.Fprintf(stdio.Err, "lab: %s\n", provenanceLine(man))
	if *unprivileged {
		fmt.Fprintf(stdio.Err, "lab: unprivileged, ports below 1024 moved to %d + port (web on %d, video on %d)\n",
			lab.UnprivilegedBase, lab.UnprivilegedPort(80), lab.UnprivilegedPort(554))
	}

	sc, err := scope.Parse(ctx, []string{man.Range}, scope.Options{})
	if err != nil {
		return ExitError, err
	}
	cfg, err := f.engineConfig(sc, stdio)
	if err != nil {
		return ExitUsage, err
	}
	if *unprivileged {
		unprivilegedPorts(&cfg)
	}
	opt, err := f.checkOptions()
	if err != nil {
		return ExitUsage, err
	}
	if opt.artifactDir == "" {
		opt.artifactDir = *outDir
	}
	// The lab's router is audited like a home router: its UPnP table
	// publishes a camera, which the report shows as EXPOSED-TO-INTERNET.
	opt.link = linkOptions{gateway: labRouter(man)}
	if err := os.MkdirAll(opt.artifactDir, 0o755); err != nil {
		return ExitError, fmt.Errorf("create report directory: %w", err)
	}
	rep, err := scanAndReport(ctx, cfg, opt, stdio.Err)
	if err != nil {
		return ExitError, err
	}
	if err := emit(rep, &f, stdio); err != nil {
		return ExitError, err
	}
	files, err := writeReportSet(*outDir, rep, f.lang)
	if err != nil {
		return ExitError, err
	}
	if *db != "" {
		if err := remember(ctx, *db, rep, stdio); err != nil {
			return ExitError, err
		}
	}
	fmt.Fprintf(stdio.Err, "reports written: %s\n", strings.Join(files, ", "))
	if diffs := append(CompareManifest(man, rep), compareInternet(man, rep)...); len(diffs) > 0 {
		fmt.Fprintf(stdio.Err, "lab check: %d differences from the manifest:\n  %s\n", len(diffs), strings.Join(diffs, "\n  "))
	} else {
		fmt.Fprintf(stdio.Err, "lab check: all %d devices match the manifest (vendor, model, firmware, services)\n", len(man.Devices))
	}
	return f.exitCode(rep, stdio.Err)
}

func checkLabPrefix(prefix string) error {
	a, err := netip.ParseAddr(prefix + ".0")
	if err != nil || !a.Is4() || !a.IsLoopback() {
		return usagef("--prefix %q: the lab runs only on loopback, e.g. 127.77.0", prefix)
	}
	return nil
}

// labStartError explains a lab that could not start. A port below 1024
// refused to a user without root gets what to do instead of a bare
// "bind: permission denied".
func labStartError(cmd string, err error) error {
	if errors.Is(err, syscall.EACCES) || errors.Is(err, os.ErrPermission) {
		return fmt.Errorf("start lab: %w\nThe lab's devices use the usual camera ports (80, 554, 23...), and ports below 1024 need root. "+
			"Run it as root (sudo camwarden %s), or run \"camwarden %s --unprivileged\" to put the lab on high ports (40000 + port); "+
			"either way nothing leaves this machine", err, cmd, cmd)
	}
	return fmt.Errorf("start lab: %w", err)
}

// unprivilegedPorts moves the scan's ports with the unprivileged lab's
// (80 -> 40080) and tells the engine which probes each moved port gets.
func unprivilegedPorts(cfg *engine.Config) {
	cfg.PortHints = map[uint16]uint16{}
	move := func(ports []uint16) []uint16 {
		out := make([]uint16, 0, len(ports))
		for _, p := range ports {
			q := lab.UnprivilegedPort(p)
			if q != p {
				cfg.PortHints[q] = p
			}
			out = append(out, q)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	cfg.Ports, cfg.UDPPorts = move(cfg.Ports), move(cfg.UDPPorts)
}

// provenanceLine says how many lab devices are built from real captures
// (and from what else), as their manifest provenance states.
func provenanceLine(m lab.Manifest) string {
	count := map[string]int{}
	for _, d := range m.Devices {
		count[d.Provenance.Kind]++
	}
	return fmt.Sprintf("%d of %d devices built from real captures, %d from vendor-documented formats, %d constructed (see the manifest's provenance)",
		m.FromCaptures(), len(m.Devices), count[lab.ProvenanceDocumented], count[lab.ProvenanceConstructed])
}
