//go:build integration

package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dataHomePrefix names the directory TestMain makes for a test run.
const dataHomePrefix = "camwarden-integration-test-"

// TestMain points the default store ($XDG_DATA_HOME/camwarden) at a
// directory of this test run: scans keep their failed logins there even
// with --no-history, and tests must neither read nor fill the user's.
// A child re-executed in a network namespace (netns_child_test.go)
// inherits its parent's directory, which the parent removes; the parent
// also removes the camwarden binary the fleet tests built.
func TestMain(m *testing.M) {
	if home := os.Getenv("XDG_DATA_HOME"); strings.HasPrefix(filepath.Base(home), dataHomePrefix) {
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", dataHomePrefix)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("XDG_DATA_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	if buildOnce.path != "" {
		os.RemoveAll(filepath.Dir(buildOnce.path))
	}
	os.Exit(code)
}
