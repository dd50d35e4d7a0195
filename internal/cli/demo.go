package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"strings"

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
	l, err := lab.Start(ctx, lab.Options{Prefix: *prefix, Logger: newLogger(stdio.Err, f.verbose)})
	if err != nil {
		return ExitError, fmt.Errorf("start lab: %w", err)
	}
	defer l.Close()
	man := l.Manifest()
	fmt.Fprintf(stdio.Err, "lab: %d simulated devices on %s\n", len(man.Devices), man.Range)
	fmt.Fprintf(stdio.Err, "lab: %s\n", provenanceLine(man))

	sc, err := scope.Parse(ctx, []string{man.Range}, scope.Options{})
	if err != nil {
		return ExitError, err
	}
	cfg, err := f.engineConfig(sc, stdio)
	if err != nil {
		return ExitUsage, err
	}
	opt, err := f.checkOptions()
	if err != nil {
		return ExitUsage, err
	}
	if opt.artifactDir == "" {
		opt.artifactDir = *outDir
	}
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
	if diffs := CompareManifest(man, rep); len(diffs) > 0 {
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
