package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/camwarden/camwarden/internal/report"
)

// Report file modes: a report that holds a password (--show-secrets) is
// readable by its owner only.
const (
	reportMode = 0o644
	secretMode = 0o600
)

// reportFileMode returns the mode a report of rep is written with.
func reportFileMode(rep *report.Scan) os.FileMode {
	if hasSecrets(rep) {
		return secretMode
	}
	return reportMode
}

// hasSecrets reports whether rep carries a password in clear (a finding
// written with --show-secrets).
func hasSecrets(rep *report.Scan) bool {
	for _, f := range rep.Findings {
		if f.Evidence["password"] != "" {
			return true
		}
	}
	return false
}

// createReport creates (or truncates) the report file the user named
// with -o, with mode; an existing file gets mode too, so that a report
// with secrets never stays world-readable.
func createReport(path string, mode os.FileMode) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return nil, fmt.Errorf("create report: %w", err)
	}
	if err := f.Chmod(mode); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("create report: %w", err)
	}
	return f, nil
}

// writeNoFollow writes data to path (a fixed name in a folder, like the
// demo's report set) without following a symbolic link planted there.
func writeNoFollow(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|noFollow, mode)
	if err != nil {
		return err
	}
	if err := f.Chmod(mode); err != nil {
		_ = f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// readCapped reads a file the user named (a sites list...) whole, refusing
// one larger than limit bytes instead of filling memory (`--sites
// /dev/zero`).
func readCapped(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d MiB", path, limit>>20)
	}
	return data, nil
}
