package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/report"
)

// runReport re-renders a saved scan without rescanning.
func runReport(_ context.Context, args []string, stdio IO) (int, error) {
	fs := newFlagSet("report", stdio.Err)
	format := fs.String("format", "table", "output format: "+reportFormats)
	output := fs.String("o", "", "write to `FILE` instead of standard output")
	lang := fs.String("lang", "", "report language: en or ja (default: from LANG)")
	failOn := fs.String("fail-on", "", "exit with code 1 when a finding is at least this `SEVERITY`")
	wide := fs.Bool("wide", false, "table: show every column instead of fitting 100 columns")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK, nil
		}
		return ExitUsage, err
	}
	if len(pos) != 1 {
		return ExitUsage, usagef("want exactly one saved scan: camwarden report SCAN.json")
	}
	*format = reportFormat(*format, explicitFlags(fs)["format"], *output)
	if !validFormat(*format) {
		return ExitUsage, usagef("--format %q: want %s", *format, reportFormats)
	}
	if _, err := i18n.Choose(*lang, os.Getenv); err != nil {
		return ExitUsage, usagef("--lang: %v", err)
	}
	if *failOn != "" {
		if _, ok := finding.ParseSeverity(*failOn); !ok {
			return ExitUsage, usagef("--fail-on %q: want info, low, medium, high or critical", *failOn)
		}
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return ExitUsage, usageError{err}
	}
	defer f.Close()
	rep, err := report.ReadJSON(f)
	if err != nil {
		return ExitError, err
	}
	w, color := stdio.Out, stdio.OutTerminal
	if *output != "" {
		out, err := createReport(*output, reportFileMode(rep))
		if err != nil {
			return ExitError, err
		}
		defer out.Close()
		w, color = out, false
	}
	if err := render(w, rep, renderOptions{format: *format, lang: *lang, color: color, wide: *wide, dir: evidenceDir(pos[0])}); err != nil {
		return ExitError, fmt.Errorf("render: %w", err)
	}
	f2 := scanFlags{failOn: *failOn}
	return f2.exitCode(rep, stdio.Err)
}
