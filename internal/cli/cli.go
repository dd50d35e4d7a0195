// Package cli implements the camwarden command line: one file per
// subcommand. Run is the only entry point; it never calls os.Exit.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"golang.org/x/term"

	"github.com/camwarden/camwarden/internal/termsafe"
)

// Exit codes, documented in the README.
const (
	ExitOK          = 0   // success; no finding at or above --fail-on
	ExitFindings    = 1   // a finding at or above --fail-on
	ExitUsage       = 2   // bad flags or targets; nothing was scanned
	ExitError       = 3   // the scan or a subcommand failed
	ExitInterrupted = 130 // stopped by Ctrl-C; partial results were printed
)

// Version is the program version; set with -ldflags at release time.
var Version = "0.1.0-dev"

// IO bundles the standard streams so that tests can drive the CLI.
type IO struct {
	In          io.Reader
	Out, Err    io.Writer
	InTerminal  bool // stdin is a terminal (a person can answer questions)
	ErrTerminal bool // stderr is a terminal (progress bar, colour)
	OutTerminal bool
}

// usageError marks errors that should exit with ExitUsage.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// Run executes camwarden with args (without the program name) and returns
// the process exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	stdio := IO{In: stdin, Out: stdout, Err: stderr,
		InTerminal: isTerminal(stdin), ErrTerminal: isTerminal(stderr), OutTerminal: isTerminal(stdout)}
	if len(args) == 0 {
		printUsage(stderr)
		return ExitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "version", "--version":
		fmt.Fprintln(stdout, "camwarden", Version)
		return ExitOK
	case "help", "-h", "--help":
		if len(rest) == 0 {
			printUsage(stdout)
			return ExitOK
		}
		// "camwarden help scan" is "camwarden scan -h", on standard
		// output since it was asked for.
		cmd, rest = rest[0], []string{"-h"}
		stdio.Err = stdout
	}
	run := command(cmd)
	if run == nil {
		fmt.Fprintf(stderr, "camwarden: unknown command %q\n\n", termsafe.Line(cmd))
		printUsage(stderr)
		return ExitUsage
	}
	code, err := run(ctx, rest, stdio)
	if err != nil {
		fmt.Fprintf(stderr, "camwarden %s: %s\n", cmd, termsafe.Line(err.Error()))
		var ue usageError
		if errors.As(err, &ue) {
			return ExitUsage
		}
		if code == ExitOK {
			code = ExitError
		}
	}
	return code
}

// command returns the subcommand called name, or nil.
func command(name string) func(context.Context, []string, IO) (int, error) {
	switch name {
	case "scan":
		return runScan
	case "demo":
		return runDemo
	case "lab":
		return runLab
	case "report":
		return runReport
	case "password":
		return runPassword
	case "catalog":
		return runCatalog
	case "history":
		return runHistory
	case "fleet":
		return runFleet
	case "serve":
		return runServe
	case "site":
		return runSite
	case "prune":
		return runPrune
	}
	return nil
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `camwarden audits network cameras, recorders and routers for the three
things that get them hijacked: weak or missing passwords, old firmware, and
functions left open.

Usage:
  camwarden demo                 scan the built-in lab of simulated devices and write reports
  camwarden scan TARGET...       scan your own network (see "camwarden scan -h")
  camwarden report SCAN.json     re-render a saved scan (--format html|csv|md|json, --lang ja|en)
  camwarden password check       grade a password you plan to set (read from standard input)
  camwarden catalog show VENDOR  what the firmware catalogue knows; "catalog update" loads a newer one
  camwarden history [DEVICE]     scans saved so far, a device's timeline, --since-last changes
  camwarden fleet enqueue|worker|status   scan many sites with workers on PostgreSQL (docs/scale-out.md)
  camwarden serve                keep watching: scheduled audits, change alerts, a web dashboard
  camwarden site add|list|rm     the sites camwarden serve audits (see "camwarden site help")
  camwarden prune [--keep 400d]  remove old audits' documents now, as serve does daily (--vacuum shrinks SQLite)
  camwarden lab                  run the simulated devices on 127.77.0.0/24 until Ctrl-C
  camwarden version
  camwarden help COMMAND         the flags of one command (same as camwarden COMMAND -h)

Only scan networks you own or are authorised to audit.
`)
}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newLogger returns a logger writing to w at debug level when verbose,
// else only warnings and errors.
func newLogger(w io.Writer, verbose bool) *slog.Logger {
	lvl := slog.LevelWarn
	if verbose {
		lvl = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: lvl}))
}
