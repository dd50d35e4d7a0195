package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"

	"github.com/camwarden/camwarden/internal/lab"
)

// runLab runs the simulated devices until interrupted, or prints the
// manifest with --manifest.
func runLab(ctx context.Context, args []string, stdio IO) (int, error) {
	fs := newFlagSet("lab", stdio.Err)
	prefix := fs.String("prefix", "127.77.0", "first three octets of the lab's loopback /24")
	manifest := fs.Bool("manifest", false, "print the lab's manifest (its ground truth) as JSON and exit")
	verbose := fs.Bool("v", false, "log every request to standard error")
	unprivileged := fs.Bool("unprivileged", false, "serve on high ports (40000 + port for ports below 1024), so that no root is needed")
	if _, err := parseInterspersed(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK, nil
		}
		return ExitUsage, err
	}
	if err := checkLabPrefix(*prefix); err != nil {
		return ExitUsage, err
	}
	l, err := lab.Start(ctx, lab.Options{Prefix: *prefix, Logger: newLogger(stdio.Err, *verbose), Unprivileged: *unprivileged})
	if err != nil {
		return ExitError, labStartError("lab", err)
	}
	defer l.Close()
	man := l.Manifest()
	if *manifest {
		enc := json.NewEncoder(stdio.Out)
		enc.SetIndent("", "  ")
		return ExitOK, enc.Encode(man)
	}
	fmt.Fprintf(stdio.Out, "camwarden lab ready: %d devices on %s (Ctrl-C to stop)\n", len(man.Devices), man.Range)
	<-ctx.Done()
	return ExitOK, nil
}
