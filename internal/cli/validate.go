package cli

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
)

// formatFromExtension maps a report file's extension to its format, so
// that "-o report.html" writes HTML without --format.
var formatFromExtension = map[string]string{
	".html": "html", ".htm": "html", ".csv": "csv", ".md": "md", ".markdown": "md", ".json": "json",
	".txt": "table",
}

// explicitFlags returns the names of the flags set on the command line.
func explicitFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// reportFormat returns the format to write: --format when given, else
// the one -o's extension names, else the table.
func reportFormat(format string, formatSet bool, output string) string {
	if formatSet || output == "" {
		return format
	}
	if f, ok := formatFromExtension[strings.ToLower(filepath.Ext(output))]; ok {
		return f
	}
	return format
}

// validate checks every scan and demo flag that can be checked without
// the network, so that a typo (--lang fr, --format pdf, -o into a missing
// folder) fails with exit 2 before a single packet is sent, not after a
// whole scan with its logins. It also settles the report format from -o.
func (f *scanFlags) validate(fs *flag.FlagSet) error {
	f.format = reportFormat(f.format, explicitFlags(fs)["format"], f.output)
	if !validFormat(f.format) {
		return usagef("--format %q: want %s", f.format, reportFormats)
	}
	if _, err := i18n.Choose(f.lang, os.Getenv); err != nil {
		return usagef("--lang: %v", err)
	}
	if f.failOn != "" {
		if _, ok := finding.ParseSeverity(f.failOn); !ok {
			return usagef("--fail-on %q: want info, low, medium, high or critical", f.failOn)
		}
	}
	if _, err := parsePorts(f.ports); err != nil {
		return usagef("-p: %v", err)
	}
	if strings.TrimSpace(f.udpPorts) != "" {
		if _, err := parsePorts(f.udpPorts); err != nil {
			return usagef("--udp: %v", err)
		}
	}
	if f.rate <= 0 || f.perHost <= 0 {
		return usagef("--rate and --per-host must be positive")
	}
	if _, err := creds.ParseDepth(f.depth); err != nil {
		return usagef("--depth: %v", err)
	}
	if f.credentials != "" {
		c, err := os.Open(f.credentials)
		if err != nil {
			return usagef("--credentials: %v", err)
		}
		c.Close()
	}
	if f.output != "" {
		if err := checkDir(filepath.Dir(f.output)); err != nil {
			return usagef("-o %s: %v", f.output, err)
		}
	}
	return nil
}

// checkDir reports whether dir exists and is a directory.
func checkDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("folder %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	return nil
}
